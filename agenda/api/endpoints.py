"""The JSON API v1, mounted at /api/v1/ (docs/api.md describes every endpoint).

Thin on purpose: each endpoint parses, authenticates, calls a selector or a service, and
serializes. The order of speakers comes from `selectors.speakers_list` as it is; permission
checks and refusals come from the services, and are only mapped to HTTP answers here:
`FloorError` 400, `NotAllowed` 403, `StaleList` 409 (with the list as it stands). Entries
and lists are shaped in `entries.py`.

Reads are public for meetings that are not drafts; writes need `Authorization: Bearer
<token>` (an `ApiToken`). Session cookies never authorise a write, so the API needs no CSRF
token: a browser cannot be tricked into sending a bearer token.
"""

from collections.abc import Callable

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Status

from agenda.errors import PausedSpeech, StaleList
from agenda.items import agenda_outline
from agenda.models import AgendaItem, FloorRequest, Presenter
from agenda.speakers import limits, services, speeches
from agenda.speakers.checks import storable
from agenda.speakers.reads import delegation_by_code, item_with_meeting
from agenda.speakers.selectors import accepting
from delegations.models import Delegation, Group, Guest
from meetings.models import Meeting
from meetings.selectors import may_see_meeting

from .answers import api, error_answer
from .auth import ApiError, TokenAuth, reader, unknown
from .entries import entry_changed, fresh_speakers, new_entry_out, speakers_out
from .schemas import (
    AgendaItemOut,
    EntryChangedOut,
    ErrorOut,
    ExtendIn,
    FloorRequestIn,
    GroupOut,
    GuestOut,
    MeetingOut,
    MoveIn,
    NextIn,
    PresenceIn,
    SpeakersListOut,
    StaleOut,
    TimeLimitIn,
    VersionIn,
)


def _check_visible(meeting: Meeting, user, not_found: ApiError) -> None:
    """A draft meeting exists only for the secretariat: 404 for everyone else."""
    if not may_see_meeting(user, meeting):
        raise not_found


# --- the list as it stands after a refusal ---------------------------------------------------


@api.exception_handler(PausedSpeech)
@api.exception_handler(StaleList)
def _stale(request, exc: StaleList | PausedSpeech):
    item_id = getattr(request, "api_item_id", None)
    state = fresh_speakers(item_id) if item_id is not None else None
    return error_answer(request, 409, exc.message, None, version=exc.version, list=state)


# --- finding things --------------------------------------------------------------------------


def _meeting_for(request: HttpRequest, slug: str) -> Meeting:
    """The meeting of the address, if the reader may see it (else 404, drafts included)."""
    not_found = unknown(_("There is no meeting “%(slug)s”.") % {"slug": slug})
    if not storable(slug):  # no slug holds a NUL: no such meeting (and no lookup with it)
        raise not_found
    meeting = Meeting.objects.filter(slug=slug).first()
    if meeting is None:
        raise not_found
    _check_visible(meeting, reader(request), not_found)
    return meeting


def _item_for(request: HttpRequest, item_id: int, user) -> AgendaItem:
    not_found = unknown(_("There is no agenda item %(id)s.") % {"id": item_id})
    item = item_with_meeting(item_id)
    if item is None:
        raise not_found
    _check_visible(item.meeting, user, not_found)
    request.api_item_id = item.pk  # for the 409 answer, which shows the list as it stands
    return item


def _entry_for(request: HttpRequest, entry_id: int, user) -> FloorRequest:
    not_found = unknown(_("There is no request for the floor %(id)s.") % {"id": entry_id})
    entry = FloorRequest.objects.select_related("item__meeting").filter(pk=entry_id).first()
    if entry is None:
        raise not_found
    _check_visible(entry.item.meeting, user, not_found)
    request.api_item_id = entry.item_id
    return entry


def _version(payload: VersionIn | None) -> int | None:
    return None if payload is None else payload.version


