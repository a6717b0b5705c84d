"""Writing the demo's content in the six languages (django-modeltranslation: a column per
language, `title_en`, `title_fr` …).

A row the demo creates gets every language: English in its English column and in the original
one, the others from the demo's translations. A row that exists keeps what it has; a language
it lacks is filled only while its English is still the demo's (a title the secretariat
rewrote does not get the demo's translation of the old one).

The demo is written with English active: the original column of a translated field is written
from the language active when a row is saved. Translations of a field the model does not
translate (yet) are left aside.
"""

from __future__ import annotations

from django.db import models
from modeltranslation.translator import NotRegistered, translator

from meetings.languages import column_suffix

ENGLISH = "en"

#: field → language → text (languages other than English).
Translations = dict[str, dict[str, str]]


def column(field: str, language: str) -> str:
    return f"{field}_{column_suffix(language)}"


def translated_fields(model: type[models.Model], translations: Translations) -> Translations:
    """The part of `translations` whose fields `model` translates."""
    try:
        fields = translator.get_options_for_model(model).all_fields
    except NotRegistered:
        return {}
    return {field: texts for field, texts in translations.items() if field in fields}


def with_translations(model: type[models.Model], values: dict, translations: Translations) -> dict:
    """`values` (a new row's) with the columns of each translated field in every language."""
    written = dict(values)
    for field, by_language in translated_fields(model, translations).items():
        written[column(field, ENGLISH)] = values[field]
        for language, text in by_language.items():
            written[column(field, language)] = text
    return written


def fill_translations(row: models.Model | None, values: dict, translations: Translations) -> None:
    """Fill the languages an existing `row` lacks, for each field whose English is still
    `values`' (the demo's)."""
    if row is None:
        return
    changed = []
    for field, by_language in translated_fields(type(row), translations).items():
        if getattr(row, column(field, ENGLISH)) != values[field]:
            continue
        for language, text in by_language.items():
            name = column(field, language)
            if text and not getattr(row, name):
                setattr(row, name, text)
                changed.append(name)
    if changed:
        row.save(update_fields=changed)


def others(names: dict[str, str]) -> dict[str, str]:
    """`names` (by language) without English."""
    return {language: text for language, text in names.items() if language != ENGLISH}
