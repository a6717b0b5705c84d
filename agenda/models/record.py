"""The record: Lausanne Action Plan tags.

The record itself is the delivered entries of the lists of speakers (`agenda.record.selectors`
reads them). Coordinators tag them with the actions of the Lausanne Action Plan they speak to.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .fields import account_field
from .requests import FloorRequest


class LapArea(models.Model):
    """A coordinators' area of the Lausanne Action Plan, e.g. victim assistance (31–37)."""

    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    first_action = models.PositiveSmallIntegerField(_("first action"))
    last_action = models.PositiveSmallIntegerField(_("last action"))

    class Meta:
        ordering = ["order", "first_action"]
        verbose_name = _("Lausanne Action Plan area")
        verbose_name_plural = _("Lausanne Action Plan areas")
        constraints = [
            models.CheckConstraint(
                condition=Q(first_action__lte=models.F("last_action")),
                name="lap_area_range_in_order",
                violation_error_message=_("The first action comes before the last."),
            ),
        ]

    def __str__(self) -> str:
        return _("%(title)s (actions %(first)s–%(last)s)") % {
            "title": self.title,
            "first": self.first_action,
            "last": self.last_action,
        }


class LapAction(models.Model):
    """One action of the Lausanne Action Plan, in the area its number falls in."""

    area = models.ForeignKey(
        LapArea, on_delete=models.PROTECT, related_name="actions", verbose_name=_("area")
    )
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title = models.CharField(_("short title"), max_length=200, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("Lausanne Action Plan action")
        verbose_name_plural = _("Lausanne Action Plan actions")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        action = _("Action %(number)s") % {"number": self.number}
        return f"{action} — {self.title}" if self.title else action

    def clean(self) -> None:
        area = self.area if self.area_id else None
        if (
            area is not None
            and self.number is not None
            and not area.first_action <= self.number <= area.last_action
        ):
            raise ValidationError({"number": _("The number is outside the area's actions.")})


class LapTag(models.Model):
    """A delivered entry of a list of speakers speaks to a Lausanne Action Plan action."""

    entry = models.ForeignKey(
        FloorRequest, on_delete=models.CASCADE, related_name="lap_tags", verbose_name=_("entry")
    )
    action = models.ForeignKey(
        LapAction, on_delete=models.PROTECT, related_name="tags", verbose_name=_("action")
    )
    tagged_by = account_field(_("tagged by"))
    tagged_at = models.DateTimeField(_("tagged at"))

    class Meta:
        ordering = ["action__number", "entry"]
        verbose_name = _("Lausanne Action Plan tag")
        verbose_name_plural = _("Lausanne Action Plan tags")
        constraints = [
            models.UniqueConstraint(fields=["entry", "action"], name="lap_tag_once"),
        ]

    def __str__(self) -> str:
        return f"{self.entry} → {self.action.number}"
