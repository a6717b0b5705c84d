"""Bearer tokens for the JSON API, and their revocation when the account's password changes."""

import hashlib
import secrets
from datetime import timedelta
from functools import cache

from django.conf import settings
from django.db import connections, models, router
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
        (to the nearest few minutes: a busy client does not write on every request).

        Every API call asks, so it is one indexed query (the digest is unique) written once
        per process in plain SQL, not compiled by the ORM each time: a token revoked, or an
        account made inactive, is refused on the very next call."""
        using = router.db_for_read(cls)
        connection = connections[using]
        sql, user_fields, converters = _token_query(connection.alias, connection.vendor)
        with connection.cursor() as cursor:
            cursor.execute(sql, [cls.hash(token), True])
            row = cursor.fetchone()
        if row is None:
            return None
        pk, last_used_at, *values = (
            _converted(value, found, connection)
            for value, found in zip(row, converters, strict=True)
        )
        now = timezone.now()
        if last_used_at is None or now - last_used_at > TOKEN_USE_PRECISION:
            cls.objects.filter(pk=pk).update(last_used_at=now)
        user_model = cls._meta.get_field("user").related_model
        return user_model.from_db(using, [field.attname for field in user_fields], values)


@cache
def _token_query(alias: str, vendor: str) -> tuple[str, list, list]:
    """`user_for`'s statement on one database (names from the models), the user's fields it
    reads, and the converters of each column the ORM would apply (e.g. aware datetimes on
    SQLite)."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    user_model = ApiToken._meta.get_field("user").related_model
    user_fields = list(user_model._meta.concrete_fields)
    token_fields = [ApiToken._meta.pk, ApiToken._meta.get_field("last_used_at")]
    columns = [field.get_col("t") for field in token_fields] + [
        field.get_col("u") for field in user_fields
    ]
    selected = ", ".join(f"{col.alias}.{quote(col.target.column)}" for col in columns)
    owner = quote(ApiToken._meta.get_field("user").column)
    sql = (
        f"SELECT {selected} FROM {quote(ApiToken._meta.db_table)} t "  # noqa: S608
        f"JOIN {quote(user_model._meta.db_table)} u "
        f"ON u.{quote(user_model._meta.pk.column)} = t.{owner} "
        f"WHERE t.{quote(ApiToken._meta.get_field('digest').column)} = %s "
        f"AND u.{quote(user_model._meta.get_field('is_active').column)} = %s"
    )
    converters = [
        (col, connection.ops.get_db_converters(col) + col.get_db_converters(connection))
        for col in columns
    ]
    return sql, user_fields, converters


def _converted(value, found, connection):
    col, converters = found
    for converter in converters:
        value = converter(value, col, connection)
    return value


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
