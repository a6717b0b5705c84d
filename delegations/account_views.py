"""Sign in and out, invitations, password reset: Django's views with our forms and pages.

Thin: the forms and the token generators do the checking (`delegations.accounts`).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .accounts import (
    client_address,
    invitation_token_generator,
    reset_request_allowed,
    sign_in_failures_clear,
    valid_days,
)
from .forms import NewPasswordForm, PasswordResetRequestForm, SignInForm


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"


class SignOutView(auth_views.LogoutView):
    pass


def locked_out(request, *args, **kwargs):
    """What django-axes answers once a username is locked, from the request's address or from
    everywhere (`accounts.SignInLockouts`): the sign-in page again, saying why and for how
    long (429 Too Many Requests)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if getattr(request, "sign_in_lock", "address") == "username":
        message = ngettext(
            "Too many failed sign-ins for this username. Signing in to it is locked for "
            "%(minutes)s minute. If you forgot your password, reset it: that lifts the lock.",
            "Too many failed sign-ins for this username. Signing in to it is locked for "
            "%(minutes)s minutes. If you forgot your password, reset it: that lifts the lock.",
            minutes,
        ) % {"minutes": minutes}
    else:
        message = ngettext(
            "Too many failed sign-ins for this username from your address. Signing in is locked "
            "for %(minutes)s minute. If you forgot your password, reset it.",
            "Too many failed sign-ins for this username from your address. Signing in is locked "
            "for %(minutes)s minutes. If you forgot your password, reset it.",
            minutes,
        ) % {"minutes": minutes}
    username = request.POST.get("username", "") if request.method == "POST" else ""
    form = SignInForm(request, initial={"username": username[:150]})
    return render(
        request,
        "registration/login.html",
        {"form": form, "locked_message": message, "next": request.POST.get("next", "")},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


class ResetView(auth_views.PasswordResetView):
    """Ask for a reset link. Limited per address and per e-mail address
    (`accounts.reset_request_allowed`): beyond the limit nothing is sent and the form says so
    (429), in the same words whether an account has the address or not."""

    form_class = PasswordResetRequestForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    @property
    def extra_email_context(self):
        return {"days": valid_days()}

    def form_valid(self, form):
        if not reset_request_allowed(
            address=client_address(self.request), email=form.cleaned_data["email"]
        ):
            days = valid_days()
            form.add_error(
                None,
                ngettext(
                    "Too many reset links were asked for, from your address or for this e-mail "
                    "address. Try again in an hour; a link sent already works for %(days)s day.",
                    "Too many reset links were asked for, from your address or for this e-mail "
                    "address. Try again in an hour; a link sent already works for %(days)s days.",
                    days,
                )
                % {"days": days},
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


class ResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "days": valid_days()}


class NewPasswordMixin:
    """A password set through a link sent to the account's address also lifts a lock on
    signing in to it (`accounts.sign_in_failures_clear`). The account's API tokens are revoked
    by the password change itself (`agenda.models.tokens`)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        sign_in_failures_clear(form.user)
        return response


class ResetConfirmView(NewPasswordMixin, auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    template_name = "registration/password_reset_confirm.html"


class ResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


class InvitationView(NewPasswordMixin, auth_views.PasswordResetConfirmView):
    """The link of an invitation: choose a password, and be signed in."""

    form_class = NewPasswordForm
    token_generator = invitation_token_generator
    template_name = "registration/invitation.html"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("my_delegation")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password is set and you are signed in."))
        return response
