"""Delegation lists as django-import-export resources: what a row means and when it is wrong.

Three lists, each a `ListResource`:

- `DelegationResource` ("delegations"): one row per delegation at a meeting, with its
  category there. A row creates or updates the `Delegation` (by its code) and its
  `Participation` in the meeting.
- `DelegateResource` ("delegates"): one row per person on a delegation's list for a meeting.
- `FocalPointResource` ("focal-points"): one row per focal point's account and delegation.

Every import is all or nothing, whoever calls it (the admin, the `import` command,
`delegations.imports.import_file`): `ListResource.import_data` checks the file's columns
first, checks every row before it is written (`before_import_row` raises a `ValidationError`
keyed by the file's column) and rolls everything back when any row is wrong. Row numbers in
the results are spreadsheet rows: the header is row 1, the first data row is row 2.

The same column names are used for export, so an exported file imports again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import tablib
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from import_export import fields, resources, widgets

from meetings.models import Meeting

from .models import (
    STATE_CATEGORIES,
    Category,
    Delegate,
    Delegation,
    DelegationKind,
    FocalPoint,
    Participation,
    code_validator,
    iso3_validator,
)


class ImportProblem(Exception):
    """A problem with the file as a whole (a missing column, no meeting to import into).

    Its message is a complete sentence for the person who uploaded the file.
    """


def comma_list(values) -> str:
    return ", ".join(str(value) for value in values)


def clip(value: str, limit: int = 40) -> str:
    """`value` short enough to quote in a message."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def cell_text(value) -> str:
    """A cell as trimmed text: empty for None, 7 for the number 7.0 (spreadsheets store numbers
    as floats)."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    return str(value).strip()


def column_letter(index: int) -> str:
    """The spreadsheet letter of the column at `index` (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def choice_value(value: str, choices) -> str | None:
    """The stored value of a choice given as its value or its label, in any case."""
    wanted = value.casefold()
    for stored, label in choices:
        if wanted in (str(stored).casefold(), str(label).casefold()):
            return stored
    return None


def default_meeting(meeting: Meeting | None = None) -> tuple[Meeting | None, str]:
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


class RowErrors:
    """The problems of one row, by column, in the order they were found."""

    def __init__(self) -> None:
        self.by_column: dict[str, list[str]] = {}

    def add(self, column: str, message: str) -> None:
        self.by_column.setdefault(column, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.by_column)

    def required(self, column: str, value: str) -> bool:
        """Whether `value` is given; adds a problem when it is not."""
        if not value:
            self.add(column, _("The cell is empty; every row needs a value here."))
            return False
        return True

    def fits(self, column: str, value: str, max_length: int) -> bool:
        """Whether `value` fits the model field; adds a problem when it does not.

        SQLite stores an over-long value, PostgreSQL refuses it: check it here for both.
        """
        if len(value) > max_length:
            self.add(
                column,
                _('"%(value)s" is %(length)s characters long; at most %(max)s are allowed.')
                % {"value": clip(value), "length": len(value), "max": max_length},
            )
            return False
        return True


def max_length(model, field_name: str) -> int:
    return model._meta.get_field(field_name).max_length


class ListResource(resources.ModelResource):
    """What both delegation lists share: reading the file, the meeting, all or nothing."""

    #: The name used by the `import` command and `import_file()`.
    short_name = ""
    #: Every column a file may have, in the order an export writes them.
    columns: tuple[str, ...] = ()
    #: Columns a file must have; a tuple inside means "at least one of these".
    required_columns: tuple[str | tuple[str, ...], ...] = ()

    def __init__(self, *, meeting: Meeting | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.given_meeting = meeting
        self.reset()

    def reset(self) -> None:
        self.row_numbers: list[int] = []
        self.meetings_by_slug: dict[str, Meeting] = {}
        self.default: tuple[Meeting | None, str] | None = None
        self.seen: dict[tuple, int] = {}
        self.checked = None

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
        table, problems = self.prepare(dataset)
        if not problems:
            problems = self.check_meeting(table)
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

    def prepare(self, dataset) -> tuple[tablib.Dataset, list[str]]:
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
            elif header not in self.columns:
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
                        "columns": self.required_description(),
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

    def required_description(self) -> str:
        return comma_list(self.column_descriptions()[: len(self.required_columns)])

    def check_meeting(self, table: tablib.Dataset) -> list[str]:
        """Problems with finding the meeting: there is no meeting column and no meeting to
        import into."""
        self.meetings_by_slug = {meeting.slug: meeting for meeting in Meeting.objects.all()}
        if "meeting" in table.headers:
            return []
        meeting, reason = self.default_meeting()
        return [] if meeting else [reason]

    def default_meeting(self) -> tuple[Meeting | None, str]:
        if self.default is None:
            self.default = default_meeting(self.given_meeting)
        return self.default

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
        errors = RowErrors()
        self.checked = self.check_row(row, number, errors)
        if errors:
            # In the file's column order.
            order = {column: index for index, column in enumerate(row)}
            raise ValidationError(
                dict(sorted(errors.by_column.items(), key=lambda item: order.get(item[0], 99)))
            )

    def check_row(self, row, number: int, errors: RowErrors):
        """The row's values, ready to write; adds what is wrong to `errors`."""
        raise NotImplementedError

    def check_meeting_cell(self, row, errors: RowErrors) -> Meeting | None:
        slug = row.get("meeting", "")
        if not slug:
            meeting = self.default_meeting()[0]
            if meeting is None:
                errors.add(
                    "meeting",
                    _(
                        "The cell is empty and there is no current meeting. Fill in the "
                        "meeting's slug."
                    ),
                )
            return meeting
        meeting = self.meetings_by_slug.get(slug)
        if meeting is None:
            errors.add(
                "meeting",
                _('"%(value)s" is not a meeting. Use the slug of one of: %(slugs)s.')
                % {"value": clip(slug), "slugs": comma_list(sorted(self.meetings_by_slug))},
            )
        return meeting

    def check_once(
        self, key: tuple, number: int, errors: RowErrors, column: str, message, **params
    ):
        """Add `message` if `key` was already on an earlier row (`%(row)s` in the message)."""
        earlier = self.seen.setdefault(key, number)
        if earlier != number:
            errors.add(column, message % {**params, "row": earlier})

    def import_instance(self, instance, row, **kwargs):
        """Set the checked values (the resource's fields are used for export only)."""
        raise NotImplementedError

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Skip (count as unchanged) an existing row that the file leaves as it is; a new one
        is always written, even when the file gives no more than its key."""
        if instance.pk is None:
            return False
        return super().skip_row(instance, original, row, import_validation_errors)


@dataclass
class DelegationRow:
    meeting: Meeting
    code: str
    name: str
    kind: str
    category: str


class DelegationResource(ListResource):
    """A delegation at a meeting: `name, iso3, category` for a State, `name, code, category`
    for an organization; optional `kind` and `meeting` columns."""

    short_name = "delegations"
    columns = ("name", "code", "iso3", "kind", "category", "meeting")
    required_columns = ("name", ("iso3", "code"), "category")

    name = fields.Field(
        attribute="delegation__name", column_name="name", widget=widgets.CharWidget()
    )
    code = fields.Field(
        attribute="delegation__code", column_name="code", widget=widgets.CharWidget()
    )
    kind = fields.Field(
        attribute="delegation__kind", column_name="kind", widget=widgets.CharWidget()
    )
    category = fields.Field(
        attribute="category", column_name="category", widget=widgets.CharWidget()
    )
    meeting = fields.Field(
        attribute="meeting__slug", column_name="meeting", widget=widgets.CharWidget()
    )

    class Meta:
        model = Participation
        name = gettext_lazy("Delegations at a meeting (name, code or iso3, category)")
        fields = ("name", "code", "kind", "category", "meeting")
        export_order = ("name", "code", "kind", "category", "meeting")
        import_id_fields = ()
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    @classmethod
    def count_phrase(cls, count: int) -> str:
        return ngettext("%(count)s delegation", "%(count)s delegations", count) % {"count": count}

    def get_queryset(self):
        return Participation.objects.select_related("delegation", "meeting")

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("delegation", "meeting")

    def check_row(self, row, number, errors):
        name = row.get("name", "")
        if errors.required("name", name):
            errors.fits("name", name, max_length(Delegation, "name"))

        iso3 = row.get("iso3", "").upper()
        code = row.get("code", "").upper()
        code_column = "iso3" if iso3 or "code" not in row else "code"
        if iso3 and code and iso3 != code:
            errors.add(
                "code",
                _('"%(code)s" differs from "%(iso3)s" in the iso3 column. Give the code once.')
                % {"code": clip(code), "iso3": clip(iso3)},
            )
        code = iso3 or code
        row["code"] = code  # so that the admin's table of invalid rows shows it

        category = ""
        category_text = row.get("category", "")
        if errors.required("category", category_text):
            category = choice_value(category_text, Category.choices) or ""
            if not category:
                errors.add(
                    "category",
                    _('"%(value)s" is not a category. Use one of: %(choices)s.')
                    % {"value": clip(category_text), "choices": comma_list(Category.values)},
                )

        kind_text = row.get("kind", "")
        if kind_text:
            kind = choice_value(kind_text, DelegationKind.choices) or ""
            if not kind:
                errors.add(
                    "kind",
                    _('"%(value)s" is not a kind. Use one of: %(choices)s.')
                    % {"value": clip(kind_text), "choices": comma_list(DelegationKind.values)},
                )
        elif iso3 or category in STATE_CATEGORIES:
            kind = DelegationKind.STATE
        else:
            kind = DelegationKind.ORGANIZATION

        if errors.required(code_column, code) and errors.fits(
            code_column, code, max_length(Delegation, "code")
        ):
            self.check_code(code, kind, code_column, errors)
        if category and kind:
            self.check_category_fits_kind(category, kind, errors)

        meeting = self.check_meeting_cell(row, errors)
        if meeting and code:
            self.check_once(
                (meeting.pk, code),
                number,
                errors,
                code_column,
                _('"%(code)s" is also on row %(row)s. List each delegation once per meeting.'),
                code=clip(code),
            )
        return DelegationRow(meeting=meeting, code=code, name=name, kind=kind, category=category)

    @staticmethod
    def check_code(code: str, kind: str, column: str, errors: RowErrors) -> None:
        validator, message = (
            (iso3_validator, _('"%(value)s" is not a State code.'))
            if kind == DelegationKind.STATE
            else (code_validator, _('"%(value)s" is not a valid code.'))
        )
        try:
            validator(code)
        except ValidationError:
            errors.add(column, " ".join([message % {"value": clip(code)}, str(validator.message)]))

    @staticmethod
    def check_category_fits_kind(category: str, kind: str, errors: RowErrors) -> None:
        if kind == DelegationKind.STATE and category not in STATE_CATEGORIES:
            errors.add(
                "category",
                _('"%(value)s" is not a category for a State. Use one of: %(choices)s.')
                % {
                    "value": category,
                    "choices": comma_list(c for c in Category.values if c in STATE_CATEGORIES),
                },
            )
        elif kind == DelegationKind.ORGANIZATION and category in STATE_CATEGORIES:
            errors.add(
                "category",
                _(
                    '"%(value)s" is a category for States, but this row is an organization. '
                    "Use one of: %(choices)s."
                )
                % {
                    "value": category,
                    "choices": comma_list(c for c in Category.values if c not in STATE_CATEGORIES),
                },
            )

    def get_or_init_instance(self, instance_loader, row):
        checked = self.checked
        participation = (
            Participation.objects.select_related("delegation", "meeting")
            .filter(meeting=checked.meeting, delegation__code=checked.code)
            .first()
        )
        if participation is not None:
            return participation, False
        delegation = Delegation.objects.filter(code=checked.code).first() or Delegation(
            code=checked.code
        )
        return Participation(meeting=checked.meeting, delegation=delegation), True

    def import_instance(self, instance, row, **kwargs):
        checked = self.checked
        instance.delegation.name = checked.name
        instance.delegation.kind = checked.kind
        instance.category = checked.category

    def do_instance_save(self, instance, is_create):
        delegation = instance.delegation
        delegation.save()
        instance.delegation = delegation
        instance.save(force_insert=is_create)


@dataclass
class DelegateRow:
    participation: Participation
    name: str
    values: dict[str, str]


class DelegateResource(ListResource):
    """A person on a delegation's list for a meeting: `delegation` (its code), `name`,
    `title`, `role`, `gender`, `email`, optional `meeting`."""

    short_name = "delegates"
    columns = ("delegation", "name", "title", "role", "gender", "email", "meeting")
    required_columns = ("delegation", "name")

    delegation = fields.Field(
        attribute="participation__delegation__code",
        column_name="delegation",
        widget=widgets.CharWidget(),
    )
    name = fields.Field(attribute="name", column_name="name", widget=widgets.CharWidget())
    title = fields.Field(attribute="title", column_name="title", widget=widgets.CharWidget())
    role = fields.Field(attribute="role", column_name="role", widget=widgets.CharWidget())
    gender = fields.Field(attribute="gender", column_name="gender", widget=widgets.CharWidget())
    email = fields.Field(attribute="email", column_name="email", widget=widgets.CharWidget())
    meeting = fields.Field(
        attribute="participation__meeting__slug",
        column_name="meeting",
        widget=widgets.CharWidget(),
    )

    class Meta:
        model = Delegate
        name = gettext_lazy("Delegates (delegation, name, title, role, gender, e-mail)")
        fields = ("delegation", "name", "title", "role", "gender", "email", "meeting")
        export_order = ("delegation", "name", "title", "role", "gender", "email", "meeting")
        import_id_fields = ()
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    @classmethod
    def count_phrase(cls, count: int) -> str:
        return ngettext("%(count)s delegate", "%(count)s delegates", count) % {"count": count}

    def reset(self) -> None:
        super().reset()
        self.codes: set[str] | None = None
        self.participations: dict[int, dict[str, Participation]] = {}

    def get_queryset(self):
        return Delegate.objects.select_related(
            "participation__delegation", "participation__meeting"
        )

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("participation__delegation", "participation__meeting")

    def participation(self, meeting: Meeting, code: str) -> Participation | None:
        if meeting.pk not in self.participations:
            self.participations[meeting.pk] = {
                p.delegation.code: p
                for p in Participation.objects.filter(meeting=meeting).select_related(
                    "delegation", "meeting"
                )
            }
        return self.participations[meeting.pk].get(code)

    def check_row(self, row, number, errors):
        meeting = self.check_meeting_cell(row, errors)

        code = row.get("delegation", "").upper()
        participation = None
        if errors.required("delegation", code):
            if self.codes is None:
                self.codes = set(Delegation.objects.values_list("code", flat=True))
            if code not in self.codes:
                errors.add(
                    "delegation",
                    _(
                        '"%(value)s" is not a delegation code. Import the delegations first, '
                        "or correct the code."
                    )
                    % {"value": clip(code)},
                )
            elif meeting is not None:
                participation = self.participation(meeting, code)
                if participation is None:
                    errors.add(
                        "delegation",
                        _(
                            '"%(value)s" is not on the list of delegations of %(meeting)s. '
                            "Import it in the delegations list first."
                        )
                        % {"value": code, "meeting": meeting.slug},
                    )

        name = row.get("name", "")
        if errors.required("name", name):
            errors.fits("name", name, max_length(Delegate, "name"))

        values = {}
        if "title" in row and errors.fits("title", row["title"], max_length(Delegate, "title")):
            values["title"] = row["title"]
        if "role" in row:
            role = choice_value(row["role"], Delegate.Role.choices) if row["role"] else None
            if row["role"] and role is None:
                errors.add(
                    "role",
                    _('"%(value)s" is not a role. Use one of: %(choices)s.')
                    % {"value": clip(row["role"]), "choices": comma_list(Delegate.Role.values)},
                )
            values["role"] = role or Delegate.Role.MEMBER
        if "gender" in row:
            gender = choice_value(row["gender"], Delegate.Gender.choices) if row["gender"] else ""
            if gender is None:
                errors.add(
                    "gender",
                    _(
                        '"%(value)s" is not a gender. Use one of: %(choices)s, or leave the '
                        "cell empty when it is not stated."
                    )
                    % {
                        "value": clip(row["gender"]),
                        "choices": comma_list(Delegate.Gender.values),
                    },
                )
            values["gender"] = gender or ""
        if "email" in row:
            email = row["email"]
            if email and errors.fits("email", email, max_length(Delegate, "email")):
                try:
                    validate_email(email)
                except ValidationError:
                    errors.add(
                        "email",
                        _('"%(value)s" is not an e-mail address.') % {"value": clip(email)},
                    )
            values["email"] = email

        if participation is not None and name:
            self.check_once(
                (participation.pk, name),
                number,
                errors,
                "name",
                _("%(name)s of %(code)s is also on row %(row)s. List each person once."),
                name=clip(name),
                code=code,
            )
        return DelegateRow(participation=participation, name=name, values=values)

    def get_or_init_instance(self, instance_loader, row):
        checked = self.checked
        delegate = Delegate.objects.filter(
            participation=checked.participation, name=checked.name
        ).first()
        if delegate is not None:
            delegate.participation = checked.participation
            return delegate, False
        return Delegate(participation=checked.participation, name=checked.name), True

    def import_instance(self, instance, row, **kwargs):
        for attribute, value in self.checked.values.items():
            setattr(instance, attribute, value)


@dataclass
class FocalPointRow:
    username: str
    name: str
    email: str
    delegation: Delegation | None


def account_problems(*, username: str, name: str, email: str) -> dict[str, list[str]]:
    """What is wrong with a focal point's account details, by field; empty values are left to
    the caller (a cell, a form field). One account per address; the secretariat's accounts
    (staff, superusers) are never made focal points this way."""
    user_model = get_user_model()
    errors = RowErrors()
    if username and errors.fits("username", username, max_length(user_model, "username")):
        try:
            user_model.username_validator(username)
        except ValidationError:
            errors.add(
                "username",
                _(
                    '"%(value)s" is not a valid username: use letters, digits and @ . + - _ '
                    "only, without spaces."
                )
                % {"value": clip(username)},
            )
        else:
            user = user_model._default_manager.filter(username=username).first()
            if user is not None and (user.is_staff or user.is_superuser):
                errors.add(
                    "username",
                    _(
                        '"%(value)s" is an account of the secretariat; it cannot be made a '
                        "focal point. Use another username."
                    )
                    % {"value": clip(username)},
                )
    errors.fits("name", name, max_length(user_model, "first_name"))
    if email and errors.fits("email", email, max_length(user_model, "email")):
        try:
            validate_email(email)
        except ValidationError:
            errors.add("email", _('"%(value)s" is not an e-mail address.') % {"value": clip(email)})
        else:
            other = (
                user_model._default_manager.filter(email__iexact=email)
                .exclude(username=username)
                .values_list("username", flat=True)
                .first()
            )
            if other is not None:
                errors.add(
                    "email",
                    _(
                        '"%(value)s" is already the e-mail of the account "%(username)s". Give '
                        "each account its own address."
                    )
                    % {"value": clip(email), "username": clip(other)},
                )
    return errors.by_column


class FocalPointResource(ListResource):
    """A focal point's account and the delegation it acts for: `username`, `name`, `email`,
    `delegation` (its code). A new username creates the account (without a password: the
    secretariat then sends an invitation); a known one gets the name and e-mail of the file.
    Someone who acts for two delegations is on two rows with the same username. The
    secretariat's own accounts cannot be changed by an import."""

    short_name = "focal-points"
    columns = ("username", "name", "email", "delegation")
    required_columns = ("username", "email", "delegation")

    username = fields.Field(
        attribute="user__username", column_name="username", widget=widgets.CharWidget()
    )
    name = fields.Field(
        attribute="user__first_name", column_name="name", widget=widgets.CharWidget()
    )
    email = fields.Field(attribute="user__email", column_name="email", widget=widgets.CharWidget())
    delegation = fields.Field(
        attribute="delegation__code", column_name="delegation", widget=widgets.CharWidget()
    )

    class Meta:
        model = FocalPoint
        name = gettext_lazy("Focal points (username, name, e-mail, delegation)")
        fields = ("username", "name", "email", "delegation")
        export_order = ("username", "name", "email", "delegation")
        import_id_fields = ()
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    @classmethod
    def count_phrase(cls, count: int) -> str:
        return ngettext("%(count)s focal point", "%(count)s focal points", count) % {"count": count}

    def reset(self) -> None:
        super().reset()
        self.delegations: dict[str, Delegation] | None = None
        self.accounts: dict[str, tuple[str, str, int]] = {}

    def get_queryset(self):
        return FocalPoint.objects.select_related("user", "delegation")

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("user", "delegation")

    def dehydrate_name(self, focal_point) -> str:
        return focal_point.user.get_full_name()

    def check_meeting(self, table: tablib.Dataset) -> list[str]:
        return []  # accounts belong to no meeting

    def check_row(self, row, number, errors):
        username = row.get("username", "")
        name = row.get("name", "")
        email = row.get("email", "")
        errors.required("username", username)
        errors.required("email", email)
        for column, messages in account_problems(username=username, name=name, email=email).items():
            for message in messages:
                errors.add(column, message)

        code = row.get("delegation", "").upper()
        delegation = None
        if errors.required("delegation", code):
            if self.delegations is None:
                self.delegations = {d.code: d for d in Delegation.objects.all()}
            delegation = self.delegations.get(code)
            if delegation is None:
                errors.add(
                    "delegation",
                    _(
                        '"%(value)s" is not a delegation code. Import the delegations first, '
                        "or correct the code."
                    )
                    % {"value": clip(code)},
                )

        if username:
            earlier = self.accounts.setdefault(username, (name, email.casefold(), number))
            if earlier[:2] != (name, email.casefold()):
                errors.add(
                    "email" if earlier[1] != email.casefold() else "name",
                    _(
                        'Row %(row)s gives "%(username)s" another name or e-mail. An account '
                        "has one name and one e-mail: make the rows agree."
                    )
                    % {"row": earlier[2], "username": clip(username)},
                )
            if delegation is not None:
                self.check_once(
                    (username, delegation.pk),
                    number,
                    errors,
                    "delegation",
                    _('"%(username)s" for %(code)s is also on row %(row)s. List it once.'),
                    username=clip(username),
                    code=code,
                )
        return FocalPointRow(username=username, name=name, email=email, delegation=delegation)

    def get_or_init_instance(self, instance_loader, row):
        checked = self.checked
        user_model = get_user_model()
        user = user_model._default_manager.filter(username=checked.username).first() or user_model(
            username=checked.username
        )
        if user.pk is not None:
            focal_point = FocalPoint.objects.filter(
                user=user, delegation=checked.delegation
            ).first()
            if focal_point is not None:
                focal_point.user = user
                return focal_point, False
        return FocalPoint(user=user, delegation=checked.delegation), True

    def import_instance(self, instance, row, **kwargs):
        checked = self.checked
        instance.user.first_name = checked.name
        instance.user.last_name = ""
        instance.user.email = checked.email

    def do_instance_save(self, instance, is_create):
        user = instance.user
        if user.pk is None:
            user.set_unusable_password()
        user.save()
        instance.user = user
        if is_create:
            instance.save(force_insert=True)
