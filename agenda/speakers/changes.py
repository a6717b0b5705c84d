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

A request for the floor, the busiest write, does the same in fewer round trips
(`locked_entries`, `record_entry`): on PostgreSQL, the list read in one plain statement, then
the entry, the version, the event and the notification in one statement.

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
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from functools import partial

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.sql import InsertQuery
from django.utils.translation import gettext as _

from agenda.errors import FloorError, NotAllowed, StaleList
from agenda.models import AgendaItem, FloorRequest, ListEvent
from agenda.roles import chairs
from delegations.models import Delegation, Group
from meetings.models import Meeting

from .moves import AnchorValue, anchors_after_leaving
from .ordering import Anchor, Entry, Status
from .reads import plain_instances, plain_select
from .selectors import SpeakersList, build_list, entries_of, entry_of_row

logger = logging.getLogger(__name__)

CHANNEL = "intersessional_lists"
"""The PostgreSQL notification channel of list changes."""


# --- locking ---------------------------------------------------------------------------------


def lock_item(item_id: int, *, closed_too: bool = False) -> AgendaItem:
    """Lock the item's row (with its meeting and parent read alongside): the list is ours.

    A closed meeting's lists take no more changes (`FloorError`), but for the record's
    corrections and tags, which pass `closed_too`."""
    return _opened(_locked_item(item_id, DEFAULT_DB_ALIAS), closed_too=closed_too)


def _opened(item: AgendaItem, *, closed_too: bool) -> AgendaItem:
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
        cursor.execute(_lock_sql(connection), [item_id])
        return _item_of_row(cursor.fetchone(), using)


def _lock_sql(connection) -> str:
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


def _item_of_row(row, using: str) -> AgendaItem:
    if row is None:
        raise AgendaItem.DoesNotExist("AgendaItem matching query does not exist.")
    item, meeting, parent = plain_instances(_LOCKED, row, using)
    item.meeting = meeting
    item.parent = parent
    return item


@contextmanager
def together(connection):
    """The statements executed inside are sent to PostgreSQL together and their results come
    back together: one round trip (psycopg's pipeline mode). PostgreSQL still runs them one
    after the other, each with its own snapshot, so a statement that follows a lock sees what
    the lock's previous holder committed."""
    with connection.wrap_database_errors, connection.connection.pipeline():
        yield


def lock_with_entries(
    item_id: int, *, using: str = DEFAULT_DB_ALIAS
) -> tuple[AgendaItem, list[Entry]]:
    """`lock_item`, then the item's entries as plain values (`locked_entries`): on PostgreSQL
    sent together, one round trip. The list is read by its own statement after the lock is
    granted, so it holds every entry committed by the writers before."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        item = lock_item(item_id)
        return item, locked_entries(item, using)
    connection.ensure_connection()
    with together(connection), connection.cursor() as lock, connection.cursor() as read:
        lock.execute(_lock_sql(connection), [item_id])
        read.execute(_entries_sql(connection), [item_id])
        row = lock.fetchone()
        rows = read.fetchall()
    item = _opened(_item_of_row(row, using), closed_too=False)
    return item, [entry_of_row(values) for values in rows]


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


# --- a new entry: the lean write --------------------------------------------------------------


def locked_entries(item: AgendaItem, using: str = DEFAULT_DB_ALIAS) -> list[Entry]:
    """The item's entries as plain values (`selectors.entries_of`), read by a writer holding
    the item's lock. On PostgreSQL in one plain statement: every writer of the list reads it
    while the others wait, and it grows to hundreds of rows; elsewhere through the ORM."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return entries_of(item)
    with connection.cursor() as cursor:
        cursor.execute(_entries_sql(connection), [item.pk])
        rows = cursor.fetchall()
    return [entry_of_row(row) for row in rows]


def _entries_sql(connection) -> str:
    """What `selectors.entries_of` asks, in plain SQL (names from the models)."""
    quote = connection.ops.quote_name
    request = FloorRequest._meta

    def column(name: str) -> str:
        return "r." + quote(request.get_field(name).column)

    names = ["id", "guest", "category", "kind", "requested_at", "status", "anchor"]
    pk, guest, category, kind, requested_at, status, anchor = (column(name) for name in names)
    return (
        f"SELECT {pk}, d.{quote('code')}, {guest}, {category}, {kind}, {requested_at}, "  # noqa: S608
        f"{status}, {anchor}, {column('anchor_entry')}, g.{quote('code')}, "
        f"g.{quote(Group._meta.get_field('takes_precedence').column)} "
        f"FROM {quote(request.db_table)} r "
        f"LEFT JOIN {quote(Delegation._meta.db_table)} d ON d.{quote('id')} = "
        f"{column('delegation')} "
        f"LEFT JOIN {quote(Group._meta.db_table)} g ON g.{quote('id')} = {column('on_behalf_of')} "
        f"WHERE {column('item')} = %s"
    )


