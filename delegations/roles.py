"""Who acts for which delegation."""

from .models import Delegation, FocalPoint


def represents(user, delegation) -> bool:
    """A focal point acts for their own delegation(s) only."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return FocalPoint.objects.filter(user=user, delegation=delegation).exists()


def delegations_of(user):
    """The delegations a user is focal point of."""
    if not getattr(user, "is_authenticated", False):
        return Delegation.objects.none()
    return Delegation.objects.filter(focal_points__user=user)
