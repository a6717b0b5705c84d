"""The meeting's record: the delivered entries of its lists of speakers, read in a fixed
number of queries.

- `delivered()` reads the record (every entry that has spoken) with its statements, its
  Lausanne Action Plan tags and the speaker's self-declared gender, in six queries whatever
  the number of entries; `facts()` turns it into what `agenda.record.figures` counts.
- `search()` finds entries by item title, delegation and the words of published statements:
  PostgreSQL full-text search on PostgreSQL, a plain search elsewhere.
- `statement_entry()` says which delivered entry a statement belongs to, for both.

Who the speaker was is known by name: the entry's speaker's name is matched (ignoring case and
spacing) to the delegates on the delegation's list for the meeting; their self-declared gender
counts, "not stated" when there is no match or the delegate did not state it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Prefetch, Q, QuerySet

from agenda.durations import duration_text
from agenda.models import AgendaItem, FloorRequest, LapTag, Statement, StatementFile
from agenda.speakers.ordering import Status
from agenda.speakers.selectors import applied_limit, overtime, time_limits_of
from agenda.statements.selectors import public_statements
from delegations.models import Delegate, ParticipantCategory
from meetings.models import Meeting

from .figures import NOT_STATED, Fact

DELIVERED = Q(status=Status.SPOKEN.value) | Q(status=Status.ABSENT.value, started_at__isnull=False)
"""The entries of the record: every speech given, including one cut short when the chair marked
the speaker absent while speaking (what was said is said)."""


def is_delivered(entry: FloorRequest) -> bool:
    """`DELIVERED`, of one entry in memory."""
    return entry.status == Status.SPOKEN or (
        entry.status == Status.ABSENT and entry.started_at is not None
    )


def name_key(name: str) -> str:
    """A name as it is compared: spacing and case do not matter."""
    return " ".join((name or "").split()).casefold()


def item_sort_key(item: AgendaItem) -> tuple:
    """Agenda order: 2, 2(a), 2(b), …, 3 (the item's `parent` loaded)."""
    if item.parent_id is None:
        return (item.order, item.label, 0, 0, "")
    return (item.parent.order, item.parent.label, 1, item.order, item.label)


@dataclass
class RecordEntry:
    """One delivered entry of a list of speakers, with what the record says about it."""

    floor_request: FloorRequest
    gender: str = NOT_STATED
    statements: list[Statement] = field(default_factory=list)
    actions: list = field(default_factory=list)
    number: int = 0  # its place among the entries delivered on the item, from 1
    limit: int | None = None  # seconds: the limit that applied, extension included

    @property
    def item(self) -> AgendaItem:
        return self.floor_request.item

    @property
    def delegation(self):
        return self.floor_request.delegation

    @property
    def seconds(self) -> int | None:
        value = self.floor_request.duration_seconds
        return None if value is None else round(value)

    @property
    def duration(self) -> str:
        return duration_text(self.seconds)

    @property
    def limit_text(self) -> str:
        return duration_text(self.limit)

    @property
    def extension_text(self) -> str:
        """The extension the chair granted (part of the limit), "" when none."""
        return duration_text(self.floor_request.extension_seconds or None)

    @property
    def overtime(self) -> timedelta | None:
        """How far the speech went over its limit, exactly: a fraction of a second counts."""
        if self.limit is None:
            return None
        return overtime(self.floor_request.speaking_time(), self.limit)

    @property
    def overtime_seconds(self) -> float | None:
        """The overtime in seconds, to the millisecond (as the API gives durations)."""
        over = self.overtime
        return None if over is None else round(over.total_seconds(), 3)

    @property
    def over_limit(self) -> bool:
        return bool(self.overtime)

    @property
    def overtime_text(self) -> str:
        """The overtime as read beside a duration, in tenths of a second rounded up so that
        any overtime shows: +0:00.4, +1:12.0; "" within the limit."""
        if not self.over_limit:
            return ""
        microseconds = self.overtime // timedelta(microseconds=1)
        tenths = -(-microseconds // 100_000)  # rounded up
        minutes, tenths = divmod(tenths, 600)
        return f"+{minutes}:{tenths // 10:02d}.{tenths % 10}"

    @property
    def category_label(self) -> str:
        """The name of the category the entry was recorded under (`ParticipantCategory`)."""
        return ParticipantCategory.table().label(self.floor_request.category)

    @property
    def files(self) -> list[StatementFile]:
        return [file for statement in self.statements for file in statement.files.all()]


def delivered(
    meeting: Meeting,
    *,
    item: AgendaItem | None = None,
    delegation=None,
    ids: list[int] | None = None,
    public: bool = True,
) -> list[RecordEntry]:
    """The delivered entries of the meeting, in agenda order then in the order spoken.

    Narrowed to one item, one delegation or some entries (`ids`). `public`: only statements
    their delegations published (the public pages); else every statement handed in (the
    secretariat's exports). Six queries, whatever the number of entries (a seventh when some
    speech began before limits were kept with speeches: `_attach_limits`).
    """
    requests = FloorRequest.objects.filter(DELIVERED, item__meeting=meeting)
    statements = public_statements() if public else Statement.objects.all()
    statements = statements.filter(item__meeting=meeting)
    if item is not None:
        requests = requests.filter(item=item)
        statements = statements.filter(item=item)
    if delegation is not None:
        requests = requests.filter(delegation=delegation)
        statements = statements.filter(delegation=delegation)
    if ids is not None:
        requests = requests.filter(pk__in=ids)
    requests = list(
        requests.select_related("delegation", "item__parent").prefetch_related(
            Prefetch("lap_tags", queryset=LapTag.objects.select_related("action"))
        )
    )
    for request in requests:
        request.item.meeting = meeting
    requests.sort(key=lambda r: (item_sort_key(r.item), r.started_at, r.pk))
    entries = [RecordEntry(floor_request=r) for r in requests]
    for entry in entries:
        entry.actions = sorted(
            (tag.action for tag in entry.floor_request.lap_tags.all()), key=_number
        )
    _number_entries(meeting, entries)
    _attach_statements(entries, statements)
    _attach_genders(meeting, entries)
    _attach_limits(entries)
    return entries


def _attach_limits(entries: list[RecordEntry]) -> None:
    """The limit that applied to each entry (`applied_limit`): the one kept with the speech
    when it began, plus its extension. A speech that began before limits were kept with
    speeches has the item's limit now instead: read then only (one query)."""
    unkept = {
        entry.item.pk: entry.item
        for entry in entries
        if entry.floor_request.time_limit_seconds is None
    }
    limits = time_limits_of(list(unkept.values()))
    for entry in entries:
        entry.limit = applied_limit(entry.floor_request, limits.get(entry.item.pk, {}))


def _number(action) -> int:
    return action.number


def _number_entries(meeting: Meeting, entries: list[RecordEntry]) -> None:
    """Each entry's place among those delivered on its item (one query)."""
    if not entries:
        return
    spoken = FloorRequest.objects.filter(
        DELIVERED, item_id__in={entry.floor_request.item_id for entry in entries}
    ).values_list("pk", "item_id", "started_at")
    places: dict[int, int] = {}
    counts: dict[int, int] = defaultdict(int)
    for pk, item_id, _started in sorted(spoken, key=lambda row: (row[2], row[0])):
        counts[item_id] += 1
        places[pk] = counts[item_id]
    for entry in entries:
        entry.number = places.get(entry.floor_request.pk, 0)


type Spoken = tuple[datetime, int]  # (started_at, id) of a delivered entry


def statement_entry(
    floor_request_id: int | None, delivered: Iterable[Spoken], handed_in_for: set[int]
) -> int | None:
    """The delivered entry a statement belongs to: the one it was handed in for, when that
    was delivered; else (it was not, or none was named) the delegation's last delivered entry
    on the item. `delivered`: the delegation's delivered entries on the item; `handed_in_for`:
    the ids of all delivered entries. None when the delegation delivered nothing there."""
    if floor_request_id in handed_in_for:
        return floor_request_id
    last = max(delivered, default=None)
    return None if last is None else last[1]


def _attach_statements(entries: list[RecordEntry], statements: QuerySet[Statement]) -> None:
    """Each statement on the entry it belongs to (`statement_entry`)."""
    if not entries:
        return
    by_id = {entry.floor_request.pk: entry for entry in entries}
    spoken: dict[tuple[int, int], list[Spoken]] = defaultdict(list)
    for entry in entries:
        delivered = entry.floor_request
        spoken[(delivered.item_id, delivered.delegation_id)].append(
            (delivered.started_at, delivered.pk)
        )
    rows = statements.prefetch_related(
        Prefetch("files", queryset=StatementFile.objects.order_by("language").defer("text"))
    ).order_by("created_at", "id")
    delivered_ids = set(by_id)
    for statement in rows:
        pk = statement_entry(
            statement.floor_request_id,
            spoken.get((statement.item_id, statement.delegation_id), ()),
            delivered_ids,
        )
        if pk is not None:
            entry = by_id[pk]
            statement.item = entry.floor_request.item
            statement.delegation = entry.floor_request.delegation
            entry.statements.append(statement)


def _attach_genders(meeting: Meeting, entries: list[RecordEntry]) -> None:
    """The self-declared gender of the delegate whose name the entry gives, "" when unknown
    (no name, no such delegate, or two delegates of that name who say differently)."""
    if not entries:
        return
    genders: dict[tuple[int, str], set[str]] = defaultdict(set)
    for delegation_id, name, gender in Delegate.objects.filter(
        participation__meeting=meeting
    ).values_list("participation__delegation_id", "name", "gender"):
        genders[(delegation_id, name_key(name))].add(gender)
    for entry in entries:
        found = genders.get(
            (entry.floor_request.delegation_id, name_key(entry.floor_request.speaker_name))
        )
        entry.gender = next(iter(found)) if found and len(found) == 1 else NOT_STATED


# --- the search -------------------------------------------------------------------------------

SEARCH_CONFIG = "simple"  # statements come in six languages: words are matched as written


def search(meeting: Meeting, query: str) -> list[int]:
    """The ids of the delivered entries matching `query`: by the item's title (or its
    parent's), the delegation's name or code, the speaker's name, or the words of a published
    statement (DOCX and ODT texts). Unpublished statements are never searched."""
    query = " ".join((query or "").split())
    if not query:
        return []
    entries = FloorRequest.objects.filter(DELIVERED, item__meeting=meeting)
    files = StatementFile.objects.filter(
        statement__in=public_statements().filter(item__meeting=meeting)
    )
    if connection.vendor == "postgresql":
        wanted = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
        matched = set(
            entries.annotate(
                document=SearchVector(
                    "item__title",
                    "item__parent__title",
                    "delegation__name",
                    "delegation__code",
                    "speaker_name",
                    config=SEARCH_CONFIG,
                )
            )
            .filter(document=wanted)
            .values_list("pk", flat=True)
        )
        files = files.annotate(document=SearchVector("text", config=SEARCH_CONFIG)).filter(
            document=wanted
        )
    else:
        words = query.split()
        condition = Q()
        text = Q()
        for word in words:
            condition &= (
                Q(item__title__icontains=word)
                | Q(item__parent__title__icontains=word)
                | Q(delegation__name__icontains=word)
                | Q(delegation__code__iexact=word)
                | Q(speaker_name__icontains=word)
            )
            text &= Q(text__icontains=word)
        matched = set(entries.filter(condition).values_list("pk", flat=True))
        files = files.filter(text)
    hits = set(
        files.values_list(
            "statement__floor_request_id", "statement__item_id", "statement__delegation_id"
        )
    )
    if hits:
        spoken: dict[tuple[int, int], list[Spoken]] = defaultdict(list)
        for pk, item_id, delegation_id, started_at in entries.filter(
            item_id__in={hit[1] for hit in hits},
            delegation_id__in={hit[2] for hit in hits},
        ).values_list("pk", "item_id", "delegation_id", "started_at"):
            spoken[(item_id, delegation_id)].append((started_at, pk))
        ids = {pk for rows in spoken.values() for _started, pk in rows}
        for floor_request_id, item_id, delegation_id in hits:
            pk = statement_entry(floor_request_id, spoken.get((item_id, delegation_id), ()), ids)
            if pk is not None:
                matched.add(pk)
    return sorted(matched)


def facts(entries: list[RecordEntry]) -> list[Fact]:
    categories = ParticipantCategory.table()
    return [
        Fact(
            category=entry.floor_request.category,
            category_label=categories.label(entry.floor_request.category),
            category_rank=categories.rank(entry.floor_request.category),
            delegation=entry.delegation.code,
            delegation_name=entry.delegation.name,
            item=entry.item.code,
            item_title=entry.item.title,
            seconds=entry.seconds or 0,
            gender=entry.gender,
        )
        for entry in entries
    ]


def total_duration(entries: list[RecordEntry]) -> str:
    """The speaking time of `entries` together, as it is read (1:02:05)."""
    return duration_text(sum(entry.seconds or 0 for entry in entries))
