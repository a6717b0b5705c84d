"""Plain reads: the rows every request for the floor reads, in SQL written once per process.

Compiling an ORM query costs more CPU than running it on this kind of machine (docs/
performance.md, "Second pass"), and a request for the floor reads the same few rows every
time: the item with its meeting, the delegation, who asks, the speaking rules, the lock. Here
each is one plain statement whose names come from the models, and each row is turned into
model instances with the ORM's own converters (`plain_select`, `plain_instances`), so they are
the same instances the ORM would give.
"""

import json
from functools import cache

from django.db import DEFAULT_DB_ALIAS, connections

from agenda.models import AgendaItem, FloorRequest, SpeakingRules
from delegations.categories import remembered_as_of
from delegations.models import Delegation, FocalPoint, Group, ParticipantCategory, Participation
from meetings.models import Meeting


@cache
def _reader(using: str, parts: tuple[tuple[type, str], ...]) -> tuple:
    """For `parts` ((model, table alias), ...): the select list of every concrete column, and
    what turns a row of it into model instances as the ORM would (its converters: aware
    datetimes, booleans and JSON on SQLite, JSON on PostgreSQL)."""
    connection = connections[using]
    quote = connection.ops.quote_name
    columns, spans = [], []
    for model, alias in parts:
        fields = model._meta.concrete_fields
        spans.append(
            (model, [f.attname for f in fields], len(fields), fields.index(model._meta.pk))
        )
        columns += [f.get_col(alias) for f in fields]
    converters = [
        connection.ops.get_db_converters(col) + col.get_db_converters(connection) for col in columns
    ]
    select = ", ".join(f"{col.alias}.{quote(col.target.column)}" for col in columns)
    return select, columns, converters, spans


def plain_select(parts: tuple[tuple[type, str], ...], using: str = DEFAULT_DB_ALIAS) -> str:
    """The select list of every column of `parts` ((model, table alias), ...)."""
    return _reader(using, parts)[0]


def plain_instances(parts: tuple, row, using: str = DEFAULT_DB_ALIAS) -> list:
    """The model instances of `parts` in a row read with `plain_select(parts)` (None for a
    part whose key is NULL: a LEFT JOIN that found nothing)."""
    connection = connections[using]
    _select, columns, converters, spans = _reader(using, parts)
    values = []
    for value, col, found in zip(row, columns, converters, strict=True):
        for converter in found:
            value = converter(value, col, connection)
        values.append(value)
    instances, start = [], 0
    for model, attnames, count, pk in spans:
        chunk = values[start : start + count]
        start += count
        instances.append(None if chunk[pk] is None else model.from_db(using, attnames, chunk))
    return instances


def _quoted(model, name: str) -> str:
    return connections[DEFAULT_DB_ALIAS].ops.quote_name(model._meta.get_field(name).column)


def _fetch(sql: str, params: list, *, many: bool = False):
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if many else cursor.fetchone()


def item_with_meeting(item_id: int) -> AgendaItem | None:
    """The item `item_id` with its meeting (`select_related("meeting")`), or None: one
    plain query."""
    parts = ((AgendaItem, "i"), (Meeting, "m"))
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    row = _fetch(
        f"SELECT {plain_select(parts)} FROM {quote(AgendaItem._meta.db_table)} i "  # noqa: S608
        f"JOIN {quote(Meeting._meta.db_table)} m ON m.{quote(Meeting._meta.pk.column)} = "
        f"i.{_quoted(AgendaItem, 'meeting')} WHERE i.{quote(AgendaItem._meta.pk.column)} = %s",
        [item_id],
    )
    if row is None:
        return None
    item, meeting = plain_instances(parts, row)
    item.meeting = meeting
    return item


def delegation_by_code(code: str) -> Delegation | None:
    """The delegation whose code is `code` (codes are unique), or None: one plain query."""
    parts = ((Delegation, "d"),)
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    row = _fetch(
        f"SELECT {plain_select(parts)} FROM {quote(Delegation._meta.db_table)} d "  # noqa: S608
        f"WHERE d.{_quoted(Delegation, 'code')} = %s "
        f"ORDER BY d.{quote(Delegation._meta.pk.column)} LIMIT 1",
        [code],
    )
    return None if row is None else plain_instances(parts, row)[0]


