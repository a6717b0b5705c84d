"""Who may ask for the floor, for what, and when (`agenda.speakers.admission`): pure, then as
the delegation's page, a hand-edited form and the service see it — one rule, one answer.

Before this rule was written once, the page offered an invited presentation once the item's
cap was reached (the service then refused it), and the page said points of order come only
through the chair while the service and the API put a delegation's own point of order first
on any list, even a closed one.
"""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from agenda.errors import FloorError
from agenda.models import FloorRequest, ListEvent, Presenter
from agenda.speakers import services
from agenda.speakers.admission import (
    Asker,
    Refusal,
    SignUp,
    Situation,
    kind_refusal,
    kinds_open,
    sign_up,
)
from agenda.speakers.ordering import DEFAULT_POLICY, Entry, Kind, Policy, Status

GENEVA = ZoneInfo("Europe/Zurich")
T0 = datetime(2025, 4, 7, 8, 0, tzinfo=UTC)


def entry(number, delegation, kind=Kind.STATEMENT, status=Status.WAITING):
    return Entry(number, delegation, "state_party", kind, T0 + timedelta(minutes=number), status)


def situation(*entries, policy=DEFAULT_POLICY, **extra):
    return Situation(policy=policy, entries=list(entries), zone=GENEVA, **extra)


# --- pure --------------------------------------------------------------------------------------


def test_the_sign_up_window():
    def state(is_open=True, opens=None, closes=None):
        return sign_up(is_open=is_open, opens_at=opens, closes_at=closes, now=T0)

    hour = timedelta(hours=1)
    assert state() == SignUp.OPEN
    assert state(is_open=False) == SignUp.CLOSED
    assert state(opens=T0 + hour) == SignUp.NOT_YET_OPEN
    assert state(closes=T0 - hour) == SignUp.WINDOW_ENDED
    assert state(opens=T0 - hour, closes=T0 + hour) == SignUp.OPEN
    assert state(is_open=False, opens=T0 - hour) == SignUp.CLOSED


def test_a_delegation_is_offered_statements_and_rights_of_reply():
    assert kinds_open(Asker("FRA"), situation()) == [Kind.STATEMENT, Kind.RIGHT_OF_REPLY]


def test_coordinators_and_designated_presenters_are_offered_their_kinds():
    assert kinds_open(Asker("ITA", coordinator=True), situation()) == [
        Kind.COORDINATOR_REMARKS, Kind.STATEMENT, Kind.RIGHT_OF_REPLY,
    ]  # fmt: skip
    presenter = Asker("CHL", presenter_kinds=frozenset({Kind.EXTENSION_REQUEST}))
    assert kinds_open(presenter, situation()) == [
        Kind.EXTENSION_REQUEST, Kind.STATEMENT, Kind.RIGHT_OF_REPLY,
    ]  # fmt: skip


def test_a_point_of_order_only_by_the_chair():
    assert kind_refusal(Kind.POINT_OF_ORDER, Asker("CHL"), situation()) == Refusal(
        "A point of order is raised in the room: the chair puts it on the list. Raise your "
        "delegation's nameplate."
    )
    chair = Asker("CHL", by_chair=True)
    assert kind_refusal(Kind.POINT_OF_ORDER, chair, situation(sign_up=SignUp.CLOSED)) is None


def test_the_cap_of_invited_presentations_takes_the_kind_off_the_offer():
    asker = Asker("HRW", presenter_kinds=frozenset({Kind.INVITED_PRESENTATION}))
    taken = situation(
        entry(1, "ICRC", Kind.INVITED_PRESENTATION, Status.SPOKEN),
        entry(2, "CMC", Kind.INVITED_PRESENTATION),
        entry(3, "UNODA", Kind.INVITED_PRESENTATION, Status.WITHDRAWN),  # gave its place back
    )
    assert kinds_open(asker, taken) == [Kind.STATEMENT, Kind.RIGHT_OF_REPLY]
    assert kind_refusal(Kind.INVITED_PRESENTATION, asker, taken) == Refusal(
        "This item allows 2 invited presentations; all are taken."
    )
    assert kinds_open(asker, situation(entry(1, "ICRC", Kind.INVITED_PRESENTATION))) == [
        Kind.INVITED_PRESENTATION, Kind.STATEMENT, Kind.RIGHT_OF_REPLY,
    ]  # fmt: skip


def test_rights_of_reply_per_delegation_are_capped():
    used = situation(
        entry(1, "CHL", Kind.RIGHT_OF_REPLY, Status.SPOKEN),
        entry(2, "CHL", Kind.RIGHT_OF_REPLY, Status.SPOKEN),
        policy=Policy(max_replies_per_delegation=2),
    )
    assert kinds_open(Asker("CHL"), used) == [Kind.STATEMENT]
    assert kinds_open(Asker("FRA"), used) == [Kind.STATEMENT, Kind.RIGHT_OF_REPLY]


