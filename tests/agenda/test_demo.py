"""`manage.py load_demo` builds the CCM Intersessional Meeting 2025, and running it again changes
nothing.

What the demo holds is read from one load shared by those tests (`demo`, tests/conftest.py);
the tests of the loading itself (its output, running it twice, passwords) load it themselves.
"""

import datetime
import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from agenda.models import (
    AgendaItem,
    ApiToken,
    FloorRequest,
    LapAction,
    LapArea,
    Presenter,
    Proposal,
    RecordNote,
)
from agenda.roles import may_follow_booths
from agenda.speakers.services import floor_request_create
from delegations.models import (
    Category,
    Delegate,
    Delegation,
    FocalPoint,
    Group,
    Guest,
    ParticipantCategory,
    Participation,
)
from meetings.models import Meeting
from tests.factories import MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db


ACCOUNTS = [
    "secretariat",
    "president",
    "coordinator",
    "focal-aut",
    "focal-chl",
    "focal-fra",
    "focal-icrc",
    "focal-cmc",
    "focal-eu",
    "focal-pol",
    "interpreter",
]


def load_demo(*args):
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def test_meeting(demo):
    assert demo.title == "Convention on Cluster Munitions Intersessional Meeting 2025"
    assert demo.status == Meeting.Status.PUBLISHED
    assert (demo.start_date, demo.end_date) == (
        datetime.date(2025, 4, 7),
        datetime.date(2025, 4, 8),
    )
    assert (demo.venue, demo.room, demo.city) == ("Palais des Nations", "Room XXI", "Geneva")
    assert demo.time_zone == "Europe/Zurich"
    assert demo.presidency == "Philippines, Presidency of the 13th Meeting of States Parties"
    assert demo.president == "Ambassador Carlos D. Sorreta"
    assert "Lausanne Action Plan" in demo.description
    assert Meeting.objects.current() == demo


def test_sittings(demo):
    sittings = [
        (s.date, s.start_time, s.end_time) for s in demo.sittings.order_by("date", "start_time")
    ]
    morning, afternoon = (
        (datetime.time(10), datetime.time(13)),
        (datetime.time(15), datetime.time(18)),
    )
    assert sittings == [
        (datetime.date(2025, 4, 7), *morning),
        (datetime.date(2025, 4, 7), *afternoon),
        (datetime.date(2025, 4, 8), *morning),
        (datetime.date(2025, 4, 8), *afternoon),
    ]


def test_agenda_item_2_with_subitems_a_to_j(demo):
    item = demo.agenda_items.get(parent=None)
    assert (item.code, item.title) == ("2", "General status and operation of the Convention")
    subitems = list(item.subitems.order_by("order"))
    assert [s.code for s in subitems] == [f"2({c})" for c in "abcdefghij"]
    assert [s.title for s in subitems] == [
        "Universalization",
        "Victim assistance",
        "Clearance and destruction of cluster munition remnants, including Article 4 "
        "extension requests",
        "Risk education",
        "Stockpile destruction and retention",
        "International cooperation and assistance",
        "Transparency measures",
        "Gender and the diverse needs of populations",
        "National implementation measures",
        "Concerns and challenges raised at the 12th Meeting of States Parties",
    ]
    coordinators = {s.label: sorted(d.code for d in s.coordinators.all()) for s in subitems}
    assert coordinators == {
        "a": ["MWI", "PER"],
        "b": ["AUT", "PAN"],
        "c": ["ITA", "NOR"],
        "d": [],
        "e": [],
        "f": [],
        "g": [],
        "h": [],
        "i": [],
        "j": ["AUT", "DEU"],
    }
    by_label = {s.label: s for s in subitems}
    assert by_label["a"].format.startswith("Introductory remarks by the coordinators")
    assert "extension requests under Article 4" in by_label["c"].format
    assert by_label["j"].format.startswith("One or two presentations by invited stakeholders")
    for topic in (
        "emerging challenges to the norm prohibiting cluster munitions",
        "capacity constraints for victim assistance",
        "budget cuts",
        "risk education",
    ):
        assert topic in by_label["j"].annotation


def mandates(item):
    return sorted((r.document.symbol, r.paragraph) for r in item.mandate_references.all())


