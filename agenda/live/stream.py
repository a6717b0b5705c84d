"""The live stream: Server-Sent Events of every change of a meeting's lists of speakers.

`GET /api/v1/meetings/<slug>/stream` answers `text/event-stream` and stays open. Each change is
one event:

    id: 1234                        the ListEvent's id
    event: list-57                  list-<item id>; "agenda" when the item under discussion changed
    data: {"meeting": "ccm-2025", "item": 57, "version": 12, "action": "next", "event": 1234}

Other messages: `event: resync` (data `{}`) when changes may have been missed (the server lost
its database listener for a while, or the client could not keep up): fetch everything again;
and a comment line (`: ping`) every `HEARTBEAT_SECONDS`, so that proxies keep idle streams open.

A client that reconnects sends the last id it saw (`Last-Event-ID`, as EventSource does; or
`?after=<id>` on its first connection, for the changes since its page was rendered) and first
receives what it missed: the latest event of each list (and of the agenda) that changed since,
oldest first. Ids are assigned when an event is written and a transaction that wrote a lower id
may commit a moment after one that wrote a higher id, so changes from the `REPLAY_OVERLAP`
before the client's last id are sent again too: a duplicate only makes a page fetch a fragment
once more.

How changes reach the streams: one `Hub` per server process (`agenda.live.hub`) holds the open
streams of that process, each with its own queue, and hears every committed change once. The
few database reads of a stream (the meeting, the
changes to replay) run on two threads of their own, so that thousands of streams opening at
once hold neither thousands of threads nor thousands of database connections.
"""

import asyncio
import io
import re
import threading
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.contrib.auth import get_user
from django.core.exceptions import DisallowedHost
from django.core.handlers.asgi import ASGIRequest
from django.db import connections
from django.db.models import Q
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.utils.module_loading import import_string

from agenda.models import ListEvent
from agenda.speakers.changes import ListChange
from meetings.models import Meeting
from meetings.selectors import may_see_meeting

from .hub import CLOSE, REPLAY_OVERLAP, RETRY_MILLISECONDS, event_name, format_event, get_hub

# --- the stream's database reads -------------------------------------------------------------


