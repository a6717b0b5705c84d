"""Who may ask for the floor, for what, and when (`agenda.speakers.admission`): pure, then as
the delegation's page, a hand-edited form and the service see it — one rule, one answer.

Before this rule was written once, the page offered an invited presentation once the item's
cap was reached (the service then refused it), and the page said points of order come only
through the chair while the service and the API put a delegation's own point of order first
on any list, even a closed one.

Issue 10 (findings 8 and 5, point 11): whether delegations may raise a point of order online
and who may ask for a right of reply are the meeting's to say (by default: in the room, and
States only); closing remarks are the coordinators', a response a designated presenter's, and
a delegation that presented already is told to ask for a response; messages with a number use
plural forms.
"""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from agenda.errors import FloorError
from agenda.models import ApiToken, FloorRequest, ListEvent, Presenter, SpeakingRules
from agenda.speakers import services, speeches
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
from tests.helpers import ask

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


def test_a_state_is_offered_statements_and_rights_of_reply():
    assert kinds_open(Asker("FRA", state=True), situation()) == [
        Kind.STATEMENT, Kind.RIGHT_OF_REPLY,
    ]  # fmt: skip


def test_coordinators_and_designated_presenters_are_offered_their_kinds():
    assert kinds_open(Asker("ITA", coordinator=True, state=True), situation()) == [
        Kind.COORDINATOR_REMARKS, Kind.STATEMENT, Kind.RIGHT_OF_REPLY, Kind.CLOSING_REMARKS,
    ]  # fmt: skip
    presenter = Asker("CHL", presenter_kinds=frozenset({Kind.EXTENSION_REQUEST}), state=True)
    assert kinds_open(presenter, situation()) == [
        Kind.EXTENSION_REQUEST, Kind.STATEMENT, Kind.RESPONSE, Kind.RIGHT_OF_REPLY,
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
    assert kinds_open(asker, taken) == [Kind.STATEMENT, Kind.RESPONSE]
    assert kind_refusal(Kind.INVITED_PRESENTATION, asker, taken) == Refusal(
        "This item allows 2 invited presentations; all are taken."
    )
    assert kinds_open(asker, situation(entry(1, "ICRC", Kind.INVITED_PRESENTATION))) == [
        Kind.INVITED_PRESENTATION, Kind.STATEMENT, Kind.RESPONSE,
    ]  # fmt: skip


def test_a_cap_of_one_invited_presentation_is_said_in_the_singular():
    asker = Asker("HRW", presenter_kinds=frozenset({Kind.INVITED_PRESENTATION}))
    taken = situation(
        entry(1, "ICRC", Kind.INVITED_PRESENTATION, Status.SPOKEN),
        policy=Policy(max_invited_presentations=1),
    )
    assert kind_refusal(Kind.INVITED_PRESENTATION, asker, taken) == Refusal(
        "This item allows 1 invited presentation; it is taken."
    )
    none = situation(policy=Policy(max_invited_presentations=0))
    assert kind_refusal(Kind.INVITED_PRESENTATION, asker, none) == Refusal(
        "This item has no invited presentations."
    )


def test_rights_of_reply_per_delegation_are_capped():
    used = situation(
        entry(1, "CHL", Kind.RIGHT_OF_REPLY, Status.SPOKEN),
        entry(2, "CHL", Kind.RIGHT_OF_REPLY, Status.SPOKEN),
        policy=Policy(max_replies_per_delegation=2),
    )
    assert kinds_open(Asker("CHL", state=True), used) == [Kind.STATEMENT]
    assert kind_refusal(Kind.RIGHT_OF_REPLY, Asker("CHL", state=True), used) == Refusal(
        "Your delegation has used its 2 rights of reply on this item."
    )
    assert kinds_open(Asker("FRA", state=True), used) == [Kind.STATEMENT, Kind.RIGHT_OF_REPLY]


def test_a_cap_of_one_right_of_reply_is_said_in_the_singular():
    used = situation(
        entry(1, "CHL", Kind.RIGHT_OF_REPLY, Status.SPOKEN),
        policy=Policy(max_replies_per_delegation=1),
    )
    assert kind_refusal(Kind.RIGHT_OF_REPLY, Asker("CHL", state=True), used) == Refusal(
        "Your delegation has used its 1 right of reply on this item."
    )
    none = situation(policy=Policy(max_replies_per_delegation=0))
    assert kind_refusal(Kind.RIGHT_OF_REPLY, Asker("CHL", state=True), none) == Refusal(
        "This item has no rights of reply."
    )


def test_one_open_request_per_kind_with_its_place():
    waiting = situation(entry(1, "FRA"), entry(2, "CHL"))
    assert kinds_open(Asker("CHL", state=True), waiting) == [Kind.RIGHT_OF_REPLY]
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
    assert kinds_open(Asker("CHL", state=True), later) == [Kind.RIGHT_OF_REPLY]
    assert kind_refusal(Kind.STATEMENT, Asker("CHL"), later) == Refusal(
        "The list of speakers opens at 7 April 2025, 10:00.", field=None
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


ROOM = (
    "A point of order is raised in the room: the chair puts it on the list. Raise your "
    "delegation's nameplate."
)
STATES_ONLY_POINT = (
    "At this meeting only States may ask for a point of order online. Raise your delegation's "
    "nameplate: the chair may put it on the list."
)
STATES_ONLY_REPLY = "At this meeting only States may ask for a right of reply."
PRESENTED = "Your delegation has presented already on this item: ask for a response."
PRESENTING = (
    "Your delegation presents on this item already: to speak again after the floor, ask for a "
    "response."
)


def test_points_of_order_online_as_the_meeting_says():
    state, ngo = Asker("CHL", state=True), Asker("HRW")
    no = situation()
    assert kind_refusal(Kind.POINT_OF_ORDER, state, no) == Refusal(ROOM)
    states = situation(policy=Policy(online_points_of_order="states"))
    assert kind_refusal(Kind.POINT_OF_ORDER, state, states) is None
    assert kind_refusal(Kind.POINT_OF_ORDER, ngo, states) == Refusal(STATES_ONLY_POINT)
    everyone = situation(policy=Policy(online_points_of_order="all"))
    assert kind_refusal(Kind.POINT_OF_ORDER, ngo, everyone) is None
    assert kinds_open(ngo, everyone) == [Kind.POINT_OF_ORDER, Kind.STATEMENT]


def test_a_point_of_order_allowed_online_may_be_raised_while_the_list_is_closed():
    closed = situation(sign_up=SignUp.CLOSED, policy=Policy(online_points_of_order="states"))
    assert kinds_open(Asker("CHL", state=True), closed) == [
        Kind.POINT_OF_ORDER, Kind.RIGHT_OF_REPLY,
    ]  # fmt: skip


def test_rights_of_reply_are_for_states_unless_the_meeting_says_every_delegation():
    assert kind_refusal(Kind.RIGHT_OF_REPLY, Asker("HRW"), situation()) == Refusal(
        STATES_ONLY_REPLY
    )
    assert kinds_open(Asker("HRW"), situation()) == [Kind.STATEMENT]
    assert kind_refusal(Kind.RIGHT_OF_REPLY, Asker("VUT", state=True), situation()) is None
    everyone = situation(policy=Policy(replies_from="all"))
    assert kinds_open(Asker("HRW"), everyone) == [Kind.STATEMENT, Kind.RIGHT_OF_REPLY]


def test_the_chair_adds_anyone_to_points_of_order_and_rights_of_reply():
    chair = Asker("HRW", by_chair=True)
    for policy in (Policy(), Policy(online_points_of_order="states")):
        assert kind_refusal(Kind.POINT_OF_ORDER, chair, situation(policy=policy)) is None
        assert kind_refusal(Kind.RIGHT_OF_REPLY, chair, situation(policy=policy)) is None


def test_the_states_reply_cap_still_holds_when_replies_are_open_to_all():
    used = situation(
        entry(1, "HRW", Kind.RIGHT_OF_REPLY, Status.SPOKEN),
        policy=Policy(replies_from="all", max_replies_per_delegation=1),
    )
    assert kind_refusal(Kind.RIGHT_OF_REPLY, Asker("HRW"), used) == Refusal(
        "Your delegation has used its 1 right of reply on this item."
    )


def test_closing_remarks_are_the_coordinators_and_the_chair_may_add_them():
    assert kind_refusal(Kind.CLOSING_REMARKS, Asker("ITA", coordinator=True), situation()) is None
    assert kind_refusal(Kind.CLOSING_REMARKS, Asker("FRA", state=True), situation()) == Refusal(
        "Only the coordinators of this item may give closing remarks."
    )
    chair = Asker("PHL", state=True, by_chair=True)  # the presidency closes the item
    assert kind_refusal(Kind.CLOSING_REMARKS, chair, situation()) is None


def test_a_response_is_for_a_designated_presenter_of_the_item():
    for kind in (Kind.EXTENSION_REQUEST, Kind.INVITED_PRESENTATION):
        presenter = Asker("CHL", presenter_kinds=frozenset({kind}))
        assert kind_refusal(Kind.RESPONSE, presenter, situation()) is None
    refusal = Refusal(
        "A response is for a delegation the secretariat designated to present on this item."
    )
    assert kind_refusal(Kind.RESPONSE, Asker("FRA", state=True), situation()) == refusal
    chair = Asker("FRA", state=True, by_chair=True)
    assert kind_refusal(Kind.RESPONSE, chair, situation()) == refusal


def test_a_delegation_that_presented_is_told_to_ask_for_a_response():
    both = frozenset({Kind.EXTENSION_REQUEST, Kind.INVITED_PRESENTATION})
    chile = Asker("CHL", presenter_kinds=both, state=True)
    delivered = situation(entry(1, "CHL", Kind.EXTENSION_REQUEST, Status.SPOKEN))
    for kind in (Kind.EXTENSION_REQUEST, Kind.INVITED_PRESENTATION):
        assert kind_refusal(kind, chile, delivered) == Refusal(PRESENTED)
    assert kinds_open(chile, delivered) == [Kind.STATEMENT, Kind.RESPONSE, Kind.RIGHT_OF_REPLY]
    for status in (Status.WAITING, Status.SPEAKING):
        presenting = situation(entry(1, "CHL", Kind.INVITED_PRESENTATION, status))
        assert kind_refusal(Kind.EXTENSION_REQUEST, chile, presenting) == Refusal(PRESENTING)
    # The chair cannot give it a second presentation either.
    chair = Asker("CHL", presenter_kinds=both, by_chair=True)
    assert kind_refusal(Kind.EXTENSION_REQUEST, chair, delivered) == Refusal(PRESENTED)


def test_a_presentation_withdrawn_or_missed_or_by_another_delegation_does_not_count():
    chile = Asker("CHL", presenter_kinds=frozenset({Kind.EXTENSION_REQUEST}))
    others = situation(
        entry(1, "CHL", Kind.EXTENSION_REQUEST, Status.WITHDRAWN),
        entry(2, "CHL", Kind.EXTENSION_REQUEST, Status.ABSENT),
        entry(3, "AFG", Kind.EXTENSION_REQUEST, Status.SPOKEN),
    )
    assert kind_refusal(Kind.EXTENSION_REQUEST, chile, others) is None


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
    assert offered(client, floor, "HRW")[1] == ["invited_presentation", "statement", "response"]
    for code in ("ICRC", "CMC"):
        services.floor_request_create(
            item=floor.item,
            delegation=floor.d[code],
            kind="invited_presentation",
            user=floor.user(code),
        )

    assert offered(client, floor, "HRW")[1] == ["statement", "response"]


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
        speeches.speaker_start(entry=reply, user=floor.chair)
        speeches.speaker_end(entry=reply, user=floor.chair)

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
    assert offered(client, floor, "CHL")[1] == [
        "extension_request", "statement", "response", "right_of_reply",
    ]  # fmt: skip
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
    assert (point.position, point.added_by_chair) == (1, True)


# --- who may ask, per meeting: the service, the API and the page --------------------------------


def rules(floor, **settings):
    """The meeting's default speaking rules, with `settings`."""
    return SpeakingRules.objects.create(meeting=floor.meeting, **settings)


def refusal(floor, code, kind):
    with pytest.raises(FloorError) as error:
        services.floor_request_create(
            item=floor.item, delegation=floor.d[code], kind=kind, user=floor.user(code)
        )
    return error.value.message, error.value.field


def api_request(client, floor, code, kind):
    token = ApiToken.issue(floor.user(code), name=code)[1]
    return client.post(
        f"/api/v1/agenda-items/{floor.item.pk}/speakers/",
        {"delegation": code, "kind": kind},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


@pytest.mark.django_db
def test_a_meeting_that_allows_states_points_of_order_online_takes_a_states_not_an_ngos(floor):
    rules(floor, online_points_of_order="states")

    point = ask(floor, "FRA", "point_of_order", user=floor.user("FRA"))

    assert (point.position, point.added_by_chair, point.requested_by) == (
        1,
        False,
        floor.user("FRA"),
    )
    assert refusal(floor, "HRW", "point_of_order") == (STATES_ONLY_POINT, "kind")
    assert FloorRequest.objects.count() == 1


@pytest.mark.django_db
def test_a_meeting_that_allows_everyones_points_of_order_online_takes_an_ngos(floor):
    rules(floor, online_points_of_order="all")

    point = ask(floor, "HRW", "point_of_order", user=floor.user("HRW"))

    assert (point.position, point.kind, point.added_by_chair) == (1, "point_of_order", False)


@pytest.mark.django_db
def test_by_default_no_delegation_raises_a_point_of_order_online_on_the_api(client, floor):
    response = api_request(client, floor, "FRA", "point_of_order")

    assert (response.status_code, response.json()) == (400, {"detail": ROOM, "field": "kind"})


@pytest.mark.django_db
def test_the_page_offers_points_of_order_to_states_when_the_meeting_allows_them(client, floor):
    assert "point_of_order" not in offered(client, floor, "FRA")[1]
    rules(floor, online_points_of_order="states")

    assert offered(client, floor, "FRA")[1] == ["point_of_order", "statement", "right_of_reply"]
    assert offered(client, floor, "HRW")[1] == ["statement"]


@pytest.mark.django_db
def test_an_ngo_asking_for_a_right_of_reply_on_the_api_is_refused(client, floor):
    response = api_request(client, floor, "HRW", "right_of_reply")

    assert (response.status_code, response.json()) == (
        400,
        {"detail": STATES_ONLY_REPLY, "field": "kind"},
    )
    assert (FloorRequest.objects.count(), ListEvent.objects.count()) == (0, 0)
    assert api_request(client, floor, "VUT", "right_of_reply").status_code == 201  # observer State


@pytest.mark.django_db
def test_the_page_does_not_offer_an_ngo_or_an_organisation_a_right_of_reply(client, floor):
    for code in ("HRW", "CMC", "ICRC", "UNODA"):
        assert offered(client, floor, code)[1] == ["statement"], code
    assert offered(client, floor, "AGO")[1] == ["statement", "right_of_reply"]  # signatory


@pytest.mark.django_db
def test_a_meeting_may_give_rights_of_reply_to_every_delegation(client, floor):
    rules(floor, replies_from="all")

    assert offered(client, floor, "HRW")[1] == ["statement", "right_of_reply"]
    assert api_request(client, floor, "HRW", "right_of_reply").status_code == 201


@pytest.mark.django_db
def test_the_chair_adds_an_ngos_right_of_reply(floor):
    reply = ask(floor, "HRW", "right_of_reply", user=floor.chair)

    assert (reply.kind, reply.added_by_chair) == ("right_of_reply", True)


@pytest.mark.django_db
def test_a_second_presentation_is_refused_with_the_way_to_a_response(client, floor):
    presentation = ask(floor, "CHL", "extension_request")

    assert refusal(floor, "CHL", "extension_request") == (PRESENTING, "kind")
    speeches.speaker_start(entry=presentation, user=floor.chair)
    speeches.speaker_end(entry=presentation, user=floor.chair)

    assert refusal(floor, "CHL", "extension_request") == (PRESENTED, "kind")
    response = api_request(client, floor, "CHL", "extension_request")
    assert (response.status_code, response.json()) == (400, {"detail": PRESENTED, "field": "kind"})
    assert offered(client, floor, "CHL")[1] == ["statement", "response", "right_of_reply"]
    answer = ask(floor, "CHL", "response")
    assert (answer.kind, answer.status) == ("response", "waiting")


@pytest.mark.django_db
def test_closing_remarks_by_a_coordinator_and_not_by_another_delegation(floor):
    remarks = ask(floor, "ITA", "closing_remarks")

    assert (remarks.kind, remarks.added_by_chair) == ("closing_remarks", False)
    assert refusal(floor, "FRA", "closing_remarks") == (
        "Only the coordinators of this item may give closing remarks.",
        "kind",
    )
