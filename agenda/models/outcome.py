"""What the meeting produced: notes on the record, proposals (ways forward) and their audit
trail. Written through `agenda.outcome.services`; read by `agenda.outcome.selectors` and the
draft outcome documents (`agenda.outcome.documents`).

The audit trail of notes and proposals is `OutcomeEvent`, not `ListEvent`: a note written
during a speech must not change the list's version (the chair's console would find its list
"changed") nor be announced on the public live stream while it is private.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from delegations.models import Delegation

from .agenda import AgendaItem
from .fields import account_field
from .requests import FloorRequest


class RecordNote(models.Model):
    """A short note on a delivered (or speaking) entry: a key point, a commitment, a figure
    announced. Private to the item's coordinators and the secretariat until published."""

    class Kind(models.TextChoices):
        KEY_POINT = "key_point", _("Key point")
        COMMITMENT = "commitment", _("Commitment")
        FIGURE = "figure", _("Figure announced")

    entry = models.ForeignKey(
        FloorRequest, on_delete=models.CASCADE, related_name="notes", verbose_name=_("entry")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.KEY_POINT)
    text = models.CharField(_("text"), max_length=1000)
    created_by = account_field(_("written by"))
    created_at = models.DateTimeField(_("written at"))
    updated_at = models.DateTimeField(_("changed at"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = account_field(_("published by"))

    class Meta:
        ordering = ["entry", "created_at", "id"]
        verbose_name = _("note on the record")
        verbose_name_plural = _("notes on the record")

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class ProposalTopic(models.Model):
    """A topic of an item's discussion under which proposals are gathered (under 2(j): the
    four topics of the concept note)."""

    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="topics", verbose_name=_("item")
    )
    title = models.CharField(_("title"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["item", "order", "id"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        constraints = [
            models.UniqueConstraint(fields=["item", "title"], name="topic_title_once_per_item"),
        ]

    def __str__(self) -> str:
        return self.title


class Proposal(models.Model):
    """A proposal for a way forward raised in the discussion of an item."""

    class Status(models.TextChoices):
        RAISED = "raised", _("Raised")
        DISCUSSED = "discussed", _("Discussed")
        RETAINED = "retained", _("Retained for the 13MSP")
        NOT_RETAINED = "not_retained", _("Not retained")

    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("item")
    )
    topic = models.ForeignKey(
        ProposalTopic,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("topic"),
    )
    text = models.CharField(_("text"), max_length=1000)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.RAISED)
    created_by = account_field(_("written by"))
    created_at = models.DateTimeField(_("written at"))

    class Meta:
        ordering = ["item", "topic__order", "created_at", "id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals (ways forward)")

    def __str__(self) -> str:
        return self.text[:60]


class ProposalSupport(models.Model):
    """A delegation that raised or supported a proposal, with the entry it spoke in."""

    class Role(models.TextChoices):
        RAISED = "raised", _("Raised")
        SUPPORTED = "supported", _("Supported")

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="supports", verbose_name=_("proposal")
    )
    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, related_name="+", verbose_name=_("delegation")
    )
    entry = models.ForeignKey(
        FloorRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entry"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role)

    class Meta:
        ordering = ["proposal", "role", "id"]
        verbose_name = _("delegation behind a proposal")
        verbose_name_plural = _("delegations behind proposals")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "delegation"], name="proposal_delegation_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegation} ({self.role})"


class OutcomeEvent(models.Model):
    """The audit trail of notes and proposals: who did what, when, before and after."""

    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="outcome_events", verbose_name=_("item")
    )
    note = models.ForeignKey(
        RecordNote,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("note"),
    )
    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("proposal"),
    )
    user = account_field(_("by"))
    action = models.CharField(_("action"), max_length=32)
    at = models.DateTimeField(_("at"), db_index=True)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("note or proposal event")
        verbose_name_plural = _("notes and proposals: audit trail")

    def __str__(self) -> str:
        return f"{self.item.code} {self.action}"
