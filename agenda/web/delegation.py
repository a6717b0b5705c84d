"""A delegation's pages: request the floor, follow its place, withdraw, hand in statements.

Thin: each view finds the meeting, the delegation and the object in the URL, checks the
permission (`agenda/rules.py`), calls a service (`agenda.services` for the list of speakers,
`agenda.statements` for statements) and redirects (POST-redirect-GET), or shows the page again
with the service's refusal next to the field it concerns. Every page works without
JavaScript.

Answers: not signed in → the sign-in page; a delegation the account does not act for → 403;
a meeting that is a draft (for all but the secretariat), an unknown delegation, an item of
another meeting, a request or statement of another delegation → 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from delegations.models import Delegate, Delegation, Participation
from delegations.roles import delegations_of
from meetings.models import Meeting
from meetings.views import visible_meetings

from . import services, statements
from .forms import (
    ALWAYS_OFFERED,
    FloorRequestForm,
    StatementFileForm,
    StatementForm,
    StatementSettingsForm,
)
from .models import AgendaItem, FloorRequest, Presenter, Statement, StatementFile
from .ordering import Kind, Status, estimated_wait_seconds
from .selectors import SpeakersList, list_is_accepting, speakers_lists
from .views import agenda_outline

# --- finding the delegation ------------------------------------------------------------------


@dataclass
class Desk:
    """Where a view acts: the meeting, the delegation, its participation."""

    meeting: Meeting
    delegation: Delegation
    participation: Participation

    def url(self) -> str:
        return reverse(
            "delegation_floor", kwargs={"slug": self.meeting.slug, "code": self.delegation.code}
        )

    def statements_url(self, item: AgendaItem) -> str:
        return reverse(
            "delegation_statements",
            kwargs={"slug": self.meeting.slug, "code": self.delegation.code, "item_id": item.pk},
        )


def forbidden(request, message: str):
    return render(request, "agenda/my_delegation_forbidden.html", {"message": message}, status=403)


def acting_for(view):
    """Sign-in, then the right to act for the delegation in the URL: the view gets a `Desk`."""

    @wraps(view)
    def wrapper(request, slug: str, code: str, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        meeting = get_object_or_404(visible_meetings(request), slug=slug)
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
        except services.NotAllowed as error:
            return forbidden(request, error.message)

    return wrapper


def _item(desk: Desk, item_id: int) -> AgendaItem:
    return get_object_or_404(
        AgendaItem.objects.select_related("meeting", "parent"), pk=item_id, meeting=desk.meeting
    )


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
    participations = list(participations.order_by("delegation__name"))
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

    request: FloorRequest
    position: int | None
    waiting: int
    wait_seconds: int | None
    expected_at: datetime | None

    @property
    def speaking(self) -> bool:
        return self.request.status == Status.SPEAKING

    @property
    def wait_minutes(self) -> int | None:
        if self.wait_seconds is None:
            return None
        return -(-self.wait_seconds // 60)  # rounded up


@dataclass
class ItemPanel:
    item: AgendaItem
    state: SpeakersList
    accepting: bool
    kinds: list[Kind]
    form: FloorRequestForm
    places: list[Place] = field(default_factory=list)
    history: list[FloorRequest] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    notes: list = field(default_factory=list)

    @property
    def expanded(self) -> bool:
        return bool(
            self.item.under_discussion
            or self.places
            or self.notes
            or (self.form.is_bound and self.form.errors)
        )

    @property
    def opens_later(self) -> bool:
        item = self.item
        return bool(
            item.list_is_open and item.list_opens_at and timezone.now() < item.list_opens_at
        )

    @property
    def closed_at_time(self) -> bool:
        item = self.item
        return bool(
            item.list_is_open and item.list_closes_at and timezone.now() > item.list_closes_at
        )


def _remaining_seconds(state: SpeakersList, now: datetime) -> int:
    """What is left of the speech under way (and of the one a point of order interrupted)."""
    left = 0
    for request in (state.current, state.interrupted):
        if request is None:
            continue
        spoken = request.speaking_time(now) or timedelta(0)
        left += max(0, state.time_limit(request) - int(spoken.total_seconds()))
    return left


def _places(state: SpeakersList, delegation: Delegation, now: datetime) -> list[Place]:
    order = [request.as_entry() for request in state.waiting]
    remaining = _remaining_seconds(state, now)
    places = []
    for request in state.requests:
        if request.delegation_id != delegation.pk:
            continue
        if request.status == Status.SPEAKING:
            places.append(Place(request, None, len(order), None, None))
        elif request.status == Status.WAITING:
            wait = estimated_wait_seconds(
                order,
                request.pk,
                lambda entry: state.time_limits[entry.kind],
                current_remaining_seconds=remaining,
            )
            expected = (
                now + timedelta(seconds=wait)
                if state.item.under_discussion and wait is not None
                else None
            )
            places.append(Place(request, state.position(request), len(order), wait, expected))
    return sorted(places, key=lambda place: (not place.speaking, place.position or 0))


def _kinds(item: AgendaItem, delegation: Delegation, presenters: set) -> list[Kind]:
    """The kinds the page offers on an item; the service has the last word."""
    kinds = []
    if delegation in item.coordinators.all():
        kinds.append(Kind.COORDINATOR_REMARKS)
    kinds += [
        kind
        for kind in (Kind.EXTENSION_REQUEST, Kind.INVITED_PRESENTATION)
        if (item.pk, kind.value) in presenters
    ]
    return [*kinds, *ALWAYS_OFFERED]


def _panels(request, desk: Desk, bound: dict | None = None) -> list[ItemPanel]:
    """Every item of the meeting as the delegation sees it, the one under discussion first."""
    bound = bound or {}
    items = agenda_outline(desk.meeting)
    lists = speakers_lists(items)
    presenters = set(
        Presenter.objects.filter(
            item__meeting=desk.meeting, delegation=desk.delegation
        ).values_list("item_id", "kind")
    )
    own_statements: dict[int, list[Statement]] = {}
    for statement in (
        Statement.objects.filter(item__meeting=desk.meeting, delegation=desk.delegation)
        .prefetch_related("files")
        .order_by("created_at", "id")
    ):
        own_statements.setdefault(statement.item_id, []).append(statement)
    notes = _item_notes(request)
    now = timezone.now()
    panels = []
    for item in items:
        state = lists[item.pk]
        kinds = _kinds(item, desk.delegation, presenters)
        prefix = f"item-{item.pk}"
        form = bound.get(item.pk) or FloorRequestForm(
            prefix=prefix,
            kinds=kinds,
            delegates_list_id="delegates",
            initial={"language": _last_language(state, desk.delegation)},
        )
        panels.append(
            ItemPanel(
                item=item,
                state=state,
                accepting=list_is_accepting(item, now),
                kinds=kinds,
                form=form,
                places=_places(state, desk.delegation, now),
                history=[
                    r
                    for r in state.requests
                    if r.delegation_id == desk.delegation.pk
                    and r.status not in (Status.WAITING, Status.SPEAKING)
                ],
                statements=own_statements.get(item.pk, []),
                notes=notes.get(item.pk, []),
            )
        )
    return sorted(panels, key=lambda panel: not panel.item.under_discussion)


def _last_language(state: SpeakersList, delegation: Delegation) -> str:
    for request in reversed(state.requests):
        if request.delegation_id == delegation.pk and request.language:
            return request.language
    return "en"


def _item_notes(request) -> dict[int, list]:
    """Messages addressed to one item's panel (extra tag `item-<id>`), by item id."""
    notes: dict[int, list] = {}
    for message in messages.get_messages(request):
        for tag in (message.extra_tags or "").split():
            if tag.startswith("item-") and tag[5:].isdigit():
                notes.setdefault(int(tag[5:]), []).append(message)
    return notes


