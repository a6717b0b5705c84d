"""Names in the six languages in a list: the `name` column is English, and one optional column
per other language (`name_fr`, `name_es`, `name_ru`, `name_ar`, `name_zh_hans`; `name_zh` is
read as `name_zh_hans`).

A cell left empty (or a column the file does not have) keeps the name the row has in that
language: the secretariat may have corrected it in the admin. Where the row has none, a
State's name comes from `delegations.state_names` (ISO 3166-1 as the iso-codes project
translates it). A list is exported with the same columns, so it imports again.

Names are stored per language (django-modeltranslation): the English text goes into the
English column and into the original one, whatever the language of the person importing.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import fields, widgets

from meetings.languages import column_suffix

from ..problems import Problems, clip

ENGLISH = "en"
#: The column of each language other than English, in the order of `settings.LANGUAGES`.
NAME_COLUMNS = {
    "name_ar": "ar",
    "name_zh_hans": "zh-hans",
    "name_fr": "fr",
    "name_ru": "ru",
    "name_es": "es",
}
#: Other headers a file may use for a language's column.
NAME_ALIASES = {"name_zh": "name_zh_hans"}


@contextmanager
def in_english():
    """Writes inside this block store a translated field's original column in English (the
    original column is written from the language active when a row is saved)."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def name_field(path: str, language: str, column_name: str = "") -> fields.Field:
    """The export column of the name at `path` (`delegation__name`) in `language`, as stored:
    empty where it is not translated, never the English fallback."""
    return fields.Field(
        attribute=f"{path}_{column_suffix(language)}",
        column_name=column_name or f"name_{column_suffix(language)}",
        widget=widgets.CharWidget(),
    )


def check_names(row, problems: Problems, limit: int) -> dict[str, str]:
    """The names the row gives in languages other than English (language → text; empty cells
    left out); adds a problem for a name too long, or for two different Chinese names."""
    given = {}
    for column, language in NAME_COLUMNS.items():
        source, value = column, row.get(column, "")
        for alias in (alias for alias, target in NAME_ALIASES.items() if target == column):
            other = row.get(alias, "")
            if other and value and other != value:
                problems.add(
                    alias,
                    _(
                        'The columns "%(column)s" and "%(alias)s" give two different names '
                        '("%(value)s", "%(other)s"). Keep one of them.'
                    )
                    % {
                        "column": column,
                        "alias": alias,
                        "value": clip(value),
                        "other": clip(other),
                    },
                )
            elif other and not value:
                source, value = alias, other
        if value and problems.fits(source, value, limit):
            given[language] = value
    return given


def write_names(
    obj, english: str, given: dict[str, str], suggested: dict[str, str] | None = None
) -> None:
    """Set `obj`'s name: the English one (its column and the original), each translation in
    `given`; a language `given` leaves out keeps the name `obj` has, or takes the one
    `suggested` when it has none."""
    with in_english():
        obj.name = english
    setattr(obj, f"name_{column_suffix(ENGLISH)}", english)
    for language in NAME_COLUMNS.values():
        attribute = f"name_{column_suffix(language)}"
        if given.get(language):
            setattr(obj, attribute, given[language])
        elif not getattr(obj, attribute, "") and (suggested or {}).get(language):
            setattr(obj, attribute, suggested[language])