def new_entry_id(using: str = DEFAULT_DB_ALIAS) -> int | None:
    """On PostgreSQL, the id the next entry will have, drawn before the list is locked (a
    refused request leaves a gap in the ids, never in the versions); elsewhere None: the
    database gives it on insert."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s))",
            [FloorRequest._meta.db_table, FloorRequest._meta.pk.column],
        )
        return cursor.fetchone()[0]


def record_entry(
    item: AgendaItem,
    entry: FloorRequest,
    *,
    user,
    after: dict,
    now: datetime,
    using: str = DEFAULT_DB_ALIAS,
    commit: bool = False,
) -> None:
    """Under the item's lock: insert `entry`, bump the list's version, write the `requested`
    event, announce the change once committed — what `entry.save()` and `log_change` do.

    With `commit` (the caller's transaction is the outermost one and nothing follows the
    write), on PostgreSQL the COMMIT is sent with the write: the lock is released without
    waiting for one more round trip. The transaction's end (`atomic`) then finds nothing left
    to commit and runs the on-commit actions as usual.

    On PostgreSQL, with the entry's id drawn beforehand (`new_entry_id`), it is one statement
    (one round trip under the lock): the three writes as data-modifying CTEs, the notification
    sent by the same statement. Elsewhere (or when the entry was inserted already, to know its
    id), the same rows through the ORM."""
    connection = connections[using]
    if connection.vendor != "postgresql" or entry.pk is None or not entry._state.adding:
        if entry._state.adding:
            entry.save(force_insert=True, using=using)
        log_change(item, user=user, action="requested", entry=entry, after=after, now=now)
        return
    record_entries(item, [(entry, user, after, now)], using=using, commit=commit)


def record_entries(
    item: AgendaItem,
    rows: list[tuple[FloorRequest, object, dict, datetime]],
    *,
    using: str = DEFAULT_DB_ALIAS,
    commit: bool = False,
) -> None:
    """On PostgreSQL, under the item's lock: new entries (`rows`: each entry with its ids
    drawn beforehand, the user who asked, the audit event's `after`, the time), in the order
    given, as `record_entry` writes one — one version and one `requested` event each, the
    versions following on — in one statement, with `commit` as there."""
    connection = connections[using]
    base = item.list_version
    events = [
        ListEvent(
            item=item,
            entry=entry,
            delegation=entry.delegation,
            user=user if getattr(user, "is_authenticated", False) else None,
            action="requested",
            at=now,
            version=base + number,
            before={},
            after=after,
            reason="",
        )
        for number, (entry, user, after, now) in enumerate(rows, start=1)
    ]
    version = base + len(rows)
    insert_entries, entry_params = _insert([entry for entry, *_ in rows], using, with_pk=True)
    insert_events, event_params = _insert(events, using, with_pk=False)
    quote = connection.ops.quote_name
    item_table = quote(AgendaItem._meta.db_table)
    list_version = quote(AgendaItem._meta.get_field("list_version").column)
    item_pk = quote(AgendaItem._meta.pk.column)
    event_pk = quote(ListEvent._meta.pk.column)
    event_version = quote(ListEvent._meta.get_field("version").column)
    # Table and column names come from the models, values are parameters.
    sql = (
        f"WITH new_entries AS ({insert_entries}), "  # noqa: S608
        f"bumped AS (UPDATE {item_table} SET {list_version} = %s WHERE {item_pk} = %s), "
        f"events AS ({insert_events} RETURNING {event_pk}, {event_version}) "
        f"SELECT events.{event_pk}, pg_notify(%s, json_build_object("
        "'meeting', %s::text, 'item', %s::bigint, "
        f"'version', events.{event_version}::bigint, 'action', %s::text, "
        f"'event', events.{event_pk})::text) FROM events ORDER BY events.{event_version}"
    )
    params = [
        *entry_params,
        version,
        item.pk,
        *event_params,
        CHANNEL,
        item.meeting.slug,
        item.pk,
        "requested",
    ]
    if commit:
        with together(connection), connection.cursor() as cursor, connection.cursor() as end:
            cursor.execute(sql, params)
            end.execute("COMMIT")
            event_ids = [row[0] for row in cursor.fetchall()]
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            event_ids = [row[0] for row in cursor.fetchall()]
    for number, ((entry, *_rest), event_id) in enumerate(
        zip(rows, event_ids, strict=True), start=1
    ):
        entry._state.adding = False
        entry._state.db = using
        change = ListChange(
            meeting=item.meeting.slug,
            item=item.pk,
            version=base + number,
            action="requested",
            event=event_id,
        )
        transaction.on_commit(partial(publish_list_change, change), using=using)
    item.list_version = version


def _insert(rows: list, using: str, *, with_pk: bool) -> tuple[str, list]:
    """The INSERT of model instances (all of one model) as the ORM writes them (every column,
    prepared as for `save()`), to embed in a statement."""
    meta = rows[0]._meta
    fields = [field for field in meta.concrete_fields if with_pk or not field.primary_key]
    query = InsertQuery(type(rows[0]))
    query.insert_values(fields, rows)
    [(sql, params)] = query.get_compiler(using=using).as_sql()
    return sql, list(params)


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