# Every status an operation can answer, in the OpenAPI document (tests/agenda/
# test_api_statuses.py provokes each and compares): 401 for a bad token, also on a read.
READ_ERRORS = {401: ErrorOut, 404: ErrorOut}
# 422: an id in the address that is not a whole number, a body that does not fit the schema.
READ_BY_ID_ERRORS = {**READ_ERRORS, 422: ErrorOut}
REQUEST_ERRORS = {
    **READ_BY_ID_ERRORS,
    400: ErrorOut,  # refused by the rules, with the reason; a body that is not JSON
    403: ErrorOut,
    413: ErrorOut,  # a body over DATA_UPLOAD_MAX_MEMORY_SIZE
}
# The chair's actions (and a withdrawal) carry the list's version: 409 when it moved on.
WRITE_ERRORS = {**REQUEST_ERRORS, 409: StaleOut}


# --- reading ---------------------------------------------------------------------------------


@api.get(
    "/meetings/",
    response={200: list[MeetingOut], 401: ErrorOut},
    summary="Published meetings",
)
def meetings_list(request):
    """Meetings that are not drafts, latest first."""
    reader(request)  # a token sent is checked, as for every read
    return list(Meeting.objects.public())


@api.get(
    "/meetings/{slug}/agenda/",
    response={200: list[AgendaItemOut], **READ_ERRORS},
    summary="A meeting's agenda",
)
def meeting_agenda(request, slug: str):
    """Items and subitems in agenda order, with their coordinators and designated presenters."""
    meeting = _meeting_for(request, slug)
    presenters: dict[int, list[dict]] = {}
    for presenter in Presenter.objects.filter(item__meeting=meeting).select_related("delegation"):
        presenters.setdefault(presenter.item_id, []).append(
            {"delegation": presenter.delegation.code, "kind": presenter.kind}
        )
    now = timezone.now()
    return [
        {
            "id": item.pk,
            "code": item.code,
            "title": item.title,
            "parent": item.parent_id,
            "coordinators": [delegation.code for delegation in item.coordinators.all()],
            "presenters": presenters.get(item.pk, []),
            "is_open": accepting(item, now),
            "version": item.list_version,
        }
        for item in agenda_outline(meeting)
    ]


@api.get(
    "/meetings/{slug}/groups/",
    response={200: list[GroupOut], **READ_ERRORS},
    summary="A meeting's groups",
)
def meeting_groups(request, slug: str):
    """The groups a delegation may speak for (the European Union, a regional group…), by
    code: each with its own delegation, if any, whether its statements take precedence, and
    its members."""
    meeting = _meeting_for(request, slug)
    groups = (
        Group.objects.filter(meeting=meeting)
        .select_related("delegation")
        .prefetch_related(Prefetch("members", queryset=Delegation.objects.order_by("name")))
        .order_by("code")
    )
    return [
        {
            "code": group.code,
            "name": group.name,
            "delegation": None if group.delegation is None else group.delegation.code,
            "takes_precedence": group.takes_precedence,
            "members": [member.code for member in group.members.all()],
        }
        for group in groups
    ]


@api.get(
    "/meetings/{slug}/guests/",
    response={200: list[GuestOut], **READ_ERRORS},
    summary="A meeting's speakers without a delegation",
)
def meeting_guests(request, slug: str):
    """The President, the ISU, panellists…: the speakers the chair may put on a list by their
    `id` (`guest` in a request for the floor), by name."""
    meeting = _meeting_for(request, slug)
    return list(Guest.objects.filter(meeting=meeting).order_by("name", "pk"))


@api.get(
    "/agenda-items/{item_id}/speakers/",
    response={200: SpeakersListOut, **READ_BY_ID_ERRORS},
    summary="An item's list of speakers",
)
def speakers_get(request, item_id: int):
    """Who has the floor, who was interrupted, who waits (in speaking order), who has spoken
    (in the order delivered) and who was absent when called."""
    return speakers_out(_item_for(request, item_id, reader(request)))


# --- writing ---------------------------------------------------------------------------------

token = TokenAuth()


