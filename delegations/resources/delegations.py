"""The list of delegations at a meeting: `name`, `iso3` or `code`, `category`, optional `kind`,
`meeting` and the names in the other languages (`name_fr`, `name_es`, `name_ru`, `name_ar`,
`name_zh_hans`: `names`). A row creates or updates the `Delegation` (by its code) and its
`Participation` in the meeting; a State's names the file leaves empty come from ISO 3166
(`delegations.state_names`) where the delegation has none yet."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from import_export import fields, widgets

from meetings.models import Meeting

from ..categories import Categories
from ..models import (
    Delegation,
    DelegationKind,
    ParticipantCategory,
    Participation,
    code_validator,
    iso3_validator,
)
from ..problems import Problems, clip, comma_list, max_length
from ..state_names import state_names
from .base import ListResource
from .names import NAME_ALIASES, NAME_COLUMNS, check_names, in_english, name_field, write_names


@dataclass
class DelegationRow:
    """A row's values, checked and ready to write."""

    meeting: Meeting
    code: str
    name: str
    kind: str
    category: str
    #: The names the file gives in other languages (language → text).
    names: dict[str, str]


class DelegationResource(ListResource):
    """A delegation at a meeting: `name, iso3, category` for a State, `name, code, category`
    for an organization; optional `kind`, `meeting` and `name_fr` … columns."""

    short_name = "delegations"
    columns = (
        "name",
        "code",
        "iso3",
        "kind",
        "category",
        "meeting",
        *NAME_COLUMNS,
    )
    column_aliases = tuple(NAME_ALIASES)
    required_columns = ("name", ("iso3", "code"), "category")
    export_related = ("delegation", "meeting")

    name = name_field("delegation__name", "en", column_name="name")
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
    name_ar = name_field("delegation__name", "ar")
    name_zh_hans = name_field("delegation__name", "zh-hans")
    name_fr = name_field("delegation__name", "fr")
    name_ru = name_field("delegation__name", "ru")
    name_es = name_field("delegation__name", "es")

    class Meta:
        model = Participation
        name = gettext_lazy("Delegations at a meeting (name, code or iso3, category)")
        fields = ("name", "code", "kind", "category", "meeting", *NAME_COLUMNS)
        export_order = ("name", "code", "kind", "category", "meeting", *NAME_COLUMNS)

    @cached_property
    def categories(self) -> Categories:
        """The categories of participant (`ParticipantCategory`), read once per import."""
        return ParticipantCategory.table()

    @classmethod
    def count_phrase(cls, count: int) -> str:
        return ngettext("%(count)s delegation", "%(count)s delegations", count) % {"count": count}

    def check_row(self, row, number, problems):
        name = row.get("name", "")
        if problems.required("name", name):
            problems.fits("name", name, max_length(Delegation, "name"))
        names = check_names(row, problems, max_length(Delegation, "name"))

        iso3 = row.get("iso3", "").upper()
        code = row.get("code", "").upper()
        code_column = "iso3" if iso3 or "code" not in row else "code"
        if iso3 and code and iso3 != code:
            problems.add(
                "code",
                _('"%(code)s" differs from "%(iso3)s" in the iso3 column. Give the code once.')
                % {"code": clip(code), "iso3": clip(iso3)},
            )
        code = iso3 or code
        row["code"] = code  # so that the admin's table of invalid rows shows it

        category = ""
        category_text = row.get("category", "")
        if problems.required("category", category_text):
            category = (
                problems.choice(
                    "category",
                    category_text,
                    self.categories,
                    _('"%(value)s" is not a category. Use one of: %(choices)s.'),
                )
                or ""
            )

        kind_text = row.get("kind", "")
        if kind_text:
            kind = (
                problems.choice(
                    "kind",
                    kind_text,
                    DelegationKind,
                    _('"%(value)s" is not a kind. Use one of: %(choices)s.'),
                )
                or ""
            )
        elif iso3 or self.categories.is_state(category):
            kind = DelegationKind.STATE
        else:
            kind = DelegationKind.ORGANIZATION

        if problems.required(code_column, code) and problems.fits(
            code_column, code, max_length(Delegation, "code")
        ):
            self.check_code(code, kind, code_column, problems)
        if category and kind:
            self.check_category_fits_kind(category, kind, self.categories, problems)

        meeting = self.check_meeting_cell(row, problems)
        if meeting and code:
            self.check_not_repeated(
                (meeting.pk, code),
                number,
                problems,
                code_column,
                _('"%(code)s" is also on row %(row)s. List each delegation once per meeting.'),
                code=clip(code),
            )
        return DelegationRow(
            meeting=meeting, code=code, name=name, kind=kind, category=category, names=names
        )

    @staticmethod
    def check_code(code: str, kind: str, column: str, problems: Problems) -> None:
        validator, message = (
            (iso3_validator, _('"%(value)s" is not a State code.'))
            if kind == DelegationKind.STATE
            else (code_validator, _('"%(value)s" is not a valid code.'))
        )
        try:
            validator(code)
        except ValidationError:
            problems.add(
                column, " ".join([message % {"value": clip(code)}, str(validator.message)])
            )

    @staticmethod
    def check_category_fits_kind(
        category: str, kind: str, categories: Categories, problems: Problems
    ) -> None:
        state = categories.is_state(category)
        if kind == DelegationKind.STATE and not state:
            problems.add(
                "category",
                _('"%(value)s" is not a category for a State. Use one of: %(choices)s.')
                % {"value": category, "choices": comma_list(categories.states)},
            )
        elif kind == DelegationKind.ORGANIZATION and state:
            problems.add(
                "category",
                _(
                    '"%(value)s" is a category for States, but this row is an organization. '
                    "Use one of: %(choices)s."
                )
                % {
                    "value": category,
                    "choices": comma_list(
                        c for c in categories.order if c not in categories.states
                    ),
                },
            )

    def get_or_init_instance(self, instance_loader, row):
        checked = self.checked_row
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
        checked = self.checked_row
        suggested = (
            state_names(checked.code, checked.name) if checked.kind == DelegationKind.STATE else {}
        )
        write_names(instance.delegation, checked.name, checked.names, suggested)
        instance.delegation.kind = checked.kind
        instance.category = checked.category

    def do_instance_save(self, instance, is_create):
        delegation = instance.delegation
        with in_english():
            delegation.save()
            instance.delegation = delegation
            instance.save(force_insert=is_create)
