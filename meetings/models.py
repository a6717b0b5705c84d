"""The meeting itself: its dates, venue, sittings and documents.

This app is the bottom layer: it imports from no other app of the project.
"""

import zoneinfo
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .documents import NotADocument, checked_type


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a time zone. Use a name such as Europe/Zurich."),
            params={"value": value},
        )


class MeetingQuerySet(models.QuerySet):
    def public(self):
        """Meetings the public may see."""
        return self.exclude(status=MeetingStatus.DRAFT)

    def current(self):
        """The meeting `/` shows: in session, else the latest published, else the latest public."""
        public = self.public()
        return (
            public.filter(status=MeetingStatus.IN_SESSION).order_by("start_date").first()
            or public.filter(status=MeetingStatus.PUBLISHED).order_by("-start_date").first()
            or public.order_by("-start_date").first()
        )


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft (secretariat only)")
    PUBLISHED = "published", _("Published")
    IN_SESSION = "in_session", _("In session")
    CLOSED = "closed", _("Closed")


class Meeting(models.Model):
    Status = MeetingStatus

    title = models.CharField(
        _("title"),
        max_length=200,
        help_text=_("e.g. Convention on Cluster Munitions Intersessional Meeting 2025"),
    )
    short_title = models.CharField(
        _("short title"), max_length=60, help_text=_("e.g. CCM Intersessional 2025")
    )
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    convention = models.CharField(
        _("convention"), max_length=200, default="Convention on Cluster Munitions"
    )
    body = models.CharField(
        _("body"),
        max_length=200,
        blank=True,
        help_text=_("The body that meets, e.g. Intersessional Meeting, Meeting of States Parties"),
    )
    presidency = models.CharField(
        _("presidency"),
        max_length=200,
        blank=True,
        help_text=_("e.g. Philippines, Presidency of the 13th Meeting of States Parties"),
    )
    president = models.CharField(
        _("President"),
        max_length=200,
        blank=True,
        help_text=_("Who presides, e.g. Ambassador Carlos D. Sorreta"),
    )
    presiding_officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="presided_meetings",
        verbose_name=_("presiding officers' accounts"),
        help_text=_("Accounts that chair the whole meeting (the President and the Bureau)."),
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    room = models.CharField(_("room"), max_length=100, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Zurich", validators=[validate_time_zone]
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    description = models.TextField(_("description"), blank=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="meeting_ends_after_it_starts",
                violation_error_message=_("The last day cannot be before the first day."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=MeetingStatus.values),
                name="meeting_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.short_title or self.title

    def get_absolute_url(self) -> str:
        return reverse("meeting_detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.status != MeetingStatus.DRAFT

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class Sitting(models.Model):
    """A block of meeting time (a morning or an afternoon) in which agenda items are taken up."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="sittings", verbose_name=_("meeting")
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"))
    title = models.CharField(
        _("title"), max_length=100, blank=True, help_text=_("e.g. First sitting (morning)")
    )

    class Meta:
        ordering = ["date", "start_time"]
        verbose_name = _("sitting")
        verbose_name_plural = _("sittings")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="sitting_ends_after_it_starts",
                violation_error_message=_("A sitting must end after it starts."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "date", "start_time"],
                name="sitting_unique_start",
                violation_error_message=_("This meeting already has a sitting at that time."),
            ),
        ]

    def __str__(self) -> str:
        label = f"{self.date:%d %b %Y}, {self.start_time:%H:%M}–{self.end_time:%H:%M}"
        return f"{self.title} ({label})" if self.title else label

    def clean(self) -> None:
        meeting = getattr(self, "meeting", None)
        if meeting and self.date and not (meeting.start_date <= self.date <= meeting.end_date):
            raise ValidationError({"date": _("The sitting must fall within the meeting's dates.")})


class Document(models.Model):
    """An official document: the concept note, a report, a working paper, a decision.

    Its file is a PDF, DOCX or ODT, checked by its content and what it carries
    (`meetings.documents`) when the form is validated, and stored with the extension of what it
    is. It is served as a download that no browser runs (`meetings.views.document_file`).
    """

    class Kind(models.TextChoices):
        CONCEPT_NOTE = "concept_note", _("Concept note")
        AGENDA = "agenda", _("Agenda")
        PROGRAMME = "programme", _("Programme of work")
        WORKING_PAPER = "working_paper", _("Working paper")
        REPORT = "report", _("Report")
        DECISION = "decision", _("Decision")
        OTHER = "other", _("Other")

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("meeting"),
        help_text=_("The meeting the document was issued for, if it is one of ours."),
    )
    symbol = models.CharField(
        _("symbol"), max_length=60, unique=True, help_text=_("e.g. CCM/MSP/2024/11")
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(_("file"), upload_to="documents/", blank=True)

    class Meta:
        ordering = ["symbol"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.symbol

    def clean(self) -> None:
        if self.file and not self.file._committed:  # a file just uploaded
            try:
                kind = checked_type(self.file)
            except NotADocument as refused:
                raise ValidationError({"file": refused.message}) from None
            self.file.name = f"{PurePosixPath(self.file.name).stem}{kind.extension}"

    @property
    def link(self) -> str:
        if self.file:
            return self.file.url
        return self.url
