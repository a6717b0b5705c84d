"""Reading the agenda tree: the items of a meeting in agenda order, one item of a meeting,
the item after another, and the sittings with the items taken up in them.

Pages, the API, exports and services all find items through here.
"""

from meetings.models import Meeting, Sitting

from .models import AgendaItem


def agenda_outline(meeting: Meeting) -> list[AgendaItem]:
    """All items of the meeting in agenda order (2, 2(a), 2(b), …, 3), in two queries.

    Each item gets `children` (its subitems, in order) and its coordinators prefetched; `meeting`
    and `parent` are set from memory, so `code` and `get_absolute_url` cost no query.
    """
    items = list(AgendaItem.objects.filter(meeting=meeting).prefetch_related("coordinators"))
    by_pk = {item.pk: item for item in items}
    for item in items:
        item.meeting = meeting
        item.children = []
    top = []
    for item in sorted(items, key=lambda i: (i.order, i.label)):
        if item.parent_id is None:
            top.append(item)
        else:
            item.parent = by_pk[item.parent_id]
            item.parent.children.append(item)
    return [entry for item in top for entry in (item, *item.children)]


def item_in(meeting: Meeting, pk: int) -> AgendaItem | None:
    """The item `pk` if it belongs to `meeting` (with its meeting and parent), else None."""
    item = AgendaItem.objects.select_related("parent").filter(pk=pk, meeting=meeting).first()
    if item is not None:
        item.meeting = meeting
    return item


def item_after(outline: list[AgendaItem], item: AgendaItem) -> AgendaItem | None:
    """The item that follows `item` in agenda order (subitems included), None after the last."""
    for position, entry in enumerate(outline):
        if entry.pk == item.pk:
            return outline[position + 1] if position + 1 < len(outline) else None
    return None


def sittings_with_items(meeting: Meeting, outline: list[AgendaItem]) -> list[Sitting]:
    """The meeting's sittings in time order, each with `items`: the items of `outline` taken
    up in it, in agenda order (two queries)."""
    sittings = list(meeting.sittings.order_by("date", "start_time"))
    taken_up: dict[int, set[int]] = {}
    for sitting_id, item_id in AgendaItem.sittings.through.objects.filter(
        sitting__meeting=meeting
    ).values_list("sitting_id", "agendaitem_id"):
        taken_up.setdefault(sitting_id, set()).add(item_id)
    for sitting in sittings:
        sitting.items = [item for item in outline if item.pk in taken_up.get(sitting.pk, ())]
    return sittings
