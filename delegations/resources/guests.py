"""The list of speakers without a delegation at a meeting (the President, the Director of the
ISU, a panellist): `name`, optional `title`, `organisation` and `meeting`. A row creates or
updates the speaker with that name (in any case) at the meeting."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from import_export import fields, widgets

from meetings.models import Meeting

from ..models import Guest
from ..problems import clip, max_length
from .base import ListResource


@dataclass
class GuestRow:
    """A row's values, checked and ready to write."""

    meeting: Meeting | None
    name: str
    values: dict[str, str]


class GuestResource(ListResource):
    """A speaker without a delegation at a meeting: `name`, `title`, `organisation`, optional
    `meeting`."""

    short_name = "guests"
    columns = ("name", "title", "organisation", "meeting")
    required_columns = ("name",)
    export_related = ("meeting",)

    name = fields.Field(attribute="name", column_name="name", widget=widgets.CharWidget())
    title = fields.Field(attribute="title", column_name="title", widget=widgets.CharWidget())
    organisation = fields.Field(
        attribute="organisation", column_name="organisation", widget=widgets.CharWidget()
    )
    meeting = fields.Field(
        attribute="meeting__slug", column_name="meeting", widget=widgets.CharWidget()
    )

    class Meta:
        model = Guest
        name = gettext_lazy("Speakers without a delegation (name, title, organisation)")
        fields = ("name", "title", "organisation", "meeting")
        export_order = ("name", "title", "organisation", "meeting")

    @classmethod
    def count_phrase(cls, count: int) -> str:
        return ngettext(
            "%(count)s speaker without a delegation",
            "%(count)s speakers without a delegation",
            count,
        ) % {"count": count}

    def check_row(self, row, number, problems):
        meeting = self.check_meeting_cell(row, problems)
        name = row.get("name", "")
        if problems.required("name", name):
            problems.fits("name", name, max_length(Guest, "name"))
        values = {}
        for column in ("title", "organisation"):
            if column in row and problems.fits(column, row[column], max_length(Guest, column)):
                values[column] = row[column]
        if meeting is not None and name:
            self.check_not_repeated(
                (meeting.pk, name.casefold()),
                number,
                problems,
                "name",
                _("%(name)s is also on row %(row)s. List each person once per meeting."),
                name=clip(name),
            )
        return GuestRow(meeting=meeting, name=name, values=values)

    def get_or_init_instance(self, instance_loader, row):
        checked = self.checked_row
        same = list(
            Guest.objects.select_related("meeting").filter(
                meeting=checked.meeting, name__iexact=checked.name
            )
        )
        if same:
            # The one spelt as in the file, if the meeting has it in two cases.
            exact = [guest for guest in same if guest.name == checked.name]
            return (exact or same)[0], False
        return Guest(meeting=checked.meeting, name=checked.name), True

    def import_instance(self, instance, row, **kwargs):
        checked = self.checked_row
        instance.name = checked.name
        for attribute, value in checked.values.items():
            setattr(instance, attribute, value)
