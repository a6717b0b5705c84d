"""Who may do what in `agenda`: plain role functions of a user and an item or a meeting.

They build on `meetings.roles` (the secretariat, the presiding officers) and
`delegations.roles` (focal points). Services, views, the API and `agenda/rules.py` (the
permissions templates ask for) all call these.

- `chairs(user, item)`: the secretariat, the meeting's presiding officers, and the accounts
  chairing the item (or its parent item) for its coordinators; `chaired_items` says it of
  many items at once.
- `coordinates(user, item)`: the item's chairs and the focal points of the delegations
  coordinating the item or its parent.
- `may_tag(user, item)`: whoever coordinates the item tags the record with Lausanne Action
  Plan actions.
- `may_read_figures(user, meeting)`: the secretariat, the presiding officers, and whoever
  coordinates any item of the meeting: the statistics and the Lausanne Action Plan export.
- `may_follow_booths(user, meeting)`: interpreters (their group), the secretariat, and whoever
  chairs in the meeting open the interpreters' view.
- `may_read_texts(user, item)`: who may read the statements handed in on an item before they
  are public (besides their delegation): its chairs, and interpreters while the meeting is in
  session. A coordinator chairing another item does not.
- `may_take_up(user, meeting)`: who changes the item under discussion (the room screen, the
  banner and the booths follow it): the President (presiding officers) and the secretariat,
  not a coordinator chairing one item.
"""

from django.db.models import Q

from delegations.models import FocalPoint
from meetings.models import Meeting
from meetings.roles import is_secretariat, presides

from .models import AgendaItem

INTERPRETERS_GROUP = "Interpreters"


def _active(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.is_active


def _item_and_parent(item: AgendaItem) -> list[int]:
    return [item.pk] + ([item.parent_id] if item.parent_id else [])


def chairs(user, item: AgendaItem) -> bool:
    if not _active(user):
        return False
    if is_secretariat(user) or presides(user, item.meeting):
        return True
    return user.facilitated_items.filter(pk__in=_item_and_parent(item)).exists()


def chaired_items(user, meeting, outline: list[AgendaItem]) -> list[AgendaItem]:
    """The items of `outline` (a meeting's, in agenda order) that `user` chairs: the same rule
    as `chairs`, for many items in two queries at most."""
    if not _active(user):
        return []
    if is_secretariat(user) or presides(user, meeting):
        return outline
    mine = set(user.facilitated_items.filter(meeting=meeting).values_list("pk", flat=True))
    return [item for item in outline if item.pk in mine or item.parent_id in mine]


def coordinates(user, item: AgendaItem) -> bool:
    if not _active(user):
        return False
    if chairs(user, item):
        return True
    return FocalPoint.objects.filter(
        user=user, delegation__coordinated_items__in=_item_and_parent(item)
    ).exists()


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


def interprets(user) -> bool:
    return _active(user) and user.groups.filter(name=INTERPRETERS_GROUP).exists()


def may_read_texts(user, item: AgendaItem) -> bool:
    if chairs(user, item):
        return True
    return item.meeting.status == Meeting.Status.IN_SESSION and interprets(user)


def may_take_up(user, meeting) -> bool:
    return _active(user) and (is_secretariat(user) or presides(user, meeting))


def may_follow_booths(user, meeting) -> bool:
    if not _active(user):
        return False
    if is_secretariat(user) or presides(user, meeting):
        return True
    if interprets(user):
        return True
    return AgendaItem.objects.filter(
        Q(facilitators=user) | Q(parent__facilitators=user), meeting=meeting
    ).exists()


__all__ = [
    "INTERPRETERS_GROUP",
    "chaired_items",
    "chairs",
    "coordinates",
    "interprets",
    "may_follow_booths",
    "may_read_figures",
    "may_read_texts",
    "may_tag",
    "may_take_up",
]
