"""The live stream: the events it sends, what a reconnecting client gets, and on PostgreSQL the
path through NOTIFY/LISTEN from another process, served by uvicorn.

Tests that need the server to see what they write use `transaction=True` (committed data);
the PostgreSQL ones start uvicorn on the test database (tests/e2e/conftest.py's `Server`).
"""

import asyncio
import json
import select
import socket
import threading
import time
from datetime import timedelta

import pytest
from django.db import connections, transaction
from django.urls import resolve, reverse

from agenda.live.hub import (
    CLOSE,
    QUEUE_SIZE,
    REPLAY_OVERLAP,
    RESYNC,
    Hub,
    close_hub,
    event_name,
    format_event,
)
from agenda.live.stream import database, meeting_stream, missed_changes
from agenda.models import ListEvent
from agenda.speakers import services
from agenda.speakers.changes import ListChange, publish_list_change
from tests.e2e.conftest import Server, database_url, free_port
from tests.helpers import ask


def run_in_own_loop(coroutine):
    """`asyncio.run` in a thread of its own: when the browser tests run in the same session,
    Playwright keeps an event loop running in the main thread, where `asyncio.run` refuses."""
    outcome = {}

    def target():
        try:
            outcome["value"] = asyncio.run(coroutine)
        except BaseException as error:  # handed back to the caller's thread
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def change(action="next", item=7, version=3, event=41, meeting="ccm-2025"):
    return ListChange(meeting=meeting, item=item, version=version, action=action, event=event)


# --- the events ------------------------------------------------------------------------------


def test_an_event_names_its_list_and_carries_its_id():
    assert format_event(change()) == (
        b"id: 41\nevent: list-7\n"
        b'data: {"meeting":"ccm-2025","item":7,"version":3,"action":"next","event":41}\n\n'
    )


def test_taking_up_an_item_is_an_agenda_event():
    assert event_name(change(action="taken_up")) == "agenda"


def test_a_change_survives_its_notification_payload():
    original = change()
    assert ListChange.from_json(original.to_json()) == original
    assert ListChange.from_json(original.to_json()).event == 41


def test_the_stream_route_falls_through_the_json_api_to_the_stream_view():
    address = reverse("meeting_stream", kwargs={"slug": "ccm-2025"})
    assert address == "/api/v1/meetings/ccm-2025/stream"
    assert resolve(address).func is meeting_stream
    assert resolve("/api/v1/time").url_name == "server_time"


# --- the hub ---------------------------------------------------------------------------------


def drain(subscriber):
    messages = []
    while not subscriber.queue.empty():
        messages.append(subscriber.queue.get_nowait()[1])
    return messages


def test_the_hub_passes_a_change_once_to_the_streams_of_its_meeting_only():
    async def main():
        hub = Hub(asyncio.get_running_loop())
        here, there = hub.add("ccm-2025"), hub.add("other")
        hub.dispatch(change(event=1))
        hub.dispatch(change(event=1))  # heard again, through PostgreSQL: dropped
        hub.dispatch(change(event=2, version=4))
        hub.remove(there)
        await hub.aclose()
        return drain(here), drain(there), hub.count

    here, there, count = run_in_own_loop(main())
    assert here == [
        format_event(change(event=1)),
        format_event(change(event=2, version=4)),
        CLOSE,
    ]
    assert there == []
    assert count == 1


def test_a_client_that_cannot_keep_up_is_told_to_resync():
    async def main():
        hub = Hub(asyncio.get_running_loop())
        slow = hub.add("ccm-2025")
        for number in range(QUEUE_SIZE + 1):
            hub.dispatch(change(event=number))
        messages = drain(slow)
        await hub.aclose()
        return messages

    assert run_in_own_loop(main()) == [RESYNC]


def test_a_change_published_in_another_thread_reaches_the_hub():
    async def main():
        hub = Hub(asyncio.get_running_loop())
        subscriber = hub.add("ccm-2025")
        await asyncio.to_thread(publish_list_change, change())
        message = await asyncio.wait_for(subscriber.queue.get(), 2)
        await hub.aclose()
        return message

    assert run_in_own_loop(main()) == (41, format_event(change()))


# --- what a reconnecting client missed -------------------------------------------------------


@pytest.mark.django_db
def test_a_reconnecting_client_gets_the_latest_change_of_each_list_since_its_last(floor):
    other = floor.item.parent
    ask(floor, "CHL")
    last = ListEvent.objects.get().pk
    ask(floor, "FRA")
    ask(floor, "AUT", item=other)
    ask(floor, "NOR")
    missed = missed_changes(floor.meeting, last)
    assert [(c.item, c.version, c.action) for c in missed] == [
        (other.pk, 1, "requested"),
        (floor.item.pk, 3, "requested"),
    ]
    assert [c.event for c in missed] == [
        ListEvent.objects.get(item=other).pk,
        ListEvent.objects.get(item=floor.item, version=3).pk,
    ]