def test_one_open_request_per_kind_with_its_place():
    waiting = situation(entry(1, "FRA"), entry(2, "CHL"))
    assert kinds_open(Asker("CHL"), waiting) == [Kind.RIGHT_OF_REPLY]
    assert kind_refusal(Kind.STATEMENT, Asker("CHL"), waiting) == Refusal(
        "Your delegation is already on this list (place 2)."
    )
    speaking = situation(entry(1, "CHL", status=Status.SPEAKING))
    assert kind_refusal(Kind.STATEMENT, Asker("CHL"), speaking) == Refusal(
        "Your delegation has the floor for this already."
    )


def test_a_list_that_takes_no_requests_leaves_rights_of_reply_and_the_chair():
    opens = datetime(2025, 4, 7, 8, 0, tzinfo=UTC)
    later = situation(sign_up=SignUp.NOT_YET_OPEN, opens_at=opens)
    assert kinds_open(Asker("CHL"), later) == [Kind.RIGHT_OF_REPLY]
    assert kind_refusal(Kind.STATEMENT, Asker("CHL"), later) == Refusal(
        "The list of speakers opens at 07 April 2025, 10:00.", field=None
    )
    closed = situation(sign_up=SignUp.WINDOW_ENDED)
    assert kind_refusal(Kind.STATEMENT, Asker("CHL"), closed) == Refusal(
        "The list of speakers is closed.", field=None
    )
    assert kind_refusal(Kind.STATEMENT, Asker("CHL", by_chair=True), closed) is None


def test_nothing_while_the_meeting_is_closed():
    closed = situation(meeting_closed=True)
    assert kinds_open(Asker("CHL", by_chair=True), closed) == []
    assert kind_refusal(Kind.STATEMENT, Asker("CHL"), closed) == Refusal(
        "The meeting is closed.", field=None
    )


# --- the page, a hand-edited form, the service: the same answer --------------------------------


def offered(client, floor, code):
    client.force_login(floor.user(code))
    html = client.get(reverse("delegation_floor", args=[floor.meeting.slug, code])).content
    section = re.search(rf'<section id="item-{floor.item.pk}".*?</section>', html.decode(), re.S)[0]
    select = re.search(rf'<select name="item-{floor.item.pk}-kind".*?</select>', section, re.S)
    return section, (re.findall(r'<option value="([a-z_]+)"', select[0]) if select else [])


@pytest.mark.django_db
def test_the_page_no_longer_offers_an_invited_presentation_once_all_are_taken(client, floor):
    for code in ("ICRC", "CMC", "HRW"):
        Presenter.objects.create(
            item=floor.item, delegation=floor.d[code], kind="invited_presentation"
        )
    assert offered(client, floor, "HRW")[1] == [
        "invited_presentation",
        "statement",
        "right_of_reply",
    ]
    for code in ("ICRC", "CMC"):
        services.floor_request_create(
            item=floor.item,
            delegation=floor.d[code],
            kind="invited_presentation",
            user=floor.user(code),
        )

    assert offered(client, floor, "HRW")[1] == ["statement", "right_of_reply"]


@pytest.mark.django_db
def test_when_nothing_is_left_the_page_says_why(client, floor):
    services.speakers_list_set_open(item=floor.item, is_open=False, user=floor.chair)
    for _ in range(2):
        reply = services.floor_request_create(
            item=floor.item,
            delegation=floor.d["FRA"],
            kind="right_of_reply",
            user=floor.user("FRA"),
        )
        services.speaker_start(entry=reply, user=floor.chair)
        services.speaker_end(entry=reply, user=floor.chair)

    section, kinds = offered(client, floor, "FRA")

    assert kinds == []
    assert "Request the floor</button>" not in section
    assert (
        '<p class="floor-refusal text-body-secondary">The list of speakers is closed.</p>'
        in section
    )
    assert "Rights of reply may still be requested." not in section


@pytest.mark.django_db
def test_a_hand_edited_form_cannot_put_a_point_of_order_on_the_list(client, floor):
    client.force_login(floor.user("CHL"))
    assert offered(client, floor, "CHL")[1] == ["extension_request", "statement", "right_of_reply"]
    response = client.post(
        reverse("floor_request", args=[floor.meeting.slug, "CHL", floor.item.pk]),
        {f"item-{floor.item.pk}-kind": "point_of_order", f"item-{floor.item.pk}-language": "en"},
    )

    assert response.status_code == 400
    form = next(p.form for p in response.context["panels"] if p.item.pk == floor.item.pk)
    assert form.errors["kind"] == [
        "A point of order is raised in the room: the chair puts it on the list. Raise your "
        "delegation's nameplate."
    ]
    assert (FloorRequest.objects.count(), ListEvent.objects.count()) == (0, 0)


@pytest.mark.django_db
def test_the_service_refuses_a_delegations_own_point_of_order_and_takes_the_chairs(floor):
    with pytest.raises(FloorError) as error:
        services.floor_request_create(
            item=floor.item,
            delegation=floor.d["CHL"],
            kind="point_of_order",
            user=floor.user("CHL"),
        )
    assert (error.value.field, FloorRequest.objects.count()) == ("kind", 0)

    point = services.floor_request_create(
        item=floor.item, delegation=floor.d["CHL"], kind="point_of_order", user=floor.chair
    )
    assert (point.position, point.on_behalf) == (1, True)
