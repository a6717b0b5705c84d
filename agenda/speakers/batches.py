"""Requests for the floor that arrive together are written together.

When the chair opens a list, every delegation presses at once, and every writer of a list
holds the item's lock in turn (`agenda.speakers.changes`): one lock, one read of the list, one
write and one commit each, one after the other, while the server's other requests compete for
the same cores. Within one server process, the requests for one item that arrive while another
is being written now wait in a line instead, and the next writer writes all of them in its one
transaction (group commit): one lock, one read, one statement and one commit for the lot.

Each request is judged as if it had been written alone, in the order it arrived: it is checked
against the list as the requests before it left it (the same rules of admission, the same
refusals, in the asker's own language and time zone), and gets its own place, its own
version of the list and its own `requested` event, the versions following on without a gap.
A request refused leaves the others untouched. Should the transaction fail for another reason
(the database), it is undone and each request of the line is made again on its own, as
before: nothing written twice, nothing lost.

Used only where one transaction may carry several requests: on PostgreSQL, a request made
outside any transaction of its caller's, with no co-sponsors (`services.floor_request_create`).
"""

import copy
import threading
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone, translation

from agenda.errors import FloorError
from agenda.models import AgendaItem, FloorRequest

from . import lean
from .asks import Ask, admitted, requested


class WriteAlone(Exception):
    """The line's transaction failed and was undone: make this request on its own."""


@dataclass(eq=False)
class Waiting:
    """A request in the line, and what became of it."""

    ask: Ask
    language: str | None = field(default_factory=translation.get_language)
    zone: object = field(default_factory=timezone.get_current_timezone)
    done: threading.Event = field(default_factory=threading.Event)
    turn: bool = False  # this request's thread writes for the line
    entry: FloorRequest | None = None
    refusal: Exception | None = None

    def outcome(self) -> FloorRequest:
        if self.refusal is not None:
            raise self.refusal
        if self.entry is None:
            raise WriteAlone
        return self.entry


class _Line:
    def __init__(self) -> None:
        self.waiting: list[Waiting] = []
        self.busy = False


_lines: dict[int, _Line] = {}
_mutex = threading.Lock()


def put_on_list(ask: Ask, item_id: int) -> FloorRequest:
    """Put `ask` on the list of item `item_id` with the requests waiting beside it, as
    `services._put_on_list` puts one; returns its entry (with `position`, `waiting_count`,
    `version`) or raises its refusal, or `WriteAlone` when it is to be made on its own."""
    waiting = Waiting(ask)
    with _mutex:
        line = _lines.setdefault(item_id, _Line())
        line.waiting.append(waiting)
        if not line.busy:
            line.busy = waiting.turn = True
    if not waiting.turn:
        waiting.done.wait()
        if not waiting.turn:  # written, or refused, by another request's thread
            return waiting.outcome()
    batch: list[Waiting] = []
    try:
        write_line(item_id, line, batch)
    finally:
        with _mutex:
            if line.waiting:  # arrived while this line was written: the first one writes next
                successor = line.waiting[0]
                successor.turn = True
                successor.done.set()
            else:
                line.busy = False
                if _lines.get(item_id) is line:
                    del _lines[item_id]
        for other in batch:
            if other is not waiting:
                other.done.set()
    return waiting.outcome()


def in_line(item_id: int) -> int:
    """How many requests wait in this process's line for item `item_id` (for tests)."""
    with _mutex:
        line = _lines.get(item_id)
        return len(line.waiting) if line else 0


def write_line(item_id: int, line: _Line, batch: list[Waiting]) -> None:
    """Lock the item, take every request waiting in `line` (into `batch`), judge each against
    the list in turn and write the admitted ones in one statement with the commit. Each
    request's `entry` or `refusal` is set; on a failure of the transaction, neither (each
    is then made on its own)."""
    committed = False
    try:
        with transaction.atomic():
            try:
                item, entries = lean.lock_with_entries(item_id)
            except (FloorError, AgendaItem.DoesNotExist) as refusal:
                # The meeting is closed, the item is gone: the same answer for all.
                with _mutex:
                    batch += line.waiting
                    line.waiting.clear()
                for waiting in batch:
                    waiting.refusal = copy.copy(refusal)
                return
            # The lock is granted: every request that queued meanwhile is written now.
            with _mutex:
                batch += line.waiting
                line.waiting.clear()
            rows = []
            for waiting in batch:
                now = timezone.now()
                with translation.override(waiting.language), timezone.override(waiting.zone):
                    try:
                        entry = admitted(waiting.ask, item, entries, now)
                    except FloorError as refusal:
                        waiting.refusal = refusal
                        continue
                    rows.append((entry, waiting.ask.user, requested(waiting.ask, entry), now))
                entries.append(entry.as_entry())
                waiting.entry = entry
            if rows:
                version = item.list_version
                lean.record_entries(item, rows, commit=True)
                for number, (entry, *_rest) in enumerate(rows, start=1):
                    entry.version = version + number
            committed = True
    except Exception:
        if committed:
            raise
        for waiting in batch:  # undone: each is made again on its own
            waiting.entry = waiting.refusal = None
