"""Importing the delegations list: the shipped States file, every kind of bad row, re-import."""

from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from delegations.imports import import_file, read_csv
from delegations.models import Category, Delegation, ParticipantCategory, Participation
from delegations.resources.delegations import DelegationResource
from meetings.models import Meeting
from tests.factories import DelegationFactory, MeetingFactory, ParticipationFactory
from tests.helpers import csv

pytestmark = pytest.mark.django_db

STATES_FILE = settings.BASE_DIR / "delegations" / "data" / "states-2025-04.csv"
FIXTURES = Path(__file__).parent / "fixtures"
CATEGORIES = (
    "state_party, signatory_state, observer_state, international_organization, red_cross, cmc, ngo"
)


def import_csv(data: bytes, **kwargs):
    return import_file("delegations", data, file_name="delegations.csv", **kwargs)


def categories(meeting) -> dict[str, str]:
    return dict(
        Participation.objects.filter(meeting=meeting).values_list("delegation__code", "category")
    )


def test_the_shipped_states_file_imports_as_it_is():
    meeting = MeetingFactory()

    report = import_file("delegations", STATES_FILE.read_bytes(), file_name=STATES_FILE.name)

    assert report.ok
    assert (report.new, report.updated, report.unchanged) == (124, 0, 0)
    assert report.summary() == "Imported 124 delegations: 124 new, 0 updated, 0 unchanged."
    assert Delegation.objects.count() == 124
    assert Counter(categories(meeting).values()) == {
        Category.STATE_PARTY: 111,
        Category.SIGNATORY_STATE: 12,
        Category.OBSERVER_STATE: 1,
    }
    civ = Participation.objects.select_related("delegation").get(delegation__code="CIV")
    assert (civ.delegation.name, civ.delegation.kind, civ.category, civ.meeting) == (
        "Côte d'Ivoire",
        Delegation.Kind.STATE,
        Category.STATE_PARTY,
        meeting,
    )
    assert categories(meeting)["VUT"] == Category.OBSERVER_STATE


def test_organizations_with_a_kind_column():
    meeting = MeetingFactory()

    report = import_csv((FIXTURES / "organizations.csv").read_bytes())

    assert report.ok
    assert sorted(
        Participation.objects.values_list("delegation__code", "delegation__kind", "category")
    ) == [
        ("CMC", "organization", "cmc"),
        ("EU", "organization", "international_organization"),
        ("ICRC", "organization", "red_cross"),
        ("UNODA", "organization", "international_organization"),
    ]
    assert Participation.objects.filter(meeting=meeting).count() == 4


def test_kind_comes_from_the_iso3_column_or_the_category_when_not_given():
    MeetingFactory()

    report = import_csv(
        csv(
            "name,iso3,code,category",
            "Chile,chl,,state_party",
            "Holy See,,VAT,observer_state",
            "Mine Action Review,,MAR,ngo",
        )
    )

    assert report.ok
    assert dict(Delegation.objects.values_list("code", "kind")) == {
        "CHL": "state",
        "VAT": "state",
        "MAR": "organization",
    }


def test_reimport_updates_and_never_duplicates():
    meeting = MeetingFactory()
    import_csv(csv("name,iso3,category", "Chile,CHL,signatory_state", "France,FRA,state_party"))

    report = import_csv(
        csv(
            "name,iso3,category",
            "Chile,CHL,state_party",
            "République française,FRA,state_party",
            "Austria,AUT,state_party",
        )
    )

    assert report.summary() == "Imported 3 delegations: 1 new, 2 updated, 0 unchanged."
    assert Delegation.objects.count() == 3
    assert Participation.objects.count() == 3
    assert Delegation.objects.get(code="FRA").name == "République française"
    assert categories(meeting) == {"AUT": "state_party", "CHL": "state_party", "FRA": "state_party"}

    again = import_csv(csv("name,iso3,category", "Chile,CHL,state_party"))

    assert again.summary() == "Imported 1 delegation: 0 new, 0 updated, 1 unchanged."