def test_mandate_references(demo):
    item = demo.agenda_items.get(parent=None)
    subitems = {s.label: s for s in item.subitems.all()}
    assert mandates(item) == [("CCM/MSP/2024/11", "87")]
    for label in "abcdefgi":
        assert mandates(subitems[label]) == [("CCM/CONF/2021/6", "84 (iii) (b)")]
    assert mandates(subitems["h"]) == [
        ("CCM/CONF/2021/6", "84 (iii) (b)"),
        ("CCM/CONF/2021/6", "84 (iii) (c)"),
    ]
    assert mandates(subitems["j"]) == [
        ("CCM/CONF/2021/6", "133, annex III, IX, D, 2"),
        ("CCM/MSP/2024/11", "78"),
        ("CCM/MSP/2024/11", "79"),
        ("CCM/MSP/2024/11", "80"),
        ("CCM/MSP/2024/WP.3", ""),
    ]


def test_every_item_is_taken_up_in_a_sitting_and_item_2_in_all(demo):
    item = demo.agenda_items.get(parent=None)
    assert item.sittings.count() == 4
    first_sitting = {}
    for subitem in item.subitems.order_by("order"):
        sittings = list(subitem.sittings.all())
        assert len(sittings) == 1, subitem.code
        first_sitting[subitem.label] = sittings[0]
    # In agenda order: (a) in the first sitting, (j) in the last.
    order = [(s.date, s.start_time) for s in first_sitting.values()]
    assert order == sorted(order)
    assert first_sitting["a"] == demo.sittings.order_by("date", "start_time").first()
    assert first_sitting["j"] == demo.sittings.order_by("date", "start_time").last()


def test_states_and_organizations(demo):
    participations = Participation.objects.filter(meeting=demo).select_related("delegation")
    category = {p.delegation.code: p.category for p in participations}
    states = {p.delegation.code for p in participations if p.delegation.kind == "state"}
    assert len(states) == 125
    assert sorted(category[code] for code in states).count(Category.STATE_PARTY) == 111
    assert [category[c] for c in states].count(Category.SIGNATORY_STATE) == 12
    # Vanuatu from the States list; Poland, added by the demo, speaks for the European Union.
    assert sorted(c for c in states if category[c] == Category.OBSERVER_STATE) == ["POL", "VUT"]
    assert Delegation.objects.get(code="POL").name == "Poland"
    assert (category["AUT"], category["AGO"], category["PHL"]) == (
        Category.STATE_PARTY,
        Category.SIGNATORY_STATE,
        Category.STATE_PARTY,
    )
    assert "LTU" not in category  # withdrew with effect from 6 March 2025
    assert Delegation.objects.get(code="CHL").name == "Chile"
    organizations = {
        p.delegation.code: p.category
        for p in participations
        if p.delegation.kind == Delegation.Kind.ORGANIZATION
    }
    assert organizations == {
        "UNODA": Category.INTERNATIONAL_ORGANIZATION,
        "UNMAS": Category.INTERNATIONAL_ORGANIZATION,
        "UNDP": Category.INTERNATIONAL_ORGANIZATION,
        "GICHD": "gichd",
        "ICRC": Category.RED_CROSS,
        "IFRC": Category.RED_CROSS,
        "CMC": Category.CMC,
        "HRW": Category.NGO,
        "HI": Category.NGO,
        "NPA": Category.NGO,
        "MAG": Category.NGO,
        "EU": Category.INTERNATIONAL_ORGANIZATION,
    }
    assert Delegation.objects.get(code="EU").name == "European Union"


def test_the_order_of_categories_follows_rule_1_2(demo):
    # The UN and international organisations, the ICRC and the IFRC, the GICHD, the CMC, other
    # NGOs: the GICHD has a category of its own, ranked between the Red Cross and the CMC.
    assert ParticipantCategory.table().order == (
        "state_party", "signatory_state", "observer_state", "international_organization",
        "red_cross", "gichd", "cmc", "ngo",
    )  # fmt: skip
    gichd = ParticipantCategory.objects.get(code="gichd")
    assert (gichd.name, gichd.state) == ("GICHD", False)
    assert list(
        Participation.objects.filter(meeting=demo, category="gichd").values_list(
            "delegation__code", "delegation__name"
        )
    ) == [("GICHD", "Geneva International Centre for Humanitarian Demining")]


