"""The JSON API v1: every endpoint, every role, every error, as a client sees them."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client

from agenda.models import ApiToken, FloorRequest, ListEvent, Presenter
from agenda.speakers import services, speeches
from meetings.models import Meeting
from meetings.roles import SECRETARIAT_GROUP
from tests.factories import (
    AgendaItemFactory,
    DelegationFactory,
    MeetingFactory,
    UserFactory,
)
from tests.helpers import ask

pytestmark = pytest.mark.django_db

NO_TOKEN = "This needs an API token: send the header “Authorization: Bearer <token>”."
BAD_TOKEN = "This API token is not valid: it is unknown or revoked, or its account is inactive."
BAD_HEADER = "The Authorization header must read “Bearer <token>”."
STALE = (
    "The list changed since you loaded it (it is now at version {}): nothing was done. "
    "Here is the list as it stands."
)


# --- fixtures and helpers --------------------------------------------------------------------


@pytest.fixture
def facilitator(floor):
    """An account chairing item 2(c) for its coordinators."""
    user = UserFactory(username="facilitator-2c")
    floor.item.facilitators.add(user)
    return user


@pytest.fixture
def secretariat_member(db):
    """A member of the Secretariat group (not a superuser)."""
    user = UserFactory(username="secretariat-member")
    user.groups.add(Group.objects.get_or_create(name=SECRETARIAT_GROUP)[0])
    return user


@pytest.fixture
def tokens(floor, facilitator, secretariat_member):
    """A token for each role; `None` for anonymous. Focal point A is Chile's, B is France's."""
    users = {
        "focal_a": floor.user("CHL"),
        "focal_b": floor.user("FRA"),
        "chair": floor.chair,
        "facilitator": facilitator,
        "secretariat": secretariat_member,
        "superuser": floor.secretariat,
    }
    issued = {role: ApiToken.issue(user, name=role)[1] for role, user in users.items()}
    return {"anonymous": None, **issued}


def call(client, method, path, token=None, body=None, raw=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if method == "get":
        return client.get(path, headers=headers)
    if raw is not None:
        return client.post(path, raw, content_type="application/json", headers=headers)
    if body is None:  # no body at all, as `curl -X POST` sends
        return client.post(path, "", content_type="application/json", headers=headers)
    return client.post(path, body, content_type="application/json", headers=headers)


def iso(value):
    return DjangoJSONEncoder().default(value) if value else None


def state_of(floor):
    """Everything a refused write must leave as it was."""
    floor.item.refresh_from_db()
    requests = list(
        FloorRequest.objects.order_by("pk").values_list(
            "pk", "status", "anchor", "anchor_entry", "started_at", "paused_at", "ended_at"
        )
    )
    return (
        requests,
        ListEvent.objects.count(),
        floor.item.list_version,
        floor.item.list_is_open,
    )


def speakers_url(floor):
    return f"/api/v1/agenda-items/{floor.item.pk}/speakers/"


def codes(entries):
    return [entry["delegation"]["code"] for entry in entries]


def codes_of(items):
    """The codes of an agenda's items, in order."""
    return [item["code"] for item in items]


# --- meetings --------------------------------------------------------------------------------


def test_meetings_lists_the_meetings_that_are_not_drafts(client):
    MeetingFactory(
        slug="ccm-2025",
        title="Convention on Cluster Munitions Intersessional Meeting 2025",
        short_title="CCM Intersessional 2025",
        start_date=datetime.date(2025, 4, 7),
        end_date=datetime.date(2025, 4, 8),
        status=Meeting.Status.IN_SESSION,
    )
    MeetingFactory(
        slug="msp-2024",
        title="Twelfth Meeting of States Parties",
        short_title="12MSP",
        start_date=datetime.date(2024, 9, 16),
        end_date=datetime.date(2024, 9, 19),
        status=Meeting.Status.CLOSED,
    )
    MeetingFactory(slug="msp-2025", status=Meeting.Status.DRAFT)
    response = client.get("/api/v1/meetings/")
    assert response.status_code == 200
    assert response.json() == [
        {
            "slug": "ccm-2025",
            "title": "Convention on Cluster Munitions Intersessional Meeting 2025",
            "short_title": "CCM Intersessional 2025",
            "start_date": "2025-04-07",
            "end_date": "2025-04-08",
            "venue": "Palais des Nations",
            "room": "Room XXI",
            "time_zone": "Europe/Zurich",
            "status": "in_session",
        },
        {
            "slug": "msp-2024",
            "title": "Twelfth Meeting of States Parties",
            "short_title": "12MSP",
            "start_date": "2024-09-16",
            "end_date": "2024-09-19",
            "venue": "Palais des Nations",
            "room": "Room XXI",
            "time_zone": "Europe/Zurich",
            "status": "closed",
        },
    ]


@pytest.mark.parametrize("count", [1, 20])
def test_meetings_runs_one_query_for_any_number_of_meetings(
    client, count, django_assert_num_queries
):
    MeetingFactory.create_batch(count)
    with django_assert_num_queries(1):
        response = client.get("/api/v1/meetings/")
    assert len(response.json()) == count


