"""Who may read and write notes and proposals, written once (services, pages, documents).

- `may_note(user, item)`: the item's chairs and coordinators and the secretariat
  (`agenda.roles.coordinates`) write notes on its entries and read them before they are
  published, and write proposals.
- `may_publish(user)`: the secretariat publishes notes.
- `may_set_status(user, meeting)`: the President's team (presiding officers, secretariat) sets a
  proposal's status.
- `may_draft(user, meeting)`: the President's summary is for the President's team.
- `areas_drafted(user, meeting, areas)`: the Lausanne Action Plan areas whose inputs a user may
  read and download: all of them for the President's team; for a coordinator the areas of the
  items they coordinate (an item speaks to an area when its title names it, or when entries
  on it were tagged with the area's actions).
"""

from django.db.models import Q

from agenda.models import AgendaItem, LapArea, LapTag
from agenda.roles import coordinates, may_take_up
from meetings.roles import is_secretariat


def may_note(user, item: AgendaItem) -> bool:
    return coordinates(user, item)


def may_publish(user) -> bool:
    return is_secretariat(user)


def may_set_status(user, meeting) -> bool:
    return may_take_up(user, meeting)


def may_draft(user, meeting) -> bool:
    return may_take_up(user, meeting)


def coordinated_items(user, meeting) -> list[AgendaItem]:
    """The items of the meeting `user` coordinates (`agenda.roles.coordinates`), in one query
    (the President's team: all of them)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    items = AgendaItem.objects.filter(meeting=meeting)
    if not may_take_up(user, meeting):
        items = items.filter(
            Q(facilitators=user)
            | Q(parent__facilitators=user)
            | Q(coordinators__focal_points__user=user)
            | Q(parent__coordinators__focal_points__user=user)
        ).distinct()
    return list(items)


def areas_drafted(user, meeting, areas: list[LapArea] | None = None) -> list[LapArea]:
    areas = list(LapArea.objects.all()) if areas is None else areas
    if may_draft(user, meeting):
        return areas
    items = coordinated_items(user, meeting)
    if not items:
        return []
    tagged = set(
        LapTag.objects.filter(entry__item__in=items).values_list("action__area_id", flat=True)
    )
    titles = [item.title.casefold() for item in items]
    return [
        area
        for area in areas
        if area.pk in tagged or any(area.title.casefold() in title for title in titles)
    ]


def may_draft_area(user, meeting, area: LapArea) -> bool:
    return any(found.pk == area.pk for found in areas_drafted(user, meeting, [area]))
