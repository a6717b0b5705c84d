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
from agenda.speakers.selectors import SpeakersList, accepting, speakers_list
from meetings.selectors import visible_meetings

from .display import annotate, clock_context

ROOM_NEXT = 5  # speakers the room screen sees coming
SHOW_CHOICES = (5, 10, 20)  # the booths' choices of how many waiting speakers they see
WARNING_SECONDS = 30
"""The last seconds of a speaker's limit, when the room screen's countdown warns in words."""


def _screen_context(meeting, show: int | None = ROOM_NEXT) -> dict:
    """What every screen shows: the item under discussion, its list, the speakers coming
    (`show` of them; None: all), how many wait and whether the list is closed to delegations."""
    item = (
        AgendaItem.objects.select_related("meeting", "parent")
        .filter(meeting=meeting, under_discussion=True)
        .first()
    )
    state = annotate(speakers_list(item)) if item else None
    waiting = state.waiting if state else []
    return {
        "meeting": meeting,
        "item": item,
        "state": state,
        "following": waiting if show is None else waiting[:show],
        "waiting_count": len(waiting),
        "list_closed": item is not None and not accepting(item),
        "warning_seconds": WARNING_SECONDS,
        **clock_context(),
    }


def _show(request: HttpRequest) -> tuple[int | None, bool]:
    """How many of the speakers waiting the booths asked to see (`?show=N`): None for all;
    and whether what was asked could not be read (then all are shown, and the page says so)."""
    asked = request.GET.get("show", "").strip()
    if not asked or asked == "all":
        return None, False
    if asked.isdigit() and 0 < int(asked) < 10_000:
        return int(asked), False
    return None, True


def _screen(request: HttpRequest, slug: str, template: str, fragment_name: str) -> HttpResponse:
    meeting = get_object_or_404(visible_meetings(request.user), slug=slug)
    context = _screen_context(meeting)
    # The banner may leave the countdown out (`?countdown=off`), its fragment too.
    context["countdown"] = request.GET.get("countdown") != "off"
    context["query"] = "" if context["countdown"] else "&countdown=off"
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
    show, show_invalid = _show(request)
    context = _screen_context(meeting, show)
    context["show"] = show
    context["show_choices"] = sorted({*SHOW_CHOICES, *([show] if show else [])})
    context["show_invalid"] = show_invalid
    context["query"] = f"&show={show}" if show else ""
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
