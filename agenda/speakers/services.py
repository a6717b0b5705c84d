"""Every change to a list of speakers goes through this module.

Each service runs in one transaction, locks the item's row first (`select_for_update`: every
writer of a list queues on that one row, in one order), checks permission and the rules, bumps
the list's `version`, writes a `ListEvent` for the audit trail, and publishes the change on
commit — never before. A chair action may carry the `version` it was based on: if the list has
moved on, `StaleList` is raised and nothing changes.

Refusals are `FloorError`s whose message says why in plain words; views and the API show it.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from delegations.models import Delegation, Participation
from meetings.models import Meeting

from . import live
from .models import AgendaItem, FloorRequest, ListEvent, Presenter
from .ordering import (
    Entry,
    Kind,
    Policy,
    Status,
    pins_after_leaving,
    pins_after_move,
    position_of,
    speaking_order,
)
from .roles import chairs, represents
from .selectors import SpeakersList, build_list, list_is_accepting, policy_for

MAX_SPEAKER_NAME = FloorRequest._meta.get_field("speaker_name").max_length
MAX_NOTE = FloorRequest._meta.get_field("note").max_length
MAX_REASON = FloorRequest._meta.get_field("pin_reason").max_length


class FloorError(Exception):
    """A refused action. `field` names the form field the message belongs to, if any."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(FloorError):
    status_code = 403


class StaleList(FloorError):
    status_code = 409

    def __init__(self, version: int) -> None:
        super().__init__(
            _(
                "The list changed since you loaded it (it is now at version %(version)s): "
                "nothing was done. Here is the list as it stands."
            )
            % {"version": version}
        )
        self.version = version


# --- helpers ---------------------------------------------------------------------------------


def _lock(item_id: int) -> tuple[AgendaItem, SpeakersList]:
    """Lock the item's row, then read its whole list (locked too) in speaking order."""
    item = (
        AgendaItem.objects.select_for_update(of=("self",))
        .select_related("meeting", "parent")
        .get(pk=item_id)
    )
    # The item's row lock serialises every writer of the list: its requests need no lock
    # of their own.
    requests = list(
        FloorRequest.objects.filter(item=item)
        .select_related("delegation")
        .order_by("requested_at", "id")
    )
    return item, build_list(item, requests)


def _request_in(state: SpeakersList, entry_id: int) -> FloorRequest:
    for request in state.requests:
        if request.pk == entry_id:
            return request
    raise FloorError(_("This request is not on the list any more."))


def _check_version(item: AgendaItem, version: int | None) -> None:
    if version is not None and version != item.list_version:
        raise StaleList(item.list_version)


def _require_chair(user, item: AgendaItem) -> None:
    if not chairs(user, item):
        raise NotAllowed(_("Only the chair of this item may do this."))


def _snapshot(request: FloorRequest, state: SpeakersList | None = None) -> dict:
    data = {
        "delegation": request.delegation.code,
        "kind": request.kind,
        "status": request.status,
        "pinned_position": request.pinned_position,
    }
    if state is not None and request.status == Status.WAITING:
        data["position"] = state.position(request)
    return data


def _store_pins(requests: Iterable[FloorRequest], pins: dict[int, int]) -> None:
    changed = []
    for request in requests:
        if request.pk in pins and request.pinned_position != pins[request.pk]:
            request.pinned_position = pins[request.pk]
            changed.append(request)
    if changed:
        FloorRequest.objects.bulk_update(changed, ["pinned_position"])


def _leave_queue(state: SpeakersList, request: FloorRequest) -> None:
    """`request` stops waiting: pinned entries behind it move up one place with the queue."""
    if request.status != Status.WAITING:
        return
    order = [entry.as_entry() for entry in state.waiting]
    _store_pins(state.requests, pins_after_leaving(order, request.pk))
    request.pinned_position = None
    request.pin_reason = ""


def _record(
    item: AgendaItem,
    *,
    user,
    action: str,
    request: FloorRequest | None = None,
    delegation: Delegation | None = None,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
    now: datetime,
) -> None:
    """Bump the version, write the audit trail, announce the change after commit."""
    item.list_version += 1
    AgendaItem.objects.filter(pk=item.pk).update(list_version=item.list_version)
    event = ListEvent.objects.create(
        item=item,
        entry=request,
        delegation=delegation or (request.delegation if request else None),
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        at=now,
        version=item.list_version,
        before=before or {},
        after=after or {},
        reason=reason,
    )
    live.announce(
        live.ListChange(
            meeting=item.meeting.slug,
            item=item.pk,
            version=item.list_version,
            action=action,
            event=event.pk,
        )
    )


