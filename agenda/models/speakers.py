"""The list of speakers: the rules an item runs it by and the designated presenters; the kinds,
statuses and languages its entries use (the entries and the audit trail of their changes are
in `agenda.models.requests`).

The order itself is computed by `agenda.speakers.ordering` (pure); every change goes through
`agenda.speakers.services`. These models hold the state and its history.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agenda.speakers.ordering import LEADING_KINDS, Anchor, Kind, Policy, Status
from delegations.models import Delegation
from meetings.languages import UN_LANGUAGES
from meetings.models import Meeting

from .agenda import AgendaItem

KIND_LABELS = {
    Kind.POINT_OF_ORDER: _("Point of order"),
    Kind.COORDINATOR_REMARKS: _("Coordinators' remarks"),
    Kind.EXTENSION_REQUEST: _("Article 4 extension request"),
    Kind.INVITED_PRESENTATION: _("Invited presentation"),
    Kind.STATEMENT: _("Statement"),
    Kind.RESPONSE: _("Response"),
    Kind.RIGHT_OF_REPLY: _("Right of reply"),
    Kind.CLOSING_REMARKS: _("Closing remarks"),
}
STATUS_LABELS = {
    Status.WAITING: _("Waiting"),
    Status.SPEAKING: _("Speaking"),
    Status.SPOKEN: _("Spoken"),
    Status.WITHDRAWN: _("Withdrawn"),
    Status.ABSENT: _("Absent when called"),
}
KIND_CHOICES = [(kind.value, KIND_LABELS[kind]) for kind in Kind]
STATUS_CHOICES = [(status.value, STATUS_LABELS[status]) for status in Status]
OPEN_STATUSES = [Status.WAITING.value, Status.SPEAKING.value]
ANCHOR_CHOICES = [
    (Anchor.NONE.value, _("where the order puts it")),
    (Anchor.TOP.value, _("at the top")),
    (Anchor.AFTER.value, _("right after another entry")),
    (Anchor.END.value, _("at the end")),
]

# The six official languages of the United Nations, in which statements are delivered.
LANGUAGE_CHOICES = UN_LANGUAGES

# Time limits the product uses when neither the item nor the meeting sets one (seconds).
DEFAULT_TIME_LIMITS = {
    Kind.POINT_OF_ORDER: 120,
    Kind.COORDINATOR_REMARKS: 600,
    Kind.EXTENSION_REQUEST: 600,
    Kind.INVITED_PRESENTATION: 600,
    Kind.STATEMENT: 300,
    Kind.RESPONSE: 300,
    Kind.RIGHT_OF_REPLY: 180,
    Kind.CLOSING_REMARKS: 600,
}


def validate_kind_list(value: str) -> None:
    if not value.strip():
        return
    try:
        Policy.from_values(kind_order=[part.strip() for part in value.split(",")])
    except ValueError as error:
        raise ValidationError(str(error)) from error


def validate_category_list(value: str) -> None:
    if not value.strip():
        return
    try:
        Policy.from_values(category_order=[part.strip() for part in value.split(",")])
    except ValueError as error:
        raise ValidationError(str(error)) from error


class OnlinePointsOfOrder(models.TextChoices):
    NO = "no", _("No: raised in the room, the chair adds them")
    STATES = "states", _("Yes, from States")
    ALL = "all", _("Yes, from every delegation")


class RepliesFrom(models.TextChoices):
    STATES = "states", _("States")
    ALL = "all", _("Every delegation")


class ReaddedTo(models.TextChoices):
    END = "end", _("At the end of the list")
    RULE = "rule", _("Where a new request would go")


class SpeakingRules(models.Model):
    """How lists of speakers are run: a meeting's defaults, or one item's own rules.

    A row without `item` holds the meeting's defaults; a row with `item` overrides them for
    that item. An empty field means "as the level above": item → meeting → the product's
    defaults (`agenda.ordering.DEFAULT_POLICY`, `DEFAULT_TIME_LIMITS`).
    """

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="speaking_rules", verbose_name=_("meeting")
    )
    item = models.OneToOneField(
        AgendaItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="speaking_rules",
        verbose_name=_("agenda item"),
        help_text=_("Empty: the meeting's defaults. Chosen: the rules of that item only."),
    )
    kind_order = models.CharField(
        _("order of kinds"),
        max_length=200,
        blank=True,
        validators=[validate_kind_list],
        help_text=_(
            "Comma-separated, point_of_order first. Default: point_of_order, "
            "coordinator_remarks, extension_request, invited_presentation, statement, "
            "response, right_of_reply, closing_remarks."
        ),
    )
    category_order = models.CharField(
        _("order of categories"),
        max_length=300,
        blank=True,
        validators=[validate_category_list],
        help_text=_(
            "Comma-separated. Default: state_party, signatory_state, observer_state, "
            "international_organization, red_cross, cmc, ngo."
        ),
    )
    spoken_wait_behind = models.BooleanField(
        _("delegations that have spoken wait behind"),
        null=True,
        blank=True,
        help_text=_(
            "A delegation that has already made a statement on the item waits behind those "
            "that have not."
        ),
    )
    groups_first = models.BooleanField(
        _("statements on behalf of groups first"),
        null=True,
        blank=True,
        help_text=_(
            "Default: yes. Statements on behalf of a group whose statements take precedence come "
            "first among the statements, in order of request (UN practice). No: such a statement "
            "ranks by the category of the delegation that reads it."
        ),
    )
    max_replies_per_delegation = models.PositiveSmallIntegerField(
        _("rights of reply per delegation"), null=True, blank=True
    )
    max_invited_presentations = models.PositiveSmallIntegerField(
        _("invited presentations"), null=True, blank=True
    )
    point_of_order_seconds = models.PositiveIntegerField(
        _("point of order (seconds)"), null=True, blank=True
    )
    coordinator_remarks_seconds = models.PositiveIntegerField(
        _("coordinators' remarks (seconds)"), null=True, blank=True
    )
    extension_request_seconds = models.PositiveIntegerField(
        _("extension request (seconds)"), null=True, blank=True
    )
    invited_presentation_seconds = models.PositiveIntegerField(
        _("invited presentation (seconds)"), null=True, blank=True
    )
    statement_seconds = models.PositiveIntegerField(_("statement (seconds)"), null=True, blank=True)
    right_of_reply_seconds = models.PositiveIntegerField(
        _("right of reply (seconds)"), null=True, blank=True
    )
    response_seconds = models.PositiveIntegerField(_("response (seconds)"), null=True, blank=True)
    closing_remarks_seconds = models.PositiveIntegerField(
        _("closing remarks (seconds)"), null=True, blank=True
    )
    online_points_of_order = models.CharField(
        _("points of order asked for online"),
        max_length=8,
        choices=OnlinePointsOfOrder.choices,
        blank=True,
        help_text=_(
            "Default: no; a point of order is raised in the room and the chair puts it on the "
            "list. The chair can always add anyone."
        ),
    )
    replies_from = models.CharField(
        _("rights of reply asked for by"),
        max_length=8,
        choices=RepliesFrom.choices,
        blank=True,
        help_text=_("Default: States (States Parties, signatory and observer States)."),
    )
    readded_to = models.CharField(
        _("a delegation re-added after being absent goes"),
        max_length=8,
        choices=ReaddedTo.choices,
        blank=True,
        help_text=_("Default: at the end of the list."),
    )

    class Meta:
        verbose_name = _("speaking rules")
        verbose_name_plural = _("speaking rules")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(item__isnull=True),
                name="speaking_rules_one_default_per_meeting",
                violation_error_message=_("This meeting already has default speaking rules."),
            ),
        ]

    def __str__(self) -> str:
        if self.item_id:
            return _("Speaking rules of %(item)s") % {"item": self.item.code}
        return _("Default speaking rules of %(meeting)s") % {"meeting": self.meeting}

    def clean(self) -> None:
        if self.item_id and self.meeting_id and self.item.meeting_id != self.meeting_id:
            raise ValidationError({"item": _("The item belongs to another meeting.")})


class Presenter(models.Model):
    """A delegation the secretariat designated to lead an item with a given kind of request:
    an Article 4 extension request under 2(c), an invited presentation under 2(j)."""

    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="presenters", verbose_name=_("item")
    )
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.CASCADE,
        related_name="presentations",
        verbose_name=_("delegation"),
    )
    kind = models.CharField(
        _("kind"),
        max_length=32,
        choices=[choice for choice in KIND_CHOICES if choice[0] in LEADING_KINDS],
    )

    class Meta:
        ordering = ["item", "kind", "delegation__name"]
        verbose_name = _("designated presenter")
        verbose_name_plural = _("designated presenters")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "delegation", "kind"], name="presenter_once_per_kind"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[kind.value for kind in LEADING_KINDS]),
                name="presenter_kind_is_leading",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegation} — {self.get_kind_display()} ({self.item.code})"
