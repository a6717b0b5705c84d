"""Fields several models of `agenda` declare alike."""

from django.conf import settings
from django.db import models


def account_field(verbose_name) -> models.ForeignKey:
    """The account that did something (asked, handed in, tagged…): kept empty, not cascaded,
    when the account is deleted, so the record stays."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )
