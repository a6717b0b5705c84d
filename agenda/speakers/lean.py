"""The lean write of a request for the floor, the busiest write there is (docs/performance.md,
issue 15): on PostgreSQL the item's lock and its list in one round trip, the list's rows sent
only when it is not the one this process keeps (`kept`), then the entries, the list's version,
their audit events and the notification in one statement, sent with the COMMIT when the
request is its own transaction. Elsewhere (SQLite) the same rows through the ORM, as every
other change makes them (`changes`).
"""

from datetime import datetime
from functools import cache, partial

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.sql import InsertQuery

from agenda.models import AgendaItem, FloorRequest, ListEvent
from delegations.models import Delegation, Group

from . import kept
from .changes import (
    CHANNEL,
    ListChange,
    item_of_row,
    lock_item,
    lock_sql,
    log_change,
    opened,
    publish_list_change,
)
from .ordering import Entry
from .selectors import entries_of, entry_of_row


def one_round_trip(*statements: str) -> str:
    """`statements` sent as one: PostgreSQL runs them one after the other, each with its own
    snapshot (a statement after a lock sees what the lock's previous holder committed), and
    their results come back together (one round trip; the parameters are bound by the client,
    as for every query Django sends; `cursor.nextset()` moves to the next result)."""
    return "; ".join(statements)


def lock_with_entries(
    item_id: int, *, using: str = DEFAULT_DB_ALIAS
) -> tuple[AgendaItem, list[Entry]]:
    """`lock_item`, then the item's entries as plain values (`locked_entries`): on PostgreSQL
    in one round trip (`one_round_trip`). The list is read by its own statement after the lock is
    granted, so it holds every entry committed by the writers before; its rows are sent only
    when it is not the list this process keeps (`kept`; then `item.list_kept` is true)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        item = lock_item(item_id)
        return item, locked_entries(item, using)
    connection.ensure_connection()
    known = kept.recall(item_id)
    with connection.cursor() as cursor:
        cursor.execute(
            _locked_list_sql(using),
            [item_id, item_id, known.digest if known else None],
        )
        row = cursor.fetchone()
        cursor.nextset()
        rows = cursor.fetchall()
    item = opened(item_of_row(row, using), closed_too=False)
    digest = rows[0][0]
    item.list_kept = known is not None and rows[0][1] is None and digest == known.digest
    if item.list_kept:
        entries = list(known.entries)  # unchanged since this process kept it
    else:
        found = [values for values in rows if values[1] is not None]
        entries = [entry_of_row(values[1:12]) for values in found]
        kept.remember(item_id, [values[12] for values in found], entries)
    item.kept_digest = digest
    return item, entries


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
    return _entries_select(connection, quote(FloorRequest._meta.db_table)) + (
        f"WHERE r.{quote(FloorRequest._meta.get_field('item').column)} = %s"
    )


def _entries_select(connection, source: str, *, version: str = "") -> str:
    """The columns of `entry_of_row` read from `source` (the entries' table, or rows just
    inserted into it), then, given the `version` of the entry's row (an SQL expression), its
    stamp and its id (`kept`)."""
    quote = connection.ops.quote_name
    request = FloorRequest._meta

    def column(name: str) -> str:
        return "r." + quote(request.get_field(name).column)

    names = ["id", "guest", "category", "kind", "requested_at", "status", "anchor"]
    pk, guest, category, kind, requested_at, status, anchor = (column(name) for name in names)
    stamp = ""
    if version:
        stamp = f", {kept.stamp_sql(f'{pk}|{version}', 'd', 'g')} AS stamp, {pk} AS entry_id"
    return (
        f"SELECT {pk}, d.{quote('code')}, {guest}, {category}, {kind}, {requested_at}, "  # noqa: S608
        f"{status}, {anchor}, {column('anchor_entry')}, g.{quote('code')}, "
        f"g.{quote(Group._meta.get_field('takes_precedence').column)}{stamp} "
        f"FROM {source} r "
        f"LEFT JOIN {quote(Delegation._meta.db_table)} d ON d.{quote('id')} = "
        f"{column('delegation')} "
        f"LEFT JOIN {quote(Group._meta.db_table)} g ON g.{quote('id')} = {column('on_behalf_of')} "
    )


@cache
def _locked_list_sql(using: str) -> str:
    """The lock, then the list with its digest (`_kept_entries_sql`): written once per
    process."""
    connection = connections[using]
    return one_round_trip(lock_sql(connection), _kept_entries_sql(connection))


@cache
def _fresh_entries_sql(using: str) -> str:
    """The entries a write inserts (`new_entries`), as the list reads them, with their stamps:
    the rows this transaction writes have its id as their version."""
    return _entries_select(
        connections[using], "new_entries", version="mod(txid_current(), 4294967296)"
    )


def _kept_entries_sql(connection) -> str:
    """The list as `_entries_sql` reads it, with each entry's stamp, after the digest of the
    stamps (first column of every row); the rows only when the digest is not the one given
    (the list kept in memory): otherwise one row, the digest and NULLs."""
    quote = connection.ops.quote_name
    entries = (
        _entries_select(connection, quote(FloorRequest._meta.db_table), version="r.xmin")
        + f"WHERE r.{quote(FloorRequest._meta.get_field('item').column)} = %s"
    )
    return (
        f"WITH entries AS ({entries}), "  # noqa: S608
        f"stamped AS (SELECT {kept.STAMPS_DIGEST} AS digest FROM entries) "
        "SELECT stamped.digest, entries.* FROM stamped "
        "LEFT JOIN entries ON stamped.digest IS DISTINCT FROM %s"
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
    event_entry = quote(ListEvent._meta.get_field("entry").column)
    # The new entries come back as the list reads them, with their stamps (`kept`).
    fresh = _fresh_entries_sql(using)
    # Table and column names come from the models, values are parameters.
    sql = (
        f"WITH new_entries AS ({insert_entries} RETURNING *), "  # noqa: S608
        f"bumped AS (UPDATE {item_table} SET {list_version} = %s WHERE {item_pk} = %s), "
        f"events AS ({insert_events} RETURNING {event_pk}, {event_version}, {event_entry}) "
        f"SELECT events.{event_pk}, pg_notify(%s, json_build_object("
        "'meeting', %s::text, 'item', %s::bigint, "
        f"'version', events.{event_version}::bigint, 'action', %s::text, "
        f"'event', events.{event_pk})::text), fresh.* FROM events "
        f"JOIN ({fresh}) fresh ON fresh.entry_id = events.{event_entry} "
        f"ORDER BY events.{event_version}"
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
        with connection.cursor() as cursor:
            cursor.execute(one_round_trip(sql, "COMMIT"), params)
            results = cursor.fetchall()
        # Committed: the list this process keeps gets the new entries.
        kept.added(
            item.pk,
            getattr(item, "kept_digest", None),
            [result[13] for result in results],
            [entry_of_row(result[2:13]) for result in results],
        )
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            results = cursor.fetchall()
    event_ids = [result[0] for result in results]
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
