"""The record as django-import-export resources: lists of speakers, statements, the Lausanne
Action Plan tags and the statistics, for the admin, `manage.py export` and the record pages.

Each resource exports rows read by `agenda.record.selectors` (a fixed number of queries).
Without a meeting it exports every meeting (the library's `manage.py export CSV
agenda.record.resources.SpeakerResource`). `public=True` keeps to what the public pages show:
statements their delegations published, once delivered. Times are ISO 8601 in the meeting's
local time with its offset (`2025-04-07T10:00:00+02:00`), as text in every format; durations
in whole seconds and as m:ss; the limit that applied to a speech (extension included) and the
extension in whole seconds, the overtime exactly, to the millisecond (a fraction of a second
over is over). The headers, "yes" and "no", and the names (of items, delegations, categories in
the statistics) are in the active language: the language of the export's address
(`/fr/meetings/…/record/export/speakers.csv`); codes and ISO times are the same in every
language. Who spoke and for whom: the delegation (empty for a speaker without one), the
group spoken for (`on behalf of`: its code; and its name), the co-sponsors' codes separated by
spaces, the speaker (a speaker without a delegation's name, or the delegation's speaker's) and
where they delivered from (`presence`). Text that a spreadsheet would take for a formula is
neutralised (`meetings.exports`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources

from agenda.models import AgendaItem, FloorRequest, LapAction, LapArea, Statement, StatementFile
from agenda.statements.selectors import download_name
from meetings.exports import InertExport
from meetings.models import Meeting

from .figures import GENDERS, Line, Table, figures
from .selectors import DELIVERED, RecordEntry, delivered, facts


def local(value, meeting: Meeting) -> str:
    """A time as ISO 8601, in the meeting's time zone, with its offset, to the second."""
    if value is None:
        return ""
    return timezone.localtime(value, meeting.tzinfo).isoformat(timespec="seconds")


def seconds_value(value: float | None) -> float | int | str:
    """Seconds as a number: whole ones without a decimal point; "" when unknown."""
    if value is None:
        return ""
    return int(value) if value == int(value) else value


def yes_no(value: bool) -> str:
    return gettext("yes") if value else gettext("no")


def co_sponsor_codes(entry: RecordEntry) -> str:
    """The codes of a joint statement's co-sponsors, in name order, separated by spaces."""
    return " ".join(delegation.code for delegation in entry.co_sponsors)


