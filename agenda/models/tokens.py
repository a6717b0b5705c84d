"""Bearer tokens for the JSON API, and their revocation when the account's password changes."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_USE_PRECISION = timedelta(minutes=5)


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only a digest is stored: the token itself is shown
    once, when it is issued (in the admin or by `manage.py create_api_token`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(
        _("name"), max_length=100, blank=True, help_text=_("What the token is for.")
    )
    prefix = models.CharField(_("prefix"), max_length=12, editable=False, db_index=True)
    digest = models.CharField(_("digest"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user, name: str = "") -> tuple["ApiToken", str]:
        """Create a token for `user`; returns the row and the token (shown only now)."""
        token = secrets.token_urlsafe(32)
        row = cls.objects.create(user=user, name=name, prefix=token[:8], digest=cls.hash(token))
        return row, token

    @classmethod
    def user_for(cls, token: str):
        """The active user a token belongs to, or None. Notes when the token was last used
        (to the nearest few minutes: a busy client does not write on every request)."""
        row = (
            cls.objects.select_related("user")
            .filter(digest=cls.hash(token), user__is_active=True)
            .first()
        )
        if row is None:
            return None
        now = timezone.now()
        if row.last_used_at is None or now - row.last_used_at > TOKEN_USE_PRECISION:
            cls.objects.filter(pk=row.pk).update(last_used_at=now)
        return row.user


class RevokeApiTokensOnPasswordChange:
    """A new password revokes the account's API tokens: whoever set it (through a reset or an
    invitation link, in the admin, with `manage.py changepassword`) shuts out whoever held a
    token issued before.

    Listed in `AUTH_PASSWORD_VALIDATORS` for Django's one notice of a changed password: after
    `set_password()` and `save()`, Django calls `password_changed()` on every validator (not
    when it merely upgrades a hash at sign-in). It checks nothing. So `delegations`, which
    sends the links and must not import `agenda`, needs no hook.
    """

    def validate(self, password, user=None) -> None:
        return None

    def password_changed(self, password, user=None) -> None:
        if user is not None and user.pk is not None:
            ApiToken.objects.filter(user=user).delete()

    def get_help_text(self) -> str:
        return _("A new password revokes the account's API tokens.")