@pytest.mark.django_db
def test_changes_just_before_the_last_one_seen_are_sent_again(floor):
    """An id is taken at insert, so a change with a lower id may commit after one with a higher
    id: those of the moments before are sent again (a duplicate only costs a fetch)."""
    ask(floor, "CHL", item=floor.item.parent)
    ask(floor, "FRA")
    last = ListEvent.objects.get(item=floor.item).pk
    missed = missed_changes(floor.meeting, last)
    assert [(c.item, c.version) for c in missed] == [(floor.item.parent_id, 1)]
    ListEvent.objects.filter(item=floor.item.parent).update(
        at=ListEvent.objects.get(pk=last).at - REPLAY_OVERLAP - timedelta(seconds=1)
    )
    assert missed_changes(floor.meeting, last) == []


@pytest.mark.django_db
def test_taking_up_an_item_is_replayed_as_an_agenda_event(floor):
    ask(floor, "CHL")
    last = ListEvent.objects.get().pk
    services.agenda_item_take_up(item=floor.item, user=floor.chair)
    ask(floor, "FRA")
    missed = missed_changes(floor.meeting, last)
    assert [(event_name(c), c.version) for c in missed] == [
        ("agenda", 2),
        (f"list-{floor.item.pk}", 3),
    ]


# --- the stream, served in this process (SQLite and PostgreSQL) ------------------------------


