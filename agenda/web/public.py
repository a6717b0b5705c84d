"""Public pages: the meeting with its programme and agenda, and one agenda item.

They live here rather than in `meetings` because they show the agenda (imports flow
meetings ← delegations ← agenda). Each page runs a fixed number of queries, whatever the number
of items, sittings or delegations.
"""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from meetings.models import Document, Meeting
from meetings.views import visible_meetings

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


def home(request):
    meeting = Meeting.objects.current()
    if meeting is None:
        return render(request, "meetings/no_meeting.html")
    return _meeting_page(request, meeting)


def meeting_detail(request, slug):
    return _meeting_page(request, get_object_or_404(visible_meetings(request), slug=slug))


def _meeting_page(request, meeting):
    outline = agenda_outline(meeting)
    sittings = list(meeting.sittings.all())
    taken_up = {}
    for sitting_id, item_id in AgendaItem.sittings.through.objects.filter(
        sitting__meeting=meeting
    ).values_list("sitting_id", "agendaitem_id"):
        taken_up.setdefault(sitting_id, set()).add(item_id)
    for sitting in sittings:
        ids = taken_up.get(sitting.pk, set())
        sitting.items = [item for item in outline if item.pk in ids]
    documents = (
        Document.objects.filter(Q(meeting=meeting) | Q(citations__item__meeting=meeting))
        .distinct()
        .order_by("symbol")
    )
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "sittings": sittings,
            "items": [item for item in outline if item.parent_id is None],
            "documents": documents,
            "participant_count": meeting.participations.count(),
        },
    )


def agenda_item_detail(request, slug, pk):
    meeting = get_object_or_404(visible_meetings(request), slug=slug)
    outline = agenda_outline(meeting)
    position = next((i for i, item in enumerate(outline) if item.pk == pk), None)
    if position is None:
        raise Http404
    item = outline[position]
    return render(
        request,
        "agenda/item_detail.html",
        {
            "meeting": meeting,
            "item": item,
            "mandate_references": item.mandate_references.select_related("document"),
            "sittings": item.sittings.all(),
            "previous": outline[position - 1] if position > 0 else None,
            "next": outline[position + 1] if position + 1 < len(outline) else None,
        },
    )
