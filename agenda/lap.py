"""Who may tag the record with Lausanne Action Plan actions and read its figures.

Plain role functions over `agenda.roles`, like the others: the services, the views and the
templates ask them.

- `coordinates(user, item)`: the item's chairs (`agenda.roles.chairs`: the secretariat, the
  presiding officers, the accounts chairing the item or its parent) and the focal points of the
  delegations coordinating the item or its parent.
- `may_tag(user, item)`: whoever coordinates the item.
- `may_read_figures(user, meeting)`: the secretariat, the presiding officers, and whoever
  coordinates any item of the meeting: the statistics and the Lausanne Action Plan export.
"""

from delegations.models import FocalPoint
from meetings.roles import is_secretariat, presides

from .models import AgendaItem
from .roles import chairs


def _active(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active


def coordinates(user, item: AgendaItem) -> bool:
    if not _active(user):
        return False
    if chairs(user, item):
        return True
    items = [item.pk] + ([item.parent_id] if item.parent_id else [])
    return FocalPoint.objects.filter(user=user, delegation__coordinated_items__in=items).exists()


def may_tag(user, item: AgendaItem) -> bool:
    return coordinates(user, item)


def may_read_figures(user, meeting) -> bool:
    if not _active(user):
        return False
    if is_secretariat(user) or presides(user, meeting):
        return True
    if user.facilitated_items.filter(meeting=meeting).exists():
        return True
    return FocalPoint.objects.filter(
        user=user, delegation__coordinated_items__meeting=meeting
    ).exists()