def test_a_delegation_known_from_another_meeting_is_added_to_this_one():
    earlier = MeetingFactory(slug="msp-2024", status=Meeting.Status.CLOSED)
    ParticipationFactory(
        meeting=earlier,
        delegation=DelegationFactory(code="VUT", name="Vanuatu"),
        category=Category.OBSERVER_STATE,
    )
    meeting = MeetingFactory(slug="ccm-2025", status=Meeting.Status.IN_SESSION)

    report = import_csv(csv("name,iso3,category", "Vanuatu,VUT,state_party"))

    assert report.summary() == "Imported 1 delegation: 1 new, 0 updated, 0 unchanged."
    assert Delegation.objects.count() == 1
    assert categories(earlier) == {"VUT": "observer_state"}
    assert categories(meeting) == {"VUT": "state_party"}


def test_whitespace_is_trimmed_and_codes_and_headers_are_normalised():
    MeetingFactory()

    report = import_csv(csv(" Name , ISO3 ,Category", "  Chile  , chl ,  State Party "))

    assert report.ok
    participation = Participation.objects.select_related("delegation").get()
    assert (participation.delegation.name, participation.delegation.code) == ("Chile", "CHL")
    assert participation.category == "state_party"


def test_bom_crlf_and_accents():
    MeetingFactory()
    data = "name,iso3,category\r\nCôte d'Ivoire,CIV,state_party\r\nTürkiye,TUR,observer_state\r\n"

    report = import_csv(b"\xef\xbb\xbf" + data.encode())

    assert report.ok
    assert dict(Delegation.objects.values_list("code", "name")) == {
        "CIV": "Côte d'Ivoire",
        "TUR": "Türkiye",
    }


# Meetings -------------------------------------------------------------------------------


def test_rows_go_to_the_current_meeting():
    MeetingFactory(slug="msp-2024", status=Meeting.Status.CLOSED)
    current = MeetingFactory(slug="ccm-2025", status=Meeting.Status.IN_SESSION)

    import_csv(csv("name,iso3,category", "Chile,CHL,state_party"))

    assert Participation.objects.get().meeting == current


def test_rows_go_to_the_only_meeting_even_a_draft():
    draft = MeetingFactory(status=Meeting.Status.DRAFT)

    import_csv(csv("name,iso3,category", "Chile,CHL,state_party"))

    assert Participation.objects.get().meeting == draft


def test_the_meeting_given_by_the_caller_wins_over_the_current_one():
    MeetingFactory(status=Meeting.Status.IN_SESSION)
    demo = MeetingFactory(slug="demo", status=Meeting.Status.DRAFT)

    report = import_csv(csv("name,iso3,category", "Chile,CHL,state_party"), meeting=demo)

    assert report.ok
    assert Participation.objects.get().meeting == demo


def test_a_meeting_column_chooses_the_meeting_per_row():
    MeetingFactory(slug="ccm-2025", status=Meeting.Status.IN_SESSION)
    earlier = MeetingFactory(slug="msp-2024", status=Meeting.Status.CLOSED)

    report = import_csv(
        csv("name,iso3,category,meeting", "Chile,CHL,state_party,msp-2024", "Peru,PER,state_party,")
    )

    assert report.ok
    assert dict(Participation.objects.values_list("delegation__code", "meeting__slug")) == {
        "CHL": earlier.slug,
        "PER": "ccm-2025",
    }


def test_without_any_meeting_the_file_is_refused():
    report = import_csv(csv("name,iso3,category", "Chile,CHL,state_party"))

    assert report.errors == [
        "There is no meeting to import into. Create the meeting first, then add a "
        '"meeting" column with its slug.'
    ]
    assert Delegation.objects.count() == 0


def test_with_several_meetings_and_none_current_the_file_must_say_which():
    MeetingFactory(slug="ccm-2025", status=Meeting.Status.DRAFT)
    MeetingFactory(slug="msp-2025", status=Meeting.Status.DRAFT)

    report = import_csv(csv("name,iso3,category", "Chile,CHL,state_party"))

    assert report.errors == [
        "There are 2 meetings and none of them is current, so the file must say which one it "
        'is for: add a "meeting" column with the meeting\'s slug (one of: ccm-2025, msp-2025).'
    ]
    assert Delegation.objects.count() == 0


# Bad files: nothing is imported, every problem is named ------------------------------------


def assert_refused(data: bytes, errors: list[str]) -> None:
    report = import_csv(data)

    assert report.errors == errors
    assert not report.ok
    assert Delegation.objects.count() == 0
    assert Participation.objects.count() == 0


