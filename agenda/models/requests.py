"""The entries of a list of speakers, requests for the floor, and the audit trail of every
change of a list. The rules a list runs by are in `agenda.models.speakers`.

The order itself is computed by `agenda.speakers.ordering` (pure); every change goes through
`agenda.speakers.services`. These models hold the state and its history.
"""

from datetime import datetime, timedelta

from django.db import models
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext

from agenda.speakers.ordering import Entry, Kind, Status
from delegations.models import Delegation, Group, Guest

from .agenda import AgendaItem
from .fields import account_field
from .speakers import ANCHOR_CHOICES, KIND_CHOICES, LANGUAGE_CHOICES, OPEN_STATUSES, STATUS_CHOICES


def guest_code(guest_id: int) -> str:
    """How the ordering and the audit trail name a speaker without a delegation."""
    return f"guest-{guest_id}"


class Presence(models.TextChoices):
    """Where a speaker delivers from: the room screen and the interpreters' view show it."""

    ROOM = "room", _("In the room")
    REMOTE = "remote", _("Remote")
    RECORDED = "recorded", _("Pre-recorded video")


class FloorRequestQuerySet(models.QuerySet):
    def with_speakers(self):
        """Who speaks and for whom read alongside: the delegation or the speaker without one,
        and the group (what `FloorRequest.as_entry` and the screens need)."""
        return self.select_related("delegation", "guest", "on_behalf_of")

    def for_display(self):
        """`with_speakers`, and the co-sponsors of joint statements (one query more)."""
        return self.with_speakers().prefetch_related(
            Prefetch("co_sponsors", queryset=Delegation.objects.order_by("name"))
        )


class FloorRequest(models.Model):
    """One entry on an item's list of speakers: a request for the floor by a delegation (in its
    own name, on behalf of a group, or reading a joint statement for co-sponsors), or a speaker
    without a delegation the chair put on the list (`guest`).

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
        null=True,
        blank=True,
        related_name="floor_requests",
        verbose_name=_("delegation"),
    )
    guest = models.ForeignKey(
        Guest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="floor_requests",
        verbose_name=_("speaker without a delegation"),
        help_text=_("The President, the ISU, a panellist…: instead of a delegation."),
    )
    on_behalf_of = models.ForeignKey(
        Group,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="floor_requests",
        verbose_name=_("on behalf of"),
        help_text=_("The group the delegation speaks for; empty: in its own name."),
    )
    co_sponsors = models.ManyToManyField(
        Delegation,
        blank=True,
        related_name="co_sponsored",
        verbose_name=_("co-sponsors"),
        help_text=_("The delegations joining the statement the delegation reads."),
    )
    presence = models.CharField(
        _("delivered"), max_length=8, choices=Presence.choices, default=Presence.ROOM
    )
    category = models.CharField(
        _("category"),
        max_length=32,
        blank=True,
        help_text=_(
            "The delegation's category at the meeting when it asked for the floor; empty for a "
            "speaker without a delegation."
        ),
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
    added_by_chair = models.BooleanField(
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

    objects = FloorRequestQuerySet.as_manager()

    class Meta:
        ordering = ["item", "requested_at", "id"]
        verbose_name = _("request for the floor")
        verbose_name_plural = _("requests for the floor")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "delegation", "kind"],
                condition=Q(status__in=OPEN_STATUSES, on_behalf_of__isnull=True),
                name="floor_request_one_open_per_kind",
                violation_error_message=_(
                    "This delegation is already on this list for this kind of request."
                ),
            ),
            models.UniqueConstraint(
                fields=["item", "on_behalf_of", "kind"],
                condition=Q(status__in=OPEN_STATUSES, on_behalf_of__isnull=False),
                name="floor_request_group_one_open_per_kind",
                violation_error_message=_(
                    "This group is already on this list for this kind of request."
                ),
            ),
            models.UniqueConstraint(
                fields=["item", "guest", "kind"],
                condition=Q(status__in=OPEN_STATUSES, guest__isnull=False),
                name="floor_request_guest_one_open_per_kind",
                violation_error_message=_(
                    "This speaker is already on this list for this kind of request."
                ),
            ),
            models.CheckConstraint(
                condition=Q(delegation__isnull=False, guest__isnull=True)
                | Q(delegation__isnull=True, guest__isnull=False),
                name="floor_request_one_speaker",
                violation_error_message=_(
                    "An entry is a delegation's or a speaker's without a delegation: exactly one."
                ),
            ),
            models.CheckConstraint(
                condition=Q(guest__isnull=True) | Q(on_behalf_of__isnull=True),
                name="floor_request_guest_speaks_for_no_group",
            ),
            models.CheckConstraint(
                condition=Q(presence__in=Presence.values), name="floor_request_presence_valid"
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
        return f"{self.speaker} — {self.get_kind_display()} ({self.item.code})"

    @property
    def speaker_code(self) -> str:
        """Who speaks, as the ordering and the audit trail name them: the delegation's code,
        or `guest-<id>` for a speaker without a delegation."""
        return guest_code(self.guest_id) if self.delegation_id is None else self.delegation.code

    @property
    def speaker(self) -> str:
        """Who speaks, by name: the delegation's, or the speaker's without a delegation."""
        return self.guest.name if self.delegation_id is None else self.delegation.name

    @property
    def speaker_detail(self) -> str:
        """What a screen shows under a speaker without a delegation: title, organisation."""
        return self.guest.description if self.guest_id else ""

    @property
    def capacity(self) -> str:
        """For whom the speaker speaks, when not only in their own name: "on behalf of the
        European Union", "joint statement with 14 co-sponsors" (co-sponsors prefetched, as
        `FloorRequestQuerySet.for_display` reads them, else one query)."""
        parts = []
        if self.on_behalf_of_id is not None:
            parts.append(_("on behalf of %(group)s") % {"group": self.on_behalf_of.name})
        count = len(self.co_sponsors.all()) if self.pk else 0
        if count:
            parts.append(
                ngettext(
                    "joint statement with %(count)s co-sponsor",
                    "joint statement with %(count)s co-sponsors",
                    count,
                )
                % {"count": count}
            )
        return pgettext("list separator", ", ").join(parts)

    @property
    def described(self) -> str:
        """ "Poland, on behalf of the European Union": who speaks, and for whom."""
        capacity = self.capacity
        return f"{self.speaker}, {capacity}" if capacity else self.speaker

    def as_entry(self) -> Entry:
        """The plain value agenda.ordering works on (who speaks and for whom read alongside:
        `FloorRequestQuerySet.with_speakers`)."""
        group = self.on_behalf_of if self.on_behalf_of_id is not None else None
        return Entry(
            id=self.pk,
            delegation=self.speaker_code,
            category=self.category,
            kind=Kind(self.kind),
            requested_at=self.requested_at,
            status=Status(self.status),
            anchor=self.anchor,
            anchor_entry=self.anchor_entry_id,
            on_behalf_of=group.code if group else "",
            group_first=group.takes_precedence if group else False,
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
