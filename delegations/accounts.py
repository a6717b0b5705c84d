"""Focal points' accounts: invitations to set a password, and throttled sign-in.

The secretariat creates an account (in the admin, or by importing a list of focal points) and
sends an invitation: an e-mail with a link to set a password. The link is made by Django's
token generator with a salt of its own, so an invitation link is no password-reset link and
the other way round. It works once (the token covers the password, which setting it changes)
and expires after `PASSWORD_RESET_TIMEOUT` seconds, like a reset link.

Sign-in is throttled by django-axes (`SignInThrottle`, `SignInLockouts`, settings `AXES_*`):
a username is locked from one address after `AXES_FAILURE_LIMIT` failures from there, and from
everywhere after `AXES_USERNAME_FAILURE_LIMIT` failures from any addresses. Requests for
password-reset links are limited per address and per e-mail address (`reset_request_allowed`).
The address is always the connection's (`client_address`): the server puts the client's there
when, and only when, the connection comes from a proxy it was told to trust (docs/deploy.md).
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from datetime import timedelta

from axes.attempts import get_cool_off_threshold
from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from meetings.models import Meeting
from meetings.roles import is_secretariat

from .languages import language_of
from .models import Delegation, FocalPoint, ResetRequest
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


def client_address(request) -> str:
    """The address a request comes from, as the sign-in throttle and the reset limit see it: the
    connection's (`REMOTE_ADDR`), never a header the client could write. Behind a proxy the
    server (uvicorn `--forwarded-allow-ips`) puts the client's address there, and only for
    connections from the proxies it was told to trust."""
    return request.META.get("REMOTE_ADDR") or ""


class SignInLockouts(AxesDatabaseHandler):
    """django-axes' record of failed sign-ins, with two locks instead of one.

    - `AXES_FAILURE_LIMIT` failures for one username from one address lock that username from
      that address (axes' own lock, `AXES_LOCKOUT_PARAMETERS`);
    - `AXES_USERNAME_FAILURE_LIMIT` failures for one username from any addresses lock that
      username from everywhere: guessing from many addresses gets no further than guessing
      from one.

    Both count the failures of the last `AXES_COOLOFF_TIME` and hold as long. Which lock holds
    is noted on the request (`sign_in_lock`: "address" or "username") for the page to say.
    """

    def username_failures(self, request, credentials: dict | None = None) -> int:
        username = get_client_username(request, credentials)
        if not username:
            return 0
        attempts = AccessAttempt.objects.filter(
            username=username, attempt_time__gte=get_cool_off_threshold(request)
        )
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0

    def username_locked(self, request, credentials: dict | None = None) -> bool:
        return self.username_failures(request, credentials) >= settings.AXES_USERNAME_FAILURE_LIMIT

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        if super().is_locked(request, credentials):
            request.sign_in_lock = "address"
            return True
        if self.username_locked(request, credentials):
            request.sign_in_lock = "username"
            return True
        return False

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or self.is_whitelisted(request, credentials):
            return
        if request.axes_locked_out:
            request.sign_in_lock = getattr(request, "sign_in_lock", "address")
        elif self.username_locked(request, credentials):
            request.sign_in_lock = "username"
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )


def sign_in_failures_clear(user) -> None:
    """Forget the failed sign-ins for `user`'s username, from every address: whoever set a new
    password through a link sent to the account's address may sign in at once."""
    AxesProxyHandler.reset_attempts(username=user.get_username())


RESET_WINDOW = timedelta(hours=1)


def email_digest(email: str) -> str:
    """A keyed digest of an e-mail address, the same for any capitalisation of it."""
    return salted_hmac(
        "delegations.accounts.email_digest", email.strip().casefold(), algorithm="sha256"
    ).hexdigest()


def reset_request_allowed(*, address: str, email: str) -> bool:
    """Whether a reset link may be sent for `email` to a request from `address`, and if so,
    count the request. At most `PASSWORD_RESETS_PER_ADDRESS` requests an hour from one address
    and `PASSWORD_RESETS_PER_EMAIL` for one e-mail address, whether an account has that
    address or not (so the answer tells nothing about the accounts)."""
    now = timezone.now()
    digest = email_digest(email)
    with transaction.atomic():
        ResetRequest.objects.filter(requested_at__lt=now - RESET_WINDOW).delete()
        recent = ResetRequest.objects.filter(requested_at__gte=now - RESET_WINDOW)
        if (
            recent.filter(address=address).count() >= settings.PASSWORD_RESETS_PER_ADDRESS
            or recent.filter(email_digest=digest).count() >= settings.PASSWORD_RESETS_PER_EMAIL
        ):
            return False
        ResetRequest.objects.create(address=address, email_digest=digest, requested_at=now)
    return True


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
    with translation.override(language_of(user)):  # in the recipient's language
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

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        """The link in the recipient's language (the one they chose), not the asker's."""
        with translation.override(language_of(context["user"])):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)
