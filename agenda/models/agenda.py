"""The agenda tree of a meeting: items, subitems and the mandate they answer to."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from delegations.models import Delegation
from meetings.models import Document, Meeting, Sitting


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
