"""The room screen, the webcast banner, the interpreters' view, and the server's clock they
count with.

Thin, like the console: each screen reads the list of the item under discussion through
`agenda.speakers.selectors` and renders one template whose live region is a template partial
(`?fragment=<name>`), fetched again when the live stream says the list changed.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from agenda.live.stream import last_event_id
from agenda.models import AgendaItem, FloorRequest, Statement
from agenda.roles import may_follow_booths, may_read_texts
from agenda.speakers.selectors import SpeakersList, speakers_list
from meetings.selectors import visible_meetings

from .display import annotate, clock_context

ROOM_NEXT = 5  # speakers the room screen and the interpreters see coming


def _screen_context(meeting) -> dict:
    item = (
        AgendaItem.objects.select_related("meeting", "parent")
        .filter(meeting=meeting, under_discussion=True)
        .first()
    )
    state = annotate(speakers_list(item)) if item else None
    return {
        "meeting": meeting,
        "item": item,
        "state": state,
        "following": state.waiting[:ROOM_NEXT] if state else [],
        **clock_context(),
    }


def _screen(request: HttpRequest, slug: str, template: str, fragment_name: str) -> HttpResponse:
    meeting = get_object_or_404(visible_meetings(request.user), slug=slug)
    context = _screen_context(meeting)
    fragment = request.GET.get("fragment")
    if fragment == fragment_name:
        return render(request, f"{template}#{fragment_name}", context)
    if fragment is not None:
        raise Http404
    context["after"] = last_event_id(meeting)
    context["chroma"] = request.GET.get("background") == "green"
    return render(request, template, context)


@require_GET
@never_cache
def room_screen(request: HttpRequest, slug: str) -> HttpResponse:
    """The big screen in the room: the item, who speaks, the countdown, who follows."""
    return _screen(request, slug, "agenda/room.html", "screen")


@require_GET
@never_cache
def room_banner(request: HttpRequest, slug: str) -> HttpResponse:
    """The webcast's name banner: who speaks, on a transparent background to overlay video."""
    return _screen(request, slug, "agenda/banner.html", "banner")


def _with_statements(state: SpeakersList | None, entries: list[FloorRequest]) -> None:
    """Attach to each entry the statements its delegation handed in for it, or for none in
    particular (two queries); a speaker without a delegation hands in none."""
    if state is None or not entries:
        return
    statements = Statement.objects.filter(
        item=state.item,
        delegation_id__in={entry.delegation_id for entry in entries if entry.delegation_id},
    ).prefetch_related("files")
    for entry in entries:
        entry.texts = [
            statement
            for statement in statements
            if statement.delegation_id == entry.delegation_id
            and statement.floor_request_id in (None, entry.pk)
        ]


@login_required
@require_GET
@never_cache
def interpreters(request: HttpRequest, slug: str) -> HttpResponse:
    """The booths: who speaks and who follows, in which language, with the texts handed in."""
    meeting = get_object_or_404(visible_meetings(request.user), slug=slug)
    if not may_follow_booths(request.user, meeting):
        raise PermissionDenied
    context = _screen_context(meeting)
    state = context["state"]
    # The texts handed in, for whoever may read them before they are public: interpreters
    # while the meeting is in session, the item's chairs (not a coordinator of another item).
    context["texts"] = state is not None and may_read_texts(request.user, state.item)
    if context["texts"]:
        shown = [entry for entry in (state.current, state.interrupted) if entry]
        _with_statements(state, shown + context["following"])
    fragment = request.GET.get("fragment")
    if fragment == "booth":
        return render(request, "agenda/interpreters.html#booth", context)
    if fragment is not None:
        raise Http404
    context["after"] = last_event_id(meeting)
    return render(request, "agenda/interpreters.html", context)


@require_GET
@never_cache
def server_time(request: HttpRequest) -> JsonResponse:
    """The server's clock, for screens to measure their offset (static/js/live.js)."""
    now = timezone.now()
    return JsonResponse({"now": now.isoformat(), "epoch_ms": int(now.timestamp() * 1000)})
