"""Importing the delegates list: people on a delegation's list for a meeting."""

import pytest

from delegations.imports import import_file
from delegations.models import Category, Delegate
from meetings.models import Meeting
from tests.factories import (
    DelegateFactory,
    DelegationFactory,
    MeetingFactory,
    ParticipationFactory,
)
from tests.helpers import csv

pytestmark = pytest.mark.django_db


def import_csv(data: bytes, **kwargs):
    return import_file("delegates", data, file_name="delegates.csv", **kwargs)


@pytest.fixture
def meeting():
    meeting = MeetingFactory(slug="ccm-2025", status=Meeting.Status.IN_SESSION)
    for code, name in [("CHL", "Chile"), ("FRA", "France")]:
        ParticipationFactory(meeting=meeting, delegation=DelegationFactory(code=code, name=name))
    ParticipationFactory(
        meeting=meeting,
        delegation=DelegationFactory(code="ICRC", name="ICRC", kind="organization"),
        category=Category.RED_CROSS,
    )
    return meeting


def delegates():
    return sorted(
        Delegate.objects.values_list(
            "participation__delegation__code", "name", "title", "role", "gender", "email"
        )
    )


def test_delegates_are_created_with_roles_given_as_values_or_labels(meeting):
    report = import_csv(
        csv(
            "delegation,name,title,role,gender,email",
            "chl,Ana Pérez,H.E. Ambassador,Head of delegation,Woman,ana@example.org",
            "CHL,Luis Soto,Counsellor,DEPUTY,,",
            "FRA,Jean Dupont,,member,man,",
            "ICRC,Kim Lee,,adviser,another gender,",
            "ICRC,Sam Roe,,,,",
        )
    )

    assert report.summary() == "Imported 5 delegates: 5 new, 0 updated, 0 unchanged."
    assert delegates() == [
        ("CHL", "Ana Pérez", "H.E. Ambassador", "head", "woman", "ana@example.org"),
        ("CHL", "Luis Soto", "Counsellor", "deputy", "", ""),
        ("FRA", "Jean Dupont", "", "member", "man", ""),
        ("ICRC", "Kim Lee", "", "adviser", "other", ""),
        ("ICRC", "Sam Roe", "", "member", "", ""),
    ]
    assert {d.participation.meeting for d in Delegate.objects.all()} == {meeting}


def test_reimport_updates_the_person_on_the_same_delegation(meeting):
    DelegateFactory(
        participation=meeting.participations.get(delegation__code="CHL"),
        name="Ana Pérez",
        title="Minister",
        role=Delegate.Role.MEMBER,
    )

    report = import_csv(csv("delegation,name,title,role", "CHL,Ana Pérez,H.E. Ambassador,head"))

    assert report.summary() == "Imported 1 delegate: 0 new, 1 updated, 0 unchanged."
    assert delegates() == [("CHL", "Ana Pérez", "H.E. Ambassador", "head", "", "")]


def test_columns_that_are_not_in_the_file_are_left_as_they_are(meeting):
    DelegateFactory(
        participation=meeting.participations.get(delegation__code="FRA"),
        name="Jean Dupont",
        title="Counsellor",
        role=Delegate.Role.DEPUTY,
        gender=Delegate.Gender.MAN,
    )

    report = import_csv(csv("delegation,name", "FRA,Jean Dupont"))

    assert report.summary() == "Imported 1 delegate: 0 new, 0 updated, 1 unchanged."
    assert delegates() == [("FRA", "Jean Dupont", "Counsellor", "deputy", "man", "")]


def test_a_meeting_column_chooses_the_meeting(meeting):
    later = MeetingFactory(slug="msp-2025", status=Meeting.Status.DRAFT)
    ParticipationFactory(meeting=later, delegation=DelegationFactory(code="CHL"))

    report = import_csv(csv("delegation,name,meeting", "CHL,Ana Pérez,msp-2025"))

    assert report.ok
    assert Delegate.objects.get().participation.meeting == later


def assert_refused(data: bytes, errors: list[str]) -> None:
    report = import_csv(data)

    assert report.errors == errors
    assert Delegate.objects.count() == 0


def test_unknown_delegation_code(meeting):
    assert_refused(
        csv("delegation,name", "CHL,Ana Pérez", "XYZ,Luis Soto"),
        [
            'Row 3, column "delegation": "XYZ" is not a delegation code. Import the '
            "delegations first, or correct the code."
        ],
    )


def test_a_delegation_that_does_not_take_part_in_the_meeting(meeting):
    DelegationFactory(code="PER", name="Peru")

    assert_refused(
        csv("delegation,name", "PER,Rosa Díaz"),
        [
            'Row 2, column "delegation": "PER" is not on the list of delegations of ccm-2025. '
            "Import it in the delegations list first."
        ],
    )


def test_unknown_meeting_slug(meeting):
    assert_refused(
        csv("delegation,name,meeting", "CHL,Ana Pérez,ccm-2052"),
        ['Row 2, column "meeting": "ccm-2052" is not a meeting. Use the slug of one of: ccm-2025.'],
    )


def test_unknown_role_and_gender(meeting):
    assert_refused(
        csv("delegation,name,role,gender", "CHL,Ana Pérez,chief,f"),
        [
            'Row 2, column "role": "chief" is not a role. Use one of: head, deputy, member, '
            "adviser.",
            'Row 2, column "gender": "f" is not a gender. Use one of: woman, man, other, or '
            "leave the cell empty when it is not stated.",
        ],
    )


def test_missing_name_bad_email_and_over_long_title(meeting):
    assert_refused(
        csv(
            "delegation,name,title,email",
            "CHL,,,",
            f"FRA,Jean Dupont,{'T' * 201},jean@",
        ),
        [
            'Row 2, column "name": The cell is empty; every row needs a value here.',
            f'Row 3, column "title": "{"T" * 39}…" is 201 characters long; at most 200 are '
            "allowed.",
            'Row 3, column "email": "jean@" is not an e-mail address.',
        ],
    )


def test_the_same_person_twice_names_both_rows(meeting):
    assert_refused(
        csv("delegation,name", "CHL,Ana Pérez", "FRA,Ana Pérez", "chl,Ana Pérez"),
        ['Row 4, column "name": Ana Pérez of CHL is also on row 2. List each person once.'],
    )


def test_missing_required_columns(meeting):
    assert_refused(
        csv("name,role", "Ana Pérez,head"),
        ['The file has no "delegation" column. It needs the columns: delegation, name.'],
    )
