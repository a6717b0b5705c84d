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

from .accounts import invitation_token_generator, valid_days
from .forms import NewPasswordForm, PasswordResetRequestForm, SignInForm


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"


class SignOutView(auth_views.LogoutView):
    pass


def locked_out(request, *args, **kwargs):
    """What django-axes answers once a username is locked out from an address: the sign-in
    page again, saying why and for how long (429 Too Many Requests)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
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
    form_class = PasswordResetRequestForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    @property
    def extra_email_context(self):
        return {"days": valid_days()}


class ResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "days": valid_days()}


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    template_name = "registration/password_reset_confirm.html"


class ResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


class InvitationView(auth_views.PasswordResetConfirmView):
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
