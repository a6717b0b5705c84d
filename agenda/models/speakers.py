"""The list of speakers: the rules an item runs it by, the designated presenters, the
requests for the floor and the audit trail of every change.

The order itself is computed by `agenda.speakers.ordering` (pure); every change goes through
`agenda.speakers.services`. These models hold the state and its history.
"""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agenda.speakers.ordering import LEADING_KINDS, Anchor, Entry, Kind, Policy, Status
from delegations.models import Delegation
from meetings.models import Meeting

from .agenda import AgendaItem
from .fields import account_field

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
LANGUAGE_CHOICES = [
    ("ar", _("Arabic")),
    ("zh", _("Chinese")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
]

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


class FloorRequest(models.Model):
    """One entry on an item's list of speakers: a delegation's request for the floor.

    Life: waiting → speaking → spoken; or withdrawn (by the delegation or the chair), or absent
    (called, not in the room; the chair may re-add it). The speaking time is exact:
    `ended_at - started_at - paused_total`, pauses included while they last.
    """

    item = models.ForeignKey(
        AgendaItem,
        on_delete=models.CASCADE,
        related_name="floor_requests",
        verbose_name=_("agenda item"),
    )
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.PROTECT,
        related_name="floor_requests",
        verbose_name=_("delegation"),
    )
    category = models.CharField(
        _("category"),
        max_length=32,
        help_text=_("The delegation's category at the meeting when it asked for the floor."),
    )
    kind = models.CharField(
        _("kind"), max_length=32, choices=KIND_CHOICES, default=Kind.STATEMENT.value
    )
    status = models.CharField(
        _("status"), max_length=16, choices=STATUS_CHOICES, default=Status.WAITING.value
    )
    speaker_name = models.CharField(_("speaker's name"), max_length=200, blank=True)
    language = models.CharField(
        _("language of delivery"), max_length=2, choices=LANGUAGE_CHOICES, blank=True
    )
    note = models.CharField(_("note to the chair"), max_length=500, blank=True)
    requested_at = models.DateTimeField(_("requested at"))
    requested_by = account_field(_("requested by"))
    on_behalf = models.BooleanField(
        _("added by the chair"),
        default=False,
        help_text=_("The chair added the delegation (a raised nameplate)."),
    )
    anchor = models.CharField(
        _("place given by the chair"),
        max_length=8,
        choices=ANCHOR_CHOICES,
        blank=True,
        help_text=_("Where the chair moved the entry: the top, right after another, the end."),
    )
    anchor_entry = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("right after"),
    )
    pin_reason = models.CharField(_("reason for the move"), max_length=300, blank=True)
    started_at = models.DateTimeField(_("began"), null=True, blank=True)
    paused_at = models.DateTimeField(_("paused since"), null=True, blank=True)
    paused_total = models.DurationField(_("time paused"), default=timedelta(0))
    interrupted_at = models.DateTimeField(
        _("interrupted since"),
        null=True,
        blank=True,
        help_text=_("A point of order has the floor; the speaker resumes when it is dealt with."),
    )
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    time_limit_seconds = models.PositiveIntegerField(
        _("time limit (seconds)"),
        null=True,
        blank=True,
        help_text=_("The limit in force when the speech began."),
    )
    extension_seconds = models.PositiveIntegerField(_("extension granted (seconds)"), default=0)

    class Meta:
        ordering = ["item", "requested_at", "id"]
        verbose_name = _("request for the floor")
        verbose_name_plural = _("requests for the floor")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "delegation", "kind"],
                condition=Q(status__in=OPEN_STATUSES),
                name="floor_request_one_open_per_kind",
                violation_error_message=_(
                    "This delegation is already on this list for this kind of request."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[kind.value for kind in Kind]),
                name="floor_request_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[status.value for status in Status]),
                name="floor_request_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(anchor="after", anchor_entry__isnull=False)
                | (~Q(anchor="after") & Q(anchor_entry__isnull=True)),
                name="floor_request_anchor_names_an_entry",
            ),
        ]
        indexes = [models.Index(fields=["item", "status"], name="floor_request_item_status")]

    def __str__(self) -> str:
        return f"{self.delegation} — {self.get_kind_display()} ({self.item.code})"

    def as_entry(self) -> Entry:
        """The plain value agenda.ordering works on."""
        return Entry(
            id=self.pk,
            delegation=self.delegation.code,
            category=self.category,
            kind=Kind(self.kind),
            requested_at=self.requested_at,
            status=Status(self.status),
            anchor=self.anchor,
            anchor_entry=self.anchor_entry_id,
        )

    def speaking_time(self, now: datetime | None = None) -> timedelta | None:
        """Exact time spent speaking, pauses excluded (up to `now` while still speaking)."""
        if self.started_at is None:
            return None
        end = self.ended_at or self.paused_at or now
        if end is None:
            return None
        return end - self.started_at - self.paused_total

    @property
    def duration_seconds(self) -> float | None:
        time = self.speaking_time()
        return None if time is None or self.ended_at is None else time.total_seconds()

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None


class ListEvent(models.Model):
    """The audit trail: one row for every change of a list of speakers."""

    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="list_events", verbose_name=_("item")
    )
    entry = models.ForeignKey(
        FloorRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("request"),
    )
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("delegation"),
    )
    user = account_field(_("by"))
    action = models.CharField(_("action"), max_length=32)
    at = models.DateTimeField(_("at"), db_index=True)
    version = models.PositiveBigIntegerField(_("list version"))
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("list event")
        verbose_name_plural = _("audit trail")
        constraints = [
            models.UniqueConstraint(fields=["item", "version"], name="list_event_one_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} v{self.version} {self.action}"
