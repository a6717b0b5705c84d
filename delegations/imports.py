"""Importing a delegation list (or a meeting's groups, or its speakers without a delegation)
from a file: reading it, importing it, saying what went wrong.

One entry point, `import_file()`, serves the `import` command and other code (`load_demo`);
the admin reads uploads with the same readers (`CSVImportFormat`, `XLSXImportFormat`) and
reports with the same `problems()`. What a row means and when it is wrong is in the
`delegations.resources` package, one module per list.

Files are read as bytes: CSV as UTF-8 with or without a byte order mark and with any line
ends, XLSX from its first sheet. Blank rows are kept while reading so that row numbers stay
those of the spreadsheet.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

import openpyxl
import tablib
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from import_export.formats import base_formats
from import_export.results import Result, RowResult

from meetings.models import Meeting

from .resources.base import ImportProblem, ListResource
from .resources.delegates import DelegateResource
from .resources.delegations import DelegationResource
from .resources.groups import GroupResource
from .resources.guests import GuestResource

RESOURCES: dict[str, type[ListResource]] = {
    resource.short_name: resource
    for resource in (DelegationResource, DelegateResource, GroupResource, GuestResource)
}
FORMATS = ("csv", "xlsx")


class ImportFileError(Exception):
    """The file cannot be read as a table; `messages` says why, in plain words."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(" ".join(messages))
        self.messages = messages


def resource_class(name: str) -> type[ListResource]:
    """The resource called `name` ("delegations", "delegates", "groups", "guests") or at the
    dotted path `name`.

    Raises LookupError with a readable message for anything else.
    """
    if name in RESOURCES:
        return RESOURCES[name]
    try:
        found = import_string(name)
    except ImportError:
        found = None
    if isinstance(found, type) and issubclass(found, ListResource) and found.short_name:
        return found
    raise LookupError(
        _('"%(name)s" is not a list that can be imported. Use one of: %(choices)s.')
        % {"name": name, "choices": ", ".join(RESOURCES)}
    )


def file_format(file_name: str, format: str | None = None) -> str:
    """ "csv" or "xlsx": `format` if given, else from the file name's extension."""
    chosen = (format or PurePath(file_name).suffix.lstrip(".")).lower()
    if chosen not in FORMATS:
        raise ImportFileError(
            [
                _(
                    'Cannot read "%(name)s": use a .csv or .xlsx file (or say which one it is '
                    "with --format)."
                )
                % {"name": PurePath(file_name).name}
            ]
        )
    return chosen


def read_dataset(data: bytes, *, file_name: str = "", format: str | None = None) -> tablib.Dataset:
    """The table in `data`: row 1 gives the headers, every other row is kept (blank ones too),
    every cell is text."""
    if file_format(file_name, format) == "xlsx":
        return read_xlsx(data)
    return read_csv(data)