def _save(request: FloorRequest, *fields: str) -> None:
    request.save(update_fields=list(fields))


# --- delegations: request, withdraw ----------------------------------------------------------


def floor_request_create(
    *,
    item: AgendaItem,
    delegation: Delegation,
    kind: str,
    user,
    speaker_name: str = "",
    language: str = "",
    note: str = "",
) -> FloorRequest:
    """Put a delegation on an item's list of speakers.

    A focal point asks for their own delegation; the chair may add any delegation taking part
    (a raised nameplate: `on_behalf`). Refused with a reason when: the kind is unknown, the
    meeting is closed, the delegation does not take part, the list is closed or outside its
    sign-up window (delegations only; points of order and rights of reply are always
    possible), the kind is not open to the delegation on this item, a cap is reached, or the
    delegation already has an open request of that kind.

    The request returned carries `position` (its place in the list once added) and `version`
    (the list's version after the change).
    """
    try:
        kind = Kind(kind)
    except ValueError:
        raise FloorError(_("Unknown kind of request."), field="kind") from None
    speaker_name = (speaker_name or "").strip()
    note = (note or "").strip()
    if len(speaker_name) > MAX_SPEAKER_NAME:
        raise FloorError(
            _("The speaker's name is too long (at most %(max)s characters).")
            % {"max": MAX_SPEAKER_NAME},
            field="speaker_name",
        )
    if len(note) > MAX_NOTE:
        raise FloorError(
            _("The note is too long (at most %(max)s characters).") % {"max": MAX_NOTE},
            field="note",
        )
    if language and language not in dict(FloorRequest._meta.get_field("language").choices):
        raise FloorError(_("Choose one of the six languages of the meeting."), field="language")

    # Who asks, and whether the delegation takes part, do not change while the list is busy:
    # checked before queueing for the list, so the lock is held only for the list itself.
    own = represents(user, delegation)
    if not own and not chairs(user, item):
        raise NotAllowed(_("You may request the floor only for your own delegation."))
    participation = (
        Participation.objects.filter(meeting_id=item.meeting_id, delegation=delegation)
        .only("category")
        .first()
    )
    if participation is None:
        raise FloorError(
            _("%(delegation)s does not take part in this meeting.")
            % {"delegation": delegation.name},
            field="delegation",
        )
    policy = policy_for(item)

    with transaction.atomic():
        # Every writer of this list queues on the item's row; then the list is read as plain
        # values (a request for the floor does not need the model instances).
        item = (
            AgendaItem.objects.select_for_update(of=("self",))
            .select_related("meeting")
            .get(pk=item.pk)
        )
        if item.meeting.status == item.meeting.Status.CLOSED:
            raise FloorError(_("The meeting is closed."))
        # The chair may add a speaker to a closed list; a delegation may not.
        if (
            kind not in (Kind.POINT_OF_ORDER, Kind.RIGHT_OF_REPLY)
            and not list_is_accepting(item)
            and not chairs(user, item)
        ):
            raise FloorError(_closed_message(item))
        entries = _entries(item)
        _check_kind_allowed(item, policy, entries, delegation, kind)
        for entry in entries:
            if (
                entry.delegation == delegation.code
                and entry.kind == kind
                and entry.status in (Status.WAITING, Status.SPEAKING)
            ):
                raise FloorError(_already_message(entries, policy, entry), field="kind")

        now = timezone.now()
        try:
            request = FloorRequest.objects.create(
                item=item,
                delegation=delegation,
                category=participation.category,
                kind=kind,
                speaker_name=speaker_name,
                language=language,
                note=note,
                requested_at=now,
                requested_by=user if getattr(user, "is_authenticated", False) else None,
                on_behalf=not own,
            )
        except IntegrityError:
            # Only reachable if the row lock was bypassed: the constraint still holds, and
            # leaving the block rolls the transaction back.
            raise FloorError(_("Your delegation is already on this list."), field="kind") from None
        order = speaking_order([*entries, request.as_entry()], policy)
        request.position = position_of(order, request.pk)
        _record(
            item,
            user=user,
            action="requested",
            request=request,
            after={
                "delegation": delegation.code,
                "kind": request.kind,
                "status": request.status,
                "pinned_position": None,
                "position": request.position,
            },
            now=now,
        )
        request.version = item.list_version
    return request


