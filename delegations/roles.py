"""Who acts for which delegation."""

from meetings.roles import is_secretariat

from .models import FocalPoint


def represents(user, delegation) -> bool:
    """A focal point acts for their own delegation(s) only."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return FocalPoint.objects.filter(user=user, delegation=delegation).exists()


def delegations_of(user):
    """The delegations a user is focal point of."""
    from .models import Delegation

    if not getattr(user, "is_authenticated", False):
        return Delegation.objects.none()
    return Delegation.objects.filter(focal_points__user=user)


__all__ = ["delegations_of", "is_secretariat", "represents"]
