"""The meeting's record on the public pages: the lists of speakers as delivered, per item and
per delegation, a search, exports, the programme as a calendar; and for the secretariat and
coordinators, the statistics, the Lausanne Action Plan tags and their export.

Thin: read through `agenda.record.selectors`, write through `agenda.record.services`. Each page
runs a fixed number of queries, whatever the number of entries.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from import_export.formats import base_formats

from agenda.errors import FloorError, NotAllowed
from agenda.items import agenda_outline, item_in, sittings_with_items
from agenda.models import FloorRequest, LapAction, LapArea, Proposal, RecordNote
from agenda.outcome import rights
from agenda.outcome import selectors as outcome_selectors
from agenda.outcome.selectors import attach_notes, notes_by_entry
from agenda.record import figures, selectors, services
from agenda.record.calendar import programme_ics
from agenda.record.resources import (
    LapResource,
    SpeakerResource,
    StatementResource,
    StatisticsResource,
)
from agenda.roles import may_read_figures, may_tag
from agenda.speakers.checks import not_text_message, storable
from agenda.speakers.ordering import Status
from delegations.models import Delegation, Group, Guest
from meetings.collation import sorted_by_name
from meetings.selectors import visible_meetings

FORMATS = {"csv": base_formats.CSV, "xlsx": base_formats.XLSX}
EXPORTS = {"speakers": SpeakerResource, "statements": StatementResource}


def _meeting(request, slug: str):
    return get_object_or_404(visible_meetings(request.user), slug=slug)


def _item(meeting, pk: int):
    item = item_in(meeting, pk)
    if item is None:
        raise Http404
    return item


def _id(value: str) -> int | None:
    """An id as a form or an address gives it, or None: ASCII digits only (`"²".isdigit()` is
    true, and `int("²")` fails), within the range of a database id."""
    if value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


def _download(dataset, fmt: str, name: str) -> HttpResponse:
    format_class = FORMATS[fmt]()
    data = format_class.export_data(dataset)
    response = HttpResponse(data, content_type=format_class.get_content_type())
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _figures_allowed(request, meeting) -> None:
    if not request.user.is_authenticated:
        raise _LoginRequired
    if not may_read_figures(request.user, meeting):
        raise PermissionDenied(_("The figures are for the secretariat and the coordinators."))


class _LoginRequired(Exception):
    pass


def _figures_view(view):
    def wrapper(request, slug: str, **kwargs):
        meeting = _meeting(request, slug)
        try:
            _figures_allowed(request, meeting)
        except _LoginRequired:
            return redirect_to_login(request.get_full_path())
        return view(request, meeting, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


# --- the public record -------------------------------------------------------------------------


@require_GET
def record_index(request, slug: str):
    """The record of the meeting: its items and delegations with what was delivered; a search."""
    meeting = _meeting(request, slug)
    outline = agenda_outline(meeting)
    spoken = FloorRequest.objects.filter(selectors.DELIVERED, item__meeting=meeting)
    per_item = dict(spoken.values_list("item_id").annotate(count=Count("pk")))
    for item in outline:
        item.delivered_count = per_item.get(item.pk, 0)
    delegations, groups, guests = (
        sorted_by_name(
            model.objects.filter(floor_requests__in=spoken).annotate(count=Count("floor_requests")),
            lambda row: row.name,
        )
        for model in (Delegation, Group, Guest)
    )
    query = request.GET.get("q", "").strip()
    status = 200
    if not storable(query):
        messages.error(request, not_text_message("search"))
        query, status = "", 400
    results = selectors.delivered(meeting, ids=selectors.search(meeting, query)) if query else None
    return render(
        request,
        "agenda/record.html",
        {
            "meeting": meeting,
            "items": outline,
            "delegations": delegations,
            "groups": groups,
            "guests": guests,
            "query": query,
            "results": results,
            "may_read_figures": may_read_figures(request.user, meeting),
            "may_draft": rights.may_draft(request.user, meeting),
            "drafted_areas": rights.areas_drafted(request.user, meeting)
            if may_read_figures(request.user, meeting)
            else [],
        },
        status=status,
    )


@require_GET
def record_item(request, slug: str, pk: int):
    """An item's list of speakers as delivered, with durations and statements."""
    meeting = _meeting(request, slug)
    item = _item(meeting, pk)
    entries = selectors.delivered(meeting, item=item)
    tagging = may_tag(request.user, item)
    noting = rights.may_note(request.user, item)
    attach_notes(entries, private=noting)
    speaking = (
        FloorRequest.objects.with_speakers().filter(item=item, status=Status.SPEAKING.value).first()
        if noting
        else None
    )
    if speaking is not None:
        speaking.note_list = list(notes_by_entry([speaking.pk], private=True)[speaking.pk])
    found = outcome_selectors.proposals(item=item) if noting else []
    return render(
        request,
        "agenda/record_item.html",
        {
            "meeting": meeting,
            "item": item,
            "entries": entries,
            "total": selectors.total_duration(entries),
            "tagging": tagging,
            "areas": _areas() if tagging else [],
            "noting": noting,
            "notes_shown": noting or any(entry.notes for entry in entries),
            "publishing": rights.may_publish(request.user),
            "setting_status": rights.may_set_status(request.user, meeting),
            "speaking": speaking,
            "note_kinds": RecordNote.Kind.choices,
            "topics": outcome_selectors.topics(item) if noting else [],
            "proposals": found,
            "statuses": Proposal.Status.choices,
            "speakers": [e for e in entries if e.delegation is not None],
        },
    )


