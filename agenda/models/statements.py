"""Statements handed in by delegations, each in one or more languages."""

import uuid
from pathlib import Path

from django.db import models
from django.utils.translation import gettext_lazy as _

from delegations.models import Delegation

from .agenda import AgendaItem
from .fields import account_field
from .requests import FloorRequest
from .speakers import LANGUAGE_CHOICES


def statement_upload_to(instance: "StatementFile", filename: str) -> str:
    """A safe generated name: nothing of the uploaded name reaches the file system."""
    extension = Path(filename).suffix.lower()
    if extension not in STATEMENT_EXTENSIONS:
        extension = ""
    return f"statements/{uuid.uuid4().hex}{extension}"


STATEMENT_EXTENSIONS = {".pdf", ".docx", ".odt"}


class Statement(models.Model):
    """The text of a delegation's statement on an item, handed in before or after speaking.

    It may come in several languages (`StatementFile`). The delegation chooses whether it is
    published and whether it is marked "check against delivery".
    """

    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="statements", verbose_name=_("item")
    )
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.CASCADE,
        related_name="statements",
        verbose_name=_("delegation"),
    )
    floor_request = models.ForeignKey(
        FloorRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="statements",
        verbose_name=_("speech"),
        help_text=_("The request for the floor the statement was delivered under."),
    )
    check_against_delivery = models.BooleanField(_("check against delivery"), default=True)
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("The delegation allows the statement on the public pages once delivered."),
    )
    created_at = models.DateTimeField(_("handed in"), auto_now_add=True)
    created_by = account_field(_("handed in by"))

    class Meta:
        ordering = ["item", "created_at", "id"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")

    def __str__(self) -> str:
        return f"{self.delegation} — {self.item.code}"


class StatementFile(models.Model):
    """One language version of a statement: a PDF, DOCX or ODT document."""

    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="files", verbose_name=_("statement")
    )
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    file = models.FileField(_("file"), upload_to=statement_upload_to, max_length=200)
    original_name = models.CharField(_("file name as uploaded"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = account_field(_("uploaded by"))
    text = models.TextField(
        _("text"),
        blank=True,
        default="",
        editable=False,
        help_text=_("The words of a DOCX or ODT file, for the search; empty for a PDF."),
    )

    class Meta:
        ordering = ["statement", "language"]
        verbose_name = _("statement file")
        verbose_name_plural = _("statement files")
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "language"],
                name="statement_file_one_per_language",
                violation_error_message=_("This statement already has a version in that language."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statement} ({self.get_language_display()})"
