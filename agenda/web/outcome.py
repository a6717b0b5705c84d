"""What the meeting produced, on the record's pages: notes on entries, proposals (ways forward),
the Lausanne Action Plan inputs (a page and an export) and the draft outcome documents.

Thin: read through `agenda.outcome.selectors`, write through `agenda.outcome.services`, who may
through `agenda.outcome.rights`. Every write is a POST form (post/redirect/get): a refusal is
a message on the page it came from (nothing changed) or a 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from agenda.errors import FloorError, NotAllowed
from agenda.models import FloorRequest, LapArea, Proposal, ProposalTopic, RecordNote
from agenda.outcome import documents, rights, services
from agenda.outcome.exports import lap_inputs_dataset
from agenda.outcome.selectors import lap_inputs
from meetings.selectors import visible_meetings

from .record import FORMATS, _id

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _meeting(request, slug: str):
    return get_object_or_404(visible_meetings(request.user), slug=slug)


def _back(meeting, item_id: int, anchor: str = "") -> HttpResponse:
    url = reverse("record_item", kwargs={"slug": meeting.slug, "pk": item_id})
    return redirect(f"{url}#{anchor}" if anchor else url)


def _write(request, meeting, item_id: int, anchor: str, action, done: str) -> HttpResponse:
    try:
        action()
    except NotAllowed as error:
        raise PermissionDenied(error.message) from None
    except FloorError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return _back(meeting, item_id, anchor)


# --- notes ---------------------------------------------------------------------------------------


def _entry(meeting, pk: int) -> FloorRequest:
    return get_object_or_404(
        FloorRequest.objects.with_speakers().select_related("item__meeting", "item__parent"),
        pk=pk,
        item__meeting=meeting,
    )


def _note(meeting, pk: int) -> RecordNote:
    return get_object_or_404(
        RecordNote.objects.select_related("entry__item__meeting", "entry__item__parent"),
        pk=pk,
        entry__item__meeting=meeting,
    )


@require_POST
def note_add(request, slug: str, pk: int):
    """A note on a speaking or delivered entry."""
    meeting = _meeting(request, slug)
    entry = _entry(meeting, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return _write(
        request,
        meeting,
        entry.item_id,
        f"entry-{entry.pk}",
        lambda: services.note_create(
            entry=entry,
            text=request.POST.get("text", ""),
            kind=request.POST.get("kind", "key_point"),
            user=request.user,
        ),
        _("The note is saved."),
    )


@require_POST
def note_change(request, slug: str, pk: int, action: str):
    """Edit, publish, unpublish or delete a note."""
    meeting = _meeting(request, slug)
    note = _note(meeting, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user = request.user
    actions = {
        "edit": (
            lambda: services.note_update(
                note=note,
                text=request.POST.get("text", ""),
                kind=request.POST.get("kind"),
                user=user,
            ),
            _("The note is changed."),
        ),
        "publish": (
            lambda: services.note_publish(note=note, user=user),
            _("The note is published."),
        ),
        "unpublish": (
            lambda: services.note_publish(note=note, user=user, published=False),
            _("The note is no longer published."),
        ),
        "delete": (lambda: services.note_delete(note=note, user=user), _("The note is deleted.")),
    }
    if action not in actions:
        raise Http404
    write, done = actions[action]
    return _write(request, meeting, note.entry.item_id, f"entry-{note.entry_id}", write, done)


# --- proposals -----------------------------------------------------------------------------------


def _entries_posted(request, item, name: str) -> list[FloorRequest]:
    wanted = [_id(value) for value in request.POST.getlist(name)]
    if None in wanted:
        raise FloorError(_("Choose delegations that took the floor on this item."))
    found = list(FloorRequest.objects.filter(pk__in=wanted, item=item))
    if len(found) != len(set(wanted)):
        raise FloorError(_("Choose delegations that took the floor on this item."))
    return found


@require_POST
def proposal_add(request, slug: str, pk: int):
    """A proposal raised on an item, with who raised and supported it."""
    meeting = _meeting(request, slug)
    item = get_object_or_404(meeting.agenda_items.select_related("parent", "meeting"), pk=pk)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())

    def write():
        if not rights.may_note(request.user, item):
            raise NotAllowed(
                _("Only the item's chairs, coordinators and the secretariat write proposals.")
            )
        topic = None
        if topic_id := request.POST.get("topic", ""):
            found = _id(topic_id)
            topic = ProposalTopic.objects.filter(pk=found, item=item).first() if found else None
            if topic is None:
                raise FloorError(_("Choose one of the item's topics."))
        services.proposal_create(
            item=item,
            text=request.POST.get("text", ""),
            topic=topic,
            raised_by=_entries_posted(request, item, "raised"),
            supported_by=_entries_posted(request, item, "supported"),
            user=request.user,
        )

    return _write(request, meeting, item.pk, "proposals", write, _("The proposal is saved."))


@require_POST
def proposal_status(request, slug: str, pk: int):
    """The President's team sets where a proposal stands."""
    meeting = _meeting(request, slug)
    proposal = get_object_or_404(
        Proposal.objects.select_related("item__meeting"), pk=pk, item__meeting=meeting
    )
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return _write(
        request,
        meeting,
        proposal.item_id,
        f"proposal-{proposal.pk}",
        lambda: services.proposal_status_set(
            proposal=proposal, status=request.POST.get("status", ""), user=request.user
        ),
        _("The status is set."),
    )


# --- the Lausanne Action Plan inputs and the drafts ----------------------------------------------


def _area(request, meeting, slug: str) -> LapArea | HttpResponse:
    area = get_object_or_404(LapArea, slug=slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not rights.may_draft_area(request.user, meeting, area):
        raise PermissionDenied(_("The inputs of an area are for its coordinators."))
    return area


def _notes_visible(request):
    return lambda item: rights.may_note(request.user, item)


@require_GET
def lap_inputs_page(request, slug: str, area: str):
    """A coordinators' working view: per action, the tagged entries, their notes, statements."""
    meeting = _meeting(request, slug)
    found = _area(request, meeting, area)
    if isinstance(found, HttpResponse):
        return found
    return render(
        request,
        "agenda/outcome_lap.html",
        {
            "meeting": meeting,
            "area": found,
            "actions": lap_inputs(meeting, found, private=_notes_visible(request)),
        },
    )


@require_GET
def lap_inputs_export(request, slug: str, area: str, fmt: str):
    meeting = _meeting(request, slug)
    if fmt not in FORMATS:
        raise Http404
    found = _area(request, meeting, area)
    if isinstance(found, HttpResponse):
        return found
    dataset = lap_inputs_dataset(meeting, found, private=_notes_visible(request))
    format_class = FORMATS[fmt]()
    response = HttpResponse(
        format_class.export_data(dataset), content_type=format_class.get_content_type()
    )
    name = f"{meeting.slug}-lap-inputs-{found.slug}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _docx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def summary_download(request, slug: str):
    """The President's summary, a draft in Word: for the President's team."""
    meeting = _meeting(request, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not rights.may_draft(request.user, meeting):
        raise PermissionDenied(_("The President's summary is drafted by the President's team."))
    return _docx(documents.summary(meeting), f"{meeting.slug}-presidents-summary.docx")


@require_GET
def lap_download(request, slug: str, area: str):
    """An area's inputs to the progress report, a draft in Word: for its coordinators."""
    meeting = _meeting(request, slug)
    found = _area(request, meeting, area)
    if isinstance(found, HttpResponse):
        return found
    data = documents.lap(
        meeting,
        found,
        private=_notes_visible(request),
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    return _docx(data, f"{meeting.slug}-lap-inputs-{found.slug}.docx")
