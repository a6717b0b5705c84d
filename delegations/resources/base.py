"""What every delegation list shares: reading the file's cells, finding the meeting, checking
each row before it is written, all or nothing.

Five lists, each a `ListResource` in a module of this package:

- `delegations.DelegationResource` ("delegations"): one row per delegation at a meeting, with
  its category there. A row creates or updates the `Delegation` (by its code) and its
  `Participation` in the meeting.
- `delegates.DelegateResource` ("delegates"): one row per person on a delegation's list for
  a meeting.
- `focal_points.FocalPointResource` ("focal-points"): one row per focal point's account and
  delegation.
- `groups.GroupResource` ("groups"): one row per group of a meeting (the European Union, a
  regional group), with its members.
- `guests.GuestResource` ("guests"): one row per speaker without a delegation at a meeting (the
  President, the ISU, a panellist).

Every import is all or nothing, whoever calls it (the admin, the `import` command,
`delegations.imports.import_file`): `ListResource.import_data` checks the file's columns
first, checks every row before it is written (`before_import_row` raises a `ValidationError`
keyed by the file's column) and rolls everything back when any row is wrong. Row numbers in
the results are spreadsheet rows: the header is row 1, the first data row is row 2.

The same column names are used for export, so an exported file imports again (text an export
neutralised, `'=…`, is read back as it was: `meetings.exports`).
"""

from __future__ import annotations

import math

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import resources

from meetings.exports import InertExport, restored
from meetings.models import Meeting

from ..models import Delegation, Participation
from ..problems import Problems, clip, comma_list
from .names import in_english


class ImportProblem(Exception):
    """A problem with the file as a whole (a missing column, no meeting to import into).

    Its message is a complete sentence for the person who uploaded the file.
    """