def _entries(item: AgendaItem) -> list[Entry]:
    """The item's requests as the plain values the ordering works on (one query)."""
    rows = FloorRequest.objects.filter(item=item).values_list(
        "id", "delegation__code", "category", "kind", "requested_at", "status", "pinned_position"
    )
    return [Entry(*row) for row in rows]


def _closed_message(item: AgendaItem) -> str:
    now = timezone.now()
    if item.list_is_open and item.list_opens_at and now < item.list_opens_at:
        local = timezone.localtime(item.list_opens_at, item.meeting.tzinfo)
        return _("The list of speakers opens at %(time)s.") % {
            "time": local.strftime("%d %B %Y, %H:%M")
        }
    return _("The list of speakers is closed.")


def _already_message(entries: list[Entry], policy: Policy, entry: Entry) -> str:
    if entry.status == Status.SPEAKING:
        return _("Your delegation has the floor for this already.")
    return _("Your delegation is already on this list (place %(place)s).") % {
        "place": position_of(speaking_order(entries, policy), entry.id)
    }


def _check_kind_allowed(
    item: AgendaItem, policy: Policy, entries: list[Entry], delegation: Delegation, kind: Kind
) -> None:
    if kind == Kind.COORDINATOR_REMARKS:
        if not item.coordinators.filter(pk=delegation.pk).exists():
            raise FloorError(
                _("Only the coordinators of this item may give coordinators' remarks."),
                field="kind",
            )
    elif kind in (Kind.EXTENSION_REQUEST, Kind.INVITED_PRESENTATION):
        if not Presenter.objects.filter(item=item, delegation=delegation, kind=kind).exists():
            raise FloorError(
                _("The secretariat has not designated your delegation for this on this item."),
                field="kind",
            )
        if kind == Kind.INVITED_PRESENTATION:
            taken = sum(
                1
                for e in entries
                if e.kind == kind and e.status in (Status.WAITING, Status.SPEAKING, Status.SPOKEN)
            )
            if taken >= policy.max_invited_presentations:
                raise FloorError(
                    _("This item allows %(max)s invited presentations; all are taken.")
                    % {"max": policy.max_invited_presentations},
                    field="kind",
                )
    elif kind == Kind.RIGHT_OF_REPLY:
        used = sum(
            1
            for e in entries
            if e.delegation == delegation.code
            and e.kind == kind
            and e.status in (Status.WAITING, Status.SPEAKING, Status.SPOKEN)
        )
        if used >= policy.max_replies_per_delegation:
            raise FloorError(
                _("Your delegation has used its %(max)s rights of reply on this item.")
                % {"max": policy.max_replies_per_delegation},
                field="kind",
            )


def floor_request_withdraw(
    *, request: FloorRequest, user, version: int | None = None
) -> FloorRequest:
    """The delegation (or the chair) takes a waiting request off the list."""
    with transaction.atomic():
        item, state = _lock(request.item_id)
        request = _request_in(state, request.pk)
        if not (represents(user, request.delegation) or chairs(user, item)):
            raise NotAllowed(_("You may withdraw only your own delegation's requests."))
        _check_version(item, version)
        if request.status != Status.WAITING:
            raise FloorError(_cannot_message(request, _("withdrawn")))
        before = _snapshot(request, state)
        _leave_queue(state, request)
        request.status = Status.WITHDRAWN
        _save(request, "status", "pinned_position", "pin_reason")
        _record(
            item,
            user=user,
            action="withdrawn",
            request=request,
            before=before,
            after=_snapshot(request),
            now=timezone.now(),
        )
    return request


def _cannot_message(request: FloorRequest, what: str) -> str:
    return _("%(delegation)s is %(status)s: it cannot be %(what)s.") % {
        "delegation": request.delegation.name,
        "status": request.get_status_display().lower(),
        "what": what,
    }


