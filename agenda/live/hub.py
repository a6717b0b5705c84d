"""One hub per server process: the open streams of that process and where their changes
come from (see `agenda.live.stream` for the whole picture).

It hears of changes made in this process from `agenda.speakers.changes` (after commit, from
whatever thread ran the service), and, on PostgreSQL, of every change of every process from
**one** LISTEN connection per process, opened by the first stream and reopened when it fails
(the streams are then told `resync`). It drops a change it has already passed on (same event
id). Each stream has a bounded queue: a client that cannot keep up is told `resync` instead of
being sent everything.
"""

import asyncio
import contextlib
import json
import logging
import threading
from collections import deque
from collections.abc import Callable
from datetime import timedelta

import psycopg
from django.db import connection, connections
from psycopg import sql

from agenda.speakers.changes import CHANNEL, ListChange, subscribe

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 15
RETRY_MILLISECONDS = 2000  # how long EventSource waits before it reconnects
QUEUE_SIZE = 256  # messages waiting for one slow client before it is told to resync
REPLAY_OVERLAP = timedelta(seconds=10)
SEEN_SIZE = 4096  # event ids remembered to drop a change heard twice
LISTEN_READY_SECONDS = 5.0  # how long a new stream waits for the listener before it starts
TAKEN_UP = "taken_up"

PING = b": ping\n\n"
RESYNC = b"event: resync\ndata: {}\n\n"
CLOSE = b""


def event_name(change: ListChange) -> str:
    return "agenda" if change.action == TAKEN_UP else f"list-{change.item}"


def format_event(change: ListChange) -> bytes:
    """One change as a Server-Sent Event."""
    data = json.dumps(
        {
            "meeting": change.meeting,
            "item": change.item,
            "version": change.version,
            "action": change.action,
            "event": change.event,
        },
        separators=(",", ":"),
    )
    event_id = "" if change.event is None else f"id: {change.event}\n"
    return f"{event_id}event: {event_name(change)}\ndata: {data}\n\n".encode()


class Subscriber:
    """One open stream: the messages waiting to be sent to it."""

    __slots__ = ("meeting", "queue")

    def __init__(self, meeting: str) -> None:
        self.meeting = meeting
        self.queue: asyncio.Queue[tuple[int | None, bytes]] = asyncio.Queue(QUEUE_SIZE)

    def put(self, event_id: int | None, message: bytes) -> None:
        try:
            self.queue.put_nowait((event_id, message))
        except asyncio.QueueFull:
            # The client cannot keep up: what waits is dropped, it fetches everything again.
            while not self.queue.empty():
                self.queue.get_nowait()
            self.queue.put_nowait((None, RESYNC))


class Hub:
    """The open streams of this process, and where their changes come from."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.subscribers: dict[str, set[Subscriber]] = {}
        self.postgres = connection.vendor == "postgresql"
        self.listening = asyncio.Event()
        self._seen: set[int] = set()
        self._seen_order: deque[int] = deque()
        self._tasks: list[asyncio.Task] = []
        self._started = False
        self._unsubscribe: Callable[[], None] | None = subscribe(self._from_any_thread)

    # --- streams come and go --------------------------------------------------------------

    def add(self, meeting: str) -> Subscriber:
        subscriber = Subscriber(meeting)
        self.subscribers.setdefault(meeting, set()).add(subscriber)
        return subscriber

    def remove(self, subscriber: Subscriber) -> None:
        streams = self.subscribers.get(subscriber.meeting)
        if streams is not None:
            streams.discard(subscriber)
            if not streams:
                del self.subscribers[subscriber.meeting]

    @property
    def count(self) -> int:
        return sum(len(streams) for streams in self.subscribers.values())

    # --- changes come in ------------------------------------------------------------------

    def _from_any_thread(self, change: ListChange) -> None:
        """Called after commit (`agenda.speakers.changes`), in the thread that ran the service."""
        with contextlib.suppress(RuntimeError):  # a closed loop: nobody listens here any more
            self.loop.call_soon_threadsafe(self.dispatch, change)

    def dispatch(self, change: ListChange) -> None:
        """Pass a change on to the streams of its meeting (once, whoever tells it first)."""
        if change.event is not None:
            if change.event in self._seen:
                return
            self._seen.add(change.event)
            self._seen_order.append(change.event)
            if len(self._seen_order) > SEEN_SIZE:
                self._seen.discard(self._seen_order.popleft())
        message = format_event(change)
        for subscriber in self.subscribers.get(change.meeting, ()):
            subscriber.put(change.event, message)

    def broadcast(self, message: bytes) -> None:
        for streams in self.subscribers.values():
            for subscriber in streams:
                subscriber.put(None, message)

    # --- background tasks -----------------------------------------------------------------

    def start(self) -> None:
        if self._started:
            return
        self._started = True
        self._tasks.append(self.loop.create_task(self._heartbeat()))
        if self.postgres:
            self._tasks.append(self.loop.create_task(self._listen()))
        else:
            self.listening.set()

    async def ready(self) -> None:
        """Wait (a little) until changes of other processes are heard."""
        if not self.listening.is_set():
            try:
                await asyncio.wait_for(self.listening.wait(), LISTEN_READY_SECONDS)
            except TimeoutError:
                logger.warning("The live stream starts without its database listener.")

    async def _heartbeat(self) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            self.broadcast(PING)

    async def _listen(self) -> None:
        """One LISTEN connection for the whole process; reconnects when it fails."""
        delay, heard_before = 0.5, False
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    **_listen_params(), autocommit=True
                ) as conn:
                    await conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(CHANNEL)))
                    self.listening.set()
                    if heard_before:
                        # Changes made while we were not listening were not heard.
                        self.broadcast(RESYNC)
                    heard_before, delay = True, 0.5
                    while True:
                        async for notify in conn.notifies(timeout=HEARTBEAT_SECONDS):
                            self._on_notify(notify.payload)
                        await conn.execute("SELECT 1")  # is the connection still there?
            except asyncio.CancelledError:
                raise
            except Exception as error:
                logger.warning("Live listener lost (%s); reconnecting in %.1f s", error, delay)
            self.listening.clear()
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10.0)

    def _on_notify(self, payload: str) -> None:
        try:
            change = ListChange.from_json(payload)
        except (ValueError, KeyError, TypeError):
            logger.warning("Ignored a malformed notification: %r", payload)
            return
        self.dispatch(change)

    def close(self) -> list[asyncio.Task]:
        """Stop hearing changes and end every stream; returns the tasks being cancelled."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        self.broadcast(CLOSE)
        return tasks

    async def aclose(self) -> None:
        tasks = self.close()
        await asyncio.gather(*tasks, return_exceptions=True)


def _listen_params() -> dict:
    """Connection parameters of the default database, for a psycopg connection of our own."""
    params = connections["default"].get_connection_params()
    for key in ("cursor_factory", "context", "prepare_threshold"):
        params.pop(key, None)
    return params


_hub: Hub | None = None
_hub_lock = threading.Lock()


def get_hub() -> Hub:
    """This process's hub (for the running event loop)."""
    global _hub
    loop = asyncio.get_running_loop()
    with _hub_lock:
        if _hub is None or _hub.loop is not loop:
            if _hub is not None:
                _hub.close()
            _hub = Hub(loop)
        return _hub


async def close_hub() -> None:
    """End this process's streams and its listener (tests; a server shutting down)."""
    global _hub
    with _hub_lock:
        hub, _hub = _hub, None
    if hub is not None:
        await hub.aclose()