# --- agenda ----------------------------------------------------------------------------------


def test_agenda_lists_items_and_subitems_in_order(client, floor):
    item2 = floor.item.parent
    item2.order = 1
    item2.save()
    floor.item.order = 5
    floor.item.save()
    a = AgendaItemFactory(meeting=floor.meeting, parent=item2, label="a", order=0, title="Univ.")
    item3 = AgendaItemFactory(meeting=floor.meeting, label="3", order=10, title="Other matters")
    item3.list_is_open = False
    item3.save()
    Presenter.objects.create(
        item=floor.item, delegation=floor.d["CHL"], kind="invited_presentation"
    )
    services.speakers_list_set_open(item=floor.item, is_open=False, user=floor.chair)
    services.speakers_list_set_open(item=floor.item, is_open=True, user=floor.chair)
    response = client.get("/api/v1/meetings/ccm-2025/agenda/")
    assert response.status_code == 200
    assert response.json() == [
        {"id": item2.pk, "code": "2", "title": "General status", "parent": None,
         "coordinators": [], "presenters": [], "is_open": True, "version": 0},
        {"id": a.pk, "code": "2(a)", "title": "Univ.", "parent": item2.pk,
         "coordinators": [], "presenters": [], "is_open": True, "version": 0},
        {"id": floor.item.pk, "code": "2(c)", "title": "Clearance", "parent": item2.pk,
         "coordinators": ["ITA", "NOR"],
         "presenters": [
             {"delegation": "AFG", "kind": "extension_request"},
             {"delegation": "CHL", "kind": "extension_request"},
             {"delegation": "LBN", "kind": "extension_request"},
             {"delegation": "CHL", "kind": "invited_presentation"},
         ],
         "is_open": True, "version": 2},
        {"id": item3.pk, "code": "3", "title": "Other matters", "parent": None,
         "coordinators": [], "presenters": [], "is_open": False, "version": 0},
    ]  # fmt: skip


def test_agenda_item_outside_its_sign_up_window_is_not_open(client, floor):
    floor.item.list_opens_at = datetime.datetime(2099, 4, 7, 8, 0, tzinfo=datetime.UTC)
    floor.item.save()
    items = client.get("/api/v1/meetings/ccm-2025/agenda/").json()
    assert [(item["code"], item["is_open"]) for item in items] == [("2", True), ("2(c)", False)]


@pytest.mark.parametrize("count", [1, 15])
def test_agenda_query_count_does_not_grow_with_items(client, count, django_assert_num_queries):
    meeting = MeetingFactory(slug="m")
    for number in range(count):
        item = AgendaItemFactory(meeting=meeting, label=str(number + 1))
        sub = AgendaItemFactory(meeting=meeting, parent=item, label="a")
        delegation = DelegationFactory()
        item.coordinators.add(delegation)
        Presenter.objects.create(item=sub, delegation=delegation, kind="extension_request")
    with django_assert_num_queries(4):
        response = client.get("/api/v1/meetings/m/agenda/")
    assert len(response.json()) == 2 * count


def test_agenda_of_an_unknown_meeting_is_404(client, db):
    response = client.get("/api/v1/meetings/nope/agenda/")
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no meeting “nope”.", "field": None}


def test_a_draft_meeting_is_404_except_for_the_secretariat(client, floor, tokens):
    floor.meeting.status = Meeting.Status.DRAFT
    floor.meeting.save()
    agenda = "/api/v1/meetings/ccm-2025/agenda/"
    # Not "forbidden": to them the draft does not exist.
    no_meeting = {"detail": "There is no meeting “ccm-2025”.", "field": None}
    no_item = {"detail": f"There is no agenda item {floor.item.pk}.", "field": None}
    for role in ("anonymous", "focal_a", "chair", "facilitator"):
        response = call(client, "get", agenda, tokens[role])
        assert (response.status_code, response.json()) == (404, no_meeting), role
        response = call(client, "get", speakers_url(floor), tokens[role])
        assert (response.status_code, response.json()) == (404, no_item), role
    for role in ("secretariat", "superuser"):
        response = call(client, "get", agenda, tokens[role])
        assert (response.status_code, codes_of(response.json())) == (200, ["2", "2(c)"]), role
        response = call(client, "get", speakers_url(floor), tokens[role])
        assert (response.status_code, response.json()["item"]) == (200, floor.item.pk), role
    assert client.get("/api/v1/meetings/").json() == []


def test_a_draft_meeting_is_readable_by_a_signed_in_secretariat_member(
    client, floor, secretariat_member
):
    floor.meeting.status = Meeting.Status.DRAFT
    floor.meeting.save()
    client.force_login(secretariat_member)
    response = client.get("/api/v1/meetings/ccm-2025/agenda/")
    assert (response.status_code, codes_of(response.json())) == (200, ["2", "2(c)"])
    response = client.get(speakers_url(floor))
    assert (response.status_code, response.json()["item"]) == (200, floor.item.pk)


# --- the list of speakers --------------------------------------------------------------------


