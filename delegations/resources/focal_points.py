"""The list of focal points: each focal point's account and the delegation it acts for."""

from __future__ import annotations

from dataclasses import dataclass

import tablib
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from import_export import fields, widgets

from ..accounts import account_problems
from ..models import Delegation, FocalPoint
from ..problems import clip
from .base import ListResource


@dataclass
class FocalPointRow:
    """A row's values, checked and ready to write."""

    username: str
    name: str
    email: str
    delegation: Delegation | None


class FocalPointResource(ListResource):
    """A focal point's account and the delegation it acts for: `username`, `name`, `email`,
    `delegation` (its code). A new username creates the account (without a password: the
    secretariat then sends an invitation); a known one gets the name and e-mail of the file.
    Someone who acts for two delegations is on two rows with the same username. The
    secretariat's own accounts cannot be changed by an import."""

    short_name = "focal-points"
    columns = ("username", "name", "email", "delegation")
    required_columns = ("username", "email", "delegation")
    export_related = ("user", "delegation")

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

    @classmethod
    def count_phrase(cls, count: int) -> str:
        return ngettext("%(count)s focal point", "%(count)s focal points", count) % {"count": count}

    def reset(self) -> None:
        super().reset()
        #: Each username's name, e-mail (casefolded) and row, as first given in the file.
        self.first_account_rows: dict[str, tuple[str, str, int]] = {}

    def dehydrate_name(self, focal_point) -> str:
        return focal_point.user.get_full_name()

    def meeting_problems(self, table: tablib.Dataset) -> list[str]:
        return []  # accounts belong to no meeting

    def check_row(self, row, number, problems):
        username = row.get("username", "")
        name = row.get("name", "")
        email = row.get("email", "")
        problems.required("username", username)
        problems.required("email", email)
        for column, messages in account_problems(username=username, name=name, email=email).items():
            for message in messages:
                problems.add(column, message)

        code = row.get("delegation", "").upper()
        delegation = None
        if problems.required("delegation", code):
            delegation = self.check_delegation_cell(code, problems)

        if username:
            earlier = self.first_account_rows.setdefault(username, (name, email.casefold(), number))
            if earlier[:2] != (name, email.casefold()):
                problems.add(
                    "email" if earlier[1] != email.casefold() else "name",
                    _(
                        'Row %(row)s gives "%(username)s" another name or e-mail. An account '
                        "has one name and one e-mail: make the rows agree."
                    )
                    % {"row": earlier[2], "username": clip(username)},
                )
            if delegation is not None:
                self.check_not_repeated(
                    (username, delegation.pk),
                    number,
                    problems,
                    "delegation",
                    _('"%(username)s" for %(code)s is also on row %(row)s. List it once.'),
                    username=clip(username),
                    code=code,
                )
        return FocalPointRow(username=username, name=name, email=email, delegation=delegation)

    def get_or_init_instance(self, instance_loader, row):
        checked = self.checked_row
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
        checked = self.checked_row
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