@pytest.fixture
def meeting():
    return MeetingFactory(slug="ccm-2025")


def test_unknown_category(meeting):
    assert_refused(
        csv("name,iso3,category", "Chile,CHL,state_party", "France,FRA,state_partie"),
        [f'Row 3, column "category": "state_partie" is not a category. Use one of: {CATEGORIES}.'],
    )


def test_a_category_the_secretariat_added_imports_and_an_unknown_one_names_it(meeting):
    ParticipantCategory.objects.create(code="gichd", name="GICHD", rank=55)

    assert_refused(
        csv("name,code,category", "Geneva International Centre,GICHD,gichd_centre"),
        [
            'Row 2, column "category": "gichd_centre" is not a category. Use one of: '
            "state_party, signatory_state, observer_state, international_organization, "
            "red_cross, gichd, cmc, ngo."
        ],
    )
    report = import_csv(csv("name,code,category", "Geneva International Centre,GICHD,GICHD"))
    assert report.ok, report.errors
    assert categories(meeting) == {"GICHD": "gichd"}  # by its code or its name, in any case
    assert Delegation.objects.get(code="GICHD").kind == "organization"


def test_a_category_the_secretariat_marked_as_a_states_takes_a_state(meeting):
    ParticipantCategory.objects.create(
        code="acceding_state", name="Acceding State", rank=35, state=True
    )
    assert_refused(
        csv("name,code,kind,category", "UNODA,UNODA,organization,acceding_state"),
        [
            'Row 2, column "category": "acceding_state" is a category for States, but this row '
            "is an organization. Use one of: international_organization, red_cross, cmc, ngo."
        ],
    )

    report = import_csv(csv("name,iso3,category", "Vanuatu,VUT,acceding_state"))

    assert report.ok, report.errors
    assert Delegation.objects.get(code="VUT").kind == "state"


def test_a_category_change_by_import_does_not_re_rank_requests_waiting(meeting):
    """The import writes the participation only (docs/imports.md): the admin's correction of a
    category is what re-ranks the delegation's waiting requests."""
    import_csv(csv("name,iso3,category", "Vanuatu,VUT,observer_state"))

    report = import_csv(csv("name,iso3,category", "Vanuatu,VUT,state_party"))

    assert (report.ok, report.updated) == (True, 1)
    assert categories(meeting) == {"VUT": "state_party"}


def test_missing_name(meeting):
    assert_refused(
        csv("name,iso3,category", "Chile,CHL,state_party", ",FRA,state_party"),
        ['Row 3, column "name": The cell is empty; every row needs a value here.'],
    )


def test_missing_code(meeting):
    assert_refused(
        csv("name,code,category", "International Committee of the Red Cross,,red_cross"),
        ['Row 2, column "code": The cell is empty; every row needs a value here.'],
    )


def test_duplicate_code_names_both_rows(meeting):
    assert_refused(
        csv(
            "name,iso3,category",
            "France,FRA,state_party",
            "Chile,CHL,state_party",
            "France (again),fra,state_party",
        ),
        ['Row 4, column "iso3": "FRA" is also on row 2. List each delegation once per meeting.'],
    )


def test_state_code_that_is_not_three_capital_letters(meeting):
    assert_refused(
        csv("name,iso3,category", "France,FRAN,state_party", "Chile,C1L,state_party"),
        [
            'Row 2, column "iso3": "FRAN" is not a State code. A State\'s code is its ISO 3166 '
            "alpha-3 code: three capital letters.",
            'Row 3, column "iso3": "C1L" is not a State code. A State\'s code is its ISO 3166 '
            "alpha-3 code: three capital letters.",
        ],
    )


def test_organization_code_with_spaces(meeting):
    assert_refused(
        csv("name,code,category", "Red Cross,IC RC,red_cross"),
        [
            'Row 2, column "code": "IC RC" is not a valid code. Use capital letters, digits '
            "and hyphens, e.g. CHL or ICRC."
        ],
    )


def test_over_long_values(meeting):
    long_name = "N" * 201
    assert_refused(
        csv("name,code,category", f"{long_name},ICRC,red_cross", f"Red Cross,{'C' * 21},red_cross"),
        [
            f'Row 2, column "name": "{"N" * 39}…" is 201 characters long; at most 200 are allowed.',
            f'Row 3, column "code": "{"C" * 21}" is 21 characters long; at most 20 are allowed.',
        ],
    )