async def open_stream(path: str, headers=()):
    """Call the ASGI application as a server would; returns (status, messages queue, close)."""
    from config.asgi import application  # noqa: PLC0415  (it builds the application when imported)

    received, sent = asyncio.Queue(), asyncio.Queue()
    received.put_nowait({"type": "http.request", "body": b"", "more_body": False})
    path, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [*headers]
        if any(k == b"host" for k, _ in headers)
        else [
            (b"host", b"testserver"),
            *headers,
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    task = asyncio.create_task(application(scope, received.get, sent.put))
    start = await asyncio.wait_for(sent.get(), 10)

    async def body(timeout=5.0):
        message = await asyncio.wait_for(sent.get(), timeout)
        return message.get("body", b"")

    async def close():
        received.put_nowait({"type": "http.disconnect"})
        await asyncio.wait_for(task, 5)

    return start, body, close


def committed(function, *args, **kwargs):
    """Run a service in a thread of its own, as a view would, and give its connection back."""
    try:
        return function(*args, **kwargs)
    finally:
        connections.close_all()


def run(coroutine):
    async def main():
        try:
            return await coroutine
        finally:
            await close_hub()

    try:
        return run_in_own_loop(main())
    finally:
        database.close()


@pytest.mark.django_db(transaction=True)
def test_the_stream_sends_each_committed_change_as_it_happens(floor):
    async def main():
        start, body, close = await open_stream("/api/v1/meetings/ccm-2025/stream")
        opening = await body()
        await asyncio.to_thread(committed, ask, floor, "CHL")
        event = await body()
        await close()
        return start, opening, event

    start, opening, event = run(main())
    assert start["status"] == 200
    assert dict(start["headers"])[b"content-type"] == b"text/event-stream; charset=utf-8"
    assert dict(start["headers"])[b"x-accel-buffering"] == b"no"
    assert opening == b"retry: 2000\n\n"
    row = ListEvent.objects.get()
    assert event == format_event(
        ListChange(
            meeting="ccm-2025", item=floor.item.pk, version=1, action="requested", event=row.pk
        )
    )


@pytest.mark.django_db(transaction=True)
def test_the_stream_first_sends_what_the_client_missed(floor):
    ask(floor, "CHL")
    first = ListEvent.objects.get().pk
    ask(floor, "FRA")

    async def main():
        _start, body, close = await open_stream(
            "/api/v1/meetings/ccm-2025/stream?after=0", [(b"last-event-id", str(first).encode())]
        )
        opening = await body()
        await close()
        return opening

    latest = ListEvent.objects.get(version=2)
    assert run(main()) == b"retry: 2000\n\n" + format_event(
        ListChange("ccm-2025", floor.item.pk, 2, "requested", latest.pk)
    )


@pytest.mark.django_db(transaction=True)
def test_a_draft_meetings_stream_is_not_found_and_an_unknown_one_neither(floor):
    floor.meeting.status = floor.meeting.Status.DRAFT
    floor.meeting.save()

    async def main():
        statuses = []
        for slug in ("ccm-2025", "no-such-meeting"):
            start, _body, _close = await open_stream(f"/api/v1/meetings/{slug}/stream")
            statuses.append(start["status"])
        return statuses

    assert run(main()) == [404, 404]


@pytest.mark.django_db(transaction=True)
def test_a_host_that_is_not_allowed_gets_no_stream(floor):
    async def main():
        start, _body, _close = await open_stream(
            "/api/v1/meetings/ccm-2025/stream", [(b"host", b"evil.example")]
        )
        return start["status"]

    assert run(main()) == 400


@pytest.mark.django_db(transaction=True)
def test_the_same_stream_as_a_django_view(floor, async_client):
    async def main():
        response = await async_client.get("/api/v1/meetings/ccm-2025/stream?after=0")
        chunks = aiter(response.streaming_content)
        opening = await anext(chunks)
        await chunks.aclose()
        return response, opening

    response, opening = run(main())
    assert response["Content-Type"] == "text/event-stream"
    assert response["X-Accel-Buffering"] == "no"
    assert opening == b"retry: 2000\n\n"


# --- PostgreSQL: another process, uvicorn --------------------------------------------------


@pytest.fixture(scope="module")
def uvicorn_server(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        if connections["default"].vendor != "postgresql":
            pytest.skip("the uvicorn stream tests run on PostgreSQL")
        url = database_url()
    server = Server(url, free_port())
    server.start()
    yield server
    server.stop()


class Client:
    """A plain Server-Sent Events client. It speaks HTTP/1.0, so the body comes unchunked."""

    def __init__(self, server, path, last_event_id=None):
        self.sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        extra = "" if last_event_id is None else f"Last-Event-ID: {last_event_id}\r\n"
        self.sock.sendall(
            f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
            f"{extra}\r\n".encode()
        )
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self.sock.recv(65536)
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        assert head.split(b"\r\n")[0].split()[1] == b"200", head

    def next_event(self, timeout):
        """The next event (a dict of its fields), or None if none comes within `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            while b"\n\n" in self.buffer:
                block, _, self.buffer = self.buffer.partition(b"\n\n")
                fields = dict(
                    line.split(": ", 1)
                    for line in block.decode().split("\n")
                    if line and not line.startswith(":") and ": " in line
                )
                if "data" in fields:
                    return fields
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.sock], [], [], left)[0]:
                return None
            data = self.sock.recv(65536)
            if not data:
                return None
            self.buffer += data

    def close(self):
        self.sock.close()


def stream_path(floor):
    return reverse("meeting_stream", kwargs={"slug": floor.meeting.slug})


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_event_from_another_process_arrives(uvicorn_server, floor):
    client = Client(uvicorn_server, stream_path(floor))
    try:
        time.sleep(0.3)
        started = time.monotonic()
        ask(floor, "CHL")  # this test process: the server hears of it through PostgreSQL
        event = client.next_event(timeout=5)
        elapsed = time.monotonic() - started
    finally:
        client.close()
    row = ListEvent.objects.get()
    assert event == {
        "id": str(row.pk),
        "event": f"list-{floor.item.pk}",
        "data": json.dumps(
            {
                "meeting": "ccm-2025",
                "item": floor.item.pk,
                "version": 1,
                "action": "requested",
                "event": row.pk,
            },
            separators=(",", ":"),
        ),
    }
    assert elapsed < 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_client_reconnecting_with_last_event_id_receives_what_it_missed(uvicorn_server, floor):
    client = Client(uvicorn_server, stream_path(floor))
    time.sleep(0.3)
    ask(floor, "CHL")
    seen = client.next_event(timeout=5)
    client.close()
    ask(floor, "FRA")  # while it is away
    ask(floor, "AUT", item=floor.item.parent)
    ask(floor, "NOR")
    client = Client(uvicorn_server, stream_path(floor), last_event_id=seen["id"])
    try:
        replayed = [client.next_event(timeout=5), client.next_event(timeout=5)]
        after = client.next_event(timeout=1)
    finally:
        client.close()
    assert [(e["event"], json.loads(e["data"])["version"]) for e in replayed] == [
        (f"list-{floor.item.parent_id}", 1),
        (f"list-{floor.item.pk}", 3),
    ]
    assert replayed[-1]["id"] == str(ListEvent.objects.get(item=floor.item, version=3).pk)
    assert after is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_no_event_is_sent_for_a_rolled_back_transaction(uvicorn_server, floor):
    client = Client(uvicorn_server, stream_path(floor))
    try:
        time.sleep(0.3)
        with pytest.raises(RuntimeError), transaction.atomic():
            ask(floor, "CHL")
            raise RuntimeError("changed our mind")
        nothing = client.next_event(timeout=1.5)
        ask(floor, "FRA")
        event = client.next_event(timeout=5)
    finally:
        client.close()
    assert nothing is None
    assert json.loads(event["data"])["version"] == 1
    assert ListEvent.objects.count() == 1
