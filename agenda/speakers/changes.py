"""Publishing changes of the lists of speakers to whoever listens (the live stream).

Every change of a list writes exactly one `ListEvent`; services then call `announce` inside
their transaction, right after that row is written. A change is announced only once it is
committed, never before, and never when the transaction rolls back:

- In this process, subscribers (the stream hub of `agenda.stream`, tests) are plain callables
  called from `transaction.on_commit`.
- On PostgreSQL, the change is also sent with `pg_notify` on the channel `CHANNEL`, inside the
  transaction. PostgreSQL delivers a notification when, and only if, the transaction commits,
  and atomically with it: a worker that dies right after its commit cannot lose the
  announcement, and there is no extra round trip after the commit. Every server process
  listens on that channel (one connection per process, `agenda.stream`), so each sees every
  change, whichever process or machine made it.

A process may thus hear of its own change twice (in-process, then through PostgreSQL); the
hub drops the second by the event's id.
"""

import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import partial

from django.db import DEFAULT_DB_ALIAS, connections, transaction

logger = logging.getLogger(__name__)

CHANNEL = "intersessional_lists"
"""The PostgreSQL notification channel of list changes."""


@dataclass(frozen=True)
class ListChange:
    meeting: str  # the meeting's slug
    item: int  # the agenda item's id
    version: int  # the list's version after the change
    action: str  # ListEvent.action: "requested", "next", "taken_up", ...
    event: int | None = field(default=None, compare=False)  # the ListEvent's id

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, payload: str) -> "ListChange":
        data = json.loads(payload)
        return cls(
            meeting=str(data["meeting"]),
            item=int(data["item"]),
            version=int(data["version"]),
            action=str(data["action"]),
            event=None if data.get("event") is None else int(data["event"]),
        )


_subscribers: list[Callable[[ListChange], None]] = []


def subscribe(callback: Callable[[ListChange], None]) -> Callable[[], None]:
    """Call `callback` for every change published in this process; returns an unsubscribe."""
    _subscribers.append(callback)
    return lambda: _subscribers.remove(callback) if callback in _subscribers else None


def publish_list_change(change: ListChange) -> None:
    """Tell this process's subscribers (called after commit)."""
    for callback in list(_subscribers):
        try:
            callback(change)
        except Exception:
            logger.exception("A live subscriber failed on %s", change)


def announce(change: ListChange, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Announce a change made in the current transaction, for when it commits."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, change.to_json()])
    transaction.on_commit(partial(publish_list_change, change), using=using)