def test_category_that_does_not_fit_the_kind(meeting):
    assert_refused(
        csv(
            "name,iso3,code,kind,category",
            "Chile,CHL,,,ngo",
            "Red Cross,,ICRC,organization,state_party",
        ),
        [
            'Row 2, column "category": "ngo" is not a category for a State. Use one of: '
            "state_party, signatory_state, observer_state.",
            'Row 3, column "category": "state_party" is a category for States, but this row is '
            "an organization. Use one of: international_organization, red_cross, cmc, ngo.",
        ],
    )


def test_unknown_kind(meeting):
    assert_refused(
        csv("name,code,kind,category", "Red Cross,ICRC,agency,red_cross"),
        ['Row 2, column "kind": "agency" is not a kind. Use one of: state, organization.'],
    )


def test_unknown_meeting_slug(meeting):
    assert_refused(
        csv("name,iso3,category,meeting", "Chile,CHL,state_party,ccm-2052"),
        ['Row 2, column "meeting": "ccm-2052" is not a meeting. Use the slug of one of: ccm-2025.'],
    )


def test_missing_required_columns(meeting):
    assert_refused(
        csv("name,category", "Chile,state_party"),
        [
            'The file has no "iso3" or "code" column. It needs the columns: name, iso3 or code, '
            "category."
        ],
    )
    assert_refused(
        csv("iso3,categroy", "CHL,state_party"),
        [
            'The file has a column "categroy" that is not known. Known columns: name, code, '
            "iso3, kind, category, meeting, name_ar, name_zh_hans, name_fr, name_ru, name_es.",
            'The file has no "name" column. It needs the columns: name, iso3 or code, category.',
            'The file has no "category" column. It needs the columns: name, iso3 or code, '
            "category.",
        ],
    )


def test_a_column_twice_and_values_without_a_column_name(meeting):
    assert_refused(
        csv("name,iso3,category,name,", "Chile,CHL,state_party,Chile,x"),
        [
            "Column E has values but no name in row 1. Name it or delete it.",
            'The file has the column "name" twice.',
        ],
    )


def test_a_file_with_only_a_header(meeting):
    assert_refused(csv("name,iso3,category"), ["The file has no rows to import below its header."])
    assert_refused(
        b"",
        [
            "The file is empty. Row 1 must name the columns: name, code, iso3, kind, category, "
            "meeting, name_ar, name_zh_hans, name_fr, name_ru, name_es."
        ],
    )


def test_every_problem_of_every_row_is_named_and_blank_rows_count(meeting):
    assert_refused(
        csv(
            "name,iso3,category",
            "Chile,CHL,state_party",
            "",
            ",FRAN,state_partie",
            "Peru,PER,state_party",
        ),
        [
            'Row 4, column "name": The cell is empty; every row needs a value here.',
            'Row 4, column "iso3": "FRAN" is not a State code. A State\'s code is its ISO 3166 '
            "alpha-3 code: three capital letters.",
            f'Row 4, column "category": "state_partie" is not a category. Use one of: '
            f"{CATEGORIES}.",
        ],
    )


def test_a_dry_run_checks_and_writes_nothing(meeting):
    report = import_csv(csv("name,iso3,category", "Chile,CHL,state_party"), dry_run=True)

    assert report.ok
    assert report.summary() == (
        "The file is correct: it would import 1 delegation: 1 new, 0 updated, 0 unchanged. "
        "Nothing was written (dry run)."
    )
    assert Delegation.objects.count() == 0


def test_the_resource_itself_rolls_back_on_a_bad_row_whatever_the_caller_asks(meeting):
    # The admin and django-import-export's own callers do not ask for a rollback on
    # validation errors: the resource enforces it.
    dataset = read_csv(csv("name,iso3,category", "Chile,CHL,state_party", "Peru,PER,nope"))

    result = DelegationResource().import_data(
        dataset, dry_run=False, use_transactions=False, rollback_on_validation_errors=False
    )

    assert result.has_validation_errors()
    assert [row.number for row in result.invalid_rows] == [3]
    assert Delegation.objects.count() == 0