@api.post(
    "/agenda-items/{item_id}/speakers/",
    auth=token,
    response={201: EntryChangedOut, **REQUEST_ERRORS},
    summary="Request the floor",
)
def speakers_add(request, item_id: int, payload: FloorRequestIn):
    """A focal point asks for their own delegation, in its own name, on behalf of a group it
    belongs to, or reading a joint statement; the chair may add any delegation, and a
    speaker without a delegation (`guest`)."""
    item = _item_for(request, item_id, request.auth)
    speaker = _speaker(item, payload)
    entry = services.floor_request_create(
        item=item,
        kind=payload.kind,
        user=request.auth,
        speaker_name=payload.speaker_name,
        language=payload.language,
        note=payload.note,
        on_behalf_of=payload.on_behalf_of,
        co_sponsors=payload.co_sponsors,
        presence=payload.presence,
        **speaker,
    )
    # The service returns the entry with its place, the list's version and its time limit: no
    # need to read anything back.
    return Status(201, new_entry_out(entry, entry.allowed_seconds))


def _speaker(item: AgendaItem, payload: FloorRequestIn) -> dict:
    """Who speaks, as the body says: `delegation` (a code) or `guest` (an id), exactly one."""
    if (payload.delegation is None) == (payload.guest is None):
        message = (
            _("Say who speaks: “delegation” or “guest”, not both.")
            if payload.delegation is not None
            else _(
                "Say who speaks: “delegation” (a delegation's code) or “guest” (the id of a "
                "speaker without a delegation)."
            )
        )
        raise ApiError(422, message, field="delegation")
    if payload.guest is not None:
        guest = Guest.objects.filter(pk=payload.guest, meeting_id=item.meeting_id).first()
        if guest is None:
            raise unknown(
                _("There is no speaker without a delegation %(id)s at this meeting.")
                % {"id": payload.guest},
                field="guest",
            )
        return {"guest": guest}
    code = payload.delegation.strip().upper()
    delegation = delegation_by_code(code)
    if delegation is None:
        raise unknown(
            _("There is no delegation with the code “%(code)s”.") % {"code": code},
            field="delegation",
        )
    return {"delegation": delegation}


def _entry_endpoint(action: str, service: Callable, summary: str, doc: str) -> None:
    def endpoint(request, entry_id: int, payload: VersionIn | None = None):
        entry = _entry_for(request, entry_id, request.auth)
        changed = service(entry=entry, user=request.auth, version=_version(payload))
        return entry_changed(changed.pk, entry.item_id)

    endpoint.__doc__ = doc
    api.post(
        f"/speakers/{{entry_id}}/{action}",
        auth=token,
        response={200: EntryChangedOut, **WRITE_ERRORS},
        summary=summary,
        operation_id=f"speaker_{action}",
    )(endpoint)


_entry_endpoint(
    "withdraw",
    services.floor_request_withdraw,
    "Withdraw a request",
    "Take a waiting request off the list: the delegation itself or the chair.",
)
_entry_endpoint(
    "start",
    speeches.speaker_start,
    "Give the floor",
    "Give the floor to this waiting entry (the chair). A point of order may interrupt.",
)
_entry_endpoint(
    "pause", speeches.speaker_pause, "Pause the speech", "Stop the speaker's clock (the chair)."
)
_entry_endpoint(
    "resume",
    speeches.speaker_resume,
    "Resume the speech",
    "Restart the speaker's clock (the chair).",
)
_entry_endpoint("end", speeches.speaker_end, "End the speech", "The speech is over (the chair).")
_entry_endpoint(
    "absent",
    speeches.speaker_mark_absent,
    "Mark absent",
    "Called but not in the room: off the list (the chair).",
)
_entry_endpoint(
    "readd",
    services.speaker_readd,
    "Re-add an absent delegation",
    "Back on the list as if it had asked now (the chair).",
)


@api.post(
    "/speakers/{entry_id}/move",
    auth=token,
    response={200: EntryChangedOut, **WRITE_ERRORS},
    summary="Move a speaker",
    operation_id="speaker_move",
)
def speaker_move(request, entry_id: int, payload: MoveIn):
    """Move a waiting entry, with the reason (the chair): to a place (`position`, from 1, as
    the list shows places), right after another entry (`after`), or to the top or the end
    (`to`). It keeps where the chair put it, relative to the others, while later requests flow
    around it. A move to where it stands changes nothing."""
    entry = _entry_for(request, entry_id, request.auth)
    speeches.speaker_move(
        entry=entry,
        position=payload.position,
        after=payload.after,
        to=payload.to,
        reason=payload.reason,
        user=request.auth,
        version=payload.version,
    )
    return entry_changed(entry.pk, entry.item_id)


