"""The delegations' forms: request the floor, hand in a statement.

The forms only read input. Whether a request or a file is accepted is decided once, by the
services (`agenda.speakers.services.floor_request_create`, `agenda.statements.services`), whose
refusals the views put back on the form, next to the field they concern. So a kind or a
language the form does not offer is passed on as it is: the service says, in its own words,
why it is refused.
"""

from django import forms
from django.conf import settings
from django.template.defaultfilters import capfirst, filesizeformat
from django.utils.translation import gettext_lazy as _

from agenda.models.requests import Presence
from agenda.models.speakers import KIND_LABELS, LANGUAGE_CHOICES
from agenda.speakers.checks import MAX_NOTE, MAX_SPEAKER_NAME
from agenda.speakers.ordering import Kind
from delegations.forms import AccessibleFormMixin


class PassThroughChoiceField(forms.ChoiceField):
    """A choice field that offers its choices but leaves the verdict on any value to the
    service (which refuses with the reason)."""

    def valid_value(self, value):
        return True


class PassThroughMultipleChoiceField(forms.MultipleChoiceField):
    """Several choices, each passed on as sent: the service says which one it refuses."""

    def valid_value(self, value):
        return True


class FloorRequestForm(AccessibleFormMixin, forms.Form):
    kind = PassThroughChoiceField(
        label=_("Kind of request"),
        error_messages={"required": _("Choose what you ask the floor for.")},
    )
    on_behalf_of = PassThroughChoiceField(
        label=_("On behalf of"),
        required=False,
        help_text=_("A statement or a right of reply may be made on behalf of a group."),
    )
    co_sponsors = PassThroughMultipleChoiceField(
        label=_("Joint statement with"),
        required=False,
        help_text=_(
            "The delegations joining the statement your delegation reads (statements only). "
            "Hold Ctrl (⌘ on a Mac) to choose several."
        ),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    presence = PassThroughChoiceField(
        label=_("Delivered"),
        choices=Presence.choices,
        initial=Presence.ROOM,
        required=False,
    )
    speaker_name = forms.CharField(
        label=_("Speaker's name (optional)"),
        required=False,
        strip=True,
        help_text=_("Choose one of your delegates or type a name."),
        widget=forms.TextInput(attrs={"maxlength": MAX_SPEAKER_NAME, "autocomplete": "off"}),
    )
    language = PassThroughChoiceField(
        label=_("Language of delivery"),
        choices=[("", _("Choose a language")), *LANGUAGE_CHOICES],
        help_text=_("For the interpreters."),
        error_messages={"required": _("Choose the language the statement is delivered in.")},
    )
    note = forms.CharField(
        label=_("Note to the chair (optional)"),
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": MAX_NOTE}),
    )

    #: Whether the delegation may speak for a group: else the field is not shown, and a
    #: refusal about it (a hand-edited form) goes to the top of the form.
    offers_groups = False

    def __init__(
        self,
        *args,
        kinds: list[Kind] = (),
        leading: frozenset[Kind] = frozenset(),
        delegates_list_id: str = "",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.offer(kinds, leading=leading)
        if delegates_list_id:
            self.fields["speaker_name"].widget.attrs["list"] = delegates_list_id

    def speak_for(self, delegation, groups, co_sponsors) -> None:
        """Offer the capacities the delegation may speak in: `groups`, those it may speak for
        (the one whose own delegation it is chosen already, as the service chooses by
        default), and `co_sponsors`, the other delegations of the meeting as (code, name)."""
        self.offers_groups = bool(groups)
        self.fields["on_behalf_of"].choices = [
            ("", _("%(delegation)s, in its own name") % {"delegation": delegation.name}),
            *((group.code, capfirst(group.name)) for group in groups),
        ]
        own = sorted(group.code for group in groups if group.delegation_id == delegation.pk)
        self.fields["on_behalf_of"].initial = own[0] if own else ""
        self.fields["co_sponsors"].choices = co_sponsors

    def add_error(self, field, error):
        if field == "on_behalf_of" and not self.offers_groups:
            field = None
        super().add_error(field, error)

    def offer(self, kinds: list[Kind], *, leading: frozenset[Kind] = frozenset()) -> None:
        """Offer `kinds`: what the delegation may ask for now (`agenda.speakers.admission`).
        The kinds the secretariat designated the delegation to lead the item with (`leading`:
        an Article 4 extension request under 2(c)) come first, the first of them chosen;
        otherwise a statement is chosen."""
        kinds = sorted(kinds, key=lambda kind: kind not in leading)
        self.fields["kind"].choices = [(kind.value, KIND_LABELS[kind]) for kind in kinds]
        if kinds and kinds[0] in leading:
            self.fields["kind"].initial = kinds[0].value
        else:
            self.fields["kind"].initial = (
                Kind.STATEMENT.value if Kind.STATEMENT in kinds or not kinds else kinds[0].value
            )


class StatementSettingsFields(forms.Form):
    check_against_delivery = forms.BooleanField(
        label=_("Check against delivery"),
        required=False,
        initial=True,
        help_text=_("The speaker may depart from the text: the spoken word counts."),
    )
    is_published = forms.BooleanField(
        label=_("Publish on the meeting's public pages once delivered"),
        required=False,
        initial=False,
    )


class StatementFileForm(AccessibleFormMixin, forms.Form):
    file = forms.FileField(
        label=_("File"),
        error_messages={
            "required": _("Choose the file of the statement."),
            "empty": _("The file is empty."),
            "invalid": _("No file was received: choose the file again."),
        },
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".pdf,.docx,.odt,application/pdf,"
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
                "application/vnd.oasis.opendocument.text"
            }
        ),
    )
    language = PassThroughChoiceField(
        label=_("Language of this version"),
        choices=LANGUAGE_CHOICES,
        error_messages={"required": _("Choose the language of this version.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "PDF, Word (DOCX) or OpenDocument (ODT), at most %(limit)s."
        ) % {"limit": filesizeformat(settings.STATEMENT_MAX_BYTES)}


class StatementForm(StatementFileForm, StatementSettingsFields):
    """A new statement: its first file and how it is handled."""

    field_order = ["file", "language", "check_against_delivery", "is_published"]


class StatementSettingsForm(AccessibleFormMixin, StatementSettingsFields):
    pass
