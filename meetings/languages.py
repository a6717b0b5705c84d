"""The six official languages of the United Nations, in which statements are delivered and
meetings interpreted: one list for every field that names one."""

from django.conf import settings
from django.db.models import F, TextField, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

UN_LANGUAGES = [
    ("ar", _("Arabic")),
    ("zh", _("Chinese")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
]


# --- the meeting's content in the six languages ------------------------------------------------
# A translated field (`meetings/translation.py`, `delegations/translation.py`,
# `agenda/translation.py`) has one column per language: `name_en`, `name_fr`, `name_zh_hans` …
# Read through the model, `delegation.name` is already the active language's, falling back to
# English. A query on another model (`FloorRequest … values("delegation__name")`) does not
# know that: it asks `localized("delegation__name")` instead.


def column_suffix(language: str) -> str:
    """The suffix of a language's column: "zh-hans" → "zh_hans"."""
    return language.replace("-", "_").lower()


def content_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def localized(path: str, language: str | None = None):
    """The text at `path` (`delegation__name`) in `language` (the active one by default), or in
    English where it is not translated: an expression for `values()`, `annotate()` and
    `order_by()`."""
    language = language or get_language() or settings.LANGUAGE_CODE
    wanted = f"{path}_{column_suffix(language)}"
    english = f"{path}_{column_suffix(settings.LANGUAGE_CODE)}"
    if wanted == english:
        return Coalesce(NullIf(F(english), Value("")), F(path), output_field=TextField())
    return Coalesce(
        NullIf(F(wanted), Value("")),
        NullIf(F(english), Value("")),
        F(path),
        output_field=TextField(),
    )


def in_every_language(path: str) -> list[str]:
    """The columns of `path` in each language, for a search that finds a State by any of its
    names ("Allemagne" as well as "Germany")."""
    return [f"{path}_{column_suffix(code)}" for code in content_languages()]
