"""How every change of a list of speakers is made, and how it is announced.

Each service (`agenda.speakers.services`, and the record's corrections and tags in
`agenda.record.services`) runs in one transaction and:

1. locks the item's row first (`lock_item`, `lock_list`): every writer of a list queues on that
   one row, in one order. The lock is `FOR NO KEY UPDATE`: it guards the list's order and
   version, not the item's key, so rows that merely point at the item (a statement handed in on
   it) are written without waiting for the chair's action;
2. checks the version the chair's action was based on (`check_version`: `StaleList` if the list
   has moved on);
3. after its change, calls `log_change`: the list's version goes up by one, one `ListEvent` is
   written for the audit trail, and the change is announced (`announce`) — once committed,
   never before.

A request for the floor, the busiest write, does the same in fewer round trips (`lean`):
on PostgreSQL, the lock and the list in one, then the entry, the version, the event and the
notification in one statement, with the commit.

Announcing: in this process, subscribers (the live stream's hub in `agenda.live`, tests) are
plain callables called from `transaction.on_commit`. On PostgreSQL the change is also sent with
`pg_notify` on `CHANNEL` inside the transaction: PostgreSQL delivers it when, and only if, the
transaction commits, atomically with it, so a worker that dies right after its commit cannot
lose it. Every server process listens on that channel, so each hears every change, whichever
process made it; a process may hear its own change twice, and the hub drops the second by the
event's id.
"""

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from functools import partial

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils.translation import gettext as _

from agenda.errors import FloorError, NotAllowed, StaleList
from agenda.models import AgendaItem, FloorRequest, ListEvent
from agenda.roles import chairs
from delegations.models import Delegation
from meetings.models import Meeting

from .moves import AnchorValue, anchors_after_leaving
from .ordering import Anchor, Status
from .reads import plain_instances, plain_select
from .selectors import SpeakersList, build_list

logger = logging.getLogger(__name__)

CHANNEL = "intersessional_lists"
"""The PostgreSQL notification channel of list changes."""


# --- locking ---------------------------------------------------------------------------------


def lock_item(item_id: int, *, closed_too: bool = False) -> AgendaItem:
    """Lock the item's row (with its meeting and parent read alongside): the list is ours.

    A closed meeting's lists take no more changes (`FloorError`), but for the record's
    corrections and tags, which pass `closed_too`."""
    return opened(_locked_item(item_id, DEFAULT_DB_ALIAS), closed_too=closed_too)


def opened(item: AgendaItem, *, closed_too: bool) -> AgendaItem:
    if item.meeting.status == Meeting.Status.CLOSED and not closed_too:
        raise FloorError(_("The meeting is closed."))
    return item


_LOCKED = ((AgendaItem, "i"), (Meeting, "m"), (AgendaItem, "p"))