def test_speakers_shows_every_part_of_the_list_in_order(client, floor):
    spoken = ask(floor, "AUT", speaker_name="Mr. Gruber", language="en")
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    speeches.speaker_call_next(item=floor.item, user=floor.chair)  # AUT has spoken
    absent = ask(floor, "AGO")
    speeches.speaker_mark_absent(entry=absent, user=floor.chair)
    ask(floor, "CHL", language="es")
    speeches.speaker_call_next(item=floor.item, user=floor.chair)  # CHL has the floor
    point = ask(floor, "FRA", "point_of_order")
    speeches.speaker_start(entry=point, user=floor.chair)  # CHL is interrupted
    for code in ("HRW", "LBN"):
        ask(floor, code)
    ask(floor, "NOR", "coordinator_remarks")
    ask(floor, "VUT", "point_of_order")
    hrw = FloorRequest.objects.get(delegation__code="HRW")
    speeches.speaker_move(entry=hrw, position=1, reason="Must leave", user=floor.chair)
    icrc = services.floor_request_create(
        item=floor.item, delegation=floor.d["ICRC"], kind="statement", user=floor.chair
    )

    response = client.get(speakers_url(floor))
    assert response.status_code == 200
    data = response.json()
    assert (data["item"], data["version"], data["is_open"]) == (floor.item.pk, 15, True)
    assert (data["opens_at"], data["closes_at"]) == (None, None)
    assert data["current"]["delegation"] == {"code": "FRA", "name": "France"}
    assert (data["current"]["kind"], data["current"]["status"]) == ("point_of_order", "speaking")
    assert data["current"]["duration_seconds"] >= 0
    assert codes([data["interrupted"]]) == ["CHL"]
    assert codes(data["waiting"]) == ["VUT", "HRW", "NOR", "LBN", "ICRC"]
    assert [entry["position"] for entry in data["waiting"]] == [1, 2, 3, 4, 5]
    assert [entry["pinned"] for entry in data["waiting"]] == [False, True, False, False, False]
    assert codes(data["done"]) == ["AUT"]
    assert codes(data["absent"]) == ["AGO"]

    chile = FloorRequest.objects.get(delegation__code="CHL")
    assert data["interrupted"] == {
        "id": chile.pk,
        "delegation": {"code": "CHL", "name": "Chile"},
        "speaker": None,
        "on_behalf_of": None,
        "co_sponsors": [],
        "category": "state_party",
        "kind": "statement",
        "status": "speaking",
        "presence": "room",
        "speaker_name": "",
        "language": "es",
        "requested_at": iso(chile.requested_at),
        "started_at": iso(chile.started_at),
        "ended_at": None,
        "paused": True,
        "duration_seconds": round((chile.paused_at - chile.started_at).total_seconds(), 3),
        "time_limit_seconds": 300,
        "extension_seconds": 0,
        "overtime_seconds": 0,
        "position": None,
        "pinned": False,
        "added_by_chair": False,
    }
    spoken.refresh_from_db()
    assert data["done"][0] == {
        "id": spoken.pk,
        "delegation": {"code": "AUT", "name": "Austria"},
        "speaker": None,
        "on_behalf_of": None,
        "co_sponsors": [],
        "category": "state_party",
        "kind": "statement",
        "status": "spoken",
        "presence": "room",
        "speaker_name": "Mr. Gruber",
        "language": "en",
        "requested_at": iso(spoken.requested_at),
        "started_at": iso(spoken.started_at),
        "ended_at": iso(spoken.ended_at),
        "paused": False,
        "duration_seconds": round((spoken.ended_at - spoken.started_at).total_seconds(), 3),
        "time_limit_seconds": 300,
        "extension_seconds": 0,
        "overtime_seconds": 0,
        "position": None,
        "pinned": False,
        "added_by_chair": False,
    }
    assert data["waiting"][4] == {
        "id": icrc.pk,
        "delegation": {"code": "ICRC", "name": "ICRC"},
        "speaker": None,
        "on_behalf_of": None,
        "co_sponsors": [],
        "category": "red_cross",
        "kind": "statement",
        "status": "waiting",
        "presence": "room",
        "speaker_name": "",
        "language": "",
        "requested_at": iso(icrc.requested_at),
        "started_at": None,
        "ended_at": None,
        "paused": False,
        "duration_seconds": None,
        "time_limit_seconds": 300,
        "extension_seconds": 0,
        "overtime_seconds": None,
        "position": 5,
        "pinned": False,
        "added_by_chair": True,
    }
    assert data["absent"][0]["duration_seconds"] is None
    assert data["waiting"][2]["time_limit_seconds"] == 600


def test_speakers_done_is_in_the_order_delivered(client, floor):
    for code in ("HRW", "FRA", "CHL"):
        ask(floor, code)
    for _ in range(4):
        speeches.speaker_call_next(item=floor.item, user=floor.chair)
    data = client.get(speakers_url(floor)).json()
    assert (codes(data["done"]), data["current"], data["waiting"]) == (
        ["FRA", "CHL", "HRW"], None, [],
    )  # fmt: skip


