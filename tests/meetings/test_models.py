"""Invariants the database itself enforces (so PostgreSQL keeps them under races too)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from agenda.models import AgendaItem
from delegations.models import Category, Delegation, Participation
from meetings.models import Meeting
from tests.factories import (
    AgendaItemFactory,
    DelegateFactory,
    DelegationFactory,
    MeetingFactory,
    ParticipationFactory,
    SittingFactory,
)

pytestmark = pytest.mark.django_db


def test_a_meeting_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError):
        MeetingFactory(start_date=datetime.date(2025, 4, 8), end_date=datetime.date(2025, 4, 7))


def test_a_meeting_status_must_be_known():
    with pytest.raises(IntegrityError):
        MeetingFactory(status="postponed")


def test_an_unknown_time_zone_is_refused_with_a_clear_message():
    meeting = MeetingFactory.build(time_zone="Europe/Geneva")
    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert error.value.message_dict["time_zone"] == [
        "“Europe/Geneva” is not a time zone. Use a name such as Europe/Zurich."
    ]


def test_a_sitting_must_end_after_it_starts():
    with pytest.raises(IntegrityError):
        SittingFactory(start_time=datetime.time(15), end_time=datetime.time(13))


def test_a_sitting_outside_the_meeting_dates_is_refused():
    sitting = SittingFactory.build(meeting=MeetingFactory(), date=datetime.date(2025, 4, 9))
    with pytest.raises(ValidationError) as error:
        sitting.full_clean()
    assert error.value.message_dict["date"] == ["The sitting must fall within the meeting's dates."]


def test_delegation_codes_are_unique():
    Delegation.objects.create(code="CHL", name="Chile")
    with pytest.raises(IntegrityError):
        Delegation.objects.create(code="CHL", name="Chile again")


def test_a_state_code_must_be_iso_alpha_3():
    delegation = Delegation(code="CHIL", name="Chile", kind=Delegation.Kind.STATE)
    with pytest.raises(ValidationError) as error:
        delegation.full_clean()
    assert error.value.message_dict["code"] == [
        "A State's code is its ISO 3166 alpha-3 code: three capital letters."
    ]


def test_an_organisation_may_have_a_longer_code():
    Delegation(code="UNODA", name="UNODA", kind=Delegation.Kind.ORGANIZATION).full_clean()


def test_a_delegation_takes_part_once_per_meeting_with_its_category_there():
    april = MeetingFactory()
    september = MeetingFactory()
    vanuatu = DelegationFactory(code="VUT", name="Vanuatu")
    ParticipationFactory(meeting=april, delegation=vanuatu, category=Category.OBSERVER_STATE)
    ParticipationFactory(meeting=september, delegation=vanuatu, category=Category.STATE_PARTY)
    assert {p.meeting_id: p.category for p in vanuatu.participations.all()} == {
        april.pk: "observer_state",
        september.pk: "state_party",
    }
    with pytest.raises(IntegrityError):
        ParticipationFactory(meeting=april, delegation=vanuatu)


def test_a_category_must_be_known():
    # The categories are a table the secretariat manages (delegations.ParticipantCategory):
    # the participation is checked against it, in the admin, the imports and `full_clean`.
    participation = Participation(
        meeting=MeetingFactory(), delegation=DelegationFactory(), category="observer"
    )
    with pytest.raises(ValidationError) as error:
        participation.full_clean()
    assert list(error.value.message_dict) == ["category"]


def test_a_delegate_is_listed_once():
    delegate = DelegateFactory(name="Ana Pérez")
    with pytest.raises(IntegrityError):
        DelegateFactory(participation=delegate.participation, name="Ana Pérez")


def test_subitems_are_coded_with_their_item():
    item = AgendaItemFactory(label="2")
    subitem = AgendaItemFactory(meeting=item.meeting, parent=item, label="c")
    assert item.code == "2"
    assert subitem.code == "2(c)"


def test_item_numbers_and_subitem_letters_are_unique():
    item = AgendaItemFactory(label="2")
    AgendaItemFactory(meeting=item.meeting, parent=item, label="c")
    with pytest.raises(IntegrityError):
        AgendaItemFactory(meeting=item.meeting, parent=item, label="c")


def test_two_meetings_may_both_have_an_item_2():
    AgendaItemFactory(label="2")
    AgendaItemFactory(label="2")
    assert AgendaItem.objects.filter(label="2").count() == 2


def test_subitems_have_no_subitems_and_stay_in_their_meeting():
    item = AgendaItemFactory(label="2")
    subitem = AgendaItemFactory(meeting=item.meeting, parent=item, label="c")
    deeper = AgendaItem(meeting=item.meeting, parent=subitem, label="i", title="Too deep")
    with pytest.raises(ValidationError) as error:
        deeper.full_clean()
    assert error.value.message_dict["parent"] == ["A subitem cannot have subitems of its own."]
    elsewhere = AgendaItem(meeting=MeetingFactory(), parent=item, label="d", title="Elsewhere")
    with pytest.raises(ValidationError) as error:
        elsewhere.full_clean()
    assert error.value.message_dict["parent"] == ["The item belongs to another meeting."]


def test_the_home_page_meeting_is_the_one_in_session_else_the_latest_published():
    MeetingFactory(
        status=Meeting.Status.DRAFT,
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 1, 2),
    )
    published = MeetingFactory(status=Meeting.Status.PUBLISHED)
    assert Meeting.objects.current() == published
    in_session = MeetingFactory(
        status=Meeting.Status.IN_SESSION,
        start_date=datetime.date(2024, 9, 10),
        end_date=datetime.date(2024, 9, 13),
    )
    assert Meeting.objects.current() == in_session
