"""Who takes part: delegations, their category at a meeting, the groups they speak for, the
speakers who are not delegations, delegates and focal points; and the requests for
password-reset links, counted to limit them.

Imports from `meetings` only.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from meetings.languages import UN_LANGUAGES
from meetings.models import Meeting

from .categories import Categories, CategoryInfo, remembered


class Category(models.TextChoices):
    """The categories of participant the product ships with, in their default speaking order.

    Migration 0002 seeds the table `ParticipantCategory` with them; from then on the table is
    the truth for the categories, their names and ranks (the secretariat may add one, such as
    the GICHD's, with a rank of its own). These identifiers are used wherever a category is
    stored or exchanged (imports, API).
    """

    STATE_PARTY = "state_party", _("State Party")
    SIGNATORY_STATE = "signatory_state", _("Signatory State")
    OBSERVER_STATE = "observer_state", _("Observer State")
    INTERNATIONAL_ORGANIZATION = "international_organization", _("International organization")
    RED_CROSS = "red_cross", _("Red Cross and Red Crescent")
    CMC = "cmc", _("Cluster Munition Coalition")
    NGO = "ngo", _("Non-governmental organization")


code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9-]{1,19}$",
    _("Use capital letters, digits and hyphens, e.g. CHL or ICRC."),
)
iso3_validator = RegexValidator(
    r"^[A-Z]{3}$", _("A State's code is its ISO 3166 alpha-3 code: three capital letters.")
)


category_code_validator = RegexValidator(
    r"^[a-z][a-z0-9_]{0,31}$",
    _("Use lower-case letters, digits and underscores, starting with a letter, e.g. gichd."),
)


class ParticipantCategory(models.Model):
    """A category of participant (rules of procedure, rules 1.2-1.3): its code, its name, its
    rank in the default order of speakers, and whether its delegations are States.

    The secretariat manages them in the admin; a category with a rank of its own (the GICHD's,
    between the Red Cross and the CMC) needs no change of code. Read them with `table()`.
    """

    code = models.CharField(
        _("code"),
        max_length=32,
        unique=True,
        validators=[category_code_validator],
        help_text=_(
            "How the category is stored and exchanged (imports, the API, an order of "
            "categories in the speaking rules), e.g. state_party or gichd. It cannot be changed "
            "once created."
        ),
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("e.g. State Party"))
    plural_name = models.CharField(
        _("name in the plural"),
        max_length=100,
        blank=True,
        help_text=_("The heading of the list of participants, e.g. States Parties."),
    )
    rank = models.PositiveSmallIntegerField(
        _("rank"),
        unique=True,
        help_text=_(
            "Its place in the default order of speakers: a lower rank speaks first. The shipped "
            "categories are ranked 10, 20, … 70, so that one can be put between two others "
            "(55: between the Red Cross and the CMC). A meeting's or an item's speaking rules "
            "may set another order."
        ),
    )
    state = models.BooleanField(
        _("a State's category"),
        default=False,
        help_text=_(
            "Its delegations are States: where a meeting keeps rights of reply, or points of "
            "order asked for online, to States (its speaking rules), they may ask for them."
        ),
    )

    TABLE = "delegations.categories"  # the request cache's key (`delegations.categories`)

    class Meta:
        ordering = ["rank", "code"]
        verbose_name = _("category of participant")
        verbose_name_plural = _("categories of participant")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def table(cls) -> Categories:
        """Every category, in rank order, as plain values; read once per request."""
        return remembered(cls.TABLE, cls._read_table)

    @classmethod
    def _read_table(cls) -> Categories:
        return Categories(
            tuple(
                CategoryInfo(code, name, plural_name, rank, state)
                for code, name, plural_name, rank, state in cls.objects.order_by(
                    "rank", "code"
                ).values_list("code", "name", "plural_name", "rank", "state")
            )
        )

    @classmethod
    def unknown_message(cls, value: str, table: Categories | None = None) -> str:
        """Why `value` is refused as a category, naming the known codes."""
        table = cls.table() if table is None else table
        return _("“%(value)s” is not a category. Known categories: %(known)s.") % {
            "value": value,
            "known": ", ".join(table.order),
        }


class DelegationKind(models.TextChoices):
    STATE = "state", _("State")
    ORGANIZATION = "organization", _("Organization")


class Delegation(models.Model):
    """A State (by its ISO 3166 alpha-3 code) or an organisation (by a short code)."""

    Kind = DelegationKind

    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        validators=[code_validator],
        help_text=_("ISO 3166 alpha-3 for a State (CHL); a short code for an organization (ICRC)."),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.STATE)

    class Meta:
        ordering = ["name"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=DelegationKind.values), name="delegation_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(code="") & ~Q(name=""), name="delegation_code_and_name_given"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.code:
            self.code = self.code.strip().upper()
        if self.kind == self.Kind.STATE and self.code:
            try:
                iso3_validator(self.code)
            except ValidationError as error:
                raise ValidationError({"code": error.messages}) from error


class Participation(models.Model):
    """A delegation at a meeting, with the category it has there.

    A State can be an observer in April and a State Party in September: the category belongs
    here, not to the delegation.
    """

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("meeting"),
    )
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("delegation"),
    )
    category = models.CharField(
        _("category"),
        max_length=32,
        help_text=_(
            "The code of one of the categories of participant. A correction re-ranks the "
            "delegation's waiting requests for the floor."
        ),
    )
    language = models.CharField(
        _("usual language"),
        max_length=2,
        choices=UN_LANGUAGES,
        blank=True,
        help_text=_(
            "The language the delegation usually speaks in: its requests for the floor offer it "
            "first, for the interpreters."
        ),
    )

    class Meta:
        ordering = ["meeting", "delegation__name"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "delegation"],
                name="participation_once_per_meeting",
                violation_error_message=_("This delegation already takes part in this meeting."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegation} ({self.get_category_display()})"

    def get_category_display(self) -> str:
        """The category's name, from the table (`ParticipantCategory`)."""
        return ParticipantCategory.table().label(self.category)

    def clean(self) -> None:
        if self.category and self.category not in ParticipantCategory.table():
            raise ValidationError({"category": ParticipantCategory.unknown_message(self.category)})


group_code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9-]{0,19}$",
    _("Use capital letters, digits and hyphens, e.g. EU, AG or GRULAC."),
)


