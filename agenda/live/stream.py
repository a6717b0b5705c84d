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

A replay is bounded: a client more than `REPLAY_LIMIT` events behind the whole audit trail
(`?after=0` on a meeting with a long trail), or ahead of it, is told `resync` at once, without
reading the trail: fetching its regions again costs a screen a few requests, which is what it
needs then, and replaying thousands of changes would tell it nothing more. Replays run on
threads of their own, at most `REPLAY_BACKLOG` waiting (more: `resync`), so that a stream's
opening reads (the meeting, who asks) never queue behind other clients' replays.

Who may follow a meeting is who may read it in the JSON API (`agenda.api.auth.reader`): the
holder of the bearer token sent in `Authorization`, if any (a bad one: 401), else the signed-in
visitor; drafts are the secretariat's. Only GET opens a stream: any other method is answered
405 at once.

How changes reach the streams: one `Hub` per server process (`agenda.live.hub`) holds the open
streams of that process, each with its own queue, and hears every committed change once. The
few database reads of a stream run on a few threads of their own, so that thousands of streams
opening at once hold neither thousands of threads nor thousands of database connections.
"""

import asyncio
import io
import json
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
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.functional import SimpleLazyObject
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from agenda.api.auth import ApiError, reader
from agenda.models import ListEvent
from agenda.speakers.changes import ListChange
from meetings.models import Meeting
from meetings.selectors import may_see_meeting

from .hub import (
    CLOSE,
    REPLAY_OVERLAP,
    RESYNC,
    RETRY_MILLISECONDS,
    event_name,
    format_event,
    get_hub,
)

REPLAY_LIMIT = 200
"""A client more events than this behind the audit trail (all meetings' events counted) is told
`resync` instead of being replayed what it missed."""
REPLAY_BACKLOG = 32
"""Replays waiting for a thread at most; a client that would be one more is told `resync`."""

# --- the stream's database reads -------------------------------------------------------------


class Busy(Exception):
    """Too many replays are waiting: the client is told `resync` instead."""


class DatabaseThreads:
    """The threads that run the streams' database reads, so that thousands of streams opening
    at once queue for them instead of each taking a thread and a connection. Each read gives
    its connection back when done (to the pool, where there is one).

    Two sets: `run` for what every stream reads to open (the meeting, who asks: one indexed
    query or two), and `replay` for what reconnecting clients missed, so that an opening never
    waits behind other clients' replays; at most `backlog` replays wait (`Busy` beyond).
    """

    def __init__(self, size: int = 2, replay_size: int = 2, backlog: int = REPLAY_BACKLOG):
        self.size = size
        self.replay_size = replay_size
        self.backlog = backlog
        self.replays_waiting = 0
        self._executors: dict[str, ThreadPoolExecutor] = {}
        self._lock = threading.Lock()

    def _pool(self, name: str, size: int) -> ThreadPoolExecutor:
        with self._lock:
            if name not in self._executors:
                self._executors[name] = ThreadPoolExecutor(size, thread_name_prefix=name)
            return self._executors[name]

    async def run(self, function, *args):
        return await asyncio.get_running_loop().run_in_executor(
            self._pool("live-db", self.size), _then_close, function, args
        )

    async def replay(self, function, *args):
        if self.replays_waiting >= self.replay_size + self.backlog:
            raise Busy
        self.replays_waiting += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(
                self._pool("live-replay", self.replay_size), _then_close, function, args
            )
        finally:
            self.replays_waiting -= 1

    def close(self) -> None:
        with self._lock:
            executors, self._executors = self._executors, {}
        for executor in executors.values():
            executor.shutdown()


def _then_close(function, args):
    try:
        return function(*args)
    finally:
        connections.close_all()


database = DatabaseThreads()


def visible_meeting(user, slug: str) -> Meeting | None:
    """The meeting, if `user` may follow it (drafts: the secretariat only)."""
    meeting = Meeting.objects.filter(slug=slug).only("pk", "slug", "status").first()
    if meeting is None or not may_see_meeting(user, meeting):
        return None
    return meeting


def missed_changes(meeting: Meeting, last: int) -> list[ListChange] | None:
    """What a client that saw event `last` missed: the latest change of each list (and of the
    agenda) since, oldest first, with those of the overlap before it. None when the client is
    more than `REPLAY_LIMIT` events behind the trail, or ahead of it: it must `resync`.

    Every read is bounded by the ids: at most `REPLAY_LIMIT` events after `last`, and those of
    the overlap among the `REPLAY_LIMIT` before it."""
    latest = ListEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    if last > latest or latest - last > REPLAY_LIMIT:
        return None
    anchor = ListEvent.objects.filter(pk=last).values_list("at", flat=True).first()
    missed = Q(pk__gt=last)
    if anchor is not None:
        missed |= Q(at__gte=anchor - REPLAY_OVERLAP)
    rows = (
        ListEvent.objects.filter(
            missed,
            pk__gte=max(last - REPLAY_LIMIT, 0),
            pk__lte=latest,
            item__meeting_id=meeting.pk,
        )
        .exclude(pk=last)
        .order_by("pk")
        .values_list("pk", "item_id", "version", "action")
    )
    latest_of: dict[str, ListChange] = {}
    for pk, item_id, version, action in rows:
        change = ListChange(
            meeting=meeting.slug, item=item_id, version=version, action=action, event=pk
        )
        name = event_name(change)
        latest_of.pop(name, None)  # keep insertion order = order of the latest event
        latest_of[name] = change
    return list(latest_of.values())


def last_event_id(meeting: Meeting) -> int:
    """The id of the meeting's latest change: pages pass it to the stream (`?after=`)."""
    return (
        ListEvent.objects.filter(item__meeting_id=meeting.pk)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
        or 0
    )


# --- refusals --------------------------------------------------------------------------------


def _refusal(status: int, message: str) -> tuple[list[tuple[bytes, bytes]], bytes]:
    """A refusal in the JSON API's shape: its headers and body."""
    body = json.dumps({"detail": message, "field": None}).encode()
    headers = [(b"content-type", b"application/json; charset=utf-8")]
    if status == 401:
        headers.append((b"www-authenticate", b"Bearer"))
    if status == 405:
        headers.append((b"allow", b"GET"))
    return headers, body


def _only_get() -> str:
    return _("The live stream is read with GET only.")


def _not_found(slug: str) -> str:
    return _("There is no meeting “%(slug)s”.") % {"slug": slug}


def _opening(request: HttpRequest, slug: str) -> Meeting | ApiError:
    """The meeting the stream is of, as the one asking may read it (as the JSON API's reads
    do: the bearer token if one is sent, else the signed-in visitor), or the refusal."""
    try:
        user = reader(request)
    except ApiError as error:
        return error
    meeting = visible_meeting(user, slug)
    return meeting if meeting is not None else ApiError(404, _not_found(slug))


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


@csrf_exempt  # it changes nothing: a POST is answered 405, like every method but GET
async def meeting_stream(request: HttpRequest, slug: str) -> HttpResponse:
    """The live stream of a meeting (see the module's docstring)."""
    if request.method != "GET":
        return _response(405, _only_get())
    opened = await database.run(_opening, request, slug)
    if isinstance(opened, ApiError):
        if opened.status_code == 404:
            raise Http404
        return _response(opened.status_code, opened.message)
    response = StreamingHttpResponse(
        _events(opened, _asked_from(request)), content_type="text/event-stream"
    )
    response["Cache-Control"] = "no-cache, no-transform"
    response["X-Accel-Buffering"] = "no"  # nginx: do not buffer this response
    return response


def _response(status: int, message: str) -> HttpResponse:
    headers, body = _refusal(status, message)
    response = HttpResponse(body, status=status)
    for name, value in headers:
        response[name.decode()] = value.decode()
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
            try:
                missed = await database.replay(missed_changes, meeting, asked_from)
            except Busy:
                missed = None
            if missed is None:
                opening.append(RESYNC)
            for change in missed or ():
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
    thread of its own, kept until the response ends). So every request for the stream's
    address is answered here, whatever its method: GET opens the stream, anything else is
    refused (405) at once, with no thread and no stream. `meeting_stream`, the same stream as
    a Django view, stays in the URLconf for `reverse()` and for servers that do not route here.
    """

    async def application(scope, receive, send):
        if scope["type"] == "http":
            path = scope["path"]
            root = scope.get("root_path", "")
            if root and path.startswith(root):
                path = path[len(root) :]
            match = STREAM_PATH.fullmatch(path)
            if match:
                if scope["method"] != "GET":
                    await _refuse(send, 405, _only_get(), body=scope["method"] != "HEAD")
                    return
                await _serve(scope, receive, send, match["slug"])
                return
        await django_application(scope, receive, send)

    return application


def _opening_for(request: ASGIRequest, slug: str) -> Meeting | ApiError:
    engine = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    request.session = engine(request.COOKIES.get(settings.SESSION_COOKIE_NAME))
    request.user = SimpleLazyObject(lambda: get_user(request))
    return _opening(request, slug)


async def _refuse(send, status: int, message: str, *, body: bool = True) -> None:
    headers, content = _refusal(status, message)
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": content if body else b""})


async def _serve(scope, receive, send, slug: str) -> None:
    message = await receive()  # the (empty) body of the GET
    if message["type"] == "http.disconnect":
        return
    request = ASGIRequest(scope, io.BytesIO())
    try:
        request.get_host()  # ALLOWED_HOSTS, as Django checks it for every other address
    except DisallowedHost:
        await send(
            {
                "type": "http.response.start",
                "status": 400,
                "headers": [(b"content-type", b"text/plain; charset=utf-8")],
            }
        )
        await send({"type": "http.response.body", "body": b"Bad Request"})
        return
    opened = await database.run(_opening_for, request, slug)
    if isinstance(opened, ApiError):
        await _refuse(send, opened.status_code, opened.message)
        return
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    serving = asyncio.current_task()

    async def until_disconnect() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass
        serving.cancel()

    watcher = asyncio.create_task(until_disconnect())
    events = _events(opened, _asked_from(request))
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
