"""Who takes part: delegations, their category at a meeting, delegates and focal points.

Imports from `meetings` only.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting


class Category(models.TextChoices):
    """The category a delegation has *at a meeting*, in the default speaking order.

    These identifiers are used wherever a category is stored or exchanged (imports, API).
    """

    STATE_PARTY = "state_party", _("State Party")
    SIGNATORY_STATE = "signatory_state", _("Signatory State")
    OBSERVER_STATE = "observer_state", _("Observer State")
    INTERNATIONAL_ORGANIZATION = "international_organization", _("International organization")
    RED_CROSS = "red_cross", _("Red Cross and Red Crescent")
    CMC = "cmc", _("Cluster Munition Coalition")
    NGO = "ngo", _("Non-governmental organization")


STATE_CATEGORIES = frozenset(
    {Category.STATE_PARTY, Category.SIGNATORY_STATE, Category.OBSERVER_STATE}
)

code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9-]{1,19}$",
    _("Use capital letters, digits and hyphens, e.g. CHL or ICRC."),
)
iso3_validator = RegexValidator(
    r"^[A-Z]{3}$", _("A State's code is its ISO 3166 alpha-3 code: three capital letters.")
)


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
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)

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
            models.CheckConstraint(
                condition=Q(category__in=Category.values),
                name="participation_category_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegation} ({self.get_category_display()})"


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
