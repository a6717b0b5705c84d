"""The list of groups of a meeting: `code`, `name`, optional `delegation` (the group's own),
`takes_precedence`, `members` (delegation codes), `meeting` and the name in the other
languages (`name_fr`, `name_es`, `name_ru`, `name_ar`, `name_zh_hans`: `names`). A row creates or
updates the group with that code in the meeting: its names, own delegation, precedence and
members."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from import_export import fields, widgets

from meetings.models import Meeting

from ..models import Delegation, Group, group_code_validator
from ..problems import Problems, clip, max_length
from .base import ListResource
from .names import NAME_ALIASES, NAME_COLUMNS, check_names, name_field, write_names

#: Members are delegation codes separated by semicolons, commas or spaces.
MEMBER_SEPARATORS = re.compile(r"[;,\s]+")

YES = ("yes", "true", "1", "y")
NO = ("no", "false", "0", "n")


def yes_no(value: bool) -> str:
    return "yes" if value else "no"


class YesNoWidget(widgets.Widget):
    """A yes-or-no value as a file writes it: `yes`, `no`."""

    def clean(self, value, row=None, **kwargs):
        return value

    def render(self, value, obj=None, **kwargs):
        return yes_no(bool(value))


class MembersField(fields.Field):
    """The members' codes, in alphabetical order, separated by spaces (none for a group not
    saved yet)."""

    def get_value(self, instance):
        if instance.pk is None:
            return ""
        return " ".join(sorted(delegation.code for delegation in instance.members.all()))


@dataclass
class GroupRow:
    """A row's values, checked and ready to write; None: the file leaves it as it is."""

    meeting: Meeting | None
    code: str
    name: str
    names: dict[str, str]
    delegation: Delegation | None
    delegation_given: bool
    takes_precedence: bool | None
    members: list[Delegation] | None


class GroupResource(ListResource):
    """A group of delegations at a meeting (the European Union, a regional group): `code`,
    `name`, optional `delegation` (the group's own, e.g. the European Union's),
    `takes_precedence` (yes or no), `members` (delegation codes) and `meeting`."""

    short_name = "groups"
    columns = (
        "code",
        "name",
        "delegation",
        "takes_precedence",
        "members",
        "meeting",
        *NAME_COLUMNS,
    )
    column_aliases = tuple(NAME_ALIASES)
    required_columns = ("code", "name")
    export_related = ("delegation", "meeting")

    code = fields.Field(attribute="code", column_name="code", widget=widgets.CharWidget())
    name = name_field("name", "en", column_name="name")
    delegation = fields.Field(
        attribute="delegation__code", column_name="delegation", widget=widgets.CharWidget()
    )
    takes_precedence = fields.Field(
        attribute="takes_precedence", column_name="takes_precedence", widget=YesNoWidget()
    )
    members = MembersField(attribute="members", column_name="members", widget=widgets.CharWidget())
    meeting = fields.Field(
        attribute="meeting__slug", column_name="meeting", widget=widgets.CharWidget()
    )
    name_ar = name_field("name", "ar")
    name_zh_hans = name_field("name", "zh-hans")
    name_fr = name_field("name", "fr")
    name_ru = name_field("name", "ru")
    name_es = name_field("name", "es")

    class Meta:
        model = Group
        name = gettext_lazy("Groups (code, name, delegation, takes precedence, members)")
        fields = (
            "code",
            "name",
            "delegation",
            "takes_precedence",
            "members",
            "meeting",
            *NAME_COLUMNS,
        )
        export_order = fields

    @classmethod
    def count_phrase(cls, count: int) -> str:
        return ngettext("%(count)s group", "%(count)s groups", count) % {"count": count}

    def filter_export(self, queryset, **kwargs):
        return super().filter_export(queryset, **kwargs).prefetch_related("members")

    def check_row(self, row, number, problems):
        meeting = self.check_meeting_cell(row, problems)

        code = row.get("code", "").upper()
        row["code"] = code  # so that the admin's table of invalid rows shows it
        if problems.required("code", code) and problems.fits(
            "code", code, max_length(Group, "code")
        ):
            try:
                group_code_validator(code)
            except ValidationError:
                problems.add(
                    "code",
                    " ".join(
                        [
                            _('"%(value)s" is not a valid code.') % {"value": clip(code)},
                            str(group_code_validator.message),
                        ]
                    ),
                )

        name = row.get("name", "")
        if problems.required("name", name):
            problems.fits("name", name, max_length(Group, "name"))
        names = check_names(row, problems, max_length(Group, "name"))

        delegation = None
        own_code = row.get("delegation", "").upper()
        if own_code:
            participation = self.check_participant(own_code, meeting, problems)
            delegation = participation.delegation if participation else None

        takes_precedence = None
        if "takes_precedence" in row:
            takes_precedence = self.check_yes_no(row["takes_precedence"], problems)

        members = None
        if "members" in row:
            members = self.check_members(row["members"], meeting, problems)

        if meeting is not None and code:
            self.check_not_repeated(
                (meeting.pk, code),
                number,
                problems,
                "code",
                _('"%(code)s" is also on row %(row)s. List each group once per meeting.'),
                code=clip(code),
            )
        return GroupRow(
            meeting=meeting,
            code=code,
            name=name,
            names=names,
            delegation=delegation,
            delegation_given="delegation" in row,
            takes_precedence=takes_precedence,
            members=members,
        )

    @staticmethod
    def check_yes_no(value: str, problems: Problems) -> bool | None:
        """Yes (also when empty: the default) or no; adds a problem for anything else."""
        if not value or value.casefold() in YES:
            return True
        if value.casefold() in NO:
            return False
        problems.add(
            "takes_precedence",
            _('"%(value)s" is not yes or no. Write yes or no (empty: yes).')
            % {"value": clip(value)},
        )
        return None

    def check_members(
        self, value: str, meeting: Meeting | None, problems: Problems
    ) -> list[Delegation]:
        """The delegations of the codes in `value`, each of which must take part in the
        meeting; adds a problem naming each code that does not."""
        members = {}
        for code in MEMBER_SEPARATORS.split(value.upper()):
            if code and code not in members:
                participation = self.check_participant(code, meeting, problems, "members")
                members[code] = participation.delegation if participation else None
        return [delegation for delegation in members.values() if delegation is not None]

    def get_or_init_instance(self, instance_loader, row):
        checked = self.checked_row
        group = (
            Group.objects.select_related("meeting", "delegation")
            .filter(meeting=checked.meeting, code=checked.code)
            .first()
        )
        if group is not None:
            return group, False
        return Group(meeting=checked.meeting, code=checked.code), True

    def import_instance(self, instance, row, **kwargs):
        checked = self.checked_row
        write_names(instance, checked.name, checked.names)
        if checked.delegation_given:
            instance.delegation = checked.delegation
        if checked.takes_precedence is not None:
            instance.takes_precedence = checked.takes_precedence

    def skip_row(self, instance, original, row, import_validation_errors=None):
        members = self.checked_row.members
        if (
            instance.pk is not None
            and members is not None
            and {d.pk for d in members} != set(original.members.values_list("pk", flat=True))
        ):
            return False
        return super().skip_row(instance, original, row, import_validation_errors)

    def save_m2m(self, instance, row, **kwargs):
        # Every import runs in a transaction that a dry run rolls back (`ListResource`).
        if self.checked_row.members is not None:
            instance.members.set(self.checked_row.members)