def _floor_page(request, desk: Desk, *, bound: dict | None = None, status: int = 200):
    panels = _panels(request, desk, bound)
    delegates = Delegate.objects.filter(participation=desk.participation).order_by("role", "name")
    others = (
        Participation.objects.filter(meeting=desk.meeting)
        .exclude(delegation=desk.delegation)
        .filter(delegation__in=delegations_of(request.user))
        .select_related("delegation")
        .order_by("delegation__name")
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
        },
        status=status,
    )


@require_GET
@acting_for
def delegation_floor(request, desk: Desk):
    return _floor_page(request, desk)


def _offered_kinds(desk: Desk, item: AgendaItem) -> list[Kind]:
    presenters = set(
        Presenter.objects.filter(item=item, delegation=desk.delegation).values_list(
            "item_id", "kind"
        )
    )
    return _kinds(item, desk.delegation, presenters)


def _placed_message(entry: FloorRequest) -> str:
    """Where the delegation stands after a request."""
    state = speakers_lists([entry.item])[entry.item_id]
    fresh = next((r for r in state.requests if r.pk == entry.pk), entry)
    position = state.position(fresh)
    if position is None:
        return _("Your request for the floor on %(item)s is recorded.") % {"item": entry.item.code}
    return _("Your delegation is on the list of %(item)s: place %(place)s of %(count)s.") % {
        "item": entry.item.code,
        "place": position,
        "count": len(state.waiting),
    }


