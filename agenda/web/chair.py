"""The chair's console: the list of the item in hand, the agenda, and every action on them.

Thin: each view reads through `agenda.speakers.selectors`, acts through
`agenda.speakers.services`, and renders one template. The regions that change live are
template partials, rendered alone for htmx when the live stream says their list changed
(`?fragment=<name>`). Every action is a plain POST form carrying the list's version: without
JavaScript it redirects back to the console (post/redirect/get) with a message; with htmx it
answers the refreshed list at once. A stale version changes nothing and shows "the list
changed" with the list as it stands.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agenda.errors import FloorError, NotAllowed, PausedSpeech, StaleAgenda, StaleList
from agenda.items import agenda_outline, item_after, item_in
from agenda.live.stream import last_event_id
from agenda.models import AgendaItem, FloorRequest
from agenda.models.requests import Presence
from agenda.models.speakers import KIND_CHOICES, KIND_LABELS, LANGUAGE_CHOICES
from agenda.roles import chaired_items, chairs, may_take_up
from agenda.speakers import limits, services, speeches
from agenda.speakers.admission import GUEST_KINDS
from agenda.speakers.checks import MAX_GUEST_TEXT
from agenda.speakers.ordering import Kind, Status
from agenda.speakers.selectors import accepting, speakers_list
from agenda.speakers.undo import speaker_undo
from delegations.models import Delegation, Group, Guest, Participation
from meetings.collation import folded, sorted_by_name
from meetings.selectors import visible_meetings

from .display import annotate, clock_context, limit_rows, time_panel, undo_offer


@login_required
def chair_home(request: HttpRequest, slug: str) -> HttpResponse:
    """The console of the item under discussion, else of the first item this user chairs."""
    meeting = get_object_or_404(visible_meetings(request.user), slug=slug)
    items = chaired_items(request.user, meeting, agenda_outline(meeting))
    if not items:
        raise PermissionDenied
    chosen = next((item for item in items if item.under_discussion), items[0])
    return redirect("chair_console", slug=meeting.slug, pk=chosen.pk)


def _board_context(request: HttpRequest, item: AgendaItem, undo=None, **extra) -> dict:
    """What the board shows. `undo`: the id of an entry the chair just withdrew or marked
    absent, offered back ("… — Undo") while `speaker_undo` would still accept it."""
    state = annotate(speakers_list(item))
    return {
        "meeting": item.meeting,
        "item": item,
        "state": state,
        "limits": limit_rows(state),
        "accepting": accepting(item),
        "kinds": KIND_CHOICES,
        "presences": Presence.choices,
        "time_panel": time_panel(state),
        "undo": undo_offer(state, undo),
        **clock_context(),
        **extra,
    }


def _undo_id(value: str | None) -> int | None:
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 18 else None


def _console_item(request: HttpRequest, slug: str, pk: int) -> AgendaItem:
    meeting = get_object_or_404(visible_meetings(request.user), slug=slug)
    item = item_in(meeting, pk)
    if item is None:
        raise Http404
    if not chairs(request.user, item):
        raise PermissionDenied
    return item


@login_required
@require_GET
@never_cache
def chair_console(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    item = _console_item(request, slug, pk)
    fragment = request.GET.get("fragment")
    # After "next" on a paused speech, without JavaScript: the console asks again.
    end_paused = request.GET.get("confirm") == "end-paused"
    undo = _undo_id(request.GET.get("undo"))
    if fragment == "board":
        return render(request, "agenda/chair.html#board", _board_context(request, item))
    if fragment == "agenda":
        return render(request, "agenda/chair.html#agenda", _agenda_context(request, item))
    if fragment is not None:
        raise Http404
    delegations = sorted_by_name(
        Participation.objects.filter(meeting=item.meeting).select_related("delegation"),
        lambda participation: participation.delegation.name,
    )
    return render(
        request,
        "agenda/chair.html",
        {
            **_board_context(request, item, undo=undo, end_paused=end_paused),
            **_agenda_context(request, item),
            "delegations": [participation.delegation for participation in delegations],
            "groups": Group.objects.filter(meeting=item.meeting).order_by("name"),
            "guests": Guest.objects.filter(meeting=item.meeting).order_by("name"),
            "guest_kinds": [(kind.value, KIND_LABELS[kind]) for kind in GUEST_KINDS],
            "guest_max": MAX_GUEST_TEXT,
            "languages": LANGUAGE_CHOICES,
            "after": last_event_id(item.meeting),
        },
    )


def _agenda_context(request: HttpRequest, item: AgendaItem) -> dict:
    outline = agenda_outline(item.meeting)
    under_discussion = next((entry for entry in outline if entry.under_discussion), None)
    return {
        "meeting": item.meeting,
        "item": item,
        "chaired": chaired_items(request.user, item.meeting, outline),
        "may_take_up": may_take_up(request.user, item.meeting),
        "under_discussion": under_discussion,
        "next_item": item_after(outline, under_discussion or item),
    }


# --- reading the chair's form ----------------------------------------------------------------


def _version(request: HttpRequest) -> int | None:
    """The version of the list the chair's form was rendered with; None when the form sends
    none (the action applies to the list as it is). Anything else than a whole number is
    refused: treated as "no version", it would skip the check for a stale list."""
    value = request.POST.get("version", "").strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit() and len(value) <= 18):
        raise FloorError(
            _(
                "The version of the list sent with this action is not a whole number: nothing "
                "was done. Reload the console."
            ),
            field="version",
        )
    return int(value)


def _entry(request: HttpRequest, item: AgendaItem) -> FloorRequest:
    try:
        pk = int(request.POST.get("entry", ""))
    except ValueError:
        raise FloorError(_("Choose a speaker on the list.")) from None
    entry = FloorRequest.objects.filter(pk=pk, item=item).first()
    if entry is None:
        raise FloorError(_("This request is not on the list any more."))
    return entry


def _delegation(request: HttpRequest, item: AgendaItem) -> Delegation:
    """The delegation the chair typed: its code or name, or the one name that contains it."""
    text = request.POST.get("delegation", "").strip()
    if not text:
        raise FloorError(_("Type the delegation's name or code."), field="delegation")
    return _match(text, _taking_part(item), "delegation")


def _co_sponsors(request: HttpRequest, item: AgendaItem) -> list[str]:
    """The codes of the co-sponsors the chair typed, separated by commas: each a code or a
    name, found as `_delegation` finds one."""
    texts = [
        text.strip()
        for text in request.POST.get("co_sponsors", "").replace(";", ",").split(",")
        if text.strip()
    ]
    if not texts:
        return []
    delegations = _taking_part(item)
    return [_match(text, delegations, "co_sponsors").code for text in texts]


def _taking_part(item: AgendaItem) -> list[Delegation]:
    return [
        participation.delegation
        for participation in Participation.objects.filter(meeting=item.meeting).select_related(
            "delegation"
        )
    ]


def _match(text: str, delegations: list[Delegation], field: str) -> Delegation:
    """The delegation `text` names: its code or name, the start of its name, or a part of it;
    accents and case ignored ("cote" finds Côte d'Ivoire)."""
    wanted = folded(text)
    for matches in (
        [d for d in delegations if wanted in (folded(d.code), folded(d.name))],
        [d for d in delegations if folded(d.name).startswith(wanted)],
        [d for d in delegations if wanted in folded(d.name)],
    ):
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            names = ", ".join(d.name for d in sorted_by_name(matches, lambda d: d.name)[:8])
            raise FloorError(
                _("“%(text)s” could be %(names)s: type more of the name.")
                % {"text": text, "names": names},
                field=field,
            )
    raise FloorError(
        _("No delegation taking part is called “%(text)s”.") % {"text": text}, field=field
    )


def _usual_language(item: AgendaItem, delegation: Delegation) -> str:
    """The language the delegation usually speaks in at the meeting ("" when unknown)."""
    usual = Participation.objects.filter(meeting=item.meeting, delegation=delegation)
    return usual.values_list("language", flat=True).first() or ""


def _position(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("position", ""))
    except ValueError:
        raise FloorError(_("The place is a whole number from 1."), field="position") from None


def _seconds(request: HttpRequest) -> int:
    """The time the chair typed, in minutes and seconds (either may be left empty)."""
    given = {name: request.POST.get(name, "").strip() for name in ("minutes", "seconds")}
    if not any(given.values()):
        raise FloorError(_("Give the time in minutes and seconds."), field="seconds")
    total = 0
    for name, factor in (("minutes", 60), ("seconds", 1)):
        try:
            total += factor * int(given[name] or 0)
        except ValueError:
            raise FloorError(_("Give the time in whole minutes and seconds."), field=name) from None
    return total


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


# --- acting ----------------------------------------------------------------------------------

ENTRY_ACTIONS = {
    "pause": speeches.speaker_pause,
    "resume": speeches.speaker_resume,
    "end": speeches.speaker_end,
    "absent": speeches.speaker_mark_absent,
    "readd": services.speaker_readd,
    "withdraw": services.floor_request_withdraw,
    "start": speeches.speaker_start,
    "undo": speaker_undo,
}

UNDOABLE_ACTIONS = ("withdraw", "absent")
"""The chair's actions the console offers to undo for a few seconds."""


def _act(request: HttpRequest, item: AgendaItem, action: str) -> tuple[AgendaItem, str | None]:
    """Carry out one chair action: the item the console should show next, and a notice."""
    user, version = request.user, _version(request)
    if action in ENTRY_ACTIONS:
        ENTRY_ACTIONS[action](entry=_entry(request, item), user=user, version=version)
    elif action == "next":
        speeches.speaker_call_next(
            item=item,
            user=user,
            version=version,
            end_paused=request.POST.get("end_paused") == "1",
        )
    elif action == "move":
        speeches.speaker_move(
            entry=_entry(request, item),
            position=_position(request),
            reason=request.POST.get("reason", ""),
            user=user,
            version=version,
        )
    elif action == "limit":
        limits.time_limit_set(
            item=item,
            kind=request.POST.get("kind", ""),
            seconds=_seconds(request),
            user=user,
            version=version,
        )
    elif action == "extend":
        limits.speaker_extend(
            entry=_entry(request, item), seconds=_seconds(request), user=user, version=version
        )
    elif action in ("open", "close"):
        services.speakers_list_set_open(
            item=item, is_open=action == "open", user=user, version=version
        )
    elif action == "add":
        delegation = _delegation(request, item)
        services.floor_request_create(
            item=item,
            delegation=delegation,
            kind=request.POST.get("kind") or Kind.STATEMENT,
            user=user,
            speaker_name=request.POST.get("speaker_name", ""),
            # Nothing chosen: its own name, or, for a group's own delegation, its group's.
            on_behalf_of=request.POST.get("on_behalf_of", "").strip() or None,
            co_sponsors=_co_sponsors(request, item),
            presence=request.POST.get("presence", ""),
            language=request.POST.get("language", "") or _usual_language(item, delegation),
        )
    elif action == "guest":
        services.guest_put_on_list(
            item=item,
            name=request.POST.get("name", ""),
            kind=request.POST.get("kind") or Kind.STATEMENT,
            user=user,
            title=request.POST.get("title", ""),
            organisation=request.POST.get("organisation", ""),
            presence=request.POST.get("presence", ""),
        )
    elif action == "presence":
        speeches.speaker_set_presence(
            entry=_entry(request, item),
            presence=request.POST.get("presence", ""),
            user=user,
            version=version,
        )
    elif action == "point-of-order":
        entry = services.point_of_order_give_floor(
            item=item,
            delegation=_delegation(request, item),
            user=user,
            speaker_name=request.POST.get("speaker_name", ""),
        )
        if entry.status == Status.WAITING:
            return item, _(
                "%(delegation)s's point of order is first in line: another point of order "
                "has the floor."
            ) % {"delegation": entry.speaker}
    elif action == "take-up":
        return services.agenda_item_take_up(
            item=item, user=user, current=_current_item(request)
        ), None
    elif action == "next-item":
        return services.agenda_next_item(item=item, user=user, current=_current_item(request)), None
    else:
        raise Http404
    return item, None


@login_required
@require_POST
def chair_act(request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
    item = _console_item(request, slug, pk)
    htmx = request.headers.get("HX-Request") == "true"
    shown = item
    notice, stale = None, False
    paused = False
    try:
        shown, notice = _act(request, item, action)
    except NotAllowed:
        raise PermissionDenied from None
    except StaleList:
        # Not the version's number: the chair needs to know only that the list moved on.
        notice = _(
            "The list changed since you loaded it: nothing was done. Here is the list as it stands."
        )
        stale = True
    except StaleAgenda as error:
        notice, stale = error.message, True
    except PausedSpeech as error:
        notice, paused = error.message, True
    except FloorError as error:
        notice = error.message
    console = reverse("chair_console", kwargs={"slug": slug, "pk": shown.pk})
    undo = None
    if action in UNDOABLE_ACTIONS and notice is None:
        undo = _undo_id(request.POST.get("entry"))
    if htmx:
        if shown.pk != item.pk:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = console
            return response
        item.refresh_from_db()
        return render(
            request,
            "agenda/chair.html#board",
            _board_context(request, item, undo=undo, notice=notice, stale=stale, end_paused=paused),
        )
    if notice:
        (messages.warning if stale or paused else messages.error)(request, notice)
    if paused:
        return redirect(f"{console}?confirm=end-paused")
    return redirect(f"{console}?undo={undo}" if undo else console)


@login_required
@require_http_methods(["GET", "POST"])
def chair_move(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Move a waiting speaker: the form (the console without JavaScript), and the move."""
    if request.method == "POST":
        return chair_act(request, slug, pk, "move")
    item = _console_item(request, slug, pk)
    state = annotate(speakers_list(item))
    try:
        entry_id = int(request.GET.get("entry", ""))
    except ValueError:
        raise Http404 from None
    entry = next((waiting for waiting in state.waiting if waiting.pk == entry_id), None)
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