# --- the chair: the floor --------------------------------------------------------------------


def _start(state: SpeakersList, request: FloorRequest, now: datetime) -> None:
    _leave_queue(state, request)
    request.status = Status.SPEAKING
    request.started_at = now
    request.paused_at = None
    request.ended_at = None
    _save(request, "status", "started_at", "paused_at", "ended_at", "pinned_position", "pin_reason")


def _end(request: FloorRequest, now: datetime, status: Status = Status.SPOKEN) -> None:
    if request.paused_at is not None:
        request.paused_total += now - request.paused_at
        request.paused_at = None
    request.status = status
    request.ended_at = now
    _save(request, "status", "ended_at", "paused_at", "paused_total")


def _pause(request: FloorRequest, now: datetime) -> None:
    request.paused_at = now
    _save(request, "paused_at")


def _resume(request: FloorRequest, now: datetime) -> None:
    request.paused_total += now - request.paused_at
    request.paused_at = None
    _save(request, "paused_at", "paused_total")


def speaker_call_next(*, item: AgendaItem, user, version: int | None = None):
    """End the current speech, if any, and give the floor to whoever comes next.

    After a point of order, the speaker it interrupted gets the floor back (resumed); else the
    first waiting entry is called. Returns the entry that now has the floor, or None when the
    list is empty.
    """
    with transaction.atomic():
        item, state = _lock(item.pk)
        _require_chair(user, item)
        _check_version(item, version)
        now = timezone.now()
        before = {"current": _snapshot(state.current) if state.current else None}
        if state.current is not None:
            _end(state.current, now)
        if state.interrupted is not None:
            following = state.interrupted
            _resume(following, now)
        elif state.waiting:
            following = state.waiting[0]
            _start(state, following, now)
        else:
            following = None
        if before["current"] is None and following is None:
            raise FloorError(_("Nobody is waiting for the floor."))
        _record(
            item,
            user=user,
            action="next",
            request=following,
            before=before,
            after={"current": _snapshot(following) if following else None},
            now=now,
        )
    return following


def speaker_start(*, request: FloorRequest, user, version: int | None = None) -> FloorRequest:
    """Give the floor to one waiting entry (out of turn if the chair so decides).

    A point of order may interrupt the speaker, who is paused until the point is dealt with;
    anyone else gets the floor only when nobody is speaking.
    """
    with transaction.atomic():
        item, state = _lock(request.item_id)
        request = _request_in(state, request.pk)
        _require_chair(user, item)
        _check_version(item, version)
        if request.status != Status.WAITING:
            raise FloorError(_cannot_message(request, _("given the floor")))
        now = timezone.now()
        current = state.current
        if current is not None:
            if request.kind != Kind.POINT_OF_ORDER or state.interrupted is not None:
                raise FloorError(
                    _("%(delegation)s has the floor: end that speech first.")
                    % {"delegation": current.delegation.name}
                )
            if current.paused_at is None:
                _pause(current, now)
        before = _snapshot(request, state)
        _start(state, request, now)
        _record(
            item,
            user=user,
            action="started",
            request=request,
            before=before,
            after=_snapshot(request),
            now=now,
        )
    return request


def _speaking_action(request: FloorRequest, user, version, action: str, apply) -> FloorRequest:
    with transaction.atomic():
        item, state = _lock(request.item_id)
        request = _request_in(state, request.pk)
        _require_chair(user, item)
        _check_version(item, version)
        now = timezone.now()
        before = _snapshot(request)
        apply(state, request, now)
        _record(
            item,
            user=user,
            action=action,
            request=request,
            before=before,
            after=_snapshot(request),
            now=now,
        )
    return request


def speaker_pause(*, request: FloorRequest, user, version: int | None = None) -> FloorRequest:
    """Stop the speaker's clock (e.g. interpretation trouble)."""

    def apply(state, request, now):
        if request.status != Status.SPEAKING:
            raise FloorError(_cannot_message(request, _("paused")))
        if request.paused_at is not None:
            raise FloorError(_("The speech is already paused."))
        _pause(request, now)

    return _speaking_action(request, user, version, "paused", apply)