def _refused(form, error: services.FloorError) -> None:
    """Put a service's refusal on the form, next to its field (or on the form itself)."""
    if isinstance(error, services.NotAllowed):
        raise error
    form.add_error(error.field if error.field in form.fields else None, error.message)


@require_POST
@acting_for
def floor_request(request, desk: Desk, item_id: int):
    item = _item(desk, item_id)
    form = FloorRequestForm(
        request.POST,
        prefix=f"item-{item.pk}",
        kinds=_offered_kinds(desk, item),
        delegates_list_id="delegates",
    )
    if form.is_valid():
        try:
            entry = services.floor_request_create(
                item=item,
                delegation=desk.delegation,
                kind=form.cleaned_data["kind"],
                user=request.user,
                speaker_name=form.cleaned_data["speaker_name"],
                language=form.cleaned_data["language"],
                note=form.cleaned_data["note"],
            )
        except services.FloorError as error:
            _refused(form, error)
        else:
            messages.success(request, _placed_message(entry), extra_tags=f"item-{item.pk}")
            return HttpResponseRedirect(f"{desk.url()}#item-{item.pk}")
    return _floor_page(request, desk, bound={item.pk: form}, status=400)


@require_POST
@acting_for
def floor_withdraw(request, desk: Desk, request_id: int):
    entry = get_object_or_404(
        FloorRequest.objects.select_related("item", "delegation"),
        pk=request_id,
        item__meeting=desk.meeting,
        delegation=desk.delegation,
    )
    if not request.user.has_perm("agenda.withdraw_floor_request", entry):
        raise services.NotAllowed(_("You may withdraw only your own delegation's requests."))
    try:
        services.floor_request_withdraw(request=entry, user=request.user)
    except services.FloorError as error:
        if isinstance(error, services.NotAllowed):
            raise
        messages.error(request, error.message, extra_tags=f"item-{entry.item_id}")
    else:
        messages.success(
            request,
            _("Your request on %(item)s is withdrawn.") % {"item": entry.item.code},
            extra_tags=f"item-{entry.item_id}",
        )
    return HttpResponseRedirect(f"{desk.url()}#item-{entry.item_id}")


# --- statements ------------------------------------------------------------------------------


def _statement(desk: Desk, statement_id: int) -> Statement:
    return get_object_or_404(
        Statement.objects.select_related("item__meeting", "item__parent", "delegation"),
        pk=statement_id,
        item__meeting=desk.meeting,
        delegation=desk.delegation,
    )


LANGUAGES = [code for code, _label in StatementFileForm.base_fields["language"].choices]