class Group(models.Model):
    """A group of delegations at a meeting that speaks with one voice: the European Union, a
    regional group (the African Group, GRULAC), a group of like-minded States.

    A delegation that is a member (or the group's own delegation, like the European Union's)
    may make a statement on its behalf; with `takes_precedence`, such statements come first
    among the statements (UN practice), unless the speaking rules turn that off.
    """

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="groups", verbose_name=_("meeting")
    )
    code = models.CharField(
        _("code"),
        max_length=20,
        validators=[group_code_validator],
        help_text=_("A short code, e.g. EU, AG, GRULAC or ARAB."),
    )
    name = models.CharField(_("name"), max_length=200, help_text=_("e.g. the European Union"))
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="own_groups",
        verbose_name=_("the group's own delegation"),
        help_text=_(
            "Where the group has a delegation of its own at the meeting (the European Union's): "
            "its statements are on behalf of the group."
        ),
    )
    members = models.ManyToManyField(
        Delegation, related_name="member_of", blank=True, verbose_name=_("members")
    )
    takes_precedence = models.BooleanField(
        _("its statements take precedence"),
        default=True,
        help_text=_(
            "Statements on behalf of the group come first among the statements, in order of "
            "request (UN practice). The speaking rules of the meeting or an item may turn this "
            "off for every group."
        ),
    )

    class Meta:
        ordering = ["meeting", "name"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "code"],
                name="group_code_once_per_meeting",
                violation_error_message=_("This meeting already has a group with this code."),
            ),
            models.CheckConstraint(
                condition=~Q(code="") & ~Q(name=""), name="group_code_and_name_given"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.code:
            self.code = self.code.strip().upper()

    def may_speak_for(self, delegation: Delegation) -> bool:
        """Whether `delegation` may make a statement on the group's behalf: a member, or the
        group's own delegation. One query (none for the own delegation)."""
        if self.delegation_id == delegation.pk:
            return True
        return self.members.filter(pk=delegation.pk).exists()


class Guest(models.Model):
    """Someone who takes the floor at a meeting in their own capacity, not for a delegation:
    the President, the Director of the Implementation Support Unit, the Article 4 analysis
    group, a panellist, a survivor or an expert invited under (j).

    A participant without a category: the chair (or the secretariat) puts them on a list where
    the item needs them; they are never ranked among the categories, and the screens and the
    record show them by name.
    """

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="guests", verbose_name=_("meeting")
    )
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(
        _("title"),
        max_length=200,
        blank=True,
        help_text=_("e.g. President of the Thirteenth Meeting of States Parties; Panellist"),
    )
    organisation = models.CharField(
        _("organisation"),
        max_length=200,
        blank=True,
        help_text=_("e.g. Implementation Support Unit"),
    )

    class Meta:
        ordering = ["meeting", "name"]
        verbose_name = _("speaker without a delegation")
        verbose_name_plural = _("speakers without a delegation")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "name"],
                name="guest_once_per_meeting",
                violation_error_message=_("This person is already a speaker at this meeting."),
            ),
            models.CheckConstraint(condition=~Q(name=""), name="guest_name_given"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def description(self) -> str:
        """The title and the organisation, as a screen shows them under the name."""
        separator = pgettext("list separator", ", ")
        return separator.join(part for part in (self.title, self.organisation) if part)


class Delegate(models.Model):
    """A person on a delegation's list for a meeting."""

    class Role(models.TextChoices):
        HEAD = "head", _("Head of delegation")
        DEPUTY = "deputy", _("Deputy head of delegation")
        MEMBER = "member", _("Member")
        ADVISER = "adviser", _("Adviser")

    class Gender(models.TextChoices):
        # Self-declared, optional; blank means "not stated".
        WOMAN = "woman", _("Woman")
        MAN = "man", _("Man")
        OTHER = "other", _("Another gender")

    participation = models.ForeignKey(
        Participation,
        on_delete=models.CASCADE,
        related_name="delegates",
        verbose_name=_("delegation at the meeting"),
    )
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("e.g. H.E. Ambassador, Counsellor")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    gender = models.CharField(
        _("gender (self-declared)"),
        max_length=20,
        choices=Gender.choices,
        blank=True,
        help_text=_("Optional; leave blank when not stated."),
    )
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        ordering = ["participation", "role", "name"]
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "name"],
                name="delegate_once_per_delegation",
                violation_error_message=_("This person is already on the delegation's list."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class FocalPoint(models.Model):
    """A user account that acts for a delegation (requests the floor, hands in statements)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="focal_points",
        verbose_name=_("user"),
    )
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.CASCADE,
        related_name="focal_points",
        verbose_name=_("delegation"),
    )

    class Meta:
        ordering = ["delegation__name", "user__username"]
        verbose_name = _("focal point")
        verbose_name_plural = _("focal points")
        constraints = [
            models.UniqueConstraint(fields=["user", "delegation"], name="focal_point_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.delegation}"


class ResetRequest(models.Model):
    """A request for a password-reset link, kept for an hour: requests are limited per address
    and per e-mail address (`delegations.accounts.reset_request_allowed`). Known and unknown
    addresses are counted alike; the e-mail address is kept as a keyed digest only."""

    address = models.CharField(_("address"), max_length=45, blank=True, db_index=True)
    email_digest = models.CharField(_("e-mail digest"), max_length=64, db_index=True)
    requested_at = models.DateTimeField(_("requested at"), db_index=True)

    class Meta:
        verbose_name = _("password-reset request")
        verbose_name_plural = _("password-reset requests")

    def __str__(self) -> str:
        return f"{self.address} {self.requested_at:%Y-%m-%d %H:%M}"


class LanguageChoice(models.Model):
    """The language a person chose in the language menu: their pages open in it after signing
    in, and their invitations and reset links are written in it (`delegations.languages`)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="language_choice",
        verbose_name=_("account"),
    )
    language = models.CharField(_("language"), max_length=7, choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("language chosen")
        verbose_name_plural = _("languages chosen")

    def __str__(self) -> str:
        return f"{self.user}: {self.language}"
