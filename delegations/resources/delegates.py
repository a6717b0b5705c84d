"""The list of delegates: the people on a delegation's list for a meeting."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from import_export import fields, widgets

from ..models import Delegate, Participation
from ..problems import clip, max_length
from .base import ListResource


@dataclass
class DelegateRow:
    """A row's values, checked and ready to write."""

    participation: Participation
    name: str
    values: dict[str, str]


class DelegateResource(ListResource):
    """A person on a delegation's list for a meeting: `delegation` (its code), `name`,
    `title`, `role`, `gender`, `email`, optional `meeting`."""

    short_name = "delegates"
    columns = ("delegation", "name", "title", "role", "gender", "email", "meeting")
    required_columns = ("delegation", "name")
    export_related = ("participation__delegation", "participation__meeting")

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

    @classmethod
    def count_phrase(cls, count: int) -> str:
        return ngettext("%(count)s delegate", "%(count)s delegates", count) % {"count": count}

    def check_row(self, row, number, problems):
        meeting = self.check_meeting_cell(row, problems)

        code = row.get("delegation", "").upper()
        participation = None
        if problems.required("delegation", code):
            participation = self.check_participant(code, meeting, problems)

        name = row.get("name", "")
        if problems.required("name", name):
            problems.fits("name", name, max_length(Delegate, "name"))

        values = {}
        if "title" in row and problems.fits("title", row["title"], max_length(Delegate, "title")):
            values["title"] = row["title"]
        if "role" in row:
            role = row["role"] and problems.choice(
                "role",
                row["role"],
                Delegate.Role,
                _('"%(value)s" is not a role. Use one of: %(choices)s.'),
            )
            values["role"] = role or Delegate.Role.MEMBER
        if "gender" in row:
            gender = row["gender"] and problems.choice(
                "gender",
                row["gender"],
                Delegate.Gender,
                _(
                    '"%(value)s" is not a gender. Use one of: %(choices)s, or leave the cell '
                    "empty when it is not stated."
                ),
            )
            values["gender"] = gender or ""
        if "email" in row:
            email = row["email"]
            if email and problems.fits("email", email, max_length(Delegate, "email")):
                problems.email("email", email)
            values["email"] = email

        if participation is not None and name:
            self.check_not_repeated(
                (participation.pk, name),
                number,
                problems,
                "name",
                _("%(name)s of %(code)s is also on row %(row)s. List each person once."),
                name=clip(name),
                code=code,
            )
        return DelegateRow(participation=participation, name=name, values=values)

    def get_or_init_instance(self, instance_loader, row):
        checked = self.checked_row
        delegate = Delegate.objects.filter(
            participation=checked.participation, name=checked.name
        ).first()
        if delegate is not None:
            delegate.participation = checked.participation
            return delegate, False
        return Delegate(participation=checked.participation, name=checked.name), True

    def import_instance(self, instance, row, **kwargs):
        for attribute, value in self.checked_row.values.items():
            setattr(instance, attribute, value)