def speaker_resume(*, request: FloorRequest, user, version: int | None = None) -> FloorRequest:
    """Restart the speaker's clock."""

    def apply(state, request, now):
        if request.status != Status.SPEAKING or request.paused_at is None:
            raise FloorError(_("Only a paused speech can be resumed."))
        if state.interrupted is not None and state.interrupted.pk == request.pk:
            raise FloorError(
                _("A point of order has the floor: end it before the speaker resumes.")
            )
        _resume(request, now)

    return _speaking_action(request, user, version, "resumed", apply)


def speaker_end(*, request: FloorRequest, user, version: int | None = None) -> FloorRequest:
    """The speech is over."""

    def apply(state, request, now):
        if request.status != Status.SPEAKING:
            raise FloorError(_cannot_message(request, _("ended")))
        _end(request, now)

    return _speaking_action(request, user, version, "ended", apply)


def speaker_mark_absent(*, request: FloorRequest, user, version: int | None = None) -> FloorRequest:
    """Called, but not in the room: off the list, and the chair may re-add it later."""

    def apply(state, request, now):
        if request.status not in (Status.WAITING, Status.SPEAKING):
            raise FloorError(_cannot_message(request, _("marked absent")))
        if request.status == Status.WAITING:
            _leave_queue(state, request)
            request.status = Status.ABSENT
            request.ended_at = now
            _save(request, "status", "ended_at", "pinned_position", "pin_reason")
        else:
            _end(request, now, Status.ABSENT)

    return _speaking_action(request, user, version, "absent", apply)


def speaker_readd(*, request: FloorRequest, user, version: int | None = None) -> FloorRequest:
    """Put an absent delegation back on the list, as if it had asked now."""

    def apply(state, request, now):
        if request.status != Status.ABSENT:
            raise FloorError(_("Only a delegation marked absent can be re-added."))
        for other in state.requests:
            if (
                other.pk != request.pk
                and other.delegation_id == request.delegation_id
                and other.kind == request.kind
                and other.status in (Status.WAITING, Status.SPEAKING)
            ):
                raise FloorError(
                    _("%(delegation)s is already back on the list.")
                    % {"delegation": request.delegation.name}
                )
        request.status = Status.WAITING
        request.requested_at = now
        request.started_at = request.ended_at = request.paused_at = None
        request.paused_total = request._meta.get_field("paused_total").default
        _save(
            request, "status", "requested_at", "started_at", "ended_at", "paused_at", "paused_total"
        )

    return _speaking_action(request, user, version, "readded", apply)


def speaker_move(
    *, request: FloorRequest, position: int, reason: str, user, version: int | None = None
) -> FloorRequest:
    """The chair moves a waiting entry to a place (from 1); it keeps that place, with the
    reason recorded, while later requests flow around it."""
    reason = (reason or "").strip()
    if not reason:
        raise FloorError(_("Say why the speaker is moved."), field="reason")
    if len(reason) > MAX_REASON:
        raise FloorError(
            _("The reason is too long (at most %(max)s characters).") % {"max": MAX_REASON},
            field="reason",
        )
    if isinstance(position, bool) or not isinstance(position, int) or position < 1:
        raise FloorError(_("The place is a whole number from 1."), field="position")
    with transaction.atomic():
        item, state = _lock(request.item_id)
        request = _request_in(state, request.pk)
        _require_chair(user, item)
        _check_version(item, version)
        if request.status != Status.WAITING:
            raise FloorError(_cannot_message(request, _("moved")))
        if request.kind == Kind.POINT_OF_ORDER:
            raise FloorError(_("A point of order is always heard first; it cannot be moved."))
        before = _snapshot(request, state)
        pins = pins_after_move([r.as_entry() for r in state.waiting], request.pk, position)
        _store_pins(state.requests, pins)
        request.pin_reason = reason
        _save(request, "pin_reason")
        after_state = build_list(item, state.requests)
        _record(
            item,
            user=user,
            action="moved",
            request=request,
            before=before,
            after=_snapshot(request, after_state),
            reason=reason,
            now=timezone.now(),
        )
    return request