def cell_text(value) -> str:
    """A cell as trimmed text: empty for None, 7 for the number 7.0 (spreadsheets store numbers
    as floats), `-Foo` for `'-Foo` (as an export neutralised it)."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    return restored(str(value).strip())


def unstorable(text: str) -> str | None:
    """Why a database cannot keep `text`, or None when it can: a NUL character (PostgreSQL
    refuses it, SQLite keeps it) or a broken character (an unpaired surrogate)."""
    if "\x00" in text:
        return _(
            "The cell holds a character that cannot be stored (a NUL character). Type the "
            "value again without it."
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _(
            "The cell holds a character that cannot be stored (a broken character). Type the "
            "value again without it."
        )
    return None


def column_letter(index: int) -> str:
    """The spreadsheet letter of the column at `index` (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def find_default_meeting(meeting: Meeting | None = None) -> tuple[Meeting | None, str]:
    """The meeting rows without a meeting go to, or None and the reason there is none.

    The meeting given by the caller, else the current meeting (`Meeting.objects.current()`),
    else the only meeting there is.
    """
    if meeting is not None:
        return meeting, ""
    current = Meeting.objects.current()
    if current is not None:
        return current, ""
    meetings = list(Meeting.objects.order_by("slug"))
    if len(meetings) == 1:
        return meetings[0], ""
    if not meetings:
        return None, _(
            "There is no meeting to import into. Create the meeting first, then add a "
            '"meeting" column with its slug.'
        )
    return None, _(
        "There are %(count)s meetings and none of them is current, so the file must say "
        'which one it is for: add a "meeting" column with the meeting\'s slug (one of: '
        "%(slugs)s)."
    ) % {"count": len(meetings), "slugs": comma_list(m.slug for m in meetings)}


class ListResource(InertExport, resources.ModelResource):
    """What the delegation lists share: reading the file, the meeting, all or nothing; an
    export with no cell a formula."""

    #: The name used by the `import` command and `import_file()`.
    short_name = ""
    #: Every column a file may have, in the order an export writes them.
    columns: tuple[str, ...] = ()
    #: Other headers a file may use for a column (`name_zh` for `name_zh_hans`): read, never
    #: listed.
    column_aliases: tuple[str, ...] = ()
    #: Columns a file must have; a tuple inside means "at least one of these".
    required_columns: tuple[str | tuple[str, ...], ...] = ()
    #: The relations an export reads in the same query as the rows.
    export_related: tuple[str, ...] = ()

    class Meta:
        import_id_fields = ()
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def __init__(self, *, meeting: Meeting | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.given_meeting = meeting
        self.reset()

    def reset(self) -> None:
        self.row_numbers: list[int] = []
        self.meetings_by_slug: dict[str, Meeting] = {}
        self.default_meeting_and_reason: tuple[Meeting | None, str] | None = None
        self.delegations_by_code: dict[str, Delegation] | None = None
        self.participations_by_meeting: dict[int, dict[str, Participation]] = {}
        self.first_row_of: dict[tuple, int] = {}
        self.checked_row = None

    # What a file looks like ------------------------------------------------------------

    @classmethod
    def count_phrase(cls, count: int) -> str:
        """ "3 delegations": how many rows of this list, for summaries."""
        raise NotImplementedError

    @classmethod
    def column_descriptions(cls) -> list[str]:
        """The columns of a file, required ones first: "name", "iso3 or code", "kind
        (optional)"."""
        described = []
        required = set()
        for group in cls.required_columns:
            options = group if isinstance(group, tuple) else (group,)
            described.append(_(" or ").join(options))
            required.update(options)
        described += [
            _("%(column)s (optional)") % {"column": column}
            for column in cls.columns
            if column not in required
        ]
        return described

    def get_queryset(self):
        return self.filter_export(super().get_queryset())

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related(*self.export_related)

    def import_data(
        self,
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=None,
        collect_failed_rows=False,
        rollback_on_validation_errors=False,
        **kwargs,
    ):
        """Import every row of `dataset`, or none.

        Always in a transaction that is rolled back when any row is invalid or fails,
        whatever the caller asked for (`use_transactions` and `rollback_on_validation_errors`
        are accepted for compatibility and ignored). Problems with the file as a whole are
        base errors holding an `ImportProblem`; problems of rows are invalid rows whose
        `number` is the spreadsheet row.
        """
        self.reset()
        table, problems = self.clean_table(dataset)
        if not problems:
            problems = self.meeting_problems(table)
        if problems:
            return self.file_problems_result(dataset, problems)
        result = super().import_data(
            table,
            dry_run=dry_run,
            raise_errors=raise_errors,
            use_transactions=True,
            collect_failed_rows=collect_failed_rows,
            rollback_on_validation_errors=True,
            **kwargs,
        )
        for invalid in result.invalid_rows:
            invalid.number = self.row_numbers[invalid.number - 1]
        for failed in result.error_rows:
            failed.number = self.row_numbers[failed.number - 1]
            for error in failed.errors:
                error.number = failed.number
        return result

    def clean_table(self, dataset) -> tuple[tablib.Dataset, list[str]]:
        """The rows as trimmed text under lower-case headers, without blank rows, and the
        problems with the columns.

        Remembers the spreadsheet row number of each row kept: row i of `dataset` (from 0)
        is row i + 2 of the spreadsheet.
        """
        raw_headers = list(dataset.headers or [])
        if not raw_headers:
            return tablib.Dataset(), [
                _("The file is empty. Row 1 must name the columns: %(columns)s.")
                % {"columns": comma_list(self.columns)}
            ]
        headers = [cell_text(header).lower() for header in raw_headers]
        rows = [[cell_text(value) for value in values] for values in dataset]
        problems = []
        keep = []
        for index, header in enumerate(headers):
            if header:
                keep.append(index)
            elif any(row[index] for row in rows):
                problems.append(
                    _("Column %(letter)s has values but no name in row 1. Name it or delete it.")
                    % {"letter": column_letter(index)}
                )
        named = [headers[index] for index in keep]
        for header in dict.fromkeys(named):
            if named.count(header) > 1:
                problems.append(
                    _('The file has the column "%(column)s" twice.') % {"column": header}
                )
            elif header not in self.columns and header not in self.column_aliases:
                problems.append(
                    _(
                        'The file has a column "%(column)s" that is not known. Known columns: '
                        "%(columns)s."
                    )
                    % {"column": header, "columns": comma_list(self.columns)}
                )
        for required in self.required_columns:
            options = required if isinstance(required, tuple) else (required,)
            if not any(option in named for option in options):
                problems.append(
                    _("The file has no %(column)s column. It needs the columns: %(columns)s.")
                    % {
                        "column": _(" or ").join(f'"{option}"' for option in options),
                        "columns": self.required_columns_description(),
                    }
                )
        table = tablib.Dataset(headers=named)
        for number, row in enumerate(rows, start=2):
            values = [row[index] for index in keep]
            if any(values):
                table.append(values)
                self.row_numbers.append(number)
        if not table.height and not problems:
            problems.append(_("The file has no rows to import below its header."))
        return table, problems

    def required_columns_description(self) -> str:
        return comma_list(self.column_descriptions()[: len(self.required_columns)])

    def meeting_problems(self, table: tablib.Dataset) -> list[str]:
        """Problems with finding the meeting: there is no meeting column and no meeting to
        import into."""
        self.meetings_by_slug = {meeting.slug: meeting for meeting in Meeting.objects.all()}
        if "meeting" in table.headers:
            return []
        meeting, reason = self.default_meeting()
        return [] if meeting else [reason]

    def default_meeting(self) -> tuple[Meeting | None, str]:
        if self.default_meeting_and_reason is None:
            self.default_meeting_and_reason = find_default_meeting(self.given_meeting)
        return self.default_meeting_and_reason

    def file_problems_result(self, dataset, problems: list[str]):
        result = self.get_result_class()()
        result.diff_headers = self.get_diff_headers()
        result.total_rows = len(dataset)
        for problem in problems:
            result.append_base_error(self.get_error_result_class()(ImportProblem(problem)))
        return result

    # One row ---------------------------------------------------------------------------

    def before_import_row(self, row, **kwargs):
        """Check the row; raise a ValidationError keyed by column when it is wrong."""
        number = self.row_numbers[kwargs["row_number"] - 1]
        problems = Problems()
        for column, value in row.items():
            reason = unstorable(value)
            if reason:
                problems.add(column, reason)
        if not problems:
            self.checked_row = self.check_row(row, number, problems)
        if problems:
            # In the file's column order.
            order = {column: index for index, column in enumerate(row)}
            raise ValidationError(
                dict(sorted(problems.by_field.items(), key=lambda item: order.get(item[0], 99)))
            )

    def check_row(self, row, number: int, problems: Problems):
        """The row's values, ready to write; adds what is wrong to `problems`."""
        raise NotImplementedError

    def check_meeting_cell(self, row, problems: Problems) -> Meeting | None:
        slug = row.get("meeting", "")
        if not slug:
            meeting = self.default_meeting()[0]
            if meeting is None:
                problems.add(
                    "meeting",
                    _(
                        "The cell is empty and there is no current meeting. Fill in the "
                        "meeting's slug."
                    ),
                )
            return meeting
        meeting = self.meetings_by_slug.get(slug)
        if meeting is None:
            problems.add(
                "meeting",
                _('"%(value)s" is not a meeting. Use the slug of one of: %(slugs)s.')
                % {"value": clip(slug), "slugs": comma_list(sorted(self.meetings_by_slug))},
            )
        return meeting

    def check_delegation_cell(
        self, code: str, problems: Problems, column: str = "delegation"
    ) -> Delegation | None:
        """The delegation whose code is `code`; adds a problem (to `column`) when there is
        none."""
        if self.delegations_by_code is None:
            self.delegations_by_code = {d.code: d for d in Delegation.objects.all()}
        delegation = self.delegations_by_code.get(code)
        if delegation is None:
            problems.add(
                column,
                _(
                    '"%(value)s" is not a delegation code. Import the delegations first, '
                    "or correct the code."
                )
                % {"value": clip(code)},
            )
        return delegation

    def participation(self, meeting: Meeting, code: str) -> Participation | None:
        """The delegation `code` at `meeting`, or None when it is not on the meeting's list
        (the meeting's list read once per import)."""
        if meeting.pk not in self.participations_by_meeting:
            self.participations_by_meeting[meeting.pk] = {
                p.delegation.code: p
                for p in Participation.objects.filter(meeting=meeting).select_related(
                    "delegation", "meeting"
                )
            }
        return self.participations_by_meeting[meeting.pk].get(code)

    def check_participant(
        self, code: str, meeting: Meeting | None, problems: Problems, column: str = "delegation"
    ) -> Participation | None:
        """The delegation `code` at `meeting`; adds a problem (to `column`) naming the code
        when it is not a delegation, or does not take part in the meeting."""
        delegation = self.check_delegation_cell(code, problems, column)
        if delegation is None or meeting is None:
            return None
        participation = self.participation(meeting, code)
        if participation is None:
            problems.add(
                column,
                _(
                    '"%(value)s" is not on the list of delegations of %(meeting)s. '
                    "Import it in the delegations list first."
                )
                % {"value": code, "meeting": meeting.slug},
            )
        return participation

    def check_not_repeated(
        self, key: tuple, number: int, problems: Problems, column: str, message, **params
    ):
        """Add `message` if `key` was already on an earlier row (`%(row)s` in the message)."""
        first_row = self.first_row_of.setdefault(key, number)
        if first_row != number:
            problems.add(column, message % {**params, "row": first_row})

    def import_instance(self, instance, row, **kwargs):
        """Set the checked values (the resource's fields are used for export only)."""
        raise NotImplementedError

    def do_instance_save(self, instance, is_create):
        # A translated name's original column holds English, whatever the language of the
        # person importing (`names`).
        with in_english():
            super().do_instance_save(instance, is_create)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Skip (count as unchanged) an existing row that the file leaves as it is; a new one
        is always written, even when the file gives no more than its key."""
        if instance.pk is None:
            return False
        return super().skip_row(instance, original, row, import_validation_errors)
