"""A delegation's page: request the floor, follow its place (`agenda.web.delegation_day`
serves the page, its live regions, the withdrawal and its undo).

Thin: each view finds the meeting, the delegation and the object in the URL, checks the
permission (`agenda/rules.py`), calls a service (`agenda.speakers.services`) and redirects
(POST-redirect-GET), or shows the page again with the service's refusal next to the field it
concerns. Every page works without JavaScript. What a delegation may ask for on an item is
`agenda.speakers.admission`'s to say: the page offers exactly those kinds, and says why when
none is left.

Answers: not signed in → the sign-in page; a delegation the account does not act for → 403;
a meeting that is a draft (for all but the secretariat), an unknown delegation, an item of
another meeting, a request or statement of another delegation → 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from agenda.errors import FloorError, NotAllowed
from agenda.items import agenda_outline, item_in
from agenda.live.stream import last_event_id
from agenda.models import AgendaItem, FloorRequest, Statement
from agenda.speakers import services
from agenda.speakers.admission import Asker, SignUp, kind_refusal, kinds_open
from agenda.speakers.ordering import Kind, Status, estimated_wait_seconds
from agenda.speakers.selectors import (
    SpeakersList,
    askers,
    sign_up_of,
    situation_of,
    speakers_lists,
)
from delegations.models import Delegate, Delegation, Group, Participation
from delegations.roles import delegations_of
from meetings.collation import sorted_by_name
from meetings.languages import localized
from meetings.models import Meeting
from meetings.selectors import visible_meetings

from .display import clock_context
from .floor_live import item_notes, notice_of
from .forms import FloorRequestForm

# --- finding the delegation ------------------------------------------------------------------


@dataclass
class Desk:
    """Where a view acts: the meeting, the delegation, its participation."""

    meeting: Meeting
    delegation: Delegation
    participation: Participation

    def groups(self) -> list[Group]:
        """The groups of the meeting the delegation may speak for: those it is a member of,
        and the one whose own delegation it is (one query)."""
        return list(
            Group.objects.filter(meeting=self.meeting)
            .filter(Q(members=self.delegation) | Q(delegation=self.delegation))
            .distinct()
            .order_by("name")
        )

    def co_sponsor_choices(self) -> list[tuple[str, str]]:
        """The other delegations of the meeting, which may join its statements (one query)."""
        return sorted_by_name(
            Participation.objects.filter(meeting=self.meeting)
            .exclude(delegation=self.delegation)
            .annotate(shown=localized("delegation__name"))
            .values_list("delegation__code", "shown"),
            lambda choice: choice[1],
        )

    def usual_language(self) -> str:
        """The language its requests offer first: its usual one at the meeting, else the one
        it last asked to speak in here (one query), else none."""
        if self.participation.language:
            return self.participation.language
        last = (
            FloorRequest.objects.filter(item__meeting=self.meeting, delegation=self.delegation)
            .exclude(language="")
            .order_by("-requested_at", "-pk")
            .values_list("language", flat=True)
            .first()
        )
        return last or ""

    def url(self) -> str:
        return reverse(
            "delegation_floor", kwargs={"slug": self.meeting.slug, "code": self.delegation.code}
        )

    def statements_url(self, item: AgendaItem) -> str:
        return reverse(
            "delegation_statements",
            kwargs={"slug": self.meeting.slug, "code": self.delegation.code, "item_id": item.pk},
        )

    def item(self, item_id: int) -> AgendaItem:
        """An item of the desk's meeting, or 404."""
        item = item_in(self.meeting, item_id)
        if item is None:
            raise Http404
        return item


def forbidden(request, message: str):
    return render(request, "agenda/my_delegation_forbidden.html", {"message": message}, status=403)