def _statements_page(
    request, desk: Desk, item: AgendaItem, *, bound: dict | None = None, status: int = 200
):
    bound = bound or {}
    rows = list(
        Statement.objects.filter(item=item, delegation=desk.delegation)
        .prefetch_related("files")
        .order_by("created_at", "id")
    )
    public = set(
        statements.public_statements()
        .filter(pk__in=[row.pk for row in rows])
        .values_list("pk", flat=True)
    )
    entries = []
    for statement in rows:
        taken = {f.language for f in statement.files.all()}
        free = [code for code in LANGUAGES if code not in taken]
        entries.append(
            {
                "statement": statement,
                "is_public": statement.pk in public,
                "settings_form": bound.get(("settings", statement.pk))
                or StatementSettingsForm(
                    prefix=f"settings-{statement.pk}",
                    initial={
                        "check_against_delivery": statement.check_against_delivery,
                        "is_published": statement.is_published,
                    },
                ),
                "file_form": (
                    bound.get(("file", statement.pk))
                    or StatementFileForm(
                        prefix=f"version-{statement.pk}", initial={"language": free[0]}
                    )
                )
                if free
                else None,
            }
        )
    language = _last_language(speakers_lists([item])[item.pk], desk.delegation)
    new_form = bound.get("new") or StatementForm(prefix="new", initial={"language": language})
    return render(
        request,
        "agenda/statements.html",
        {
            "meeting": desk.meeting,
            "delegation": desk.delegation,
            "desk": desk,
            "item": item,
            "entries": entries,
            "new_form": new_form,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@acting_for
def delegation_statements(request, desk: Desk, item_id: int):
    """The delegation's statements on an item; POST hands in a new one."""
    item = _item(desk, item_id)
    if request.method == "GET":
        return _statements_page(request, desk, item)
    form = StatementForm(request.POST, request.FILES, prefix="new")
    if form.is_valid():
        try:
            statements.statement_create(
                item=item,
                delegation=desk.delegation,
                user=request.user,
                language=form.cleaned_data["language"],
                file=form.cleaned_data["file"],
                check_against_delivery=form.cleaned_data["check_against_delivery"],
                is_published=form.cleaned_data["is_published"],
            )
        except services.FloorError as error:
            _refused(form, error)
        else:
            messages.success(
                request, _("Your statement on %(item)s is handed in.") % {"item": item.code}
            )
            return redirect(desk.statements_url(item))
    return _statements_page(request, desk, item, bound={"new": form}, status=400)


@require_POST
@acting_for
def statement_settings(request, desk: Desk, statement_id: int):
    statement = _statement(desk, statement_id)
    form = StatementSettingsForm(request.POST, prefix=f"settings-{statement.pk}")
    if form.is_valid():
        statements.statement_update(
            statement=statement,
            user=request.user,
            check_against_delivery=form.cleaned_data["check_against_delivery"],
            is_published=form.cleaned_data["is_published"],
        )
        messages.success(request, _("The statement's settings are saved."))
        return redirect(desk.statements_url(statement.item))
    return _statements_page(
        request, desk, statement.item, bound={("settings", statement.pk): form}, status=400
    )


@require_POST
@acting_for
def statement_file_add(request, desk: Desk, statement_id: int):
    statement = _statement(desk, statement_id)
    form = StatementFileForm(request.POST, request.FILES, prefix=f"version-{statement.pk}")
    if form.is_valid():
        try:
            added = statements.statement_file_add(
                statement=statement,
                user=request.user,
                language=form.cleaned_data["language"],
                file=form.cleaned_data["file"],
            )
        except services.FloorError as error:
            _refused(form, error)
        else:
            messages.success(
                request,
                _("The %(language)s version is added.")
                % {"language": added.get_language_display()},
            )
            return redirect(desk.statements_url(statement.item))
    return _statements_page(
        request, desk, statement.item, bound={("file", statement.pk): form}, status=400
    )


@require_POST
@acting_for
def statement_file_delete(request, desk: Desk, file_id: int):
    row = get_object_or_404(
        StatementFile.objects.select_related("statement__item__parent"),
        pk=file_id,
        statement__item__meeting=desk.meeting,
        statement__delegation=desk.delegation,
    )
    try:
        statements.statement_file_delete(statement_file=row, user=request.user)
    except services.FloorError as error:
        if isinstance(error, services.NotAllowed):
            raise
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The %(language)s version is deleted.") % {"language": row.get_language_display()},
        )
    return redirect(desk.statements_url(row.statement.item))


@require_POST
@acting_for
def statement_delete(request, desk: Desk, statement_id: int):
    statement = _statement(desk, statement_id)
    try:
        statements.statement_delete(statement=statement, user=request.user)
    except services.FloorError as error:
        if isinstance(error, services.NotAllowed):
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, _("The statement is deleted."))
    return redirect(desk.statements_url(statement.item))


# --- reading statements ----------------------------------------------------------------------


@require_GET
def statement_file_download(request, file_id: int):
    """A statement's file, as a download with its type. Who may not see it gets 404, as if it
    did not exist."""
    row = (
        StatementFile.objects.select_related(
            "statement__item__meeting", "statement__item__parent", "statement__delegation"
        )
        .filter(pk=file_id)
        .first()
    )
    if row is None or not request.user.has_perm("agenda.download_statement_file", row):
        raise Http404
    try:
        handle = row.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=statements.download_name(row),
        content_type=row.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def public_statement_list(request, slug: str):
    """Statements delivered at a meeting whose delegations published them, item by item."""
    meeting = get_object_or_404(visible_meetings(request), slug=slug)
    items = agenda_outline(meeting)
    by_item: dict[int, list[Statement]] = {}
    for statement in (
        statements.public_statements()
        .filter(item__meeting=meeting)
        .select_related("delegation")
        .prefetch_related(Prefetch("files", queryset=StatementFile.objects.order_by("language")))
        .order_by("created_at", "id")
    ):
        by_item.setdefault(statement.item_id, []).append(statement)
    sections = [(item, by_item[item.pk]) for item in items if item.pk in by_item]
    return render(
        request,
        "agenda/statement_list.html",
        {"meeting": meeting, "sections": sections},
    )