class RecordResource(InertExport, resources.Resource):
    """Rows from the record instead of a model's queryset; no cell a formula."""

    def __init__(
        self,
        *,
        meeting: Meeting | None = None,
        item: AgendaItem | None = None,
        public: bool = False,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.meeting = meeting
        self.item = item
        self.public = public

    def meetings(self, queryset: QuerySet | None) -> list[Meeting]:
        if self.meeting is not None:
            return [self.meeting]
        spoken = FloorRequest.objects.filter(DELIVERED)
        if queryset is not None:
            spoken = spoken.filter(pk__in=queryset.values("pk"))
        return list(
            Meeting.objects.filter(agenda_items__floor_requests__in=spoken)
            .distinct()
            .order_by("start_date", "slug")
        )

    def entries(self, queryset: QuerySet | None = None) -> list[RecordEntry]:
        ids = None if queryset is None else list(queryset.values_list("pk", flat=True))
        return [
            entry
            for meeting in self.meetings(queryset)
            for entry in delivered(meeting, item=self.item, ids=ids, public=self.public)
        ]

    def rows(self, queryset) -> list:
        raise NotImplementedError

    @classmethod
    def get_display_name(cls) -> str:
        return cls._meta.name or cls.__name__

    def get_queryset(self):
        return None

    def export(self, queryset=None, **kwargs):
        return super().export(queryset=self.rows(queryset), **kwargs)


class SpeakerResource(RecordResource):
    """A list of speakers as delivered: one row per entry (an item's, or the meeting's)."""

    meeting_slug = fields.Field(column_name=_("meeting"))
    item = fields.Field(column_name=_("item"))
    item_title = fields.Field(column_name=_("item title"))
    number = fields.Field(column_name=_("number"))
    delegation_code = fields.Field(column_name=_("delegation code"))
    delegation = fields.Field(column_name=_("delegation"))
    category = fields.Field(column_name=_("category"))
    on_behalf_of = fields.Field(column_name=_("on behalf of"))
    on_behalf_of_name = fields.Field(column_name=_("on behalf of (name)"))
    co_sponsors = fields.Field(column_name=_("co-sponsors"))
    kind = fields.Field(column_name=_("kind"))
    speaker = fields.Field(column_name=_("speaker"))
    presence = fields.Field(column_name=_("presence"))
    language = fields.Field(column_name=_("language"))
    began = fields.Field(column_name=_("began"))
    ended = fields.Field(column_name=_("ended"))
    paused_seconds = fields.Field(column_name=_("paused (s)"))
    duration_seconds = fields.Field(column_name=_("duration (s)"))
    duration = fields.Field(column_name=_("duration"))
    time_limit_seconds = fields.Field(column_name=_("time limit (s)"))
    extension_seconds = fields.Field(column_name=_("extension (s)"))
    overtime_seconds = fields.Field(column_name=_("overtime (s)"))
    statements = fields.Field(column_name=_("statement languages"))
    check_against_delivery = fields.Field(column_name=_("check against delivery"))
    lap_actions = fields.Field(column_name=_("LAP actions"))

    class Meta:
        name = "speakers"

    def rows(self, queryset) -> list[RecordEntry]:
        return self.entries(queryset)

    def dehydrate_meeting_slug(self, entry: RecordEntry) -> str:
        return entry.item.meeting.slug

    def dehydrate_item(self, entry: RecordEntry) -> str:
        return entry.item.code

    def dehydrate_item_title(self, entry: RecordEntry) -> str:
        return entry.item.title

    def dehydrate_number(self, entry: RecordEntry) -> int:
        return entry.number

    def dehydrate_delegation_code(self, entry: RecordEntry) -> str:
        return entry.delegation_code

    def dehydrate_delegation(self, entry: RecordEntry) -> str:
        return entry.delegation_name

    def dehydrate_category(self, entry: RecordEntry) -> str:
        return entry.floor_request.category

    def dehydrate_on_behalf_of(self, entry: RecordEntry) -> str:
        return entry.group.code if entry.group else ""

    def dehydrate_on_behalf_of_name(self, entry: RecordEntry) -> str:
        return entry.group.name if entry.group else ""

    def dehydrate_co_sponsors(self, entry: RecordEntry) -> str:
        return co_sponsor_codes(entry)

    def dehydrate_kind(self, entry: RecordEntry) -> str:
        return entry.floor_request.kind

    def dehydrate_speaker(self, entry: RecordEntry) -> str:
        return entry.speaker

    def dehydrate_presence(self, entry: RecordEntry) -> str:
        return entry.floor_request.presence

    def dehydrate_language(self, entry: RecordEntry) -> str:
        return entry.floor_request.language

    def dehydrate_began(self, entry: RecordEntry) -> str:
        return local(entry.floor_request.started_at, entry.item.meeting)

    def dehydrate_ended(self, entry: RecordEntry) -> str:
        return local(entry.floor_request.ended_at, entry.item.meeting)

    def dehydrate_paused_seconds(self, entry: RecordEntry) -> int:
        return round(entry.floor_request.paused_total.total_seconds())

    def dehydrate_duration_seconds(self, entry: RecordEntry) -> int | str:
        return "" if entry.seconds is None else entry.seconds

    def dehydrate_duration(self, entry: RecordEntry) -> str:
        return entry.duration

    def dehydrate_time_limit_seconds(self, entry: RecordEntry) -> int | str:
        return "" if entry.limit is None else entry.limit

    def dehydrate_extension_seconds(self, entry: RecordEntry) -> int:
        return entry.floor_request.extension_seconds

    def dehydrate_overtime_seconds(self, entry: RecordEntry) -> float | int | str:
        return seconds_value(entry.overtime_seconds)

    def dehydrate_statements(self, entry: RecordEntry) -> str:
        return ", ".join(file.language for file in entry.files)

    def dehydrate_check_against_delivery(self, entry: RecordEntry) -> str:
        if not entry.statements:
            return ""
        return yes_no(any(s.check_against_delivery for s in entry.statements))

    def dehydrate_lap_actions(self, entry: RecordEntry) -> str:
        return ", ".join(str(action.number) for action in entry.actions)


@dataclass
class FileRow:
    entry: RecordEntry
    statement: Statement
    file: StatementFile


class StatementResource(RecordResource):
    """The statements handed in for delivered entries: one row per language version."""

    meeting_slug = fields.Field(column_name=_("meeting"))
    item = fields.Field(column_name=_("item"))
    item_title = fields.Field(column_name=_("item title"))
    delegation_code = fields.Field(column_name=_("delegation code"))
    delegation = fields.Field(column_name=_("delegation"))
    on_behalf_of = fields.Field(column_name=_("on behalf of"))
    co_sponsors = fields.Field(column_name=_("co-sponsors"))
    speaker = fields.Field(column_name=_("speaker"))
    began = fields.Field(column_name=_("began"))
    language = fields.Field(column_name=_("language"))
    check_against_delivery = fields.Field(column_name=_("check against delivery"))
    published = fields.Field(column_name=_("published"))
    file_name = fields.Field(column_name=_("file"))
    link = fields.Field(column_name=_("link"))

    class Meta:
        name = "statements"

    def rows(self, queryset) -> list[FileRow]:
        return [
            FileRow(entry, statement, file)
            for entry in self.entries(queryset)
            for statement in entry.statements
            for file in statement.files.all()
        ]

    def dehydrate_meeting_slug(self, row: FileRow) -> str:
        return row.entry.item.meeting.slug

    def dehydrate_item(self, row: FileRow) -> str:
        return row.entry.item.code

    def dehydrate_item_title(self, row: FileRow) -> str:
        return row.entry.item.title

    def dehydrate_delegation_code(self, row: FileRow) -> str:
        return row.entry.delegation_code

    def dehydrate_delegation(self, row: FileRow) -> str:
        return row.entry.delegation_name

    def dehydrate_on_behalf_of(self, row: FileRow) -> str:
        return row.entry.group.code if row.entry.group else ""

    def dehydrate_co_sponsors(self, row: FileRow) -> str:
        return co_sponsor_codes(row.entry)

    def dehydrate_speaker(self, row: FileRow) -> str:
        return row.entry.speaker

    def dehydrate_began(self, row: FileRow) -> str:
        return local(row.entry.floor_request.started_at, row.entry.item.meeting)

    def dehydrate_language(self, row: FileRow) -> str:
        return row.file.language

    def dehydrate_check_against_delivery(self, row: FileRow) -> str:
        return yes_no(row.statement.check_against_delivery)

    def dehydrate_published(self, row: FileRow) -> str:
        return yes_no(row.statement.is_published)

    def dehydrate_file_name(self, row: FileRow) -> str:
        row.file.statement = row.statement
        return download_name(row.file)

    def dehydrate_link(self, row: FileRow) -> str:
        return reverse("statement_file_download", args=[row.file.pk])


@dataclass
class TagRow:
    area: LapArea
    action: LapAction
    entry: RecordEntry | None


class LapResource(RecordResource):
    """A coordinators' area of the Lausanne Action Plan: for each action, the delivered
    entries tagged with it and their statements (an action without any has one empty row)."""

    area_name = fields.Field(column_name=_("area"))
    action = fields.Field(column_name=_("action"))
    action_title = fields.Field(column_name=_("action title"))
    meeting_slug = fields.Field(column_name=_("meeting"))
    item = fields.Field(column_name=_("item"))
    delegation_code = fields.Field(column_name=_("delegation code"))
    delegation = fields.Field(column_name=_("delegation"))
    category = fields.Field(column_name=_("category"))
    on_behalf_of = fields.Field(column_name=_("on behalf of"))
    kind = fields.Field(column_name=_("kind"))
    speaker = fields.Field(column_name=_("speaker"))
    began = fields.Field(column_name=_("began"))
    duration = fields.Field(column_name=_("duration"))
    statements = fields.Field(column_name=_("statements"))

    class Meta:
        name = "lap"

    def __init__(self, *, area: LapArea | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.area = area

    def rows(self, queryset) -> list[TagRow]:
        actions = LapAction.objects.select_related("area").order_by("number")
        if self.area is not None:
            actions = actions.filter(area=self.area)
        by_action: dict[int, list[RecordEntry]] = {}
        for entry in self.entries(queryset):
            for action in entry.actions:
                by_action.setdefault(action.pk, []).append(entry)
        return [
            TagRow(action.area, action, entry)
            for action in actions
            for entry in (by_action.get(action.pk) or [None])
        ]

    def dehydrate_area_name(self, row: TagRow) -> str:
        return row.area.title

    def dehydrate_action(self, row: TagRow) -> int:
        return row.action.number

    def dehydrate_action_title(self, row: TagRow) -> str:
        return row.action.title

    def _entry(self, row: TagRow, read) -> str:
        return "" if row.entry is None else read(row.entry)

    def dehydrate_meeting_slug(self, row: TagRow) -> str:
        return self._entry(row, lambda e: e.item.meeting.slug)

    def dehydrate_item(self, row: TagRow) -> str:
        return self._entry(row, lambda e: e.item.code)

    def dehydrate_delegation_code(self, row: TagRow) -> str:
        return self._entry(row, lambda e: e.delegation_code)

    def dehydrate_delegation(self, row: TagRow) -> str:
        return self._entry(row, lambda e: e.delegation_name)

    def dehydrate_on_behalf_of(self, row: TagRow) -> str:
        return self._entry(row, lambda e: e.group.code if e.group else "")

    def dehydrate_category(self, row: TagRow) -> str:
        return self._entry(row, lambda e: e.floor_request.category)

    def dehydrate_kind(self, row: TagRow) -> str:
        return self._entry(row, lambda e: e.floor_request.kind)

    def dehydrate_speaker(self, row: TagRow) -> str:
        return self._entry(row, lambda e: e.speaker)

    def dehydrate_began(self, row: TagRow) -> str:
        return self._entry(row, lambda e: local(e.floor_request.started_at, e.item.meeting))

    def dehydrate_duration(self, row: TagRow) -> str:
        return self._entry(row, lambda e: e.duration)

    def dehydrate_statements(self, row: TagRow) -> str:
        return self._entry(
            row,
            lambda e: " ".join(
                f"{file.language}:{reverse('statement_file_download', args=[file.pk])}"
                for file in e.files
            ),
        )


@dataclass
class FigureRow:
    table: Table
    line: Line


def _gender_column(gender: str, what: str) -> str:
    return f"{gender or 'not stated'} ({what})"


class StatisticsResource(RecordResource):
    """The statistics tables, one after the other: by category, gender, item and delegation
    (the speakers without a delegation on a line apart, key `without_delegation`), the
    statements on behalf of groups (with the delegations each represents) and the joint
    statements (with their co-sponsors); each line with its number of entries and speaking
    time, split by self-declared gender."""

    table = fields.Field(column_name=_("table"))
    key = fields.Field(column_name=_("key"))
    label = fields.Field(column_name=_("label"))
    count = fields.Field(column_name=_("entries"))
    seconds = fields.Field(column_name=_("speaking time (s)"))
    share = fields.Field(column_name=_("share of time (%)"))
    represented = fields.Field(column_name=_("delegations represented"))

    class Meta:
        name = "statistics"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        for gender in GENDERS:
            for what, read in (
                ("entries", lambda line, g=gender: line.genders[g].count),
                ("s", lambda line, g=gender: line.genders[g].seconds),
            ):
                name = f"gender_{gender or 'not_stated'}_{what}"
                self.fields[name] = fields.Field(
                    column_name=_gender_column(gender, what),
                    dehydrate_method=lambda row, read=read: read(row.line),
                )

    def rows(self, queryset) -> list[FigureRow]:
        computed = figures(facts(self.entries(queryset)))
        return [FigureRow(table, line) for table in computed.tables for line in table.rows]

    def dehydrate_table(self, row: FigureRow) -> str:
        return row.table.key

    def dehydrate_key(self, row: FigureRow) -> str:
        return row.line.key

    def dehydrate_label(self, row: FigureRow) -> str:
        return row.line.label

    def dehydrate_count(self, row: FigureRow) -> int:
        return row.line.total.count

    def dehydrate_seconds(self, row: FigureRow) -> int:
        return row.line.total.seconds

    def dehydrate_share(self, row: FigureRow) -> float:
        return row.line.share

    def dehydrate_represented(self, row: FigureRow) -> int | str:
        return "" if row.line.represented is None else row.line.represented


RESOURCES = {
    "speakers": SpeakerResource,
    "statements": StatementResource,
    "lap": LapResource,
    "statistics": StatisticsResource,
}