def _areas() -> list[LapArea]:
    areas = list(LapArea.objects.all())
    by_area: dict[int, list[LapAction]] = {area.pk: [] for area in areas}
    for action in LapAction.objects.order_by("number"):
        by_area.setdefault(action.area_id, []).append(action)
    for area in areas:
        area.action_list = by_area[area.pk]
    return areas


@require_GET
def record_item_print(request, slug: str, pk: int):
    """The list of speakers of an item, as delivered, on a clean A4 page."""
    meeting = _meeting(request, slug)
    item = _item(meeting, pk)
    entries = selectors.delivered(meeting, item=item)
    return render(
        request,
        "agenda/record_print.html",
        {
            "meeting": meeting,
            "item": item,
            "entries": entries,
            "total": selectors.total_duration(entries),
        },
    )


@require_GET
def record_delegation(request, slug: str, code: str):
    """Everything a delegation said at the meeting (in its own name and for groups), and the
    joint statements it co-sponsored, apart."""
    meeting = _meeting(request, slug)
    if not storable(code):  # no code holds a NUL: no such delegation
        raise Http404
    delegation = get_object_or_404(
        Delegation.objects.filter(participations__meeting=meeting), code=code
    )
    entries = selectors.delivered(meeting, delegation=delegation)
    co_sponsored = selectors.delivered(meeting, co_sponsor=delegation)
    return render(
        request,
        "agenda/record_delegation.html",
        {
            "meeting": meeting,
            "delegation": delegation,
            "entries": entries,
            "total": selectors.total_duration(entries),
            "co_sponsored": co_sponsored,
        },
    )


@require_GET
def record_export(request, slug: str, what: str, fmt: str):
    """The list of speakers (the meeting's, or one item's with ?item=) or the published
    statements, as CSV or XLSX."""
    meeting = _meeting(request, slug)
    if what not in EXPORTS or fmt not in FORMATS:
        raise Http404
    item = None
    if (item_id := _id(request.GET.get("item", ""))) is not None:
        item = _item(meeting, item_id)
    dataset = EXPORTS[what](meeting=meeting, item=item, public=True).export()
    name = f"{meeting.slug}-{what}" + (f"-{slugify(item.code)}" if item else "")
    return _download(dataset, fmt, name)


@require_GET
def programme_calendar(request, slug: str):
    """The programme as an iCalendar file: the sittings with the items taken up."""
    meeting = _meeting(request, slug)
    sittings = sittings_with_items(meeting, agenda_outline(meeting))
    data = programme_ics(
        meeting, sittings, url=request.build_absolute_uri(meeting.get_absolute_url())
    )
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{meeting.slug}.ics"'
    return response


# --- tags ----------------------------------------------------------------------------------------


@require_POST
def record_tag(request, slug: str, pk: int):
    """Tag a delivered entry with the Lausanne Action Plan actions it speaks to."""
    meeting = _meeting(request, slug)
    entry = get_object_or_404(
        FloorRequest.objects.with_speakers().select_related("item"), pk=pk, item__meeting=meeting
    )
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    wanted = [_id(value) for value in request.POST.getlist("actions")]
    actions = list(LapAction.objects.filter(pk__in=[pk for pk in wanted if pk is not None]))
    try:
        if None in wanted:
            raise FloorError(_("Choose the actions from the list: nothing was changed."))
        services.lap_tags_set(entry=entry, actions=actions, user=request.user)
    except NotAllowed as error:
        raise PermissionDenied(error.message) from None
    except FloorError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(speaker)s: tagged with %(actions)s.")
            % {
                "speaker": entry.speaker,
                "actions": ", ".join(str(number) for number in sorted(a.number for a in actions))
                or _("no action"),
            },
        )
    url = reverse("record_item", kwargs={"slug": meeting.slug, "pk": entry.item_id})
    return redirect(f"{url}#entry-{entry.pk}")


# --- figures for the secretariat and coordinators ------------------------------------------------


@require_GET
@_figures_view
def statistics(request, meeting):
    """Number of entries and speaking time by category, gender, item and delegation; the
    statements on behalf of groups and the joint statements."""
    computed = figures.figures(selectors.facts(selectors.delivered(meeting)))
    return render(
        request,
        "agenda/stats.html",
        {
            "meeting": meeting,
            "figures": computed,
            "genders": [figures.GENDER_LABELS[gender] for gender in figures.GENDERS],
            "charts": [computed.table("category"), computed.table("gender")],
        },
    )


@require_GET
@_figures_view
def statistics_export(request, meeting, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    dataset = StatisticsResource(meeting=meeting, public=True).export()
    return _download(dataset, fmt, f"{meeting.slug}-statistics")


@require_GET
@_figures_view
def lap_overview(request, meeting):
    """The Lausanne Action Plan: per area, each action with the entries tagged with it."""
    entries = selectors.delivered(meeting)
    by_action: dict[int, list] = {}
    for entry in entries:
        for action in entry.actions:
            by_action.setdefault(action.pk, []).append(entry)
    areas = _areas()
    for area in areas:
        for action in area.action_list:
            action.entries = by_action.get(action.pk, [])
    drafted = {area.pk for area in rights.areas_drafted(request.user, meeting, areas)}
    return render(
        request,
        "agenda/record_lap.html",
        {"meeting": meeting, "areas": areas, "drafted": drafted},
    )


@require_GET
@_figures_view
def lap_export(request, meeting, area: str, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    found = get_object_or_404(LapArea, slug=area)
    dataset = LapResource(meeting=meeting, area=found, public=True).export()
    return _download(dataset, fmt, f"{meeting.slug}-lap-{found.slug}")
