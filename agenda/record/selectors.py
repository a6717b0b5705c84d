"""The meeting's record: the delivered entries of its lists of speakers, read in a fixed
number of queries.

- `delivered()` reads the record (every entry that has spoken) with who spoke and for whom
  (the delegation or the speaker without one, the group, the co-sponsors), its statements,
  its Lausanne Action Plan tags and the speaker's self-declared gender, in seven queries
  whatever the number of entries; `facts()` turns it into what `agenda.record.figures` counts.
- `search()` finds entries by item title, delegation, group, co-sponsor, speaker and the words
  of published statements: PostgreSQL full-text search on PostgreSQL, a plain search elsewhere.
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
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from agenda.durations import duration_text
from agenda.models import AgendaItem, FloorRequest, LapTag, Statement, StatementFile
from agenda.models.requests import Presence
from agenda.speakers.ordering import Status
from agenda.speakers.selectors import applied_limit, overtime, time_limits_of
from agenda.statements.selectors import public_statements
from delegations.models import Delegate, Delegation, Group, ParticipantCategory
from meetings.collation import folded
from meetings.languages import in_every_language
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
    def delegation(self) -> Delegation | None:
        """The delegation that took the floor; None for a speaker without a delegation."""
        return self.floor_request.delegation

    @property
    def delegation_code(self) -> str:
        return self.delegation.code if self.delegation else ""

    @property
    def delegation_name(self) -> str:
        return self.delegation.name if self.delegation else ""

    @property
    def group(self) -> Group | None:
        """The group the delegation spoke for; None in its own name."""
        return self.floor_request.on_behalf_of

    @property
    def co_sponsors(self) -> list[Delegation]:
        """The co-sponsors of a joint statement, by name (prefetched)."""
        return list(self.floor_request.co_sponsors.all())

    @property
    def speaker(self) -> str:
        """The person who spoke: a speaker without a delegation by their name, a delegation's
        speaker by the name the entry gives ("" when none was given)."""
        request = self.floor_request
        return request.guest.name if request.guest_id else request.speaker_name

    @property
    def speaker_detail(self) -> str:
        """A speaker without a delegation's title and organisation."""
        return self.floor_request.speaker_detail

    @property
    def away(self) -> str:
        """Where the speaker delivered from when not in the room ("Remote", "Pre-recorded
        video"); "" in the room."""
        request = self.floor_request
        return "" if request.presence == Presence.ROOM else request.get_presence_display()

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
        """The name of the category the entry was recorded under (`ParticipantCategory`); a
        speaker without a delegation has none."""
        if self.delegation is None:
            return _("Speaker without a delegation")
        return ParticipantCategory.table().label(self.floor_request.category)

    @property
    def files(self) -> list[StatementFile]:
        return [file for statement in self.statements for file in statement.files.all()]


def delivered(
    meeting: Meeting,
    *,
    item: AgendaItem | None = None,
    delegation: Delegation | None = None,
    co_sponsor: Delegation | None = None,
    ids: list[int] | None = None,
    public: bool = True,
) -> list[RecordEntry]:
    """The delivered entries of the meeting, in agenda order then in the order spoken.

    Narrowed to one item, the entries one delegation read (in its own name or for a group),
    the joint statements a delegation co-sponsored (`co_sponsor`), or some entries (`ids`).
    `public`: only statements their delegations published (the public pages); else every
    statement handed in (the secretariat's exports). Seven queries, whatever the number of
    entries (an eighth when some speech began before limits were kept with speeches:
    `_attach_limits`).
    """
    requests = FloorRequest.objects.filter(DELIVERED, item__meeting=meeting)
    if item is not None:
        requests = requests.filter(item=item)
    if delegation is not None:
        requests = requests.filter(delegation=delegation)
    if co_sponsor is not None:
        requests = requests.filter(co_sponsors=co_sponsor)
    if ids is not None:
        requests = requests.filter(pk__in=ids)
    requests = list(
        requests.for_display()
        .select_related("item__parent")
        .prefetch_related(Prefetch("lap_tags", queryset=LapTag.objects.select_related("action")))
    )
    for request in requests:
        request.item.meeting = meeting
    requests.sort(key=lambda r: (item_sort_key(r.item), r.started_at, r.pk))
    entries = [RecordEntry(floor_request=r) for r in requests]
    for entry in entries:
        entry.actions = sorted(
            (tag.action for tag in entry.floor_request.lap_tags.all()), key=_number
        )
    statements = public_statements() if public else Statement.objects.all()
    statements = statements.filter(
        item_id__in={r.item_id for r in requests},
        delegation_id__in={r.delegation_id for r in requests if r.delegation_id is not None},
    )
    spoken = _number_entries(entries)
    _attach_statements(entries, statements, spoken)
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


def _number_entries(entries: list[RecordEntry]) -> dict[tuple[int, int], list[Spoken]]:
    """Each entry's place among those delivered on its item (one query). Returns every
    delivered entry of those items by (item, delegation), for `_attach_statements`: a
    statement belongs to one of its delegation's entries on the item, loaded or not."""
    spoken: dict[tuple[int, int], list[Spoken]] = defaultdict(list)
    if not entries:
        return spoken
    rows = FloorRequest.objects.filter(
        DELIVERED, item_id__in={entry.floor_request.item_id for entry in entries}
    ).values_list("pk", "item_id", "delegation_id", "started_at")
    places: dict[int, int] = {}
    counts: dict[int, int] = defaultdict(int)
    for pk, item_id, delegation_id, started in sorted(rows, key=lambda row: (row[3], row[0])):
        counts[item_id] += 1
        places[pk] = counts[item_id]
        if delegation_id is not None:
            spoken[(item_id, delegation_id)].append((started, pk))
    for entry in entries:
        entry.number = places.get(entry.floor_request.pk, 0)
    return spoken


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


