"""What makes the admin pages we configure usable with a screen reader and a keyboard, and at
1280 pixels.

- `LabelledTabularInline`: a table's cells say what they hold. Django's tabular inlines name
  their inputs only by the column's heading, which assistive technology does not read as a
  label; each input (the delete box too) gets the field's name as its accessible name.
- `templates/admin/base_site.html` loads, on every admin page, `static/js/admin-a11y.js` (names
  what Django's own widgets leave unnamed: the search icons of the two-box selector) and
  `static/css/admin.css` (wide tables scroll within the page, long cells wrap, instead of
  pushing columns off screen).

- `TranslatedAdmin` and its inlines: the meeting's content in the six languages, a tab per
  language (jQuery UI's tabs, vendored; Django's own jQuery), and a column saying where a
  translation is missing.

Many-to-many fields use the two-box selector (`filter_horizontal`), not the autocomplete box,
whose list of choices is not a well-formed list for assistive technology.
"""

from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from modeltranslation.admin import (
    TabbedDjangoJqueryTranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)
from modeltranslation.translator import translator

from .languages import column_suffix


def _name_widgets(form) -> None:
    for name, field in form.fields.items():
        label = str(field.label or name.replace("_", " ").capitalize())
        if name == "DELETE":
            label = _("Delete")
        field.widget.attrs.setdefault("aria-label", label)


class LabelledTabularInline(admin.TabularInline):
    """A tabular inline whose every input has an accessible name (its field's label)."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class Labelled(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                _name_widgets(form)

        return Labelled


# --- the meeting's content in the six languages ------------------------------------------------


def untranslated_languages(obj) -> list[str]:
    """The languages into which some translated field of `obj` is not yet translated, while
    its English text is there (the public then reads the English one)."""
    missing = []
    fields = translator.get_options_for_model(type(obj)).get_field_names()
    for code, name in settings.LANGUAGES:
        suffix = column_suffix(code)
        for field in fields:
            english = getattr(obj, f"{field}_{column_suffix(settings.LANGUAGE_CODE)}", "")
            if english and not getattr(obj, f"{field}_{suffix}", ""):
                missing.append(str(name))
                break
    return missing


class TranslatedAdmin(TabbedDjangoJqueryTranslationAdmin):
    """An admin page whose translated fields show one tab per language (English first), and
    whose list says, in a column, which languages still fall back to English: the secretariat
    sees what the public does not (the public reads the English text without a mark)."""

    @admin.display(description=gettext_lazy("Falls back to English in"))
    def untranslated(self, obj) -> str:
        return ", ".join(untranslated_languages(obj)) or "—"


class TranslatedTabularInline(LabelledTabularInline, TranslationTabularInline):
    """A tabular inline with a column per language for each translated field."""


class TranslatedStackedInline(TranslationStackedInline):
    """A stacked inline with a tab per language for each translated field."""