def acting_for(view):
    """Sign-in, then the right to act for the delegation in the URL: the view gets a `Desk`."""

    @wraps(view)
    def wrapper(request, slug: str, code: str, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        meeting = get_object_or_404(visible_meetings(request.user), slug=slug)
        delegation = get_object_or_404(Delegation, code=code.upper())
        if not request.user.has_perm("agenda.act_for_delegation", delegation):
            return forbidden(
                request,
                _("Your account does not act for %(delegation)s.")
                % {"delegation": delegation.name},
            )
        participation = get_object_or_404(Participation, meeting=meeting, delegation=delegation)
        desk = Desk(meeting=meeting, delegation=delegation, participation=participation)
        try:
            return view(request, desk, **kwargs)
        except NotAllowed as error:
            return forbidden(request, error.message)

    return wrapper


def carried_out(form, service, **arguments):
    """Call `service` with the form's cleaned data and `arguments`: what it returns, or None
    when the form is not valid or the service refuses (its refusal is put on the form, next to
    the field it concerns, or on the form itself)."""
    if not form.is_valid():
        return None
    try:
        return service(**arguments, **form.cleaned_data)
    except NotAllowed:
        raise
    except FloorError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return None


# --- "My delegation": which delegation ---------------------------------------------------------


@require_GET
def my_delegation(request):
    """The way in: straight to the delegation's page, or a choice when there are several."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm("agenda.open_my_delegation"):
        return forbidden(
            request,
            _(
                "Your account does not act for a delegation. If it should, ask the "
                "secretariat to add it as a focal point."
            ),
        )
    meeting = Meeting.objects.current()
    if meeting is None:
        return render(request, "meetings/no_meeting.html")
    participations = Participation.objects.filter(meeting=meeting).select_related("delegation")
    secretariat = request.user.has_perm("agenda.act_for_any_delegation")
    if not secretariat:
        participations = participations.filter(delegation__in=delegations_of(request.user))
    participations = sorted_by_name(participations, lambda p: p.delegation.name)
    chosen = request.GET.get("delegation", "").strip().upper()
    codes = {p.delegation.code for p in participations}
    if chosen in codes:
        return redirect("delegation_floor", slug=meeting.slug, code=chosen)
    if len(participations) == 1 and not secretariat:
        return redirect(
            "delegation_floor", slug=meeting.slug, code=participations[0].delegation.code
        )
    return render(
        request,
        "agenda/my_delegation_choose.html",
        {
            "meeting": meeting,
            "participations": participations,
            "secretariat": secretariat,
            "unknown": chosen if chosen and chosen not in codes else "",
        },
        status=400 if chosen else 200,
    )


# --- the page of one delegation --------------------------------------------------------------


@dataclass
class Place:
    """One of the delegation's open requests, where it stands and roughly when it speaks."""

    entry: FloorRequest
    position: int | None
    waiting: int
    wait_seconds: int | None
    expected_at: datetime | None

    @property
    def speaking(self) -> bool:
        return self.entry.status == Status.SPEAKING

    @property
    def wait_minutes(self) -> int | None:
        if self.wait_seconds is None:
            return None
        return -(-self.wait_seconds // 60)  # rounded up


@dataclass
class ItemPanel:
    """One item as the delegation sees it: its list, what it may ask for now, its places."""

    item: AgendaItem
    state: SpeakersList
    sign_up: SignUp
    kinds: list[Kind]  # what the delegation may ask for now (`admission.kinds_open`)
    refusal: str  # why it may ask for nothing, when `kinds` is empty
    form: FloorRequestForm
    places: list[Place] = field(default_factory=list)
    history: list[FloorRequest] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    notes: list = field(default_factory=list)

    @property
    def accepting(self) -> bool:
        return self.sign_up == SignUp.OPEN

    @property
    def opens_later(self) -> bool:
        return self.sign_up == SignUp.NOT_YET_OPEN

    @property
    def closed_at_time(self) -> bool:
        return self.sign_up == SignUp.WINDOW_ENDED

    @property
    def replies_only(self) -> bool:
        """The list does not accept requests, but a right of reply may still be asked for."""
        return not self.accepting and Kind.RIGHT_OF_REPLY in self.kinds

    @property
    def expanded(self) -> bool:
        return bool(
            self.item.under_discussion
            or self.places
            or self.notes
            or (self.form.is_bound and self.form.errors)
        )


def _remaining_seconds(state: SpeakersList, now: datetime) -> int:
    """What is left of the speech under way (and of the one a point of order interrupted)."""
    return sum(
        max(0, state.time_left(entry, now) or 0)
        for entry in (state.current, state.interrupted)
        if entry is not None
    )


def _places(state: SpeakersList, delegation: Delegation, now: datetime) -> list[Place]:
    order = [entry.as_entry() for entry in state.waiting]
    remaining = _remaining_seconds(state, now)
    places = []
    for entry in state.requests:
        if entry.delegation_id != delegation.pk:
            continue
        if entry.status == Status.SPEAKING:
            places.append(Place(entry, None, len(order), None, None))
        elif entry.status == Status.WAITING:
            wait = estimated_wait_seconds(
                order,
                entry.pk,
                lambda waiting: state.time_limits[waiting.kind],
                current_remaining_seconds=remaining,
            )
            expected = (
                now + timedelta(seconds=wait)
                if state.item.under_discussion and wait is not None
                else None
            )
            places.append(Place(entry, state.position(entry), len(order), wait, expected))
    return sorted(places, key=lambda place: (not place.speaking, place.position or 0))


def _offer(
    desk: Desk, state: SpeakersList, asker: Asker, now: datetime, groups: list[Group]
) -> tuple[list, str]:
    """The kinds the delegation may ask for on the item now, in its own name or on behalf of
    one of `groups`, and why none, if none is left."""
    state.item.meeting = desk.meeting
    situation = situation_of(
        state.item, state.policy, [entry.as_entry() for entry in state.requests], now
    )
    open_kinds = set(kinds_open(asker, situation))
    for group in groups:
        capacity = replace(asker, on_behalf_of=group.code, group_name=group.name)
        open_kinds.update(kinds_open(capacity, situation))
    kinds = [kind for kind in Kind if kind in open_kinds]
    refusal = None if kinds else kind_refusal(Kind.STATEMENT, asker, situation)
    return kinds, "" if refusal is None else refusal.message


@dataclass
class Capacities:
    """Read once for the page: the groups the delegation may speak for, the delegations that
    may join its statements."""

    groups: list[Group]
    co_sponsors: list[tuple[str, str]]
    language: str = ""


def _request_form(
    state: SpeakersList,
    desk: Desk,
    kinds: list[Kind],
    asker: Asker,
    capacities: Capacities,
    bound=None,
):
    """The item's request form, offering `kinds` (those the delegation leads the item with
    first) and the capacities, in the delegation's usual language: the one sent, when it is
    shown again."""
    if bound is not None:
        bound.offer(kinds, leading=asker.presenter_kinds)
        bound.speak_for(desk.delegation, capacities.groups, capacities.co_sponsors)
        return bound
    form = FloorRequestForm(
        prefix=f"item-{state.item.pk}",
        kinds=kinds,
        leading=asker.presenter_kinds,
        delegates_list_id="delegates",
        initial={"language": capacities.language},
    )
    form.speak_for(desk.delegation, capacities.groups, capacities.co_sponsors)
    return form


def panels_of(request, desk: Desk, bound: dict | None = None, *, live=False) -> list[ItemPanel]:
    """Every item of the meeting as the delegation sees it, the one under discussion first
    (`live`: for the regions the stream refreshes, which show neither notes nor forms)."""
    bound = bound or {}
    items = agenda_outline(desk.meeting)
    lists = speakers_lists(items)
    who = askers(items, desk.delegation, category=desk.participation.category)
    own_statements: dict[int, list[Statement]] = {}
    for statement in (
        Statement.objects.filter(item__meeting=desk.meeting, delegation=desk.delegation)
        .prefetch_related("files")
        .order_by("created_at", "id")
    ):
        own_statements.setdefault(statement.item_id, []).append(statement)
    if live:
        notes, capacities = {}, Capacities([], [])
    else:
        notes = item_notes(messages.get_messages(request))
        capacities = Capacities(desk.groups(), desk.co_sponsor_choices(), desk.usual_language())
    now = timezone.now()
    panels = []
    for item in items:
        state = lists[item.pk]
        kinds, refusal = _offer(desk, state, who[item.pk], now, capacities.groups)
        panels.append(
            ItemPanel(
                item=item,
                state=state,
                sign_up=sign_up_of(item, now),
                kinds=kinds,
                refusal=refusal,
                form=_request_form(
                    state, desk, kinds, who[item.pk], capacities, bound.get(item.pk)
                ),
                places=_places(state, desk.delegation, now),
                history=[
                    entry
                    for entry in state.requests
                    if entry.delegation_id == desk.delegation.pk
                    and entry.status not in (Status.WAITING, Status.SPEAKING)
                ],
                statements=own_statements.get(item.pk, []),
                notes=notes.get(item.pk, []),
            )
        )
    return sorted(panels, key=lambda panel: not panel.item.under_discussion)


def floor_page(request, desk: Desk, *, bound: dict | None = None, status: int = 200):
    panels = panels_of(request, desk, bound)
    delegates = Delegate.objects.filter(participation=desk.participation).order_by("role", "name")
    others = (
        Participation.objects.filter(meeting=desk.meeting)
        .exclude(delegation=desk.delegation)
        .filter(delegation__in=delegations_of(request.user))
        .select_related("delegation")
        .order_by(localized("delegation__name"))
    )
    return render(
        request,
        "agenda/my_delegation.html",
        {
            "meeting": desk.meeting,
            "delegation": desk.delegation,
            "participation": desk.participation,
            "desk": desk,
            "panels": panels,
            "delegates": delegates,
            "other_participations": others,
            "meeting_closed": desk.meeting.status == Meeting.Status.CLOSED,
            "under_discussion": next(
                (panel for panel in panels if panel.item.under_discussion), None
            ),
            "notice": notice_of(panels),
            "after": last_event_id(desk.meeting),
            **clock_context(),
        },
        status=status,
    )


def _placed_message(entry: FloorRequest) -> str:
    """Where the delegation stands after a request (the service says where it was put), and
    for whom it speaks when not only in its own name."""
    values = {
        "item": entry.item.code,
        "place": entry.position,
        "count": entry.waiting_count,
        "capacity": entry.capacity,
    }
    if values["capacity"]:
        return (
            _(
                "Your delegation is on the list of %(item)s, %(capacity)s: place %(place)s of "
                "%(count)s."
            )
            % values
        )
    return _("Your delegation is on the list of %(item)s: place %(place)s of %(count)s.") % values


@require_POST
@acting_for
def floor_request(request, desk: Desk, item_id: int):
    item = desk.item(item_id)
    form = FloorRequestForm(request.POST, prefix=f"item-{item.pk}")
    # The groups the page offered (the choices of co-sponsors matter only when it is shown).
    form.speak_for(desk.delegation, desk.groups(), [])
    entry = carried_out(
        form,
        services.floor_request_create,
        item=item,
        delegation=desk.delegation,
        user=request.user,
    )
    if entry is None:
        return floor_page(request, desk, bound={item.pk: form}, status=400)
    messages.success(request, _placed_message(entry), extra_tags=f"item-{item.pk}")
    return HttpResponseRedirect(f"{desk.url()}#item-{item.pk}")
