"""Focal points' accounts: invitations to set a password, and throttled sign-in.

The secretariat creates an account (in the admin, or by importing a list of focal points) and
sends an invitation: an e-mail with a link to set a password. The link is made by Django's
token generator with a salt of its own, so an invitation link is no password-reset link and
the other way round. It works once (the token covers the password, which setting it changes)
and expires after `PASSWORD_RESET_TIMEOUT` seconds, like a reset link.

Sign-in is throttled by django-axes (`SignInThrottle`, settings `AXES_*`).
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from meetings.models import Meeting
from meetings.roles import is_secretariat

from .models import Delegation, FocalPoint
from .problems import Problems, clip, max_length


class SignInThrottle(AxesStandaloneBackend):
    """django-axes' lockout check, for sign-ins made over HTTP.

    A sign-in without a request (a management command, a test client) cannot be guessed at
    from outside, so there is nothing to throttle: it goes on to the next backend.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Tokens for invitation links: Django's reset tokens, salted apart."""

    key_salt = "delegations.accounts.InvitationTokenGenerator"


invitation_token_generator = InvitationTokenGenerator()


class AccountError(Exception):
    """A refused account action; `message` says why in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAllowed(AccountError):
    pass


@dataclass(frozen=True)
class Invitation:
    user: object
    link: str


def invitation_path(user) -> str:
    """The path of `user`'s invitation link, valid from now."""
    return reverse(
        "invitation",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_token_generator.make_token(user),
        },
    )


def valid_days() -> int:
    """How many days a link stays valid, rounded down (at least 1)."""
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)


def account_invite(*, user, sender, base_url: str) -> Invitation:
    """E-mail `user` a link to set their password, and note it in the admin's history.

    Only the secretariat invites. Refused, with the reason, for an inactive account or one
    without an e-mail address, and when the e-mail cannot be sent.
    """
    if not is_secretariat(sender):
        raise NotAllowed(_("Only the secretariat may invite focal points."))
    if not user.is_active:
        raise AccountError(
            _("%(username)s is inactive: activate the account first.")
            % {"username": user.get_username()}
        )
    if not user.email:
        raise AccountError(
            _("%(username)s has no e-mail address: add one first.")
            % {"username": user.get_username()}
        )
    link = base_url.rstrip("/") + invitation_path(user)
    delegations = list(
        Delegation.objects.filter(focal_points__user=user)
        .order_by("name")
        .values_list("name", flat=True)
    )
    context = {
        "user": user,
        "name": user.get_full_name() or user.get_username(),
        "username": user.get_username(),
        "delegations": delegations,
        "meeting": Meeting.objects.current(),
        "link": link,
        "days": valid_days(),
    }
    subject = " ".join(render_to_string("registration/invitation_subject.txt", context).split())
    body = render_to_string("registration/invitation_email.txt", context)
    try:
        send_mail(subject, body, None, [user.email])
    except (smtplib.SMTPException, OSError) as error:
        raise AccountError(
            _("The invitation to %(email)s could not be sent: %(error)s")
            % {"email": user.email, "error": error}
        ) from error
    with transaction.atomic():
        LogEntry.objects.log_actions(
            user_id=sender.pk,
            queryset=[user],
            action_flag=CHANGE,
            change_message=_("Invitation sent to %(email)s.") % {"email": user.email},
            single_object=True,
        )
    return Invitation(user=user, link=link)


class AccountProblems(AccountError):
    """Refused account details: `problems` maps each field to what is wrong with it."""

    def __init__(self, problems: dict[str, list[str]]) -> None:
        super().__init__(" ".join(m for messages in problems.values() for m in messages))
        self.problems = problems


def account_problems(*, username: str, name: str, email: str) -> dict[str, list[str]]:
    """What is wrong with a focal point's account details, by field; empty values are left to
    the caller (a cell, a form field). One account per address; the secretariat's accounts
    (staff, superusers) are never made focal points this way."""
    user_model = get_user_model()
    problems = Problems()
    if username and problems.fits("username", username, max_length(user_model, "username")):
        try:
            user_model.username_validator(username)
        except ValidationError:
            problems.add(
                "username",
                _(
                    '"%(value)s" is not a valid username: use letters, digits and @ . + - _ '
                    "only, without spaces."
                )
                % {"value": clip(username)},
            )
        else:
            user = user_model._default_manager.filter(username=username).first()
            if user is not None and (user.is_staff or user.is_superuser):
                problems.add(
                    "username",
                    _(
                        '"%(value)s" is an account of the secretariat; it cannot be made a '
                        "focal point. Use another username."
                    )
                    % {"value": clip(username)},
                )
    problems.fits("name", name, max_length(user_model, "first_name"))
    if (
        email
        and problems.fits("email", email, max_length(user_model, "email"))
        and problems.email("email", email)
    ):
        other = (
            user_model._default_manager.filter(email__iexact=email)
            .exclude(username=username)
            .values_list("username", flat=True)
            .first()
        )
        if other is not None:
            problems.add(
                "email",
                _(
                    '"%(value)s" is already the e-mail of the account "%(username)s". Give '
                    "each account its own address."
                )
                % {"value": clip(email), "username": clip(other)},
            )
    return problems.by_field


def focal_point_problems(
    *, username: str, delegation: Delegation, name: str = "", email: str = ""
) -> dict[str, list[str]]:
    """What stops `username` from becoming a focal point of `delegation`, by field."""
    username, name, email = username.strip(), name.strip(), email.strip()
    problems = account_problems(username=username, name=name, email=email)
    if not username:
        problems.setdefault("username", []).append(_("Give the account's username."))
        return problems
    user = get_user_model()._default_manager.filter(username=username).first()
    if user is None and not email:
        problems.setdefault("email", []).append(
            _("A new account needs an e-mail address: the invitation goes there.")
        )
    if user is not None and FocalPoint.objects.filter(user=user, delegation=delegation).exists():
        problems.setdefault("username", []).append(
            _("%(username)s is already a focal point of %(delegation)s.")
            % {"username": username, "delegation": delegation.name}
        )
    return problems


def focal_point_add(
    *, username: str, delegation: Delegation, created_by, name: str = "", email: str = ""
) -> FocalPoint:
    """Make `username` a focal point of `delegation`: a new account (without a password, to
    be set through an invitation) or an existing one. The name and e-mail, when given, are the
    account's from now on. Only the secretariat adds focal points."""
    if not is_secretariat(created_by):
        raise NotAllowed(_("Only the secretariat may add focal points."))
    username, name, email = username.strip(), name.strip(), email.strip()
    with transaction.atomic():
        problems = focal_point_problems(
            username=username, delegation=delegation, name=name, email=email
        )
        if problems:
            raise AccountProblems(problems)
        user_model = get_user_model()
        user = user_model._default_manager.select_for_update().filter(username=username).first()
        if user is None:
            user = user_model(username=username)
            user.set_unusable_password()
        if name:
            user.first_name, user.last_name = name, ""
        if email:
            user.email = email
        user.save()
        return FocalPoint.objects.create(user=user, delegation=delegation)


class ResetForm(PasswordResetForm):
    """Django's reset form, which also reaches accounts that never set a password: a focal
    point whose invitation expired asks for a new link here."""

    def get_users(self, email):
        user_model = get_user_model()
        email_field = user_model.get_email_field_name()
        users = user_model._default_manager.filter(
            **{f"{email_field}__iexact": email, "is_active": True}
        )
        return (user for user in users if getattr(user, email_field).casefold() == email.casefold())
