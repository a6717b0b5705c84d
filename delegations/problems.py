"""Saying in plain words what is wrong with values people typed: the cells of an imported list,
the fields of a form. Shared by the imports (`delegations.resources`) and the accounts
(`delegations.accounts`)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _


def comma_list(values) -> str:
    return ", ".join(str(value) for value in values)


def clip(value: str, limit: int = 40) -> str:
    """`value` short enough to quote in a message."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def max_length(model, field_name: str) -> int:
    return model._meta.get_field(field_name).max_length


def choice_value(value: str, choices) -> str | None:
    """The stored value of a choice given as its value or its label, in any case."""
    wanted = value.casefold()
    for stored, label in choices:
        if wanted in (str(stored).casefold(), str(label).casefold()):
            return stored
    return None


class Problems:
    """What is wrong, by column of a row or field of a form, in the order it was found."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.by_field)

    def required(self, field: str, value: str) -> bool:
        """Whether `value` is given; adds a problem when it is not."""
        if not value:
            self.add(field, _("The cell is empty; every row needs a value here."))
            return False
        return True

    def fits(self, field: str, value: str, max_length: int) -> bool:
        """Whether `value` fits the model field; adds a problem when it does not.

        SQLite stores an over-long value, PostgreSQL refuses it: check it here for both.
        """
        if len(value) > max_length:
            self.add(
                field,
                _('"%(value)s" is %(length)s characters long; at most %(max)s are allowed.')
                % {"value": clip(value), "length": len(value), "max": max_length},
            )
            return False
        return True

    def choice(self, field: str, value: str, choices, message) -> str | None:
        """The stored value of the choice `value` names (a `TextChoices` class's value or label,
        in any case), or None; adds `message` when it names none (with `%(value)s` and
        `%(choices)s` in it)."""
        stored = choice_value(value, choices.choices)
        if stored is None:
            self.add(field, message % {"value": clip(value), "choices": comma_list(choices.values)})
        return stored

    def email(self, field: str, value: str) -> bool:
        """Whether `value` is an e-mail address; adds a problem when it is not."""
        try:
            validate_email(value)
        except ValidationError:
            self.add(field, _('"%(value)s" is not an e-mail address.') % {"value": clip(value)})
            return False
        return True
