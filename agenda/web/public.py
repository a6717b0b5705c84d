"""Public pages: the meeting with its programme and agenda, and one agenda item with its list
of speakers (who has the floor, who waits, who has spoken, and for whom).

They live in `agenda` rather than in `meetings` because they show the agenda (imports flow
meetings ← delegations ← agenda). Each page runs a fixed number of queries, whatever the number
of items, sittings, delegations or speakers.
"""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from agenda.items import agenda_outline, sittings_with_items
from agenda.live.stream import last_event_id
from agenda.speakers.selectors import accepting, speakers_list
from meetings.models import Document, Meeting
from meetings.selectors import visible_meetings

from . import page_cache
from .display import clock_context


def home(request):
    meeting = Meeting.objects.current()
    if meeting is None:
        return render(request, "meetings/no_meeting.html")
    return _meeting_page(request, meeting)


def meeting_detail(request, slug):
    meeting = get_object_or_404(visible_meetings(request.user), slug=slug)
    if not page_cache.cacheable(request):
        return _meeting_page(request, meeting)
    # A visitor's page is kept until anything it shows changes (agenda.web.page_cache).
    stamp, participants = page_cache.programme_stamp(meeting)
    return page_cache.serve(
        request,
        ("programme", stamp, participants),
        lambda marks: _meeting_page(request, meeting, participant_count=participants, **marks),
    )


def _meeting_page(request, meeting, **given):
    if "participant_count" not in given:
        given["participant_count"] = meeting.participations.count()
    outline = agenda_outline(meeting)
    sittings = sittings_with_items(meeting, outline)
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
            **given,
        },
    )


@never_cache
def agenda_item_detail(request, slug, pk):
    """An item's page. Its list of speakers follows the live stream: `?fragment=speakers` is
    the list alone, fetched again when the stream says it changed (static/js/live.js)."""
    meeting = get_object_or_404(visible_meetings(request.user), slug=slug)
    fragment = request.GET.get("fragment")
    if fragment not in (None, "speakers"):
        raise Http404
    if not page_cache.cacheable(request):
        return _item_page(request, meeting, pk, fragment, last_event_id(meeting))
    # A visitor's page is kept until anything it shows changes (agenda.web.page_cache).
    stamp, after, accepts = page_cache.item_stamp(meeting, pk)
    return page_cache.serve(
        request,
        ("item", stamp, accepts),
        lambda marks: _item_page(request, meeting, pk, fragment, after, **marks),
    )


def _item_page(request, meeting, pk, fragment, after, **marks):
    outline = agenda_outline(meeting)
    position = next((i for i, item in enumerate(outline) if item.pk == pk), None)
    if position is None:
        raise Http404
    item = outline[position]
    speakers = speakers_list(item)
    context = {
        "meeting": meeting,
        "item": item,
        "speakers": speakers,
        "list_closed": not accepting(item),
    }
    if fragment:
        return render(request, "agenda/item_detail.html#speakers", {**context, **marks})
    return render(
        request,
        "agenda/item_detail.html",
        {
            **context,
            "presenters": item.presenters.select_related("delegation"),
            "after": after,
            **clock_context(),
            "mandate_references": item.mandate_references.select_related("document"),
            "sittings": item.sittings.all(),
            "previous": outline[position - 1] if position > 0 else None,
            "next": outline[position + 1] if position + 1 < len(outline) else None,
            **marks,
        },
    )
