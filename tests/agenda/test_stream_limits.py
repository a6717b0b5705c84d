"""The live stream's limits (issue 11, findings 5, 6 and 13): only GET opens a stream, a replay
is bounded and never delays another screen's stream, and a bearer token is honoured as for
every other read of the API."""

import asyncio
import json
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agenda.live import hub as live_hub
from agenda.live import stream
from agenda.live.hub import RESYNC
from agenda.live.stream import REPLAY_LIMIT, Busy, DatabaseThreads, missed_changes
from agenda.models import ApiToken, ListEvent
from tests.agenda.test_stream import run, run_in_own_loop
from tests.helpers import ask

STREAM = "/api/v1/meetings/ccm-2025/stream"
OPENING = b"retry: 2000\n\n"


async def call(method: str, path: str, headers=(), body: bytes = b""):
    """Send one request to the ASGI application as a server would. Returns the answer's start
    message, a function giving the next body message, the task serving it and a function that
    disconnects the client."""
    from config.asgi import application  # noqa: PLC0415  (it builds the application when imported)

    received, sent = asyncio.Queue(), asyncio.Queue()
    received.put_nowait({"type": "http.request", "body": body, "more_body": False})
    path, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    task = asyncio.create_task(application(scope, received.get, sent.put))
    start = await asyncio.wait_for(sent.get(), 10)

    async def body_message(timeout=5.0):
        return await asyncio.wait_for(sent.get(), timeout)

    async def close():
        received.put_nowait({"type": "http.disconnect"})
        await asyncio.wait_for(task, 5)

    return start, body_message, task, close


def header(start, name: bytes) -> bytes | None:
    return dict(start["headers"]).get(name)


# --- finding 5: only GET ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_any_method_but_get_on_the_stream_is_refused_at_once_holding_no_thread(floor):
    """300 OPTIONS used to open 300 streams through Django, with a thread each."""
    methods = ["OPTIONS", "POST", "PUT", "PATCH", "DELETE", "HEAD"] * 5

    async def main():
        threads_before = threading.active_count()
        answers = []
        for method in methods:
            start, body_message, task, _close = await call(method, STREAM)
            body = await body_message()
            await asyncio.wait_for(task, 1)  # the answer is complete: nothing stays open
            answers.append((method, start, body))
        live = live_hub._hub
        return answers, threading.active_count() - threads_before, live

    answers, new_threads, live = run(main())
    for method, start, body in answers:
        assert start["status"] == 405, method
        assert header(start, b"allow") == b"GET"
        assert header(start, b"content-type") == b"application/json; charset=utf-8"
        assert not body.get("more_body", False)
        if method != "HEAD":
            assert json.loads(body["body"]) == {
                "detail": "The live stream is read with GET only.",
                "field": None,
            }
    assert new_threads == 0
    assert live is None or live.count == 0  # no stream was opened


@pytest.mark.django_db
def test_the_stream_view_in_django_answers_405_too(floor, client):
    for method in ("options", "post", "put", "delete"):
        response = getattr(client, method)(STREAM)
        assert response.status_code == 405, method
        assert response["Allow"] == "GET"
        assert response.json() == {
            "detail": "The live stream is read with GET only.",
            "field": None,
        }


# --- finding 6: bounded replays --------------------------------------------------------------


def trail(floor, count: int) -> list[int]:
    """`count` changes of 2(c)'s list in the audit trail, one a second up to now."""
    now = timezone.now()
    ListEvent.objects.bulk_create(
        ListEvent(
            item=floor.item,
            action="requested",
            version=n + 1,
            at=now - timedelta(seconds=count - n),
        )
        for n in range(count)
    )
    return list(ListEvent.objects.order_by("pk").values_list("pk", flat=True))


@pytest.mark.django_db
def test_a_client_too_far_behind_is_told_to_resync_without_reading_the_trail(floor):
    ids = trail(floor, REPLAY_LIMIT + 5)
    with CaptureQueriesContext(connection) as queries:
        assert missed_changes(floor.meeting, 0) is None
        assert missed_changes(floor.meeting, ids[3]) is None
    # One indexed read each (the latest id), not the trail.
    assert len(queries) == 2
    assert all("LIMIT 1" in query["sql"] for query in queries)


@pytest.mark.django_db
def test_a_client_ahead_of_the_trail_is_told_to_resync(floor):
    ids = trail(floor, 3)
    assert missed_changes(floor.meeting, ids[-1] + 10) is None


@pytest.mark.django_db
def test_a_client_just_behind_gets_the_latest_change_reading_only_a_bounded_range(floor):
    ids = trail(floor, REPLAY_LIMIT + 5)
    last = ids[-REPLAY_LIMIT]
    with CaptureQueriesContext(connection) as queries:
        missed = missed_changes(floor.meeting, last)
    assert [(c.item, c.version, c.event) for c in missed] == [
        (floor.item.pk, REPLAY_LIMIT + 5, ids[-1])
    ]
    # The trail is read between two ids, REPLAY_LIMIT apart at most on either side.
    read = queries[-1]["sql"]
    assert f">= {max(last - REPLAY_LIMIT, 0)}" in read
    assert f"<= {ids[-1]}" in read


@pytest.mark.django_db(transaction=True)
def test_a_stream_asking_from_0_on_a_long_trail_opens_with_resync(floor):
    trail(floor, REPLAY_LIMIT + 1)

    async def main():
        start, body_message, _task, close = await call("GET", f"{STREAM}?after=0")
        opening = (await body_message())["body"]
        await close()
        return start["status"], opening

    assert run(main()) == (200, OPENING + RESYNC)