def speakers_list_set_open(
    *, item: AgendaItem, is_open: bool, user, version: int | None = None
) -> AgendaItem:
    """Open or close the item's list of speakers to delegations."""
    with transaction.atomic():
        item, _state = _lock(item.pk)
        _require_chair(user, item)
        _check_version(item, version)
        if item.list_is_open == is_open:
            raise FloorError(
                _("The list of speakers is already open.")
                if is_open
                else _("The list of speakers is already closed.")
            )
        item.list_is_open = is_open
        AgendaItem.objects.filter(pk=item.pk).update(list_is_open=is_open)
        _record(
            item,
            user=user,
            action="opened" if is_open else "closed",
            before={"is_open": not is_open},
            after={"is_open": is_open},
            now=timezone.now(),
        )
    return item


# --- the chair: the agenda -------------------------------------------------------------------

ANY = object()
"""`agenda_item_take_up(current=ANY)`: whatever item is under discussion now."""


class StaleAgenda(FloorError):
    status_code = 409

    def __init__(self) -> None:
        super().__init__(
            _(
                "The item under discussion changed since you loaded the page: nothing was done. "
                "Here is the meeting as it stands."
            )
        )


def agenda_item_take_up(*, item: AgendaItem, user, current=ANY) -> AgendaItem:
    """The chair takes up an item: it becomes the one under discussion (the room screen and
    the interpreters follow it), in place of the one before.

    `current` is the id of the item the chair saw under discussion (None: none); if another is
    under discussion now, `StaleAgenda` is raised and nothing changes. The change is recorded
    on the item taken up (action `taken_up`, its list's version goes up), so the screens hear
    of it like any other change.
    """
    with transaction.atomic():
        # One take-up at a time per meeting: the meeting's row first, then the item's.
        Meeting.objects.select_for_update().only("pk").get(pk=item.meeting_id)
        item, _state = _lock(item.pk)
        _require_chair(user, item)
        if item.meeting.status == item.meeting.Status.CLOSED:
            raise FloorError(_("The meeting is closed."))
        before = (
            AgendaItem.objects.filter(meeting_id=item.meeting_id, under_discussion=True)
            .select_related("parent")
            .first()
        )
        if current is not ANY and current != (before.pk if before else None):
            raise StaleAgenda
        if before is not None and before.pk == item.pk:
            raise FloorError(
                _("%(code)s is already under discussion.") % {"code": item.code},
            )
        if before is not None:
            AgendaItem.objects.filter(pk=before.pk).update(under_discussion=False)
        AgendaItem.objects.filter(pk=item.pk).update(under_discussion=True)
        item.under_discussion = True
        _record(
            item,
            user=user,
            action="taken_up",
            before={"under_discussion": before.code if before else None},
            after={"under_discussion": item.code},
            now=timezone.now(),
        )
    return item


# --- the record: corrections by the secretariat, Lausanne Action Plan tags --------------------
# Imports of this section are kept here so that it stays self-contained.

from datetime import timedelta  # noqa: E402

from delegations.models import Category  # noqa: E402
from meetings.roles import is_secretariat  # noqa: E402

from .lap import may_tag  # noqa: E402
from .models import LANGUAGE_CHOICES, LapAction, LapTag, StatementFile  # noqa: E402

RECORD_FIELDS = ("speaker_name", "language", "started_at", "ended_at", "paused_total", "category")