def test_accounts_and_roles(demo):
    users = {u.username: u for u in get_user_model().objects.filter(username__in=ACCOUNTS)}
    assert sorted(users) == sorted(ACCOUNTS)
    for user in users.values():
        assert not user.has_usable_password()
        assert not user.is_superuser
    secretariat = users["secretariat"]
    assert secretariat.is_staff
    assert [g.name for g in secretariat.groups.all()] == ["Secretariat"]
    for perm in (
        "meetings.change_meeting",
        "delegations.add_participation",
        "agenda.delete_agendaitem",
        "auth.change_user",
    ):
        assert secretariat.has_perm(perm)
    assert not any(users[name].is_staff for name in ACCOUNTS if name != "secretariat")
    # The booths have their account: it opens the interpreters' view of the demo meeting.
    assert [g.name for g in users["interpreter"].groups.all()] == ["Interpreters"]
    assert may_follow_booths(users["interpreter"], demo)

    assert list(demo.presiding_officers.all()) == [users["president"]]
    focal = sorted(FocalPoint.objects.values_list("user__username", "delegation__code"))
    assert focal == [
        ("coordinator", "AUT"),
        ("coordinator", "DEU"),
        ("focal-aut", "AUT"),
        ("focal-chl", "CHL"),
        ("focal-cmc", "CMC"),
        ("focal-eu", "EU"),
        ("focal-fra", "FRA"),
        ("focal-icrc", "ICRC"),
        ("focal-pol", "POL"),
    ]
    item_j = AgendaItem.objects.get(meeting=demo, parent__label="2", label="j")
    assert list(item_j.facilitators.all()) == [users["coordinator"]]


def test_delegates(demo):
    delegates = Delegate.objects.filter(participation__meeting=demo)
    codes = set(delegates.values_list("participation__delegation__code", flat=True))
    assert {"AUT", "DEU", "CHL", "FRA", "ICRC", "CMC"} <= codes
    for code in ("AUT", "CHL", "FRA", "ICRC", "CMC"):
        assert delegates.filter(participation__delegation__code=code, role="head").count() == 1
    assert delegates.exclude(gender="").exists()
    assert delegates.filter(gender="").exists()


def test_designated_presenters_under_2c_and_2j(demo):
    designated = sorted(
        (p.item.label, p.delegation.code, p.kind)
        for p in Presenter.objects.select_related("item", "delegation")
    )
    assert designated == [
        ("c", "AFG", "extension_request"),
        ("c", "CHL", "extension_request"),
        ("c", "LBN", "extension_request"),
        ("c", "MRT", "extension_request"),
        ("c", "SOM", "extension_request"),
        ("j", "CMC", "invited_presentation"),
        ("j", "ICRC", "invited_presentation"),
    ]


EU_MEMBERS = [
    "AUT", "BEL", "BGR", "CYP", "CZE", "DEU", "DNK", "ESP", "FRA", "HRV", "HUN", "IRL", "ITA",
    "LUX", "MLT", "NLD", "POL", "PRT", "SVK", "SVN", "SWE",
]  # fmt: skip
GRULAC_MEMBERS = [
    "ATG", "BLZ", "BOL", "CHL", "COL", "CRI", "CUB", "DOM", "ECU", "GRD", "GTM", "GUY", "HND",
    "HTI", "JAM", "KNA", "LCA", "MEX", "NIC", "PAN", "PER", "PRY", "SLV", "TTO", "URY", "VCT",
]  # fmt: skip


def demo_groups(meeting):
    return [
        (
            group.code,
            group.name,
            group.delegation.code if group.delegation else None,
            group.takes_precedence,
            sorted(d.code for d in group.members.all()),
        )
        for group in Group.objects.filter(meeting=meeting).order_by("code")
    ]


def test_the_european_union_and_grulac(demo):
    assert demo_groups(demo) == [
        ("EU", "the European Union", "EU", True, EU_MEMBERS),
        ("GRULAC", "the Group of Latin American and Caribbean States", None, True,
         GRULAC_MEMBERS),
    ]  # fmt: skip
    taking_part = set(demo.participations.values_list("delegation__code", flat=True))
    assert set(EU_MEMBERS + GRULAC_MEMBERS) <= taking_part


def test_poland_asks_for_the_floor_on_behalf_of_the_european_union(demo):
    item = AgendaItem.objects.get(meeting=demo, parent__label="2", label="a")
    entry = floor_request_create(
        item=item,
        delegation=Delegation.objects.get(code="POL"),
        kind="statement",
        user=account("focal-pol"),
        on_behalf_of="EU",
    )

    assert entry.described == "Poland, on behalf of the European Union"