@pytest.mark.parametrize("count", [1, 13])
def test_speakers_query_count_does_not_grow_with_entries(
    client, floor, count, django_assert_num_queries
):
    for code in list(floor.d)[:count]:
        ask(floor, code)
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    # The item, its rules, its requests, the co-sponsors of joint statements; the categories of
    # participant (their ranks).
    with django_assert_num_queries(5):
        response = client.get(speakers_url(floor))
    data = response.json()
    assert len(data["waiting"]) + (data["current"] is not None) == count


def test_speakers_of_an_unknown_item_is_404(client, db):
    response = client.get("/api/v1/agenda-items/999999/speakers/")
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no agenda item 999999.", "field": None}


def test_a_bad_token_on_a_read_is_401_not_anonymous(client, floor):
    response = call(client, "get", speakers_url(floor), "not-a-token")
    assert (response.status_code, response.json()) == (401, {"detail": BAD_TOKEN, "field": None})
    assert response["WWW-Authenticate"] == "Bearer"


# --- requesting the floor --------------------------------------------------------------------


def test_a_focal_point_requests_the_floor_for_their_delegation(client, floor, tokens):
    ask(floor, "FRA")
    response = call(
        client, "post", speakers_url(floor), tokens["focal_a"],
        {"delegation": "CHL", "kind": "statement", "speaker_name": " Ms. Soto ",
         "language": "es", "note": "Joint statement"},
    )  # fmt: skip
    assert response.status_code == 201
    request = FloorRequest.objects.get(delegation__code="CHL")
    assert (request.note, request.requested_by) == ("Joint statement", floor.user("CHL"))
    assert response.json() == {
        "id": request.pk,
        "delegation": {"code": "CHL", "name": "Chile"},
        "speaker": None,
        "on_behalf_of": None,
        "co_sponsors": [],
        "category": "state_party",
        "kind": "statement",
        "status": "waiting",
        "presence": "room",
        "speaker_name": "Ms. Soto",
        "language": "es",
        "requested_at": iso(request.requested_at),
        "started_at": None,
        "ended_at": None,
        "paused": False,
        "duration_seconds": None,
        "time_limit_seconds": 300,
        "extension_seconds": 0,
        "overtime_seconds": None,
        "position": 2,
        "pinned": False,
        "added_by_chair": False,
        "version": 2,
    }


CREATE_ANSWERS = {
    "anonymous": 401,
    "focal_a": 201,
    "focal_b": 403,
    "chair": 201,
    "facilitator": 201,
    "secretariat": 201,
    "superuser": 201,
}


@pytest.mark.parametrize(("role", "status"), CREATE_ANSWERS.items())
def test_who_may_request_the_floor_for_chile(client, floor, tokens, role, status):
    before = state_of(floor)
    response = call(
        client,
        "post",
        speakers_url(floor),
        tokens[role],
        {"delegation": "CHL", "kind": "statement"},
    )
    assert response.status_code == status
    if status == 201:
        data = response.json()
        entry = FloorRequest.objects.get()
        assert (data["id"], data["delegation"], data["status"], data["position"]) == (
            entry.pk, {"code": "CHL", "name": "Chile"}, "waiting", 1,
        )  # fmt: skip
        assert (data["added_by_chair"], data["version"]) == (role != "focal_a", 1)
        return
    assert state_of(floor) == before
    message = {401: NO_TOKEN, 403: "You may request the floor only for your own delegation."}
    assert response.json() == {"detail": message[status], "field": None}


def test_request_for_an_unknown_delegation_is_404_with_the_field(client, floor, tokens):
    response = call(
        client,
        "post",
        speakers_url(floor),
        tokens["chair"],
        {"delegation": "xyz", "kind": "statement"},
    )
    assert response.status_code == 404
    assert response.json() == {
        "detail": "There is no delegation with the code “XYZ”.",
        "field": "delegation",
    }


def test_request_on_an_unknown_item_is_404(client, floor, tokens):
    response = call(
        client, "post", "/api/v1/agenda-items/999999/speakers/", tokens["chair"],
        {"delegation": "CHL", "kind": "statement"},
    )  # fmt: skip
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no agenda item 999999.", "field": None}


