"""What is discussed and who speaks: the agenda tree of a meeting.

Imports from `meetings` and `delegations`; nothing imports from here.
"""

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from delegations.models import Delegation
from meetings.models import Document, Meeting, Sitting

from .ordering import Entry, Kind, Policy, Status


class AgendaItem(models.Model):
    """An agenda item ("2") or one of its subitems ("2(c)").

    The tree has two levels: items of a meeting, and their subitems. `label` is the item's own
    number or letter; `code` joins them ("2(c)").
    """

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("meeting")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subitems",
        verbose_name=_("item"),
        help_text=_("Leave empty for an agenda item; choose the item for a subitem."),
    )
    label = models.CharField(
        _("number or letter"), max_length=10, help_text=_("“2” for an item, “c” for a subitem")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    annotation = models.TextField(
        _("annotation"), blank=True, help_text=_("What the item is about, for the programme.")
    )
    format = models.TextField(
        _("format"),
        blank=True,
        help_text=_("Who speaks first and how, e.g. coordinators' remarks, then the floor."),
    )
    coordinators = models.ManyToManyField(
        Delegation,
        blank=True,
        related_name="coordinated_items",
        verbose_name=_("coordinators"),
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="facilitated_items",
        verbose_name=_("chairing accounts"),
        help_text=_("Accounts of the coordinators' representatives who chair this item."),
    )
    sittings = models.ManyToManyField(
        Sitting,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("sittings"),
        help_text=_("The sittings in which the item is taken up."),
    )

    list_is_open = models.BooleanField(
        _("list of speakers open"),
        default=True,
        help_text=_("Delegations may request the floor while the list is open."),
    )
    list_opens_at = models.DateTimeField(
        _("sign-up opens"), null=True, blank=True, help_text=_("Optional sign-up window.")
    )
    list_closes_at = models.DateTimeField(_("sign-up closes"), null=True, blank=True)
    under_discussion = models.BooleanField(
        _("under discussion"),
        default=False,
        editable=False,
        help_text=_("The item the chair has taken up: the room screen shows its list."),
    )
    list_version = models.PositiveBigIntegerField(
        _("list version"),
        default=0,
        editable=False,
        help_text=_("Goes up by one with every change of the list of speakers."),
    )

    class Meta:
        ordering = ["meeting", "order", "label"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "label"],
                condition=Q(parent__isnull=True),
                name="agenda_item_label_unique",
                violation_error_message=_("This meeting already has an item with that number."),
            ),
            models.UniqueConstraint(
                fields=["parent", "label"],
                name="agenda_subitem_label_unique",
                violation_error_message=_("This item already has a subitem with that letter."),
            ),
            models.CheckConstraint(condition=~Q(label=""), name="agenda_item_label_given"),
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(under_discussion=True),
                name="agenda_item_one_under_discussion",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("agenda_item_detail", kwargs={"slug": self.meeting.slug, "pk": self.pk})

    @property
    def code(self) -> str:
        if self.parent_id is None:
            return self.label
        return f"{self.parent.label}({self.label})"

    def clean(self) -> None:
        parent = self.parent
        if parent is None:
            return
        if parent.parent_id is not None:
            raise ValidationError({"parent": _("A subitem cannot have subitems of its own.")})
        if self.meeting_id and parent.meeting_id != self.meeting_id:
            raise ValidationError({"parent": _("The item belongs to another meeting.")})
        if parent.pk and parent.pk == self.pk:
            raise ValidationError({"parent": _("An item cannot be its own subitem.")})


class MandateReference(models.Model):
    """The mandate an item answers to: a document symbol plus a paragraph."""

    item = models.ForeignKey(
        AgendaItem,
        on_delete=models.CASCADE,
        related_name="mandate_references",
        verbose_name=_("agenda item"),
    )
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="citations", verbose_name=_("document")
    )
    paragraph = models.CharField(
        _("paragraph"), max_length=60, blank=True, help_text=_("e.g. 87, or 84 (iii) (b)")
    )

    class Meta:
        ordering = ["item", "document__symbol", "paragraph"]
        verbose_name = _("mandate reference")
        verbose_name_plural = _("mandate references")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "document", "paragraph"], name="mandate_reference_once"
            ),
        ]

    def __str__(self) -> str:
        if self.paragraph:
            return _("%(symbol)s, paragraph %(paragraph)s") % {
                "symbol": self.document.symbol,
                "paragraph": self.paragraph,
            }
        return self.document.symbol


# --- The list of speakers ------------------------------------------------------------------
# The order itself is computed by agenda.ordering (pure); every change goes through
# agenda.services. These models hold the state and its history.

KIND_LABELS = {
    Kind.POINT_OF_ORDER: _("Point of order"),
    Kind.COORDINATOR_REMARKS: _("Coordinators' remarks"),
    Kind.EXTENSION_REQUEST: _("Article 4 extension request"),
    Kind.INVITED_PRESENTATION: _("Invited presentation"),
    Kind.STATEMENT: _("Statement"),
    Kind.RIGHT_OF_REPLY: _("Right of reply"),
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
    Kind.RIGHT_OF_REPLY: 180,
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
            "right_of_reply."
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


LEADING_KINDS = [Kind.EXTENSION_REQUEST.value, Kind.INVITED_PRESENTATION.value]


class Presenter(models.Model):
    """A delegation the secretariat designated to lead an item with a given kind of request:
    an Article 4 extension request under 2(c), an invited presentation under 2(j)."""

    LEADING_KINDS = LEADING_KINDS

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
                condition=Q(kind__in=LEADING_KINDS), name="presenter_kind_is_leading"
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
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    on_behalf = models.BooleanField(
        _("added by the chair"),
        default=False,
        help_text=_("The chair added the delegation (a raised nameplate)."),
    )
    pinned_position = models.PositiveIntegerField(
        _("place given by the chair"), null=True, blank=True
    )
    pin_reason = models.CharField(_("reason for the move"), max_length=300, blank=True)
    started_at = models.DateTimeField(_("began"), null=True, blank=True)
    paused_at = models.DateTimeField(_("paused since"), null=True, blank=True)
    paused_total = models.DurationField(_("time paused"), default=timedelta(0))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

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
                condition=Q(pinned_position__isnull=True) | Q(pinned_position__gte=1),
                name="floor_request_pin_from_one",
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
            pinned_position=self.pinned_position,
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
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handed in by"),
    )

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
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
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


# --- The record: Lausanne Action Plan tags ---------------------------------------------------
# The record itself is the delivered entries of the lists of speakers (agenda.record reads
# them). Coordinators tag them with the actions of the Lausanne Action Plan they speak to.


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
    tagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tagged by"),
    )
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
