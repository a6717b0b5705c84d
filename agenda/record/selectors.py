"""The meeting's record: the delivered entries of its lists of speakers, read in a fixed
number of queries, and the figures drawn from them.

- `delivered()` reads the record (every entry that has spoken) with its statements, its
  Lausanne Action Plan tags and the speaker's self-declared gender, in six queries whatever
  the number of entries.
- `figures()` is pure: plain `Fact`s in, the tables of statistics out.
- `search()` finds entries by item title, delegation and the words of published statements:
  PostgreSQL full-text search on PostgreSQL, a plain search elsewhere.
- `programme_calendar()` writes the programme as an iCalendar file.
- `document_text()` reads the words of a DOCX or ODT file (standard library only).

Who the speaker was is known by name: the entry's speaker's name is matched (ignoring case and
spacing) to the delegates on the delegation's list for the meeting; their self-declared gender
counts, "not stated" when there is no match or the delegate did not state it.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from xml.etree import ElementTree

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from delegations.models import Category, Delegate
from meetings.models import Meeting

from .models import AgendaItem, FloorRequest, LapTag, Statement, StatementFile
from .ordering import Status
from .statements import public_statements

NOT_STATED = ""
GENDER_LABELS = {
    **dict(Delegate.Gender.choices),
    NOT_STATED: _("Not stated"),
}
GENDERS = [*Delegate.Gender.values, NOT_STATED]
CATEGORY_LABELS = dict(Category.choices)


def name_key(name: str) -> str:
    """A name as it is compared: spacing and case do not matter."""
    return " ".join((name or "").split()).casefold()


def item_sort_key(item: AgendaItem) -> tuple:
    """Agenda order: 2, 2(a), 2(b), …, 3 (the item's `parent` loaded)."""
    if item.parent_id is None:
        return (item.order, item.label, 0, 0, "")
    return (item.parent.order, item.parent.label, 1, item.order, item.label)


def clock(seconds: int | None) -> str:
    """A duration as it is read: 4:05, or 1:02:05 from an hour up."""
    if seconds is None:
        return ""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@dataclass
class RecordEntry:
    """One delivered entry of a list of speakers, with what the record says about it."""

    request: FloorRequest
    gender: str = NOT_STATED
    statements: list[Statement] = field(default_factory=list)
    actions: list = field(default_factory=list)
    number: int = 0  # its place among the entries delivered on the item, from 1

    @property
    def item(self) -> AgendaItem:
        return self.request.item

    @property
    def delegation(self):
        return self.request.delegation

    @property
    def seconds(self) -> int | None:
        value = self.request.duration_seconds
        return None if value is None else round(value)

    @property
    def duration(self) -> str:
        return clock(self.seconds)

    @property
    def gender_label(self) -> str:
        return str(GENDER_LABELS.get(self.gender, GENDER_LABELS[NOT_STATED]))

    @property
    def category_label(self) -> str:
        return str(CATEGORY_LABELS.get(self.request.category, self.request.category))

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
    secretariat's exports). Six queries, whatever the number of entries.
    """
    requests = FloorRequest.objects.filter(item__meeting=meeting, status=Status.SPOKEN.value)
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
    entries = [RecordEntry(request=r) for r in requests]
    for entry in entries:
        entry.actions = sorted((tag.action for tag in entry.request.lap_tags.all()), key=_number)
    _number_entries(meeting, entries)
    _attach_statements(entries, statements)
    _attach_genders(meeting, entries)
    return entries


def _number(action) -> int:
    return action.number


def _number_entries(meeting: Meeting, entries: list[RecordEntry]) -> None:
    """Each entry's place among those delivered on its item (one query)."""
    if not entries:
        return
    spoken = FloorRequest.objects.filter(
        item_id__in={entry.request.item_id for entry in entries}, status=Status.SPOKEN.value
    ).values_list("pk", "item_id", "started_at")
    places: dict[int, int] = {}
    counts: dict[int, int] = defaultdict(int)
    for pk, item_id, _started in sorted(spoken, key=lambda row: (row[2], row[0])):
        counts[item_id] += 1
        places[pk] = counts[item_id]
    for entry in entries:
        entry.number = places.get(entry.request.pk, 0)


def _attach_statements(entries: list[RecordEntry], statements: QuerySet[Statement]) -> None:
    """A statement belongs to the entry it was handed in for; when that entry was not
    delivered (or none was named), to the delegation's last delivered entry on the item."""
    if not entries:
        return
    by_id = {entry.request.pk: entry for entry in entries}
    last: dict[tuple[int, int], RecordEntry] = {}
    for entry in entries:
        last[(entry.request.item_id, entry.request.delegation_id)] = entry
    rows = statements.prefetch_related(
        Prefetch("files", queryset=StatementFile.objects.order_by("language").defer("text"))
    ).order_by("created_at", "id")
    for statement in rows:
        entry = by_id.get(statement.floor_request_id) or last.get(
            (statement.item_id, statement.delegation_id)
        )
        if entry is not None:
            statement.item = entry.request.item
            statement.delegation = entry.request.delegation
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
        found = genders.get((entry.request.delegation_id, name_key(entry.request.speaker_name)))
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
    entries = FloorRequest.objects.filter(item__meeting=meeting, status=Status.SPOKEN.value)
    files = StatementFile.objects.filter(
        statement__in=public_statements().filter(item__meeting=meeting)
    )
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

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
        # The entry a statement belongs to, as on the pages (`_attach_statements`).
        spoken: dict[int, tuple] = {}
        last: dict[tuple[int, int], tuple] = {}
        for pk, item_id, delegation_id, started_at in entries.filter(
            item_id__in={hit[1] for hit in hits},
            delegation_id__in={hit[2] for hit in hits},
        ).values_list("pk", "item_id", "delegation_id", "started_at"):
            spoken[pk] = (item_id, delegation_id)
            key = (item_id, delegation_id)
            if key not in last or (started_at, pk) > last[key]:
                last[key] = (started_at, pk)
        for floor_request_id, item_id, delegation_id in hits:
            if floor_request_id in spoken:
                matched.add(floor_request_id)
            elif (item_id, delegation_id) in last:
                matched.add(last[(item_id, delegation_id)][1])
    return sorted(matched)


# --- the figures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    """One delivered entry, as the statistics see it."""

    category: str
    delegation: str
    delegation_name: str
    item: str
    item_title: str
    seconds: int
    gender: str = NOT_STATED


@dataclass
class Cell:
    count: int = 0
    seconds: int = 0

    def add(self, seconds: int) -> None:
        self.count += 1
        self.seconds += seconds

    @property
    def duration(self) -> str:
        return clock(self.seconds)


@dataclass
class Line:
    """One line of a table: a category, a delegation, an item or a gender."""

    key: str
    label: str
    total: Cell = field(default_factory=Cell)
    genders: dict[str, Cell] = field(default_factory=lambda: {g: Cell() for g in GENDERS})
    share: float = 0.0  # of the table's speaking time, in per cent

    @property
    def by_gender(self) -> list[Cell]:
        return [self.genders[gender] for gender in GENDERS]


@dataclass
class Table:
    key: str
    title: str
    lines: list[Line]
    total: Line

    @property
    def widest(self) -> int:
        return max((line.total.seconds for line in self.lines), default=0)


@dataclass
class Figures:
    tables: list[Table]

    def table(self, key: str) -> Table:
        return next(table for table in self.tables if table.key == key)


def facts(entries: list[RecordEntry]) -> list[Fact]:
    return [
        Fact(
            category=entry.request.category,
            delegation=entry.delegation.code,
            delegation_name=entry.delegation.name,
            item=entry.item.code,
            item_title=entry.item.title,
            seconds=entry.seconds or 0,
            gender=entry.gender,
        )
        for entry in entries
    ]


def figures(rows: list[Fact]) -> Figures:
    """Number of entries and speaking time by category, delegation, item and gender; each
    line split by the speakers' self-declared gender. Categories in their usual order, items
    in the order met (agenda order), delegations by name, genders as declared then "not
    stated"."""
    categories = {value: Line(value, str(label)) for value, label in Category.choices}
    delegations: dict[str, Line] = {}
    items: dict[str, Line] = {}
    genders = {value: Line(value or "not_stated", str(GENDER_LABELS[value])) for value in GENDERS}
    total = Line("total", str(_("Total")))
    for fact in rows:
        category = categories.setdefault(fact.category, Line(fact.category, fact.category))
        delegation = delegations.setdefault(
            fact.delegation, Line(fact.delegation, fact.delegation_name)
        )
        item = items.setdefault(fact.item, Line(fact.item, f"{fact.item} {fact.item_title}"))
        gender = fact.gender if fact.gender in GENDERS else NOT_STATED
        for line in (category, delegation, item, genders[gender], total):
            line.total.add(fact.seconds)
            line.genders[gender].add(fact.seconds)

    def table(key: str, title, lines: list[Line]) -> Table:
        for line in lines:
            line.share = (
                round(100 * line.total.seconds / total.total.seconds, 1)
                if total.total.seconds
                else 0.0
            )
        return Table(key, str(title), lines, total)

    return Figures(
        [
            table("category", _("By category"), [c for c in categories.values() if c.total.count]),
            table("gender", _("By gender (self-declared)"), list(genders.values())),
            table("item", _("By item"), list(items.values())),
            table(
                "delegation",
                _("By delegation"),
                sorted(delegations.values(), key=lambda line: (line.label.casefold(), line.key)),
            ),
        ]
    )


# --- the programme as a calendar ---------------------------------------------------------------


def programme_calendar(meeting: Meeting, sittings: list, url: str = "") -> bytes:
    """The meeting's sittings as iCalendar events in the meeting's time zone; each event lists
    the items taken up (`sitting.items`, set by the caller)."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//Intersessional//Programme//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", meeting.short_title or meeting.title)
    calendar.add("x-wr-timezone", meeting.time_zone)
    zone = meeting.tzinfo
    location = ", ".join(part for part in (meeting.room, meeting.venue, meeting.city) if part)
    for sitting in sittings:
        event = Event()
        event.add("uid", f"{meeting.slug}-sitting-{sitting.pk}@intersessional")
        event.add("summary", f"{meeting.short_title or meeting.title}: {sitting.title}".strip())
        event.add("dtstart", datetime.combine(sitting.date, sitting.start_time, tzinfo=zone))
        event.add("dtend", datetime.combine(sitting.date, sitting.end_time, tzinfo=zone))
        event.add("dtstamp", datetime.combine(meeting.start_date, datetime.min.time(), zone))
        if location:
            event.add("location", location)
        lines = [f"{item.code} {item.title}" for item in sitting.items]
        if lines:
            event.add("description", "\n".join(lines))
        if url:
            event.add("url", url)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


# --- the words of a document ---------------------------------------------------------------------

TEXT_PART_LIMIT = 20 * 1024 * 1024
TEXT_LIMIT = 500_000
WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ODF_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def document_text(data: bytes) -> str:
    """The words of a DOCX or ODT document, paragraph by paragraph; "" for anything else (a
    PDF, a damaged file). Standard library only: a document is a ZIP of XML parts."""
    if data[:4] != b"PK\x03\x04":
        return ""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                root = _xml(archive, "word/document.xml")
                paragraphs = [
                    "".join(
                        node.text or ""
                        for node in paragraph.iter()
                        if node.tag == f"{WORD}t" or node.tag == f"{WORD}tab"
                    )
                    for paragraph in root.iter(f"{WORD}p")
                ]
            elif "content.xml" in names:
                root = _xml(archive, "content.xml")
                paragraphs = [
                    "".join(node.itertext())
                    for node in root.iter()
                    if node.tag in (f"{ODF_TEXT}p", f"{ODF_TEXT}h")
                ]
            else:
                return ""
    except (zipfile.BadZipFile, ElementTree.ParseError, OSError, ValueError, KeyError):
        return ""
    text = "\n".join(p.strip() for p in paragraphs if p.strip())
    return re.sub(r"[ \t]+", " ", text)[:TEXT_LIMIT]


def _xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    info = archive.getinfo(name)
    if info.file_size > TEXT_PART_LIMIT:
        raise ValueError(name)
    with archive.open(info) as part:
        # The parser (expat ≥ 2.4) refuses entity expansion attacks; sizes are capped above.
        return ElementTree.fromstring(part.read(TEXT_PART_LIMIT + 1))  # noqa: S314
