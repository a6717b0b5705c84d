"""Who may run an item's list of speakers."""

from delegations.roles import represents
from meetings.roles import is_secretariat, presides


def chairs(user, item) -> bool:
    """The chair of an item: the secretariat, the meeting's presiding officers, and the
    accounts chairing the item (or its parent item) for its coordinators."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if is_secretariat(user) or presides(user, item.meeting):
        return True
    items = [item.pk] + ([item.parent_id] if item.parent_id else [])
    return user.facilitated_items.filter(pk__in=items).exists()


def may_act_for(user, item, delegation) -> bool:
    """A focal point for their own delegation; the chair for anyone."""
    return represents(user, delegation) or chairs(user, item)


__all__ = ["chairs", "may_act_for", "represents"]