def _record_value(value):
    """A value as the audit trail stores it (JSON): times in ISO 8601, durations in seconds."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    return value


def record_changes_check(*, request: FloorRequest, changes: dict) -> dict:
    """The corrections in `changes` that change something, checked: {field: new value}.

    Raises `FloorError` (with the field) for a value the record cannot hold. The admin's form
    calls this to show the problem beside the field; `record_correct` calls it again.
    """
    unknown = set(changes) - set(RECORD_FIELDS)
    if unknown:
        raise FloorError(_("Only the record's fields can be corrected."))
    if request.status != Status.SPOKEN:
        raise FloorError(_("Only a delivered entry of the record can be corrected."))
    values = {name: getattr(request, name) for name in RECORD_FIELDS}
    values.update(changes)
    speaker_name = (values["speaker_name"] or "").strip()
    values["speaker_name"] = speaker_name
    if len(speaker_name) > MAX_SPEAKER_NAME:
        raise FloorError(
            _("The speaker's name is too long (at most %(max)s characters).")
            % {"max": MAX_SPEAKER_NAME},
            field="speaker_name",
        )
    if values["language"] and values["language"] not in dict(LANGUAGE_CHOICES):
        raise FloorError(_("Choose one of the six languages of the meeting."), field="language")
    if values["category"] not in Category.values:
        raise FloorError(_("Choose one of the categories."), field="category")
    started, ended, paused = values["started_at"], values["ended_at"], values["paused_total"]
    if started is None:
        raise FloorError(_("Say when the statement began."), field="started_at")
    if ended is None:
        raise FloorError(_("Say when the statement ended."), field="ended_at")
    if ended < started:
        raise FloorError(_("A statement cannot end before it began."), field="ended_at")
    if paused is None or paused < timedelta(0):
        raise FloorError(_("The time paused cannot be negative."), field="paused_total")
    if paused > ended - started:
        raise FloorError(
            _("The time paused cannot be longer than the statement."), field="paused_total"
        )
    return {name: values[name] for name in changes if values[name] != getattr(request, name)}


def record_correct(*, request: FloorRequest, changes: dict, user, reason: str) -> FloorRequest:
    """The secretariat corrects a delivered entry of the record (speaker, language, times,
    category), with the reason; the audit trail keeps what it was before and after."""
    if not is_secretariat(user):
        raise NotAllowed(_("Only the secretariat may correct the record."))
    reason = (reason or "").strip()
    if not reason:
        raise FloorError(_("Say why the record is corrected."), field="reason")
    if len(reason) > MAX_REASON:
        raise FloorError(
            _("The reason is too long (at most %(max)s characters).") % {"max": MAX_REASON},
            field="reason",
        )
    with transaction.atomic():
        item, state = _lock(request.item_id)
        request = _request_in(state, request.pk)
        changed = record_changes_check(request=request, changes=changes)
        if not changed:
            raise FloorError(_("Nothing was changed: the record stays as it was."))
        before = {name: _record_value(getattr(request, name)) for name in changed}
        for name, value in changed.items():
            setattr(request, name, value)
        _save(request, *changed)
        _record(
            item,
            user=user,
            action="corrected",
            request=request,
            before=before,
            after={name: _record_value(value) for name, value in changed.items()},
            reason=reason,
            now=timezone.now(),
        )
    return request


def lap_tags_set(*, entry: FloorRequest, actions: Iterable[LapAction], user) -> list[LapAction]:
    """Tag a delivered entry with the Lausanne Action Plan actions it speaks to (exactly these:
    actions not given are untagged). The item's coordinators and the secretariat may tag."""
    wanted = {action.pk: action for action in actions}
    with transaction.atomic():
        item, state = _lock(entry.item_id)
        entry = _request_in(state, entry.pk)
        if not may_tag(user, item):
            raise NotAllowed(_("Only the item's coordinators and the secretariat may tag."))
        if entry.status != Status.SPOKEN:
            raise FloorError(_("Only a delivered entry of the record can be tagged."))
        tags = LapTag.objects.filter(entry=entry).select_related("action")
        current = {tag.action_id: tag for tag in tags}
        before = sorted(tag.action.number for tag in current.values())
        after = sorted(action.number for action in wanted.values())
        if before == after:
            return sorted(wanted.values(), key=lambda action: action.number)
        now = timezone.now()
        LapTag.objects.filter(entry=entry).exclude(action_id__in=wanted).delete()
        LapTag.objects.bulk_create(
            LapTag(
                entry=entry,
                action=action,
                tagged_by=user if getattr(user, "is_authenticated", False) else None,
                tagged_at=now,
            )
            for pk, action in wanted.items()
            if pk not in current
        )
        _record(
            item,
            user=user,
            action="tagged",
            request=entry,
            before={"lap_actions": before},
            after={"lap_actions": after},
            now=now,
        )
    return sorted(wanted.values(), key=lambda action: action.number)


def statement_file_text_read(*, statement_file: StatementFile) -> str:
    """Read the words of a statement file (DOCX, ODT) for the search and keep them on the row.

    A PDF keeps an empty text: no PDF reader is part of the product.
    """
    from .record import document_text

    try:
        with statement_file.file.open("rb") as handle:
            text = document_text(handle.read())
    except FileNotFoundError:
        text = ""
    StatementFile.objects.filter(pk=statement_file.pk).update(text=text)
    statement_file.text = text
    return text