def read_csv(data: bytes | str) -> tablib.Dataset:
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ImportFileError(
                [
                    _(
                        "The file is not UTF-8 text (byte %(position)s cannot be read). In "
                        'your spreadsheet program, save it as "CSV UTF-8".'
                    )
                    % {"position": error.start + 1}
                ]
            ) from error
    else:
        text = data.removeprefix("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first_line and "," not in first_line else ","
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise ImportFileError(
            [_("The file cannot be read as CSV: %(error)s.") % {"error": error}]
        ) from error
    return table_from_rows(rows)


def read_xlsx(data: bytes) -> tablib.Dataset:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportFileError(
            [_("The file cannot be read as an Excel workbook (.xlsx).")]
        ) from error
    sheet = workbook.worksheets[0]
    rows = [list(values) for values in sheet.iter_rows(min_row=1, values_only=True)]
    return table_from_rows(rows)


def table_from_rows(rows: list[list]) -> tablib.Dataset:
    """A dataset from rows of cells, the first being the headers.

    A row longer than the header is a problem unless the extra cells are empty (a value with
    a comma that was not quoted splits into two cells).
    """
    if not rows:
        return tablib.Dataset()
    headers = rows[0]
    width = len(headers)
    problems = []
    body = []
    for number, row in enumerate(rows[1:], start=2):
        extra = [cell for cell in row[width:] if cell not in (None, "")]
        if extra:
            problems.append(
                _(
                    "Row %(row)s has %(count)s values, but row 1 names only %(width)s "
                    "columns. Put values that contain a comma in double quotes."
                )
                % {"row": number, "count": width + len(extra), "width": width}
            )
        cells = list(row[:width])
        body.append(cells + [""] * (width - len(cells)))
    if problems:
        raise ImportFileError(problems)
    return tablib.Dataset(*body, headers=headers)


def problems(result: Result) -> list[str]:
    """Every problem of an import, one readable line each, by row and column."""
    lines = []
    for error in result.base_errors:
        if isinstance(error.error, ImportProblem):
            lines.append(str(error.error))
        else:
            lines.append(_("The import failed: %(error)s") % {"error": error.error})
    found = [(row.number, "invalid", row) for row in result.invalid_rows]
    found += [(row.number, "error", row) for row in result.error_rows]
    for number, kind, row in sorted(found, key=lambda item: item[0]):
        if kind == "error":
            lines.extend(
                _("Row %(row)s: could not be saved (%(error)s).")
                % {"row": number, "error": error.error}
                for error in row.errors
            )
            continue
        for column, messages in row.error_dict.items():
            for message in messages:
                if column == NON_FIELD_ERRORS:
                    lines.append(
                        _("Row %(row)s: %(message)s") % {"row": number, "message": message}
                    )
                else:
                    lines.append(
                        _('Row %(row)s, column "%(column)s": %(message)s')
                        % {"row": number, "column": column, "message": message}
                    )
    return lines


@dataclass
class ImportReport:
    """What an import did, or why it did nothing."""

    resource: type[ListResource]
    dry_run: bool = False
    errors: list[str] = field(default_factory=list)
    new: int = 0
    updated: int = 0
    unchanged: int = 0

    @classmethod
    def from_result(
        cls, resource: type[ListResource], result: Result, *, dry_run: bool = False
    ) -> ImportReport:
        errors = problems(result)
        if errors:
            return cls(resource=resource, dry_run=dry_run, errors=errors)
        return cls(
            resource=resource,
            dry_run=dry_run,
            new=result.totals[RowResult.IMPORT_TYPE_NEW],
            updated=result.totals[RowResult.IMPORT_TYPE_UPDATE],
            unchanged=result.totals[RowResult.IMPORT_TYPE_SKIP],
        )

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total(self) -> int:
        return self.new + self.updated + self.unchanged

    def summary(self) -> str:
        """One line: what was imported, what would be (dry run), or that nothing was."""
        if not self.ok:
            return ngettext(
                "Nothing was imported: the file has %(count)s problem.",
                "Nothing was imported: the file has %(count)s problems.",
                len(self.errors),
            ) % {"count": len(self.errors)}
        params = {
            "rows": self.resource.count_phrase(self.total),
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }
        if self.dry_run:
            return (
                _(
                    "The file is correct: it would import %(rows)s: %(new)s new, %(updated)s "
                    "updated, %(unchanged)s unchanged. Nothing was written (dry run)."
                )
                % params
            )
        return (
            _("Imported %(rows)s: %(new)s new, %(updated)s updated, %(unchanged)s unchanged.")
            % params
        )


def import_file(
    resource_name: str,
    data: bytes,
    *,
    file_name: str,
    meeting: Meeting | None = None,
    dry_run: bool = False,
    format: str | None = None,
) -> ImportReport:
    """Import a list from the bytes of a CSV or XLSX file, all rows or none.

    `resource_name` is "delegations", "delegates", "groups" or "guests" (or a resource's
    dotted path); the format comes from `file_name`'s extension unless `format` ("csv",
    "xlsx") is given. Rows without a meeting go to `meeting` when given, else to the current
    meeting. With `dry_run` everything is checked and nothing is written.
    """
    resource = resource_class(resource_name)
    try:
        dataset = read_dataset(data, file_name=file_name, format=format)
    except ImportFileError as error:
        return ImportReport(resource=resource, dry_run=dry_run, errors=error.messages)
    result = resource(meeting=meeting).import_data(dataset, dry_run=dry_run, file_name=file_name)
    return ImportReport.from_result(resource, result, dry_run=dry_run)


class CSVImportFormat(base_formats.CSV):
    """CSV for the admin's import: read as bytes by `read_csv` (UTF-8, BOM, blank rows kept)."""

    def create_dataset(self, in_stream, **kwargs):
        return read_csv(in_stream)

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"


class XLSXImportFormat(base_formats.XLSX):
    """XLSX for the admin's import: read by `read_xlsx` (blank rows kept)."""

    def create_dataset(self, in_stream):
        return read_xlsx(in_stream)