def _attach_statements(
    entries: list[RecordEntry],
    statements: QuerySet[Statement],
    spoken: dict[tuple[int, int], list[Spoken]],
) -> None:
    """Each statement on the entry it belongs to (`statement_entry`), when that entry is
    among `entries`. `spoken`: every delivered entry of the delegations on the items (a
    delegation's page lists only part of an item's entries; a statement handed in for an
    entry not shown is not shown either)."""
    if not entries:
        return
    by_id = {entry.floor_request.pk: entry for entry in entries}
    rows = statements.prefetch_related(
        Prefetch("files", queryset=StatementFile.objects.order_by("language").defer("text"))
    ).order_by("created_at", "id")
    delivered_ids = {pk for rows in spoken.values() for _started, pk in rows}
    for statement in rows:
        pk = statement_entry(
            statement.floor_request_id,
            spoken.get((statement.item_id, statement.delegation_id), ()),
            delivered_ids,
        )
        if pk in by_id:
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
        if entry.floor_request.delegation_id is None:
            continue  # not on any delegation's list: not stated
        found = genders.get(
            (entry.floor_request.delegation_id, name_key(entry.floor_request.speaker_name))
        )
        entry.gender = next(iter(found)) if found and len(found) == 1 else NOT_STATED


# --- the search -------------------------------------------------------------------------------

SEARCH_CONFIG = "simple"  # statements come in six languages: words are matched as written


SEARCHED = (
    *in_every_language("item__title"),
    *in_every_language("item__parent__title"),
    *in_every_language("delegation__name"),
    "delegation__code",
    "speaker_name",
    "guest__name",
    "guest__title",
    "guest__organisation",
    "on_behalf_of__code",
    *in_every_language("on_behalf_of__name"),
    *in_every_language("co_sponsors__name"),
    "co_sponsors__code",
)
"""What the search reads of an entry: the item, who spoke (a delegation, its speaker, or a
speaker without a delegation) and for whom (the group, the co-sponsors); titles and names in
each of the six languages, so that "Allemagne" finds Germany whatever the page's language."""
CODES = {"delegation__code", "on_behalf_of__code", "co_sponsors__code"}  # matched whole


def search(meeting: Meeting, query: str) -> list[int]:
    """The ids of the delivered entries matching `query`: by the item's code ("2(c)") or
    title (or its parent's), the delegation's name or code, the speaker's name (a
    delegation's speaker, or a speaker without a delegation with their title and
    organisation), the group spoken for, a co-sponsor, or the words of a published statement
    (DOCX and ODT texts). Unpublished statements are never searched."""
    query = " ".join((query or "").split())
    if not query:
        return []
    entries = FloorRequest.objects.filter(DELIVERED, item__meeting=meeting)
    files = StatementFile.objects.filter(
        statement__in=public_statements().filter(item__meeting=meeting)
    )
    matched = _entries_matching(entries, folded(query).split())
    if connection.vendor == "postgresql":
        wanted = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
        files = files.annotate(document=SearchVector("text", config=SEARCH_CONFIG)).filter(
            document=wanted
        )
    else:
        text = Q()
        for word in query.split():
            text &= Q(text__icontains=word)
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


def _entries_matching(entries: QuerySet[FloorRequest], words: list[str]) -> set[int]:
    """The entries every word of `words` (folded: no accents, one case) is found in: in a
    code whole (the item's "2(c)", a delegation's, a group's, a co-sponsor's), or in a part of
    a name or title. Matched here, not by the database, so that SQLite and PostgreSQL find
    the same ("cote" finds Côte d'Ivoire on both). One query."""
    codes: dict[int, set[str]] = defaultdict(set)
    texts: dict[int, list[str]] = defaultdict(list)
    for pk, label, parent, *values in entries.values_list(
        "pk", "item__label", "item__parent__label", *SEARCHED
    ):
        codes[pk].add(folded(f"{parent}({label})" if parent else label))
        for name, value in zip(SEARCHED, values, strict=True):
            if value:
                (codes[pk].add if name in CODES else texts[pk].append)(folded(value))
    return {
        pk
        for pk in codes
        if all(word in codes[pk] or any(word in text for text in texts[pk]) for word in words)
    }


def facts(entries: list[RecordEntry]) -> list[Fact]:
    """What `agenda.record.figures` counts of each entry: who read it (no delegation for a
    speaker without one), for which group (with its number of members: one query when some
    entry was made on behalf of a group) and with which co-sponsors."""
    categories = ParticipantCategory.table()
    group_ids = {entry.floor_request.on_behalf_of_id for entry in entries} - {None}
    members = (
        dict(
            Group.objects.filter(pk__in=group_ids)
            .annotate(count=Count("members"))
            .values_list("pk", "count")
        )
        if group_ids
        else {}
    )
    rows = []
    for entry in entries:
        request = entry.floor_request
        group = entry.group
        without = entry.delegation is None
        rows.append(
            Fact(
                category="" if without else request.category,
                category_label="" if without else categories.label(request.category),
                category_rank=None if without else categories.rank(request.category),
                delegation=entry.delegation_code,
                delegation_name=entry.delegation_name,
                item=entry.item.code,
                item_title=entry.item.title,
                seconds=entry.seconds or 0,
                gender=entry.gender,
                group=group.code if group else "",
                group_name=group.name if group else "",
                group_members=members.get(request.on_behalf_of_id, 0),
                co_sponsors=tuple(delegation.code for delegation in entry.co_sponsors),
            )
        )
    return rows


def total_duration(entries: list[RecordEntry]) -> str:
    """The speaking time of `entries` together, as it is read (1:02:05)."""
    return duration_text(sum(entry.seconds or 0 for entry in entries))
