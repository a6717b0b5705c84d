"""Who is who: the secretariat. Other roles build on this one (delegations, agenda)."""

SECRETARIAT_GROUP = "Secretariat"


def is_secretariat(user) -> bool:
    """Superusers and members of the Secretariat group run everything."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_secretariat", None)
    if cached is None:
        cached = user.groups.filter(name=SECRETARIAT_GROUP).exists()
        user._is_secretariat = cached
    return cached


def presides(user, meeting) -> bool:
    """The meeting's presiding officers (the President) chair every item."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return meeting.presiding_officers.filter(pk=user.pk).exists()
