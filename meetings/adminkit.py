"""What makes the admin pages we configure usable with a screen reader and a keyboard, and at
1280 pixels.

- `LabelledTabularInline`: a table's cells say what they hold. Django's tabular inlines name
  their inputs only by the column's heading, which assistive technology does not read as a
  label; each input (the delete box too) gets the field's name as its accessible name.
- `templates/admin/base_site.html` loads, on every admin page, `static/js/admin-a11y.js` (names
  what Django's own widgets leave unnamed: the search icons of the two-box selector) and
  `static/css/admin.css` (wide tables scroll within the page, long cells wrap, instead of
  pushing columns off screen).

Many-to-many fields use the two-box selector (`filter_horizontal`), not the autocomplete box,
whose list of choices is not a well-formed list for assistive technology.
"""

from django.contrib import admin
from django.utils.translation import gettext as _


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