def test_speakers_without_a_delegation(demo):
    assert list(
        Guest.objects.filter(meeting=demo).order_by("name").values_list(
            "name", "title", "organisation"
        )
    ) == [
        ("Ambassador Carlos D. Sorreta", "President of the Thirteenth Meeting of States Parties",
         ""),
        ("Dr Ana Reyes", "Panellist", "Survivor network"),
        ("Maria Keller", "Director", "CCM Implementation Support Unit"),
    ]  # fmt: skip


def test_the_lausanne_action_plan(demo):
    assert LapArea.objects.count() == 4
    assert LapAction.objects.count() == 28


def test_secretariat_can_open_the_admin(client, demo):
    client.force_login(get_user_model().objects.get(username="secretariat"))
    assert client.get("/admin/agenda/agendaitem/").status_code == 200
    assert client.get("/admin/delegations/participation/").status_code == 200


def test_a_staff_account_outside_the_secretariat_does_not_see_drafts(client):
    draft = MeetingFactory(status=Meeting.Status.DRAFT)
    client.force_login(UserFactory(is_staff=True))
    assert client.get(draft.get_absolute_url()).status_code == 404


# --- the loading itself -----------------------------------------------------------------------


def test_summary_is_printed():
    out = load_demo()
    assert "CCM Intersessional 2025" in out
    assert "4 sittings, 11 agenda items, 3 documents" in out
    assert "2 groups, 3 speakers without a delegation" in out
    assert "137 delegations" in out
    assert "111  State Party" in out
    assert "   1  GICHD\n" in out
    assert "   2  Observer State\n" in out


def database_dump():
    """Every row of every table the demo touches (through tables too), minus what changes on
    its own: password hashes and last login."""
    dump = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label not in {"meetings", "delegations", "agenda", "auth"}:
            continue
        rows = model.objects.order_by("pk").values()
        dump[model._meta.label] = [
            {k: v for k, v in row.items() if k not in {"password", "last_login"}} for row in rows
        ]
    return dump


def test_running_it_twice_gives_the_same_database():
    load_demo()
    first = database_dump()
    assert len(first["delegations.Participation"]) == 137
    assert len(first["delegations.Group"]) == 2
    assert len(first["delegations.Guest"]) == 3
    load_demo()
    assert database_dump() == first


def test_running_it_twice_with_a_password_gives_the_same_database():
    load_demo("--password", "demo-pass-1")
    first = database_dump()
    load_demo("--password", "demo-pass-2")
    assert database_dump() == first


def test_password_makes_the_accounts_usable(client):
    load_demo("--password", "a demo password")
    for username in ACCOUNTS:
        assert client.login(username=username, password="a demo password"), username
        client.logout()


def test_without_a_password_existing_passwords_are_kept(client):
    load_demo("--password", "a demo password")
    load_demo()
    assert client.login(username="president", password="a demo password")


# --- running it again keeps what the secretariat changed ----------------------------------------

SLUG = "ccm-intersessional-2025"


def account(username):
    return get_user_model().objects.get(username=username)


def item(label):
    return AgendaItem.objects.get(meeting__slug=SLUG, parent__label="2", label=label)


def api_status(token) -> int:
    return (
        Client()
        .get(f"/api/v1/meetings/{SLUG}/agenda/", HTTP_AUTHORIZATION=f"Bearer {token}")
        .status_code
    )


def test_running_it_again_keeps_accounts_passwords_sessions_and_edits():
    load_demo("--password", "the demo password")
    focal_chl = account("focal-chl")
    token = ApiToken.issue(focal_chl, name="script")[1]
    assert api_status(token) == 200
    # The secretariat deactivates an account, a focal point chooses their own password, the
    # secretariat edits an item, the meeting, a delegation and a category at the meeting.
    focal_chl.is_active = False
    focal_chl.save()
    president = account("president")
    president.set_password("the President's own")
    president.save()
    AgendaItem.objects.filter(pk=item("c").pk).update(title="Clearance (as adopted)")
    Meeting.objects.filter(slug=SLUG).update(room="Room XX", status=Meeting.Status.IN_SESSION)
    Delegation.objects.filter(code="CHL").update(name="Republic of Chile")
    Participation.objects.filter(meeting__slug=SLUG, delegation__code="VUT").update(
        category=Category.SIGNATORY_STATE
    )
    signed_in = Client()
    assert signed_in.login(username="focal-fra", password="the demo password")
    before = database_dump()

    out = load_demo("--password", "the demo password")

    assert database_dump() == before
    assert "accounts kept as they are (password, active or not): secretariat, president" in out
    assert account("focal-chl").is_active is False
    assert api_status(token) == 401  # the deactivated account's token stays refused
    assert account("president").check_password("the President's own")
    assert not account("president").check_password("the demo password")
    assert item("c").title == "Clearance (as adopted)"
    meeting = Meeting.objects.get(slug=SLUG)
    assert (meeting.room, meeting.status) == ("Room XX", Meeting.Status.IN_SESSION)
    assert Delegation.objects.get(code="CHL").name == "Republic of Chile"
    assert Participation.objects.get(delegation__code="VUT").category == Category.SIGNATORY_STATE
    # Nobody was signed out: the password hashes did not change.
    response = signed_in.get("/my-delegation/")
    assert response["Location"] == f"/meetings/{SLUG}/my-delegation/FRA/"