class DatabaseThreads:
    """A couple of threads that run the streams' database reads, so that thousands of streams
    opening at once queue for them instead of each taking a thread and a connection. Each read
    gives its connection back when done (to the pool, where there is one)."""

    def __init__(self, size: int = 2) -> None:
        self.size = size
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def _pool(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(self.size, thread_name_prefix="live-db")
            return self._executor

    async def run(self, function, *args):
        return await asyncio.get_running_loop().run_in_executor(
            self._pool(), _then_close, function, args
        )

    def close(self) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown()


def _then_close(function, args):
    try:
        return function(*args)
    finally:
        connections.close_all()


database = DatabaseThreads()


def visible_meeting(request: HttpRequest, slug: str) -> Meeting | None:
    """The meeting, if this visitor may follow it (drafts: the secretariat only)."""
    meeting = Meeting.objects.filter(slug=slug).only("pk", "slug", "status").first()
    if meeting is None or not may_see_meeting(get_user(request), meeting):
        return None
    return meeting


def missed_changes(meeting: Meeting, last: int) -> list[ListChange]:
    """What a client that saw event `last` missed: the latest change of each list (and of the
    agenda) since, oldest first, with those of the overlap before it."""
    missed = Q(pk__gt=last)
    anchor = ListEvent.objects.filter(pk=last).values_list("at", flat=True).first()
    if anchor is not None:
        missed |= Q(pk__lt=last, at__gte=anchor - REPLAY_OVERLAP)
    rows = (
        ListEvent.objects.filter(missed, item__meeting_id=meeting.pk)
        .order_by("pk")
        .values_list("pk", "item_id", "version", "action")
    )
    latest: dict[str, ListChange] = {}
    for pk, item_id, version, action in rows:
        change = ListChange(
            meeting=meeting.slug, item=item_id, version=version, action=action, event=pk
        )
        name = event_name(change)
        latest.pop(name, None)  # keep insertion order = order of the latest event
        latest[name] = change
    return list(latest.values())


def last_event_id(meeting: Meeting) -> int:
    """The id of the meeting's latest change: pages pass it to the stream (`?after=`)."""
    return (
        ListEvent.objects.filter(item__meeting_id=meeting.pk)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
        or 0
    )


# --- the view --------------------------------------------------------------------------------


def _asked_from(request: HttpRequest) -> int | None:
    for value in (request.headers.get("Last-Event-ID"), request.GET.get("after")):
        if value is not None:
            try:
                number = int(value.strip())
            except ValueError:
                continue
            if number >= 0:
                return number
    return None


async def meeting_stream(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """The live stream of a meeting (see the module's docstring)."""
    meeting = await database.run(visible_meeting, request, slug)
    if meeting is None:
        raise Http404
    response = StreamingHttpResponse(
        _events(meeting, _asked_from(request)), content_type="text/event-stream"
    )
    response["Cache-Control"] = "no-cache, no-transform"
    response["X-Accel-Buffering"] = "no"  # nginx: do not buffer this response
    return response


async def _events(meeting: Meeting, asked_from: int | None) -> AsyncIterator[bytes]:
    hub = get_hub()
    hub.start()
    subscriber = hub.add(meeting.slug)  # first, so that nothing falls between replay and live
    try:
        await hub.ready()
        opening = [f"retry: {RETRY_MILLISECONDS}\n\n".encode()]
        replayed: set[int] = set()
        if asked_from is not None:
            for change in await database.run(missed_changes, meeting, asked_from):
                replayed.add(change.event)
                opening.append(format_event(change))
        yield b"".join(opening)
        while True:
            event_id, message = await subscriber.queue.get()
            if message == CLOSE:
                return
            if event_id is not None and event_id in replayed:
                continue
            yield message
    finally:
        hub.remove(subscriber)


# --- served straight from ASGI -------------------------------------------------------------

STREAM_PATH = re.compile(r"/api/v1/meetings/(?P<slug>[-a-zA-Z0-9_]+)/stream")
HEADERS = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-cache, no-transform"),
    (b"x-accel-buffering", b"no"),
    (b"x-content-type-options", b"nosniff"),
]


def serve_streams(django_application):
    """The ASGI application: the live stream served directly, everything else by Django.

    The stream needs none of Django's middleware, and going through Django's handler would
    park a thread for every open stream (Django runs each request's synchronous parts in a
    thread of its own, kept until the response ends). `meeting_stream`, the same stream as a
    Django view, stays in the URLconf for `reverse()` and for servers that do not route here.
    """

    async def application(scope, receive, send):
        if scope["type"] == "http" and scope["method"] == "GET":
            path = scope["path"]
            root = scope.get("root_path", "")
            if root and path.startswith(root):
                path = path[len(root) :]
            match = STREAM_PATH.fullmatch(path)
            if match:
                await _serve(scope, receive, send, match["slug"])
                return
        await django_application(scope, receive, send)

    return application


def _visible_meeting_for(request: ASGIRequest, slug: str) -> Meeting | None:
    engine = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    request.session = engine(request.COOKIES.get(settings.SESSION_COOKIE_NAME))
    return visible_meeting(request, slug)


async def _refuse(send, status: int, reason: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": reason})


async def _serve(scope, receive, send, slug: str) -> None:
    message = await receive()  # the (empty) body of the GET
    if message["type"] == "http.disconnect":
        return
    request = ASGIRequest(scope, io.BytesIO())
    try:
        request.get_host()  # ALLOWED_HOSTS, as Django checks it for every other address
    except DisallowedHost:
        await _refuse(send, 400, b"Bad Request")
        return
    meeting = await database.run(_visible_meeting_for, request, slug)
    if meeting is None:
        await _refuse(send, 404, b"Not Found")
        return
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    serving = asyncio.current_task()

    async def until_disconnect() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass
        serving.cancel()

    watcher = asyncio.create_task(until_disconnect())
    events = _events(meeting, _asked_from(request))
    try:
        async for chunk in events:
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b""})
    except asyncio.CancelledError:
        if not watcher.done():
            raise
    finally:
        watcher.cancel()
        await events.aclose()