def standing(
    meeting_id: int, delegation_id: int, user_id: int | None, *, group: bool, item_id: int
) -> dict | None:
    """In one plain query: the delegation's category at the meeting (`category`), whether
    the user `user_id` is its focal point (`own`; False for no user) and, with `group`, the
    group whose own delegation it is (`own_group`: the first by code, or None). None when the
    delegation does not take part in the meeting. (`asks._standing` says when each is asked.)

    On PostgreSQL the same statement also reads what a request for the floor needs next,
    saving a round trip each: the speaking rules of the item `item_id` (`rules`, as
    `rules_rows` gives them), the id of the new entry (`entry_id`, as `lean.new_entry_id`
    draws it: a refused request leaves a gap in the ids, never in the versions) and the
    versions of the categories' rows, for `ParticipantCategory.table()` kept per process."""
    connection = connections[DEFAULT_DB_ALIAS]
    quote = connection.ops.quote_name
    delegation = f"p.{_quoted(Participation, 'delegation')}"
    columns = [
        f"EXISTS (SELECT 1 FROM {quote(FocalPoint._meta.db_table)} f "  # noqa: S608
        f"WHERE f.{_quoted(FocalPoint, 'user')} = %s "
        f"AND f.{_quoted(FocalPoint, 'delegation')} = {delegation})"
    ]
    params: list = [user_id]
    if group:
        columns.append(
            f"(SELECT g.{quote(Group._meta.pk.column)} FROM {quote(Group._meta.db_table)} g "  # noqa: S608
            f"WHERE g.{_quoted(Group, 'meeting')} = %s AND g.{_quoted(Group, 'delegation')} = "
            f"{delegation} ORDER BY g.{_quoted(Group, 'code')} LIMIT 1)"
        )
        params.append(meeting_id)
    more = connection.vendor == "postgresql"
    if more:
        categories = quote(ParticipantCategory._meta.db_table)
        key = quote(ParticipantCategory._meta.pk.column)
        rules = quote(SpeakingRules._meta.db_table)
        rules_item = _quoted(SpeakingRules, "item")
        columns += [
            f"(SELECT string_agg(c.{key}::text || c.xmin::text || c.ctid::text, ',' "  # noqa: S608
            f"ORDER BY c.{key}) FROM {categories} c)",
            f"(SELECT json_agg(json_build_array({plain_select(_RULES)})) FROM {rules} r "  # noqa: S608
            f"WHERE r.{_quoted(SpeakingRules, 'meeting')} = %s "
            f"AND (r.{rules_item} = %s OR r.{rules_item} IS NULL))",
            "nextval(pg_get_serial_sequence(%s, %s))",
        ]
        params += [
            meeting_id,
            item_id,
            FloorRequest._meta.db_table,
            FloorRequest._meta.pk.column,
        ]
    row = _fetch(
        f"SELECT p.{_quoted(Participation, 'category')}, {', '.join(columns)} "  # noqa: S608
        f"FROM {quote(Participation._meta.db_table)} p "
        f"WHERE p.{_quoted(Participation, 'meeting')} = %s AND {delegation} = %s "
        f"ORDER BY p.{quote(Participation._meta.pk.column)} LIMIT 1",
        [*params, meeting_id, delegation_id],
    )
    if row is None:
        return None
    found = {"category": row[0], "own": bool(row[1]) and user_id is not None}
    if group:
        found["own_group"] = row[2]
    if more:
        versions, rules_found, found["entry_id"] = row[-3:]
        remembered_as_of(ParticipantCategory.TABLE, versions, ParticipantCategory._read_table)
        if isinstance(rules_found, str):
            rules_found = json.loads(rules_found)
        found["rules"] = item_first(
            item_id, [plain_instances(_RULES, values)[0] for values in rules_found or ()]
        )
    return found


_RULES = ((SpeakingRules, "r"),)


def rules_of(meeting_id: int, item_id: int) -> list[SpeakingRules]:
    """The item's own speaking rules first, then the meeting's defaults (either may be
    missing), as `selectors.rules_rows` gives them: one plain query."""
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    column = _quoted(SpeakingRules, "item")
    rows = _fetch(
        f"SELECT {plain_select(_RULES)} FROM {quote(SpeakingRules._meta.db_table)} r "  # noqa: S608
        f"WHERE r.{_quoted(SpeakingRules, 'meeting')} = %s "
        f"AND (r.{column} = %s OR r.{column} IS NULL)",
        [meeting_id, item_id],
        many=True,
    )
    return item_first(item_id, [plain_instances(_RULES, row)[0] for row in rows])


def item_first(item_id: int, rows) -> list[SpeakingRules]:
    """Of a meeting's rules rows, the item's own first, then the meeting's defaults."""
    return sorted(
        (row for row in rows if row.item_id in (item_id, None)), key=lambda row: row.item_id is None
    )
