"""The categories of participant as data (issue 10, findings 10 and 9): the secretariat gives a
category a rank of its own without a change of code, and a corrected category re-ranks the
delegation's waiting requests, audited.

Before: the order of categories was written in the code, so the GICHD could only be an
"international organisation" and spoke before the Red Cross (rule 1.2 puts it between the Red
Cross and the CMC); a category corrected by the secretariat left the delegation's waiting
requests where the old category had put them, and no list said so.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from agenda.errors import FloorError, NotAllowed
from agenda.models import FloorRequest, ListEvent, SpeakingRules
from agenda.record.figures import figures
from agenda.record.selectors import delivered, facts
from agenda.speakers import speeches
from agenda.speakers.changes import ListChange, subscribe
from agenda.speakers.participations import participation_category_set
from agenda.speakers.selectors import policy_for, speakers_list
from agenda.web.display import annotate
from delegations.models import Delegation, ParticipantCategory, Participation
from tests.factories import (
    AgendaItemFactory,
    DelegationFactory,
    FocalPointFactory,
    ParticipationFactory,
    UserFactory,
)
from tests.helpers import ask, waiting

pytestmark = pytest.mark.django_db


@pytest.fixture
def gichd(floor):
    """A category of the GICHD's own, ranked between the Red Cross (50) and the CMC (60), and
    the GICHD taking part in it."""
    ParticipantCategory.objects.create(code="gichd", name="GICHD", rank=55)
    floor.d["GICHD"] = DelegationFactory(
        code="GICHD",
        name="Geneva International Centre for Humanitarian Demining",
        kind=Delegation.Kind.ORGANIZATION,
    )
    ParticipationFactory(meeting=floor.meeting, delegation=floor.d["GICHD"], category="gichd")
    floor.focal["GICHD"] = FocalPointFactory(
        user=UserFactory(username="focal-gichd"), delegation=floor.d["GICHD"]
    ).user
    return floor


def participation(floor, code) -> Participation:
    return Participation.objects.get(meeting=floor.meeting, delegation=floor.d[code])


# --- the order: the table's ranks ----------------------------------------------------------------


def test_the_shipped_categories_are_ranked_as_rules_1_2_and_1_3_say(db):
    table = ParticipantCategory.table()
    assert table.order == (
        "state_party", "signatory_state", "observer_state", "international_organization",
        "red_cross", "cmc", "ngo",
    )  # fmt: skip
    assert table.states == ("state_party", "signatory_state", "observer_state")
    assert [row.label for row in table] == [
        "State Party", "Signatory State", "Observer State", "International organization",
        "Red Cross and Red Crescent", "Cluster Munition Coalition",
        "Non-governmental organization",
    ]  # fmt: skip


def test_a_category_ranked_between_the_red_cross_and_the_cmc_speaks_between_them(gichd):
    for code in ("HRW", "CMC", "GICHD", "UNODA", "ICRC", "FRA"):
        ask(gichd, code)

    assert waiting(gichd) == ["FRA", "UNODA", "ICRC", "GICHD", "CMC", "HRW"]
    assert policy_for(gichd.item).category_order == (
        "state_party", "signatory_state", "observer_state", "international_organization",
        "red_cross", "gichd", "cmc", "ngo",
    )  # fmt: skip


def test_a_new_rank_changes_the_order_of_a_list_at_once(floor):
    ask(floor, "CMC")
    ask(floor, "ICRC")
    assert waiting(floor) == ["ICRC", "CMC"]

    ParticipantCategory.objects.filter(code="cmc").update(rank=45)

    assert waiting(floor) == ["CMC", "ICRC"]


def test_the_meetings_own_order_of_categories_still_comes_first(gichd):
    SpeakingRules.objects.create(meeting=gichd.meeting, category_order="cmc, gichd")
    for code in ("GICHD", "FRA", "CMC"):
        ask(gichd, code)

    assert waiting(gichd) == ["CMC", "GICHD", "FRA"]


def test_the_console_shows_an_added_categorys_name(gichd):
    ask(gichd, "GICHD")

    [entry] = annotate(speakers_list(gichd.item)).waiting

    assert entry.category_label == "GICHD"


def test_the_statistics_name_and_rank_an_added_category(gichd):
    for minute, code in enumerate(("CMC", "GICHD", "ICRC")):
        entry = ask(gichd, code)
        FloorRequest.objects.filter(pk=entry.pk).update(
            status="spoken",
            started_at=datetime(2025, 4, 7, 8, minute * 2, tzinfo=UTC),
            ended_at=datetime(2025, 4, 7, 8, minute * 2 + 1, tzinfo=UTC),
        )

    table = figures(facts(delivered(gichd.meeting))).table("category")

    assert [line.label for line in table.lines] == [
        "Red Cross and Red Crescent",
        "GICHD",
        "Cluster Munition Coalition",
    ]


def test_the_list_of_participants_has_an_added_categorys_heading_in_its_rank(client, gichd):
    ParticipantCategory.objects.filter(code="gichd").update(
        plural_name="Geneva International Centre for Humanitarian Demining"
    )
    html = client.get(f"/meetings/{gichd.meeting.slug}/delegations/").content.decode()

    headings = [
        "Red Cross and Red Crescent",
        "Geneva International Centre for Humanitarian Demining",
        "Cluster Munition Coalition",
    ]
    places = [html.index(f">{heading} (1)</h2>") for heading in headings]
    assert places == sorted(places)


def test_a_delegations_page_names_its_added_category(client, gichd):
    client.force_login(gichd.user("GICHD"))

    html = client.get(reverse("delegation_floor", args=[gichd.meeting.slug, "GICHD"])).content

    assert "My delegation · GICHD" in html.decode()


# --- a corrected category re-ranks the waiting requests ------------------------------------------


def test_a_corrected_category_re_ranks_a_waiting_request_and_says_so(
    floor, django_capture_on_commit_callbacks
):
    for code in ("FRA", "AGO", "VUT"):
        ask(floor, code)
    assert waiting(floor) == ["FRA", "AGO", "VUT"]
    vanuatu = FloorRequest.objects.get(delegation__code="VUT")
    heard = []
    stop = subscribe(heard.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            changed = participation_category_set(
                participation=participation(floor, "VUT"),
                category="state_party",
                user=floor.secretariat,
            )
    finally:
        stop()

    assert changed == 1
    assert waiting(floor) == ["FRA", "VUT", "AGO"]
    assert participation(floor, "VUT").category == "state_party"
    event = ListEvent.objects.get(action="recategorised")
    assert (event.item, event.entry, event.delegation, event.user, event.version) == (
        floor.item,
        vanuatu,
        floor.d["VUT"],
        floor.secretariat,
        4,
    )
    assert event.before == {
        "delegation": "VUT",
        "category": "observer_state",
        "entries": [
            {"entry": vanuatu.pk, "kind": "statement", "category": "observer_state", "position": 3}
        ],
    }
    assert event.after == {
        "delegation": "VUT",
        "category": "state_party",
        "entries": [
            {"entry": vanuatu.pk, "kind": "statement", "category": "state_party", "position": 2}
        ],
    }
    assert heard == [
        ListChange(meeting="ccm-2025", item=floor.item.pk, version=4, action="recategorised")
    ]


def test_what_was_said_keeps_the_category_it_was_said_under(floor):
    other = AgendaItemFactory(meeting=floor.meeting, parent=floor.item.parent, label="d")
    said = ask(floor, "VUT", item=other)
    speeches.speaker_start(entry=said, user=floor.chair)
    speeches.speaker_end(entry=said, user=floor.chair)
    speaking = ask(floor, "VUT", "right_of_reply")
    speeches.speaker_start(entry=speaking, user=floor.chair)
    events = ListEvent.objects.count()

    changed = participation_category_set(
        participation=participation(floor, "VUT"), category="state_party", user=floor.secretariat
    )

    assert changed == 0
    assert ListEvent.objects.count() == events  # no list changed
    said.refresh_from_db()
    speaking.refresh_from_db()
    assert (said.category, speaking.category) == ("observer_state", "observer_state")
    assert participation(floor, "VUT").category == "state_party"


def test_each_list_where_the_delegation_waits_is_re_ranked_once(floor):
    other = AgendaItemFactory(meeting=floor.meeting, parent=floor.item.parent, label="d")
    for item in (floor.item, other):
        ask(floor, "HRW", item=item)
        ask(floor, "CMC", item=item)
    ask(floor, "HRW", "right_of_reply", user=floor.chair)

    changed = participation_category_set(
        participation=participation(floor, "HRW"), category="cmc", user=floor.secretariat
    )

    assert changed == 2
    assert ListEvent.objects.filter(action="recategorised").count() == 2
    assert set(FloorRequest.objects.filter(delegation__code="HRW").values_list("category")) == {
        ("cmc",)
    }


def test_only_the_secretariat_corrects_a_category(floor):
    ask(floor, "VUT")
    with pytest.raises(NotAllowed):
        participation_category_set(
            participation=participation(floor, "VUT"), category="state_party", user=floor.chair
        )
    assert participation(floor, "VUT").category == "observer_state"
    assert not ListEvent.objects.filter(action="recategorised").exists()


def test_an_unknown_category_is_refused_naming_the_known_ones(floor):
    with pytest.raises(FloorError) as error:
        participation_category_set(
            participation=participation(floor, "VUT"), category="party", user=floor.secretariat
        )
    assert (error.value.message, error.value.field) == (
        "“party” is not a category. Known categories: state_party, signatory_state, "
        "observer_state, international_organization, red_cross, cmc, ngo.",
        "category",
    )


def test_the_same_category_again_changes_nothing(floor):
    ask(floor, "VUT")
    events = ListEvent.objects.count()

    assert (
        participation_category_set(
            participation=participation(floor, "VUT"),
            category="observer_state",
            user=floor.secretariat,
        )
        == 0
    )
    assert ListEvent.objects.count() == events


# --- the admin's correction goes through the service -----------------------------------------


def change_form(client, floor, code, category):
    record = participation(floor, code)
    return client.post(
        reverse("admin:delegations_participation_change", args=[record.pk]),
        {
            "meeting": floor.meeting.pk,
            "delegation": floor.d[code].pk,
            "category": category,
            "delegates-TOTAL_FORMS": "0",
            "delegates-INITIAL_FORMS": "0",
            "delegates-MIN_NUM_FORMS": "0",
            "delegates-MAX_NUM_FORMS": "1000",
        },
        follow=True,
    )


def test_a_correction_in_the_admin_re_ranks_and_is_audited(client, floor):
    for code in ("FRA", "AGO", "VUT"):
        ask(floor, code)
    client.force_login(floor.secretariat)

    response = change_form(client, floor, "VUT", "state_party")

    assert response.status_code == 200
    assert "Its waiting requests were re-ranked on 1 list of speakers." in response.content.decode()
    assert waiting(floor) == ["FRA", "VUT", "AGO"]
    event = ListEvent.objects.get(action="recategorised")
    assert (event.user, event.before["category"], event.after["category"]) == (
        floor.secretariat,
        "observer_state",
        "state_party",
    )


def test_staff_outside_the_secretariat_cannot_correct_a_category_in_the_admin(client, floor):
    ask(floor, "VUT")
    staff = UserFactory(username="clerk", is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["change_participation", "view_participation"])
    )
    client.force_login(staff)

    response = change_form(client, floor, "VUT", "state_party")

    assert "Only the secretariat may correct a delegation&#x27;s category." in (
        response.content.decode()
    )
    assert participation(floor, "VUT").category == "observer_state"
    assert not ListEvent.objects.filter(action="recategorised").exists()


def test_the_admin_offers_the_tables_categories_in_rank_order(client, gichd):
    client.force_login(gichd.secretariat)
    record = participation(gichd, "GICHD")

    form = (
        client.get(reverse("admin:delegations_participation_change", args=[record.pk]))
        .context["adminform"]
        .form
    )

    assert [value for value, _ in form.fields["category"].choices] == [
        "state_party", "signatory_state", "observer_state", "international_organization",
        "red_cross", "gichd", "cmc", "ngo",
    ]  # fmt: skip
    assert form.initial["category"] == "gichd"


def test_a_participation_is_not_recategorised_from_the_delegations_page(client, floor):
    client.force_login(floor.secretariat)

    response = client.get(reverse("admin:delegations_delegation_change", args=[floor.d["VUT"].pk]))

    field = response.context["inline_admin_formsets"][0].formset.forms[0].fields["category"]
    assert field.disabled


def test_a_request_asked_for_after_the_correction_takes_the_new_category(floor):
    participation_category_set(
        participation=participation(floor, "VUT"), category="state_party", user=floor.secretariat
    )
    ask(floor, "AGO")

    assert ask(floor, "VUT").category == "state_party"
    assert waiting(floor) == ["VUT", "AGO"]


def test_requests_keep_their_time_within_the_new_category(floor):
    ask(floor, "FRA")
    ask(floor, "VUT")
    FloorRequest.objects.filter(delegation__code="VUT").update(
        requested_at=datetime(2025, 4, 7, 7, 0, tzinfo=UTC) - timedelta(minutes=1)
    )

    participation_category_set(
        participation=participation(floor, "VUT"), category="state_party", user=floor.secretariat
    )

    assert waiting(floor) == ["VUT", "FRA"]  # it asked first
