"""The OpenAPI document lists every status each operation answers, and only those (issue 11,
finding 14: it lacked the 422 the speakers endpoint returns).

For every operation, a request provoking each status it can answer is sent, each from the same
world (a savepoint rolled back after it); the statuses observed are compared with those the
document lists, operation by operation. The schemathesis run (tests/agenda/test_schemathesis.py)
checks the other way round with generated requests: it fails on any status the document does
not list.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.db import transaction

from agenda.api.endpoints import api
from agenda.models import ApiToken
from agenda.speakers import services, speeches
from tests.helpers import ask

pytestmark = pytest.mark.django_db

NOT_JSON = b"{"
TOO_BIG = json.dumps({"note": "x" * 4000}).encode()


@dataclass
class Probe:
    """One request: who sends it (a role's token, "bad", or None), what, and what to do first."""

    expect: int
    path: str
    body: bytes | None = None
    token: str | None = "chair"
    before: Callable | None = None
    method: str = "POST"


@dataclass
class World:
    floor: object
    tokens: dict = field(default_factory=dict)
    ids: dict = field(default_factory=dict)


@pytest.fixture
def world(floor, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000  # TOO_BIG is over it
    ask(floor, "NOR")
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    norway = floor.item.floor_requests.get()
    speeches.speaker_mark_absent(entry=norway, user=floor.chair)
    france = ask(floor, "FRA")
    chile = ask(floor, "CHL")
    speeches.speaker_call_next(item=floor.item, user=floor.chair)  # France has the floor
    tokens = {
        "chair": ApiToken.issue(floor.chair)[1],
        "hrw": ApiToken.issue(floor.user("HRW"))[1],  # a focal point: chairs nothing
    }
    ids = {"speaking": france.pk, "waiting": chile.pk, "absent": norway.pk}
    return World(floor, tokens, ids)


def body(**fields) -> bytes:
    return json.dumps(fields).encode()


def stale(world, ok: bytes | None) -> bytes:
    """`ok`'s body, with a version the list is not at."""
    fields = json.loads(ok) if ok else {}
    return body(**fields, version=world.floor.item.list_version + 5)


def probes(world: World) -> dict[str, list[Probe]]:
    """For each operation ("METHOD /api/v1/path" as in the document), requests provoking each
    status it can answer."""
    item, slug = world.floor.item.pk, world.floor.meeting.slug
    entry = world.ids
    reads = {
        "GET /api/v1/meetings/": [
            Probe(200, "/api/v1/meetings/", method="GET"),
            Probe(401, "/api/v1/meetings/", token="bad", method="GET"),
        ],
        "GET /api/v1/meetings/{slug}/agenda/": [
            Probe(200, f"/api/v1/meetings/{slug}/agenda/", method="GET"),
            Probe(401, f"/api/v1/meetings/{slug}/agenda/", token="bad", method="GET"),
            Probe(404, "/api/v1/meetings/nowhere/agenda/", method="GET"),
            Probe(404, "/api/v1/meetings/%00/agenda/", method="GET"),
        ],
        **{
            f"GET /api/v1/meetings/{{slug}}/{what}/": [
                Probe(200, f"/api/v1/meetings/{slug}/{what}/", method="GET"),
                Probe(401, f"/api/v1/meetings/{slug}/{what}/", token="bad", method="GET"),
                Probe(404, f"/api/v1/meetings/nowhere/{what}/", method="GET"),
                Probe(404, f"/api/v1/meetings/%00/{what}/", method="GET"),
            ]
            for what in ("groups", "guests")
        },
        "GET /api/v1/agenda-items/{item_id}/speakers/": [
            Probe(200, f"/api/v1/agenda-items/{item}/speakers/", method="GET"),
            Probe(401, f"/api/v1/agenda-items/{item}/speakers/", token="bad", method="GET"),
            Probe(404, "/api/v1/agenda-items/999999/speakers/", method="GET"),
            Probe(422, "/api/v1/agenda-items/abc/speakers/", method="GET"),
        ],
    }

    def writes(path: str, ok: Probe, *, versioned: bool = True, **special) -> list[Probe]:
        """The statuses every write can answer, for `path` with "{id}" the id of `ok`."""
        found = path.format(id=999999)
        refused = [
            ok,
            Probe(400, ok.path, NOT_JSON),
            Probe(401, ok.path, ok.body, token=None),
            Probe(403, ok.path, ok.body, token="hrw", before=ok.before),
            Probe(404, found, ok.body),
            Probe(413, ok.path, TOO_BIG),
            Probe(422, ok.path, body(version="one")),
            Probe(422, path.format(id="abc"), ok.body),
        ]
        if versioned:
            refused.append(Probe(409, ok.path, stale(world, ok.body), before=ok.before))
        return refused + list(special.values())

    def pause(entry_id):
        return lambda: speeches.speaker_pause(
            entry=world.floor.item.floor_requests.get(pk=entry_id), user=world.floor.chair
        )

    def end(entry_id):
        return lambda: speeches.speaker_end(
            entry=world.floor.item.floor_requests.get(pk=entry_id), user=world.floor.chair
        )

    def close():
        services.speakers_list_set_open(
            item=world.floor.item, is_open=False, user=world.floor.chair
        )

    speakers = f"/api/v1/agenda-items/{item}/speakers/"
    add = body(delegation="HRW", kind="statement")
    return {
        **reads,
        "POST /api/v1/agenda-items/{item_id}/speakers/": [
            Probe(201, speakers, add),
            Probe(400, speakers, NOT_JSON),
            Probe(401, speakers, add, token=None),
            Probe(403, speakers, body(delegation="CHL", kind="statement"), token="hrw"),
            Probe(404, "/api/v1/agenda-items/999999/speakers/", add),
            Probe(413, speakers, TOO_BIG),
            Probe(422, speakers, body(delegation="HRW", kind="statement", note="a\x00")),
            Probe(422, speakers, body(kind="statement")),  # neither delegation nor guest
            Probe(422, speakers, body(delegation="HRW", kind="statement", co_sponsors="CHL")),
        ],
        **{
            f"POST /api/v1/speakers/{{entry_id}}/{action}": writes(
                f"/api/v1/speakers/{{id}}/{action}",
                Probe(200, f"/api/v1/speakers/{entry[which]}/{action}", before=before),
            )
            for action, which, before in [
                ("withdraw", "waiting", None),
                ("start", "waiting", end(entry["speaking"])),
                ("pause", "speaking", None),
                ("resume", "speaking", pause(entry["speaking"])),
                ("end", "speaking", None),
                ("absent", "waiting", None),
                ("readd", "absent", None),
            ]
        },
        "POST /api/v1/speakers/{entry_id}/move": writes(
            "/api/v1/speakers/{id}/move",
            Probe(200, f"/api/v1/speakers/{entry['waiting']}/move", body(to="end", reason="Late")),
        ),
        "POST /api/v1/agenda-items/{item_id}/next": writes(
            "/api/v1/agenda-items/{id}/next",
            Probe(200, f"/api/v1/agenda-items/{item}/next"),
            paused=Probe(409, f"/api/v1/agenda-items/{item}/next", before=pause(entry["speaking"])),
        ),
        "POST /api/v1/agenda-items/{item_id}/open": writes(
            "/api/v1/agenda-items/{id}/open",
            Probe(200, f"/api/v1/agenda-items/{item}/open", before=close),
        ),
        "POST /api/v1/agenda-items/{item_id}/close": writes(
            "/api/v1/agenda-items/{id}/close", Probe(200, f"/api/v1/agenda-items/{item}/close")
        ),
        "POST /api/v1/agenda-items/{item_id}/time-limits": writes(
            "/api/v1/agenda-items/{id}/time-limits",
            Probe(
                200,
                f"/api/v1/agenda-items/{item}/time-limits",
                body(kind="statement", seconds=120),
            ),
        ),
        "POST /api/v1/speakers/{entry_id}/extend": writes(
            "/api/v1/speakers/{id}/extend",
            Probe(200, f"/api/v1/speakers/{entry['speaking']}/extend", body(seconds=60)),
        ),
        "POST /api/v1/speakers/{entry_id}/presence": writes(
            "/api/v1/speakers/{id}/presence",
            Probe(200, f"/api/v1/speakers/{entry['waiting']}/presence", body(presence="remote")),
        ),
    }


def send(client, world: World, probe: Probe) -> int:
    """The probe's status, from the world as it is (what it changed is rolled back)."""
    headers = {}
    if probe.token == "bad":
        headers["Authorization"] = "Bearer not-a-token"
    elif probe.token is not None:
        headers["Authorization"] = f"Bearer {world.tokens[probe.token]}"
    with transaction.atomic():
        if probe.before is not None:
            probe.before()
        if probe.method == "GET":
            response = client.get(probe.path, headers=headers)
        else:
            response = client.generic(
                "POST", probe.path, probe.body or b"", "application/json", headers=headers
            )
        transaction.set_rollback(True)
    assert response["Content-Type"] == "application/json; charset=utf-8", probe
    return response.status_code


def documented() -> dict[str, set[int]]:
    schema = api.get_openapi_schema()
    return {
        f"{method.upper()} {path}": {int(status) for status in operation["responses"]}
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }


def test_every_status_the_api_answers_is_in_the_document_and_every_documented_one_happens(
    client, world
):
    observed: dict[str, set[int]] = {}
    unexpected = []
    for operation, operation_probes in probes(world).items():
        for probe in operation_probes:
            status = send(client, world, probe)
            observed.setdefault(operation, set()).add(status)
            if status != probe.expect:
                unexpected.append((operation, probe.path, probe.expect, status))
    assert unexpected == []
    assert observed == documented()