def test_a_bad_kind_is_400_with_the_field(client, floor, tokens):
    response = call(
        client,
        "post",
        speakers_url(floor),
        tokens["focal_a"],
        {"delegation": "CHL", "kind": "speech"},
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Unknown kind of request.", "field": "kind"}
    assert FloorRequest.objects.count() == 0


def test_refusals_from_the_rules_are_400_with_the_reason(client, floor, tokens):
    ask(floor, "FRA")
    ask(floor, "CHL")
    body = {"delegation": "CHL", "kind": "statement"}
    response = call(client, "post", speakers_url(floor), tokens["focal_a"], body)
    assert (response.status_code, response.json()) == (
        400, {"detail": "Your delegation is already on this list (place 2).", "field": "kind"},
    )  # fmt: skip
    response = call(
        client, "post", speakers_url(floor), tokens["focal_a"], {**body, "language": "de"}
    )
    assert (response.status_code, response.json()) == (
        400, {"detail": "Choose one of the six languages of the meeting.", "field": "language"},
    )  # fmt: skip
    outsider = DelegationFactory(code="BRA", name="Brazil")
    response = call(
        client, "post", speakers_url(floor), tokens["chair"], {**body, "delegation": outsider.code}
    )
    assert (response.status_code, response.json()) == (
        400, {"detail": "Brazil does not take part in this meeting.", "field": "delegation"},
    )  # fmt: skip


def test_a_closed_list_refuses_a_statement_but_not_the_chairs_point_of_order(client, floor, tokens):
    services.speakers_list_set_open(item=floor.item, is_open=False, user=floor.chair)
    response = call(
        client,
        "post",
        speakers_url(floor),
        tokens["focal_a"],
        {"delegation": "CHL", "kind": "statement"},
    )
    assert (response.status_code, response.json()) == (
        400, {"detail": "The list of speakers is closed.", "field": None},
    )  # fmt: skip
    response = call(
        client,
        "post",
        speakers_url(floor),
        tokens["chair"],
        {"delegation": "CHL", "kind": "point_of_order"},
    )
    assert (response.status_code, response.json()["position"]) == (201, 1)


def test_a_delegation_cannot_put_its_own_point_of_order_on_the_list(client, floor, tokens):
    # Points of order are raised in the room and the chair puts them on the list
    # (docs/delegations.md): the API refuses them from a focal point, open list or not.
    ask(floor, "FRA")
    before = state_of(floor)
    response = call(
        client,
        "post",
        speakers_url(floor),
        tokens["focal_a"],
        {"delegation": "CHL", "kind": "point_of_order"},
    )
    assert (response.status_code, response.json()) == (
        400,
        {
            "detail": "A point of order is raised in the room: the chair puts it on the list. "
            "Raise your delegation's nameplate.",
            "field": "kind",
        },
    )
    assert state_of(floor) == before


def test_a_draft_meeting_takes_no_request_except_from_the_secretariat(client, floor, tokens):
    floor.meeting.status = Meeting.Status.DRAFT
    floor.meeting.save()
    body = {"delegation": "CHL", "kind": "statement"}
    response = call(client, "post", speakers_url(floor), tokens["focal_a"], body)
    assert (response.status_code, response.json()) == (
        404, {"detail": f"There is no agenda item {floor.item.pk}.", "field": None},
    )  # fmt: skip
    assert FloorRequest.objects.count() == 0
    response = call(client, "post", speakers_url(floor), tokens["secretariat"], body)
    data = response.json()
    assert (response.status_code, data["delegation"]["code"], data["position"]) == (201, "CHL", 1)
    assert (data["added_by_chair"], data["version"]) == (True, 1)


# --- the chair's actions: every role ---------------------------------------------------------


def _speaking(floor):
    chile = ask(floor, "CHL")
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    return chile


def _setup(action, floor):
    """The state the action needs, and (path, body). Chile's request is the one acted on."""
    entry = f"/api/v1/speakers/{{}}/{action}"
    item = f"/api/v1/agenda-items/{floor.item.pk}/{action}"
    if action in ("withdraw", "start", "absent"):
        return entry.format(ask(floor, "CHL").pk), None
    if action in ("pause", "end"):
        return entry.format(_speaking(floor).pk), None
    if action == "resume":
        chile = _speaking(floor)
        speeches.speaker_pause(entry=chile, user=floor.chair)
        return entry.format(chile.pk), None
    if action == "readd":
        chile = ask(floor, "CHL")
        speeches.speaker_mark_absent(entry=chile, user=floor.chair)
        return entry.format(chile.pk), None
    if action == "move":
        ask(floor, "FRA")
        return entry.format(ask(floor, "CHL").pk), {"position": 1, "reason": "Must leave"}
    if action == "next":
        ask(floor, "CHL")
        return item, None
    if action == "open":
        services.speakers_list_set_open(item=floor.item, is_open=False, user=floor.chair)
        return item, None
    assert action == "close"
    return item, None


CHAIR = {
    "anonymous": 401,
    "focal_a": 403,
    "focal_b": 403,
    "chair": 200,
    "facilitator": 200,
    "secretariat": 200,
    "superuser": 200,
}
ACTIONS = {
    "withdraw": {**CHAIR, "focal_a": 200},  # a focal point withdraws their own request
    **dict.fromkeys(
        ["start", "pause", "resume", "end", "absent", "readd", "move", "next", "open", "close"],
        CHAIR,
    ),
}
DONE = {  # what the answer says once the action is done
    "withdraw": ("status", "withdrawn"),
    "start": ("status", "speaking"),
    "pause": ("paused", True),
    "resume": ("paused", False),
    "end": ("status", "spoken"),
    "absent": ("status", "absent"),
    "readd": ("status", "waiting"),
    "move": ("position", 1),
    "next": ("current", "CHL"),
    "open": ("is_open", True),
    "close": ("is_open", False),
}
REFUSED = {
    403: "Only the chair of this item may do this.",
    401: NO_TOKEN,
}


@pytest.mark.parametrize(
    ("action", "role", "status"),
    [(action, role, status) for action, roles in ACTIONS.items() for role, status in roles.items()],
)
def test_who_may_run_the_list(client, floor, tokens, action, role, status):
    path, body = _setup(action, floor)
    before = state_of(floor)
    response = call(client, "post", path, tokens[role], body)
    assert response.status_code == status
    data = response.json()
    if status == 200:
        key, value = DONE[action]
        shown = data[key]["delegation"]["code"] if key == "current" else data[key]
        assert shown == value
        assert data["version"] == before[2] + 1
        return
    assert state_of(floor) == before
    if action == "withdraw" and status == 403:
        assert data == {
            "detail": "You may withdraw only your own delegation's requests.",
            "field": None,
        }
    else:
        assert data == {"detail": REFUSED[status], "field": None}


def test_withdraw_answers_with_the_entry_and_the_new_version(client, floor, tokens):
    ask(floor, "FRA")
    chile = ask(floor, "CHL")
    response = call(
        client, "post", f"/api/v1/speakers/{chile.pk}/withdraw", tokens["focal_a"], {"version": 2}
    )
    assert response.status_code == 200
    data = response.json()
    assert (data["id"], data["status"], data["position"], data["version"]) == (
        chile.pk, "withdrawn", None, 3,
    )  # fmt: skip
    assert codes(client.get(speakers_url(floor)).json()["waiting"]) == ["FRA"]


def test_the_chair_runs_a_list_through_the_api(client, floor, tokens):
    chair = tokens["chair"]
    add = {"delegation": "CHL", "kind": "statement"}
    for code, place in (("HRW", 1), ("CHL", 1)):  # Chile, a State Party, goes before HRW
        response = call(client, "post", speakers_url(floor), chair, {**add, "delegation": code})
        data = response.json()
        assert (response.status_code, data["delegation"]["code"], data["position"]) == (
            201, code, place,
        )  # fmt: skip
    data = call(
        client, "post", f"/api/v1/agenda-items/{floor.item.pk}/next", chair, {"version": 2}
    ).json()
    assert (data["current"]["delegation"]["code"], data["version"], codes(data["waiting"])) == (
        "CHL", 3, ["HRW"],
    )  # fmt: skip
    point_of_order = {"delegation": "FRA", "kind": "point_of_order"}
    point = call(client, "post", speakers_url(floor), chair, point_of_order).json()
    assert (point["kind"], point["position"], point["version"]) == ("point_of_order", 1, 4)
    started = call(client, "post", f"/api/v1/speakers/{point['id']}/start", chair, {"version": 4})
    assert (started.json()["status"], started.json()["version"]) == ("speaking", 5)
    data = client.get(speakers_url(floor)).json()
    assert (data["current"]["delegation"]["code"], data["interrupted"]["paused"]) == ("FRA", True)
    data = call(client, "post", f"/api/v1/agenda-items/{floor.item.pk}/next", chair).json()
    assert (data["current"]["delegation"]["code"], data["current"]["paused"]) == ("CHL", False)
    assert codes(data["done"]) == ["FRA"]
    data = call(client, "post", f"/api/v1/agenda-items/{floor.item.pk}/next", chair).json()
    data = call(client, "post", f"/api/v1/agenda-items/{floor.item.pk}/next", chair).json()
    # Done, in the order the speeches began: Chile's was interrupted by France's point of order.
    assert (data["current"], codes(data["done"]), data["waiting"]) == (
        None,
        ["CHL", "FRA", "HRW"],
        [],
    )
    response = call(client, "post", f"/api/v1/agenda-items/{floor.item.pk}/next", chair)
    assert (response.status_code, response.json()) == (
        400, {"detail": "Nobody is waiting for the floor.", "field": None},
    )  # fmt: skip


def test_move_needs_a_reason_and_a_place(client, floor, tokens):
    chile = ask(floor, "CHL")
    path = f"/api/v1/speakers/{chile.pk}/move"
    before = state_of(floor)
    response = call(client, "post", path, tokens["chair"], {"position": 1})
    assert (response.status_code, response.json()) == (
        400, {"detail": "Say why the speaker is moved.", "field": "reason"},
    )  # fmt: skip
    response = call(client, "post", path, tokens["chair"], {"position": 0, "reason": "x"})
    assert (response.status_code, response.json()) == (
        400, {"detail": "The place is a whole number from 1.", "field": "position"},
    )  # fmt: skip
    response = call(client, "post", path, tokens["chair"], {"reason": "x"})
    assert (response.status_code, response.json()) == (
        400,
        {
            "detail": "Say where the speaker goes: a place, after another speaker, the top or "
            "the end.",
            "field": "position",
        },
    )
    response = call(client, "post", path, tokens["chair"], {"reason": "x", "to": "middle"})
    assert (response.status_code, response.json()) == (
        400, {"detail": "A speaker goes to the top or to the end.", "field": "to"},
    )  # fmt: skip
    assert state_of(floor) == before


def test_an_action_that_does_not_apply_is_400_and_changes_nothing(client, floor, tokens):
    chile = ask(floor, "CHL")
    before = state_of(floor)
    response = call(client, "post", f"/api/v1/speakers/{chile.pk}/pause", tokens["chair"])
    assert (response.status_code, response.json()) == (
        400, {"detail": "Chile is waiting: it cannot be paused.", "field": None},
    )  # fmt: skip
    response = call(client, "post", f"/api/v1/agenda-items/{floor.item.pk}/open", tokens["chair"])
    assert (response.status_code, response.json()) == (
        400, {"detail": "The list of speakers is already open.", "field": None},
    )  # fmt: skip
    assert state_of(floor) == before


def test_open_and_close_answer_with_the_whole_list(client, floor, tokens):
    ask(floor, "CHL")
    path = f"/api/v1/agenda-items/{floor.item.pk}"
    data = call(client, "post", f"{path}/close", tokens["facilitator"], {"version": 1}).json()
    assert (data["is_open"], data["version"], codes(data["waiting"])) == (False, 2, ["CHL"])
    data = call(client, "post", f"{path}/open", tokens["facilitator"], {"version": 2}).json()
    assert (data["is_open"], data["version"]) == (True, 3)


def test_an_unknown_request_for_the_floor_is_404(client, floor, tokens):
    response = call(client, "post", "/api/v1/speakers/999999/withdraw", tokens["chair"])
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no request for the floor 999999.", "field": None}


def test_an_unknown_item_is_404_for_the_chair_actions(client, floor, tokens):
    for action in ("next", "open", "close"):
        response = call(client, "post", f"/api/v1/agenda-items/999999/{action}", tokens["chair"])
        assert response.status_code == 404
        assert response.json() == {"detail": "There is no agenda item 999999.", "field": None}


# --- versions ----------------------------------------------------------------------------------


def test_a_stale_version_is_409_with_the_list_as_it_stands(client, floor, tokens):
    ask(floor, "FRA")
    chile = ask(floor, "CHL")
    before = state_of(floor)
    response = call(
        client,
        "post",
        f"/api/v1/agenda-items/{floor.item.pk}/next",
        tokens["chair"],
        {"version": 1},
    )
    assert response.status_code == 409
    data = response.json()
    assert (data["detail"], data["field"], data["version"]) == (STALE.format(2), None, 2)
    assert (data["list"]["version"], codes(data["list"]["waiting"])) == (2, ["FRA", "CHL"])
    assert state_of(floor) == before
    for path, body in (
        (f"/api/v1/speakers/{chile.pk}/withdraw", {"version": 1}),
        (f"/api/v1/speakers/{chile.pk}/move", {"version": 1, "position": 1, "reason": "x"}),
        (f"/api/v1/agenda-items/{floor.item.pk}/close", {"version": 7}),
    ):
        response = call(client, "post", path, tokens["chair"], body)
        data = response.json()
        assert (response.status_code, data["detail"], data["field"], data["version"]) == (
            409, STALE.format(2), None, 2,
        ), path  # fmt: skip
        assert (data["list"]["version"], codes(data["list"]["waiting"])) == (2, ["FRA", "CHL"])
    assert state_of(floor) == before


def test_a_current_version_or_none_goes_through(client, floor, tokens):
    ask(floor, "FRA")
    path = f"/api/v1/agenda-items/{floor.item.pk}/next"
    response = call(client, "post", path, tokens["chair"], {"version": 1})
    data = response.json()
    assert (response.status_code, data["current"]["delegation"]["code"], data["version"]) == (
        200, "FRA", 2,
    )  # fmt: skip
    response = call(client, "post", path, tokens["chair"], {"version": None})
    data = response.json()
    assert (response.status_code, data["current"], codes(data["done"]), data["version"]) == (
        200, None, ["FRA"], 3,
    )  # fmt: skip
    response = call(client, "post", path, tokens["chair"], {})
    assert (response.status_code, response.json()) == (
        400, {"detail": "Nobody is waiting for the floor.", "field": None},
    )  # fmt: skip


# --- authentication and malformed requests -----------------------------------------------------


def test_a_missing_or_bad_token_is_401_with_a_clear_message(client, floor, tokens):
    body = {"delegation": "CHL", "kind": "statement"}
    cases = [
        ({}, NO_TOKEN),
        ({"Authorization": "Bearer nope"}, BAD_TOKEN),
        ({"Authorization": f"Token {tokens['focal_a']}"}, BAD_HEADER),
        ({"Authorization": "Bearer "}, BAD_HEADER),
    ]
    for headers, message in cases:
        response = client.post(
            speakers_url(floor), body, content_type="application/json", headers=headers
        )
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Bearer"
        assert response.json() == {"detail": message, "field": None}
    assert FloorRequest.objects.count() == 0


def test_a_session_does_not_authorise_a_write(client, floor):
    client.force_login(floor.user("CHL"))
    response = client.post(
        speakers_url(floor),
        {"delegation": "CHL", "kind": "statement"},
        content_type="application/json",
    )
    assert (response.status_code, response.json()) == (401, {"detail": NO_TOKEN, "field": None})
    assert FloorRequest.objects.count() == 0


def test_a_token_needs_no_csrf_token(floor, tokens):
    client = Client(enforce_csrf_checks=True)
    response = call(
        client,
        "post",
        speakers_url(floor),
        tokens["focal_a"],
        {"delegation": "CHL", "kind": "statement"},
    )
    assert (response.status_code, response.json()["id"]) == (201, FloorRequest.objects.get().pk)


def test_a_token_of_an_inactive_account_is_refused(client, floor, tokens):
    floor.chair.is_active = False
    floor.chair.save()
    response = call(client, "post", f"/api/v1/agenda-items/{floor.item.pk}/close", tokens["chair"])
    assert (response.status_code, response.json()) == (401, {"detail": BAD_TOKEN, "field": None})
    floor.item.refresh_from_db()
    assert floor.item.list_is_open is True


def test_malformed_bodies_are_answered_in_plain_words(client, floor, tokens):
    token = tokens["focal_a"]
    cases = [
        (
            "{",
            400,
            "The request body is not valid JSON: Expecting property name enclosed in double "
            "quotes: line 1 column 2 (char 1).",
            None,
        ),
        ("[1, 2]", 422, "The request body must be a JSON object.", None),
        ("", 422, "This request needs a JSON object as its body.", None),
        ('{"delegation": "CHL"}', 422, "“kind” is required.", "kind"),
        ('{"delegation": "CHL", "kind": 3}', 422, "“kind” must be text.", "kind"),
        (
            '{"delegation": "CHL", "kind": "statement", "speakr": "x"}',
            422,
            "“speakr” is not a field of this request.",
            "speakr",
        ),
        ("{}", 422, "“kind” is required.", "kind"),
        (
            '{"kind": "statement"}',
            422,
            "Say who speaks: “delegation” (a delegation's code) or “guest” (the id of a "
            "speaker without a delegation).",
            "delegation",
        ),
    ]
    for raw, status, message, field in cases:
        response = call(client, "post", speakers_url(floor), token, raw=raw)
        assert (response.status_code, response.json()) == (
            status, {"detail": message, "field": field},
        ), raw  # fmt: skip
    close = f"/api/v1/agenda-items/{floor.item.pk}/close"
    for raw, message, field in [
        ('{"version": "3"}', "“version” must be a whole number.", "version"),
        ('{"versoin": 3}', "“versoin” is not a field of this request.", "versoin"),
    ]:
        response = call(client, "post", close, tokens["chair"], raw=raw)
        assert (response.status_code, response.json()) == (
            422, {"detail": message, "field": field},
        )  # fmt: skip
    response = call(client, "post", close, tokens["chair"], raw="nope")
    assert (response.status_code, response.json()) == (
        400,
        {
            "detail": "The request body is not valid JSON: Expecting value: line 1 column 1 "
            "(char 0).",
            "field": None,
        },
    )
    assert FloorRequest.objects.count() == 0
    assert ListEvent.objects.count() == 0


def test_a_malformed_path_is_answered_in_json(client, db):
    response = client.get("/api/v1/agenda-items/abc/speakers/")
    assert (response.status_code, response.json()) == (
        422, {"detail": "“item_id” must be a whole number.", "field": "item_id"},
    )  # fmt: skip


# --- documentation ----------------------------------------------------------------------------

PATHS = [
    "/api/v1/meetings/",
    "/api/v1/meetings/{slug}/agenda/",
    "/api/v1/meetings/{slug}/groups/",
    "/api/v1/meetings/{slug}/guests/",
    "/api/v1/agenda-items/{item_id}/speakers/",
    "/api/v1/speakers/{entry_id}/withdraw",
    "/api/v1/speakers/{entry_id}/start",
    "/api/v1/speakers/{entry_id}/pause",
    "/api/v1/speakers/{entry_id}/resume",
    "/api/v1/speakers/{entry_id}/end",
    "/api/v1/speakers/{entry_id}/absent",
    "/api/v1/speakers/{entry_id}/readd",
    "/api/v1/speakers/{entry_id}/move",
    "/api/v1/agenda-items/{item_id}/next",
    "/api/v1/agenda-items/{item_id}/open",
    "/api/v1/agenda-items/{item_id}/close",
    "/api/v1/agenda-items/{item_id}/time-limits",
    "/api/v1/speakers/{entry_id}/extend",
    "/api/v1/speakers/{entry_id}/presence",
]


def test_the_openapi_document_lists_every_endpoint(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert (schema["info"]["title"], schema["info"]["version"]) == ("Intersessional API", "1")
    assert list(schema["paths"]) == PATHS
    speakers = schema["paths"]["/api/v1/agenda-items/{item_id}/speakers/"]
    assert ("security" in speakers["get"], speakers["post"]["security"]) == (
        False, [{"TokenAuth": []}],
    )  # fmt: skip
    answers = ["201", "400", "401", "403", "404", "413", "422"]
    assert sorted(speakers["post"]["responses"]) == answers
    assert schema["components"]["securitySchemes"] == {
        "TokenAuth": {"type": "http", "scheme": "bearer"}
    }


def test_the_docs_page_lists_the_endpoints_with_nothing_from_a_cdn(client, db):
    # (That it holds the strict Content Security Policy is the authorisation matrix's to
    # check, for every page: tests/test_authorization.py.)
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts and all(re.search(r'\ssrc="/static/', tag) for tag in scripts)
    assert "cdn" not in html.lower()
    assert 'href="/api/v1/openapi.json"' in html
    for path in PATHS:
        assert f"<code>{path}</code>" in html