@api.post(
    "/agenda-items/{item_id}/next",
    auth=token,
    response={200: SpeakersListOut, **WRITE_ERRORS},
    summary="Call the next speaker",
)
def speakers_next(request, item_id: int, payload: NextIn | None = None):
    """Whoever comes next gets the floor (the chair): a waiting point of order interrupts the
    speaker; else the speech ends (a paused one only with `end_paused`, else 409) and the
    next point of order, the interrupted speaker or the first waiting entry has the floor.
    Answers with the whole list: `current` is the new speaker (or null), `version` the new
    version."""
    item = _item_for(request, item_id, request.auth)
    speeches.speaker_call_next(
        item=item,
        user=request.auth,
        version=_version(payload),
        end_paused=payload is not None and payload.end_paused,
    )
    return fresh_speakers(item.pk)


def _set_open(request, item_id: int, payload: VersionIn | None, is_open: bool) -> dict:
    item = _item_for(request, item_id, request.auth)
    services.speakers_list_set_open(
        item=item, is_open=is_open, user=request.auth, version=_version(payload)
    )
    return fresh_speakers(item.pk)


@api.post(
    "/agenda-items/{item_id}/open",
    auth=token,
    response={200: SpeakersListOut, **WRITE_ERRORS},
    summary="Open the list of speakers",
)
def speakers_open(request, item_id: int, payload: VersionIn | None = None):
    """Delegations may add themselves again (the chair). Answers with the whole list."""
    return _set_open(request, item_id, payload, True)


@api.post(
    "/agenda-items/{item_id}/close",
    auth=token,
    response={200: SpeakersListOut, **WRITE_ERRORS},
    summary="Close the list of speakers",
)
def speakers_close(request, item_id: int, payload: VersionIn | None = None):
    """Delegations may no longer add themselves; points of order and rights of reply still
    may, and the chair may add anyone (the chair). Answers with the whole list."""
    return _set_open(request, item_id, payload, False)


@api.post(
    "/agenda-items/{item_id}/time-limits",
    auth=token,
    response={200: SpeakersListOut, **WRITE_ERRORS},
    summary="Change a time limit from now on",
)
def speakers_time_limit(request, item_id: int, payload: TimeLimitIn):
    """Set the time limit of a kind of request on the item from now on (the chair): entries
    waiting and speeches that begin later get it; speeches already begun keep theirs. Answers
    with the whole list."""
    item = _item_for(request, item_id, request.auth)
    # The body's fields are the service's: kind, seconds, version.
    limits.time_limit_set(item=item, user=request.auth, **payload.model_dump())
    return fresh_speakers(item.pk)


@api.post(
    "/speakers/{entry_id}/extend",
    auth=token,
    response={200: EntryChangedOut, **WRITE_ERRORS},
    summary="Extend a speech",
    operation_id="speaker_extend",
)
def speaker_extend(request, entry_id: int, payload: ExtendIn):
    """Give a speaker under way more time, in seconds (the chair); a negative number takes
    back time granted before. Answers with the entry, its limit extension included."""
    entry = _entry_for(request, entry_id, request.auth)
    limits.speaker_extend(entry=entry, user=request.auth, **payload.model_dump())
    return entry_changed(entry.pk, entry.item_id)


@api.post(
    "/speakers/{entry_id}/presence",
    auth=token,
    response={200: EntryChangedOut, **WRITE_ERRORS},
    summary="Say where a speaker delivers from",
    operation_id="speaker_presence",
)
def speaker_presence(request, entry_id: int, payload: PresenceIn):
    """Where a waiting or speaking entry delivers from (the chair): `room`, `remote`, or
    `recorded` (a pre-recorded video, timed like a speech). The room screen and the
    interpreters' view show it. Answers with the entry."""
    entry = _entry_for(request, entry_id, request.auth)
    speeches.speaker_set_presence(entry=entry, user=request.auth, **payload.model_dump())
    return entry_changed(entry.pk, entry.item_id)


__all__ = ["api"]