def test_what_the_secretariat_removed_stays_removed_and_a_missing_account_comes_back():
    load_demo("--password", "the demo password")
    item("d").delete()
    FocalPoint.objects.filter(user__username="focal-aut").delete()
    item("j").facilitators.clear()
    Participation.objects.filter(meeting__slug=SLUG, delegation__code="HRW").delete()
    get_user_model().objects.filter(username="focal-cmc").delete()

    out = load_demo("--password", "the demo password")

    assert not AgendaItem.objects.filter(meeting__slug=SLUG, label="d").exists()
    assert not FocalPoint.objects.filter(user__username="focal-aut").exists()
    assert list(item("j").facilitators.all()) == []
    assert not Participation.objects.filter(delegation__code="HRW").exists()
    # An account that is missing is created, with its password and its delegation.
    assert "accounts created (with the given password): focal-cmc" in out
    assert Client().login(username="focal-cmc", password="the demo password")
    assert list(FocalPoint.objects.filter(user__username="focal-cmc").values_list(
        "delegation__code", flat=True
    )) == ["CMC"]  # fmt: skip


def test_a_demo_loaded_before_groups_gets_them_and_the_new_delegations_and_accounts():
    load_demo("--password", "the demo password")
    meeting = Meeting.objects.get(slug=SLUG)
    # As the demo was before groups: no groups, guests, EU, Poland or their focal points.
    Group.objects.all().delete()
    Guest.objects.all().delete()
    Delegation.objects.filter(code__in=["EU", "POL"]).delete()
    get_user_model().objects.filter(username__in=["focal-eu", "focal-pol"]).delete()

    out = load_demo("--password", "the demo password")

    assert "accounts created (with the given password): focal-eu, focal-pol" in out
    assert [code for code, *_ in demo_groups(meeting)] == ["EU", "GRULAC"]
    assert demo_groups(meeting)[0][2:] == ("EU", True, EU_MEMBERS)
    assert Guest.objects.filter(meeting=meeting).count() == 3
    assert Participation.objects.get(delegation__code="POL").category == Category.OBSERVER_STATE
    assert Client().login(username="focal-pol", password="the demo password")


def test_groups_and_guests_the_secretariat_changed_stay_as_they_are():
    load_demo()
    meeting = Meeting.objects.get(slug=SLUG)
    Group.objects.filter(code="GRULAC").delete()
    eu = Group.objects.get(code="EU")
    eu.members.remove(Delegation.objects.get(code="ITA"))
    Group.objects.filter(pk=eu.pk).update(name="the EU", takes_precedence=False)
    Guest.objects.filter(name="Dr Ana Reyes").delete()
    before = database_dump()

    load_demo()

    assert database_dump() == before
    assert demo_groups(meeting) == [
        ("EU", "the EU", "EU", False, [code for code in EU_MEMBERS if code != "ITA"])
    ]
    assert Guest.objects.filter(meeting=meeting).count() == 2


def test_a_category_moved_by_the_secretariat_stays_where_it_is():
    load_demo()
    ParticipantCategory.objects.filter(code="gichd").update(rank=65, name="GICHD (Geneva)")
    load_demo()
    gichd = ParticipantCategory.objects.get(code="gichd")
    assert (gichd.rank, gichd.name) == (65, "GICHD (Geneva)")


def test_a_delivered_session_on_2c_and_2j_with_notes_and_two_proposals(demo):
    spoken = FloorRequest.objects.filter(item__meeting=demo, status="spoken")
    assert set(spoken.values_list("item__label", flat=True)) == {"c", "j"}
    assert RecordNote.objects.filter(entry__item__meeting=demo, published_at__isnull=False).exists()
    assert Proposal.objects.filter(item__meeting=demo).count() == 2
