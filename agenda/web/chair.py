"""The chair's console, the room screen, the webcast banner and the interpreters' view.

Thin: each view reads through `selectors`, acts through `services`, and renders one template.
The regions that change live are template partials, rendered alone for htmx when the live
stream (agenda/stream.py) says their list changed (`?fragment=<name>`). Every action is a plain
POST form carrying the list's version: without JavaScript it redirects back to the console
(post/redirect/get) with a message; with htmx it answers the refreshed list at once. A stale
version changes nothing and shows "the list changed" with the list as it stands.
"""

import time
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from delegations.models import Category, Participation
from meetings.roles import is_secretariat, presides
from meetings.views import visible_meetings

from . import services
from .models import KIND_CHOICES, AgendaItem, FloorRequest, Statement
from .ordering import Kind
from .roles import chairs
from .selectors import SpeakersList, list_is_accepting, speakers_list
from .stream import last_event_id
from .views import agenda_outline

INTERPRETERS_GROUP = "Interpreters"
ROOM_NEXT = 5  # speakers the room screen and the interpreters see coming


# --- reading the list for a screen -----------------------------------------------------------


def minutes_seconds(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


def clock_text(remaining: int) -> str:
    """What a countdown shows: the time left, or the time over the limit with a plus sign
    (static/js/live.js shows the same as the seconds go by)."""
    return minutes_seconds(remaining) if remaining >= 0 else "+" + minutes_seconds(-remaining)


def _epoch_ms(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp() * 1000)


def _annotate(state: SpeakersList) -> SpeakersList:
    """Give every entry what the templates show: its time limit, place, clock and duration."""
    categories = dict(Category.choices)
    for request in state.requests:
        request.limit = state.time_limit(request)
        request.category_label = categories.get(request.category, request.category)
        request.clock = {
            "started": _epoch_ms(request.started_at),
            "paused_at": _epoch_ms(request.paused_at),
            "paused_total": int(request.paused_total.total_seconds() * 1000),
            "limit": request.limit,
        }
        spoken = request.speaking_time(timezone.now())
        request.spoken_seconds = None if spoken is None else int(spoken.total_seconds())
        request.remaining_seconds = (
            None if request.spoken_seconds is None else request.limit - request.spoken_seconds
        )
        request.clock_text = (
            "" if request.remaining_seconds is None else clock_text(request.remaining_seconds)
        )
        request.duration_text = (
            "" if request.spoken_seconds is None else minutes_seconds(request.spoken_seconds)
        )
    for place, request in enumerate(state.waiting, start=1):
        request.place = place
    return state


def _item_in(meeting, pk: int) -> AgendaItem:
    item = (
        AgendaItem.objects.select_related("meeting", "parent")
        .filter(pk=pk, meeting=meeting)
        .first()
    )
    if item is None:
        raise Http404
    return item


def _chaired(user, meeting, outline: list[AgendaItem]) -> list[AgendaItem]:
    """The items of the outline this user chairs (in two queries at most)."""
    if is_secretariat(user) or presides(user, meeting):
        return outline
    mine = set(user.facilitated_items.filter(meeting=meeting).values_list("pk", flat=True))
    return [item for item in outline if item.pk in mine or item.parent_id in mine]


def _clock_context() -> dict:
    return {"server_now": int(time.time() * 1000)}


# --- the chair's console ---------------------------------------------------------------------


@login_required
def chair_home(request: HttpRequest, slug: str) -> HttpResponse:
    """The console of the item under discussion, else of the first item this user chairs."""
    meeting = get_object_or_404(visible_meetings(request), slug=slug)
    items = _chaired(request.user, meeting, agenda_outline(meeting))
    if not items:
        raise PermissionDenied
    chosen = next((item for item in items if item.under_discussion), items[0])
    return redirect("chair_console", slug=meeting.slug, pk=chosen.pk)


def _board_context(request: HttpRequest, item: AgendaItem, **extra) -> dict:
    return {
        "meeting": item.meeting,
        "item": item,
        "state": _annotate(speakers_list(item)),
        "accepting": list_is_accepting(item),
        "kinds": KIND_CHOICES,
        **_clock_context(),
        **extra,
    }


def _console_item(request: HttpRequest, slug: str, pk: int) -> AgendaItem:
    meeting = get_object_or_404(visible_meetings(request), slug=slug)
    item = _item_in(meeting, pk)
    if not chairs(request.user, item):
        raise PermissionDenied
    return item


@login_required
@require_GET
@never_cache
def chair_console(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    item = _console_item(request, slug, pk)
    fragment = request.GET.get("fragment")
    if fragment == "board":
        return render(request, "agenda/chair.html#board", _board_context(request, item))
    if fragment == "agenda":
        return render(request, "agenda/chair.html#agenda", _agenda_context(request, item))
    if fragment is not None:
        raise Http404
    delegations = (
        Participation.objects.filter(meeting=item.meeting)
        .select_related("delegation")
        .order_by("delegation__name")
    )
    return render(
        request,
        "agenda/chair.html",
        {
            **_board_context(request, item),
            **_agenda_context(request, item),
            "delegations": [participation.delegation for participation in delegations],
            "after": last_event_id(item.meeting),
        },
    )


def _agenda_context(request: HttpRequest, item: AgendaItem) -> dict:
    outline = agenda_outline(item.meeting)
    under_discussion = next((entry for entry in outline if entry.under_discussion), None)
    return {
        "meeting": item.meeting,
        "item": item,
        "chaired": _chaired(request.user, item.meeting, outline),
        "under_discussion": under_discussion,
        "next_item": _next_item(outline, under_discussion or item),
    }


def _next_item(outline: list[AgendaItem], after: AgendaItem) -> AgendaItem | None:
    for position, entry in enumerate(outline):
        if entry.pk == after.pk:
            return outline[position + 1] if position + 1 < len(outline) else None
    return None


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST["version"])
    except (KeyError, ValueError):
        return None


def _entry(request: HttpRequest, item: AgendaItem) -> FloorRequest:
    try:
        pk = int(request.POST.get("entry", ""))
    except ValueError:
        raise services.FloorError(_("Choose a speaker on the list.")) from None
    entry = FloorRequest.objects.filter(pk=pk, item=item).first()
    if entry is None:
        raise services.FloorError(_("This request is not on the list any more."))
    return entry


def _delegation(request: HttpRequest, item: AgendaItem):
    """The delegation the chair typed: its code or name, or the one name that contains it."""
    text = request.POST.get("delegation", "").strip()
    if not text:
        raise services.FloorError(_("Type the delegation's name or code."), field="delegation")
    delegations = [
        participation.delegation
        for participation in Participation.objects.filter(meeting=item.meeting).select_related(
            "delegation"
        )
    ]
    folded = text.casefold()
    for matches in (
        [d for d in delegations if folded in (d.code.casefold(), d.name.casefold())],
        [d for d in delegations if d.name.casefold().startswith(folded)],
        [d for d in delegations if folded in d.name.casefold()],
    ):
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            names = ", ".join(sorted(d.name for d in matches)[:8])
            raise services.FloorError(
                _("“%(text)s” could be %(names)s: type more of the name.")
                % {"text": text, "names": names},
                field="delegation",
            )
    raise services.FloorError(
        _("No delegation taking part is called “%(text)s”.") % {"text": text},
        field="delegation",
    )


def _act(request: HttpRequest, item: AgendaItem, action: str):
    """Carry out one chair action; returns the item the console should show next."""
    user, version = request.user, _version(request)
    entry_actions = {
        "pause": services.speaker_pause,
        "resume": services.speaker_resume,
        "end": services.speaker_end,
        "absent": services.speaker_mark_absent,
        "readd": services.speaker_readd,
        "withdraw": services.floor_request_withdraw,
        "start": services.speaker_start,
    }
    if action in entry_actions:
        entry_actions[action](request=_entry(request, item), user=user, version=version)
    elif action == "next":
        services.speaker_call_next(item=item, user=user, version=version)
    elif action == "move":
        try:
            position = int(request.POST.get("position", ""))
        except ValueError:
            raise services.FloorError(
                _("The place is a whole number from 1."), field="position"
            ) from None
        services.speaker_move(
            request=_entry(request, item),
            position=position,
            reason=request.POST.get("reason", ""),
            user=user,
            version=version,
        )
    elif action in ("open", "close"):
        services.speakers_list_set_open(
            item=item, is_open=action == "open", user=user, version=version
        )
    elif action in ("add", "point-of-order"):
        kind = Kind.POINT_OF_ORDER if action == "point-of-order" else request.POST.get("kind")
        entry = services.floor_request_create(
            item=item,
            delegation=_delegation(request, item),
            kind=kind or Kind.STATEMENT,
            user=user,
            speaker_name=request.POST.get("speaker_name", ""),
        )
        if action == "point-of-order":
            services.speaker_start(request=entry, user=user)
    elif action in ("take-up", "next-item"):
        target = item
        if action == "next-item":
            outline = agenda_outline(item.meeting)
            current = next((entry for entry in outline if entry.under_discussion), item)
            target = _next_item(outline, current)
            if target is None:
                raise services.FloorError(_("This is the last item of the agenda."))
            target = _item_in(item.meeting, target.pk)
        services.agenda_item_take_up(item=target, user=user, current=_current_item(request))
        return target
    else:
        raise Http404
    return item


def _current_item(request: HttpRequest):
    """The item the chair saw under discussion (sent with take-up and next item)."""
    value = request.POST.get("current", "")
    if value == "":
        return services.ANY
    if value == "none":
        return None
    try:
        return int(value)
    except ValueError:
        return services.ANY


@login_required
@require_POST
def chair_act(request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
    item = _console_item(request, slug, pk)
    htmx = request.headers.get("HX-Request") == "true"
    shown = item
    notice, stale = None, False
    try:
        shown = _act(request, item, action)
    except services.NotAllowed:
        raise PermissionDenied from None
    except (services.StaleList, services.StaleAgenda) as error:
        notice, stale = error.message, True
    except services.FloorError as error:
        notice = error.message
    console = reverse("chair_console", kwargs={"slug": slug, "pk": shown.pk})
    if htmx:
        if shown.pk != item.pk:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = console
            return response
        item.refresh_from_db()
        return render(
            request,
            "agenda/chair.html#board",
            _board_context(request, item, notice=notice, stale=stale),
        )
    if notice:
        (messages.warning if stale else messages.error)(request, notice)
    return redirect(console)


@login_required
@require_http_methods(["GET", "POST"])
def chair_move(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Move a waiting speaker: the form (the console without JavaScript), and the move."""
    if request.method == "POST":
        return chair_act(request, slug, pk, "move")
    item = _console_item(request, slug, pk)
    state = _annotate(speakers_list(item))
    try:
        entry_id = int(request.GET.get("entry", ""))
    except ValueError:
        raise Http404 from None
    entry = next((request for request in state.waiting if request.pk == entry_id), None)
    if entry is None:
        messages.error(request, _("This speaker is not waiting any more."))
        return redirect("chair_console", slug=slug, pk=item.pk)
    try:
        position = max(1, int(request.GET.get("position", entry.place)))
    except ValueError:
        position = entry.place
    return render(
        request,
        "agenda/chair_move.html",
        {
            "meeting": item.meeting,
            "item": item,
            "state": state,
            "entry": entry,
            "position": position,
        },
    )


# --- the room screen, the webcast banner -----------------------------------------------------


def _screen_context(meeting) -> dict:
    item = (
        AgendaItem.objects.select_related("meeting", "parent")
        .filter(meeting=meeting, under_discussion=True)
        .first()
    )
    state = _annotate(speakers_list(item)) if item else None
    return {
        "meeting": meeting,
        "item": item,
        "state": state,
        "following": state.waiting[:ROOM_NEXT] if state else [],
        **_clock_context(),
    }


def _screen(request: HttpRequest, slug: str, template: str, fragment_name: str) -> HttpResponse:
    meeting = get_object_or_404(visible_meetings(request), slug=slug)
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


# --- the interpreters ------------------------------------------------------------------------


def may_follow_booths(user, meeting) -> bool:
    """Interpreters (their group), the secretariat, and whoever chairs in the meeting see the
    statements handed in before they are delivered."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if is_secretariat(user) or presides(user, meeting):
        return True
    if user.groups.filter(name=INTERPRETERS_GROUP).exists():
        return True
    return AgendaItem.objects.filter(
        Q(facilitators=user) | Q(parent__facilitators=user), meeting=meeting
    ).exists()


def _with_statements(state: SpeakersList | None, entries: list[FloorRequest]) -> None:
    """Attach to each entry the statements its delegation handed in for it (two queries)."""
    if state is None or not entries:
        return
    statements = Statement.objects.filter(
        item=state.item, delegation_id__in={entry.delegation_id for entry in entries}
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
    meeting = get_object_or_404(visible_meetings(request), slug=slug)
    if not may_follow_booths(request.user, meeting):
        raise PermissionDenied
    context = _screen_context(meeting)
    state = context["state"]
    shown = [entry for entry in (state.current, state.interrupted) if entry] if state else []
    _with_statements(state, shown + context["following"])
    fragment = request.GET.get("fragment")
    if fragment == "booth":
        return render(request, "agenda/interpreters.html#booth", context)
    if fragment is not None:
        raise Http404
    context["after"] = last_event_id(meeting)
    return render(request, "agenda/interpreters.html", context)


# --- the server's clock ----------------------------------------------------------------------


@require_GET
@never_cache
def server_time(request: HttpRequest) -> JsonResponse:
    """The server's clock, for screens to measure their offset (static/js/live.js)."""
    now = timezone.now()
    return JsonResponse({"now": now.isoformat(), "epoch_ms": int(now.timestamp() * 1000)})