def _locked_item(item_id: int, using: str) -> AgendaItem:
    """`SELECT … FOR NO KEY UPDATE` of the item, with its meeting and parent: on PostgreSQL
    in plain SQL written once per process (every writer of a list runs it, and it is the first
    statement under the lock), elsewhere through the ORM (SQLite has no row locks)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return (
            AgendaItem.objects.select_for_update(no_key=True, of=("self",))
            .select_related("meeting", "parent")
            .get(pk=item_id)
        )
    with connection.cursor() as cursor:
        cursor.execute(lock_sql(connection), [item_id])
        return item_of_row(cursor.fetchone(), using)


def lock_sql(connection) -> str:
    quote = connection.ops.quote_name
    items = quote(AgendaItem._meta.db_table)
    pk = quote(AgendaItem._meta.pk.column)
    parent = quote(AgendaItem._meta.get_field("parent").column)
    return (
        f"SELECT {plain_select(_LOCKED, connection.alias)} FROM {items} i "  # noqa: S608
        f"JOIN {quote(Meeting._meta.db_table)} m ON m.{quote(Meeting._meta.pk.column)} = "
        f"i.{quote(AgendaItem._meta.get_field('meeting').column)} "
        f"LEFT JOIN {items} p ON p.{pk} = i.{parent} "
        f"WHERE i.{pk} = %s FOR NO KEY UPDATE OF i"
    )


def item_of_row(row, using: str) -> AgendaItem:
    if row is None:
        raise AgendaItem.DoesNotExist("AgendaItem matching query does not exist.")
    item, meeting, parent = plain_instances(_LOCKED, row, using)
    item.meeting = meeting
    item.parent = parent
    return item


def lock_list(item_id: int, *, closed_too: bool = False) -> tuple[AgendaItem, SpeakersList]:
    """Lock the item's row, then read its whole list in speaking order.

    The item's row lock serialises every writer of the list: its entries need no lock of
    their own.
    """
    item = lock_item(item_id, closed_too=closed_too)
    entries = list(
        FloorRequest.objects.filter(item=item).with_speakers().order_by("requested_at", "id")
    )
    return item, build_list(item, entries)


def entry_in(state: SpeakersList, entry_id: int) -> FloorRequest:
    """The entry `entry_id` as the locked list holds it."""
    for entry in state.requests:
        if entry.pk == entry_id:
            return entry
    raise FloorError(_("This request is not on the list any more."))


def check_version(item: AgendaItem, version: int | None) -> None:
    """`StaleList` when the action was based on a version the list has moved on from."""
    if version is not None and version != item.list_version:
        raise StaleList(item.list_version)


# --- what every service of a list does --------------------------------------------------------


def require_chair(user, item: AgendaItem) -> None:
    if not chairs(user, item):
        raise NotAllowed(_("Only the chair of this item may do this."))


def snapshot(entry: FloorRequest, state: SpeakersList | None = None) -> dict:
    data = {
        "delegation": entry.speaker_code,
        "kind": entry.kind,
        "status": entry.status,
        "anchor": entry.anchor,
        "anchor_entry": entry.anchor_entry_id,
        "presence": entry.presence,
    }
    if state is not None and entry.status == Status.WAITING:
        data["position"] = state.position(entry)
    return data


def store_anchors(entries: Iterable[FloorRequest], anchors: dict[int, AnchorValue]) -> None:
    changed = []
    for entry in entries:
        if entry.pk in anchors:
            entry.anchor, entry.anchor_entry_id = anchors[entry.pk]
            changed.append(entry)
    if changed:
        FloorRequest.objects.bulk_update(changed, ["anchor", "anchor_entry"])


def leave_queue(state: SpeakersList, entry: FloorRequest) -> None:
    """`entry` stops waiting: whoever the chair put right after it takes its place."""
    if entry.status != Status.WAITING:
        return
    order = [waiting.as_entry() for waiting in state.waiting]
    store_anchors(state.requests, anchors_after_leaving(order, entry.pk))
    entry.anchor, entry.anchor_entry_id = Anchor.NONE, None
    entry.pin_reason = ""


def save(entry: FloorRequest, *fields: str) -> None:
    entry.save(update_fields=list(fields))


def cannot_message(entry: FloorRequest, what: str) -> str:
    return _("%(delegation)s is %(status)s: it cannot be %(what)s.") % {
        "delegation": entry.speaker,
        "status": entry.get_status_display().lower(),
        "what": what,
    }


# --- the audit trail -------------------------------------------------------------------------


def log_change(
    item: AgendaItem,
    *,
    user,
    action: str,
    entry: FloorRequest | None = None,
    delegation: Delegation | None = None,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
    now: datetime,
) -> ListEvent:
    """Bump the list's version, write the audit event, announce the change after commit."""
    item.list_version += 1
    AgendaItem.objects.filter(pk=item.pk).update(list_version=item.list_version)
    event = ListEvent.objects.create(
        item=item,
        entry=entry,
        delegation=delegation or (entry.delegation if entry else None),
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        at=now,
        version=item.list_version,
        before=before or {},
        after=after or {},
        reason=reason,
    )
    announce(
        ListChange(
            meeting=item.meeting.slug,
            item=item.pk,
            version=item.list_version,
            action=action,
            event=event.pk,
        )
    )
    return event


# --- announcing ------------------------------------------------------------------------------


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
    """Call `callback` for every change committed in this process; returns an unsubscribe."""
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