@pytest.mark.django_db(transaction=True)
def test_a_screen_opens_its_stream_while_other_clients_replays_wait(floor, monkeypatch):
    """The replay threads are all taken and the backlog is full: another screen's stream still
    opens at once, and its own replay is a resync instead of a wait."""
    ask(floor, "CHL")
    last = ListEvent.objects.get().pk
    release = threading.Event()

    def slow_replay(meeting, asked_from):
        release.wait(10)
        return []

    monkeypatch.setattr(stream, "database", DatabaseThreads(size=2, replay_size=2, backlog=1))
    monkeypatch.setattr(stream, "missed_changes", slow_replay)

    async def main():
        waiting = [await call("GET", f"{STREAM}?after={last}") for _ in range(3)]
        await asyncio.sleep(0.1)  # two replays on their threads, one in the backlog
        loop = asyncio.get_running_loop()
        started = loop.time()
        start, body_message, _task, close = await call("GET", f"{STREAM}?after={last}")
        opening = (await body_message(timeout=2))["body"]
        elapsed = loop.time() - started
        plain, plain_body, _plain_task, plain_close = await call("GET", STREAM)
        plain_opening = (await plain_body(timeout=2))["body"]
        release.set()
        for _start, waiting_body, _waiting_task, waiting_close in waiting:
            assert (await waiting_body())["body"] == OPENING
            await waiting_close()
        await close()
        await plain_close()
        return start["status"], opening, elapsed, plain["status"], plain_opening

    try:
        status, opening, elapsed, plain_status, plain_opening = run(main())
    finally:
        release.set()
        stream.database.close()
    assert (status, opening) == (200, OPENING + RESYNC)
    assert elapsed < 1
    assert (plain_status, plain_opening) == (200, OPENING)


def test_the_openings_never_wait_for_the_replays():
    threads = DatabaseThreads(size=1, replay_size=1, backlog=1)
    release = threading.Event()

    async def main():
        replays = [
            asyncio.create_task(threads.replay(release.wait, 10)),
            asyncio.create_task(threads.replay(release.wait, 10)),
        ]
        await asyncio.sleep(0.05)
        with pytest.raises(Busy):
            await threads.replay(release.wait, 10)
        opened = await asyncio.wait_for(threads.run(sum, (1, 2)), 1)
        release.set()
        await asyncio.gather(*replays)
        return opened

    try:
        assert run_in_own_loop(main()) == 3
    finally:
        release.set()
        threads.close()


# --- finding 13: the Authorization header ----------------------------------------------------


def bearer(token: str):
    return [(b"authorization", f"Bearer {token}".encode())]


def draft(floor):
    floor.meeting.status = floor.meeting.Status.DRAFT
    floor.meeting.save()


@pytest.mark.django_db(transaction=True)
def test_a_bad_token_on_the_stream_is_refused_with_401(floor):
    async def main():
        answers = []
        for headers in (bearer("not-a-token"), [(b"authorization", b"Token abc")]):
            start, body_message, _task, _close = await call("GET", STREAM, headers)
            answers.append((start, json.loads((await body_message())["body"])))
        return answers

    (bad, bad_body), (scheme, scheme_body) = run(main())
    assert bad["status"] == 401
    assert header(bad, b"www-authenticate") == b"Bearer"
    assert bad_body == {
        "detail": "This API token is not valid: it is unknown or revoked, or its account is "
        "inactive.",
        "field": None,
    }
    assert scheme["status"] == 401
    assert scheme_body["detail"] == "The Authorization header must read “Bearer <token>”."


@pytest.mark.django_db(transaction=True)
def test_the_secretariats_token_opens_a_drafts_stream_and_a_focal_points_does_not(floor):
    draft(floor)
    secretariat = ApiToken.issue(floor.secretariat)[1]
    focal = ApiToken.issue(floor.user("CHL"))[1]

    async def main():
        statuses = []
        for token in (secretariat, focal):
            start, _body, _task, close = await call("GET", STREAM, bearer(token))
            statuses.append(start["status"])
            if start["status"] == 200:
                await close()
        return statuses

    assert run(main()) == [200, 404]


@pytest.mark.django_db(transaction=True)
def test_without_a_token_the_signed_in_secretariat_follows_a_draft(floor, client):
    draft(floor)
    client.force_login(floor.secretariat)
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()

    async def main():
        statuses = []
        for headers in ([(b"cookie", cookie)], []):
            start, _body, _task, close = await call("GET", STREAM, headers)
            statuses.append(start["status"])
            if start["status"] == 200:
                await close()
        return statuses

    assert run(main()) == [200, 404]


@pytest.mark.django_db(transaction=True)
def test_the_stream_view_in_django_honours_the_token_too(floor, async_client):
    draft(floor)
    secretariat = ApiToken.issue(floor.secretariat)[1]

    async def main():
        refused = await async_client.get(STREAM, headers={"Authorization": "Bearer nope"})
        response = await async_client.get(
            STREAM, headers={"Authorization": f"Bearer {secretariat}"}
        )
        chunks = aiter(response.streaming_content)
        opening = await anext(chunks)
        await chunks.aclose()
        return refused, response.status_code, opening

    refused, status, opening = run(main())
    assert refused.status_code == 401
    assert refused["WWW-Authenticate"] == "Bearer"
    assert (status, opening) == (200, OPENING)
