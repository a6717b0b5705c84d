"""Forms of the accounts pages, and what every form of the site shares.

`AccessibleFormMixin`: when a form comes back with errors, the browser moves focus to the first
field in error (the `autofocus` attribute: no script needed), or to the form's own error
message when no field is to blame. Each field's errors are tied to it by Django
(`aria-describedby`, `aria-invalid`); templates render fields with crispy-forms
(`delegations/_form_fields.html`).
"""

from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from .accounts import ResetForm


class AccessibleFormMixin:
    #: True when the form's own error message (not a field's) should take the focus.
    focus_on_form_errors = False

    def add_error(self, field, error):
        super().add_error(field, error)
        self._move_focus()

    def _move_focus(self) -> None:
        for field in self.fields.values():
            field.widget.attrs.pop("autofocus", None)
        self.focus_on_form_errors = False
        for name, field in self.fields.items():
            if name in self.errors and not field.widget.is_hidden:
                field.widget.attrs["autofocus"] = True
                return
        self.focus_on_form_errors = bool(self.errors)

    @property
    def error_id(self) -> str:
        """The id of the form's own error message (for links and focus)."""
        return f"{self.prefix}-errors" if self.prefix else "form-errors"


class SignInForm(AccessibleFormMixin, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The username or the password is wrong (both are case-sensitive). After a few "
            "failures, signing in to this account from here is locked for a while."
        ),
    }


class NewPasswordForm(AccessibleFormMixin, SetPasswordForm):
    pass


class PasswordResetRequestForm(AccessibleFormMixin, ResetForm):
    pass
