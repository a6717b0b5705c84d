"""Every change to a list of speakers goes through this module: one cohesive thing, the
writing side of the list, which is why it is longer than most.

Each service runs in one transaction and follows `agenda.speakers.changes`: it locks the item's
row first, checks permission and the rules (`agenda.speakers.admission` for who may ask for
what), checks the version a chair's action was based on (`StaleList` if the list has moved
on), makes its change, and logs it (`log_change`: the version goes up by one, one `ListEvent`,
the change announced once committed). Composite actions of the chair (giving the floor to a
point of order the chair puts on the list, taking up the next item) are one service each, in
one transaction.

Refusals are `agenda.errors.FloorError`s whose message says why in plain words; views and the
API show it.
"""

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agenda.errors import FloorError, NotAllowed, PausedSpeech, StaleAgenda
from agenda.items import agenda_outline, item_after
from agenda.models import AgendaItem, FloorRequest
from agenda.models.speakers import LANGUAGE_CHOICES
from agenda.roles import chairs
from delegations.models import Delegation, Participation
from delegations.roles import represents
from meetings.models import Meeting

from . import changes, selectors
from .admission import Asker, SignUp, Situation, kind_refusal
from .moves import AnchorValue, anchors_after_leaving, anchors_after_move, anchors_to_end
from .ordering import Anchor, Kind, Policy, Status, position_of, speaking_order
from .selectors import SpeakersList, build_list

MAX_SPEAKER_NAME = FloorRequest._meta.get_field("speaker_name").max_length
MAX_NOTE = FloorRequest._meta.get_field("note").max_length
MAX_REASON = FloorRequest._meta.get_field("pin_reason").max_length


# --- helpers ---------------------------------------------------------------------------------


def _require_chair(user, item: AgendaItem) -> None:
    if not chairs(user, item):
        raise NotAllowed(_("Only the chair of this item may do this."))


def _snapshot(entry: FloorRequest, state: SpeakersList | None = None) -> dict:
    data = {
        "delegation": entry.delegation.code,
        "kind": entry.kind,
        "status": entry.status,
        "anchor": entry.anchor,
        "anchor_entry": entry.anchor_entry_id,
    }
    if state is not None and entry.status == Status.WAITING:
        data["position"] = state.position(entry)
    return data


def _store_anchors(entries: Iterable[FloorRequest], anchors: dict[int, AnchorValue]) -> None:
    changed = []
    for entry in entries:
        if entry.pk in anchors:
            entry.anchor, entry.anchor_entry_id = anchors[entry.pk]
            changed.append(entry)
    if changed:
        FloorRequest.objects.bulk_update(changed, ["anchor", "anchor_entry"])


def _leave_queue(state: SpeakersList, entry: FloorRequest) -> None:
    """`entry` stops waiting: whoever the chair put right after it takes its place."""
    if entry.status != Status.WAITING:
        return
    order = [waiting.as_entry() for waiting in state.waiting]
    _store_anchors(state.requests, anchors_after_leaving(order, entry.pk))
    entry.anchor, entry.anchor_entry_id = Anchor.NONE, None
    entry.pin_reason = ""


def _save(entry: FloorRequest, *fields: str) -> None:
    entry.save(update_fields=list(fields))


def _cannot_message(entry: FloorRequest, what: str) -> str:
    return _("%(delegation)s is %(status)s: it cannot be %(what)s.") % {
        "delegation": entry.delegation.name,
        "status": entry.get_status_display().lower(),
        "what": what,
    }


def _checked_text(value: str, limit: int, field: str, message: str) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise FloorError(message % {"max": limit}, field=field)
    return value


def checked_reason(reason: str, *, missing: str) -> str:
    """The reason given for a move or a correction, stripped; a refusal when there is none or
    it is too long."""
    reason = (reason or "").strip()
    if not reason:
        raise FloorError(missing, field="reason")
    return _checked_text(
        reason, MAX_REASON, "reason", _("The reason is too long (at most %(max)s characters).")
    )


def checked_speaker_name(name: str) -> str:
    return _checked_text(
        name,
        MAX_SPEAKER_NAME,
        "speaker_name",
        _("The speaker's name is too long (at most %(max)s characters)."),
    )


def checked_language(language: str) -> str:
    if language and language not in dict(LANGUAGE_CHOICES):
        raise FloorError(_("Choose one of the six languages of the meeting."), field="language")
    return language


# --- delegations: request, withdraw ----------------------------------------------------------


@dataclass
class _Ask:
    """A request for the floor checked as far as it can be before the list is locked."""

    delegation: Delegation
    kind: Kind
    user: object
    own: bool
    category: str
    asker: Asker
    policy: Policy
    speaker_name: str
    language: str
    note: str


def _ask(*, item, delegation, kind, user, speaker_name, language, note) -> _Ask:
    """Check what can be checked before queueing for the list: the input, who asks, whether
    the delegation takes part. None of it changes while the list is busy, so the lock is held
    only for the list itself."""
    try:
        kind = Kind(kind)
    except ValueError:
        raise FloorError(_("Unknown kind of request."), field="kind") from None
    speaker_name = checked_speaker_name(speaker_name)
    note = _checked_text(
        note, MAX_NOTE, "note", _("The note is too long (at most %(max)s characters).")
    )
    language = checked_language(language)
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
    return _Ask(
        delegation=delegation,
        kind=kind,
        user=user,
        own=own,
        category=participation.category,
        # A focal point who also chairs the item is asked whether they chair only when it
        # matters (`_put_on_list`): a statement costs no query more.
        asker=selectors.asker(
            item, delegation, kind=kind, by_chair=not own, category=participation.category
        ),
        policy=selectors.policy_for(item),
        speaker_name=speaker_name,
        language=language,
        note=note,
    )


def _put_on_list(ask: _Ask, item: AgendaItem) -> FloorRequest:
    """Under the item's lock: the rules of admission, then the entry and its audit event."""
    # The list is read as plain values: a request for the floor needs no model instances.
    entries = selectors.entries_of(item)
    now = timezone.now()
    situation = Situation(
        policy=ask.policy,
        entries=entries,
        sign_up=selectors.sign_up_of(item, now),
        opens_at=item.list_opens_at,
        zone=item.meeting.tzinfo,
        meeting_closed=item.meeting.status == Meeting.Status.CLOSED,
    )
    asker = ask.asker
    if (
        ask.own
        and (ask.kind == Kind.POINT_OF_ORDER or situation.sign_up != SignUp.OPEN)
        and chairs(ask.user, item)
    ):
        asker = replace(asker, by_chair=True)
    refusal = kind_refusal(ask.kind, asker, situation)
    if refusal is not None:
        raise FloorError(refusal.message, field=refusal.field)
    try:
        entry = FloorRequest.objects.create(
            item=item,
            delegation=ask.delegation,
            category=ask.category,
            kind=ask.kind,
            speaker_name=ask.speaker_name,
            language=ask.language,
            note=ask.note,
            requested_at=now,
            requested_by=ask.user if getattr(ask.user, "is_authenticated", False) else None,
            on_behalf=not ask.own,
        )
    except IntegrityError:
        # Only reachable if the row lock was bypassed: the constraint still holds, and the
        # caller's transaction, left with this refusal, is rolled back.
        raise FloorError(_("Your delegation is already on this list."), field="kind") from None
    order = speaking_order([*entries, entry.as_entry()], ask.policy)
    entry.position = position_of(order, entry.pk)
    entry.waiting_count = len(order)
    changes.log_change(
        item,
        user=ask.user,
        action="requested",
        entry=entry,
        after={
            "delegation": ask.delegation.code,
            "kind": entry.kind,
            "status": entry.status,
            "anchor": Anchor.NONE.value,
            "position": entry.position,
        },
        now=now,
    )
    entry.version = item.list_version
    return entry


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
    (a raised nameplate: `on_behalf`). Refused with a reason when the kind is unknown, the
    delegation does not take part, or `agenda.speakers.admission` refuses it (the meeting is
    closed, the list does not accept requests, the kind is not open to the delegation, a cap
    is reached, the delegation is already on the list for it).

    The entry returned carries `position` (its place in the list once added), `waiting_count`
    (how many wait, itself included) and `version` (the list's version after the change).
    """
    ask = _ask(
        item=item,
        delegation=delegation,
        kind=kind,
        user=user,
        speaker_name=speaker_name,
        language=language,
        note=note,
    )
    with transaction.atomic():
        return _put_on_list(ask, changes.lock_item(item.pk))


def floor_request_withdraw(
    *, entry: FloorRequest, user, version: int | None = None
) -> FloorRequest:
    """The delegation (or the chair) takes a waiting request off the list."""
    with transaction.atomic():
        item, state = changes.lock_list(entry.item_id)
        entry = changes.entry_in(state, entry.pk)
        if not (represents(user, entry.delegation) or chairs(user, item)):
            raise NotAllowed(_("You may withdraw only your own delegation's requests."))
        changes.check_version(item, version)
        if entry.status != Status.WAITING:
            raise FloorError(_cannot_message(entry, _("withdrawn")))
        before = _snapshot(entry, state)
        _leave_queue(state, entry)
        entry.status = Status.WITHDRAWN
        _save(entry, "status", "anchor", "anchor_entry", "pin_reason")
        changes.log_change(
            item,
            user=user,
            action="withdrawn",
            entry=entry,
            before=before,
            after=_snapshot(entry),
            now=timezone.now(),
        )
    return entry


def _start(state: SpeakersList, entry: FloorRequest, now: datetime) -> None:
    """`entry` has the floor, with the time limit in force now, kept with the speech."""
    _leave_queue(state, entry)
    entry.status = Status.SPEAKING
    entry.started_at = now
    entry.paused_at = entry.interrupted_at = entry.ended_at = None
    entry.time_limit_seconds = state.time_limits[Kind(entry.kind)]
    _save(
        entry,
        "status",
        "started_at",
        "paused_at",
        "interrupted_at",
        "ended_at",
        "time_limit_seconds",
        "anchor",
        "anchor_entry",
        "pin_reason",
    )


def _end(entry: FloorRequest, now: datetime, status: Status = Status.SPOKEN) -> None:
    if entry.paused_at is not None:
        entry.paused_total += now - entry.paused_at
        entry.paused_at = None
    entry.status = status
    entry.ended_at = now
    entry.interrupted_at = None
    _save(entry, "status", "ended_at", "paused_at", "paused_total", "interrupted_at")


def _pause(entry: FloorRequest, now: datetime) -> None:
    entry.paused_at = now
    _save(entry, "paused_at")


def _resume(entry: FloorRequest, now: datetime) -> None:
    entry.paused_total += now - entry.paused_at
    entry.paused_at = None
    entry.interrupted_at = None
    _save(entry, "paused_at", "paused_total", "interrupted_at")


def _interrupt(entry: FloorRequest, now: datetime) -> None:
    """A point of order takes the floor from `entry`: its clock stops (it may already have
    been stopped by the chair), and it resumes when the point of order is dealt with."""
    entry.interrupted_at = now
    if entry.paused_at is None:
        entry.paused_at = now
    _save(entry, "interrupted_at", "paused_at")


def _come_back(entry: FloorRequest, now: datetime) -> None:
    """The point of order is dealt with: the interrupted speaker has the floor again, paused
    only if the chair had paused the speech before the interruption."""
    if entry.paused_at == entry.interrupted_at:
        _resume(entry, now)
    else:
        entry.interrupted_at = None
        _save(entry, "interrupted_at")


def speaker_call_next(
    *, item: AgendaItem, user, version: int | None = None, end_paused: bool = False
):
    """The chair's "next": whoever comes next gets the floor.

    - A point of order waits while someone else speaks: the speech is interrupted (its clock
      stops), the point of order has the floor.
    - Else the current speech ends: a paused speech only if the chair says so
      (`end_paused`; else `PausedSpeech` and nothing happens). Then another point of order
      waiting goes first; else the speaker a point of order interrupted has the floor again
      (paused, if the chair had paused it); else the first waiting entry is called.

    Returns the entry that now has the floor, or None when nobody is left.
    """
    with transaction.atomic():
        item, state = changes.lock_list(item.pk)
        _require_chair(user, item)
        changes.check_version(item, version)
        now = timezone.now()
        current, interrupted = state.current, state.interrupted
        point = state.waiting[0] if state.waiting else None
        if point is not None and point.kind != Kind.POINT_OF_ORDER:
            point = None
        before = {
            "current": _snapshot(current) if current else None,
            "interrupted": _snapshot(interrupted) if interrupted else None,
        }
        if current is not None and point is not None and current.kind != Kind.POINT_OF_ORDER:
            _interrupt(current, now)
            following = point
            _start(state, following, now)
        else:
            if current is not None:
                if current.paused_at is not None and not end_paused:
                    raise PausedSpeech(current, item.list_version)
                _end(current, now)
            if point is not None:
                following = point
                _start(state, following, now)
            elif interrupted is not None:
                following = interrupted
                _come_back(following, now)
            elif state.waiting:
                following = state.waiting[0]
                _start(state, following, now)
            else:
                following = None
        if current is None and following is None:
            raise FloorError(_("Nobody is waiting for the floor."))
        waits = next(
            (entry for entry in (current, interrupted) if entry and entry.interrupted_at), None
        )
        changes.log_change(
            item,
            user=user,
            action="next",
            entry=following,
            before=before,
            after={
                "current": _snapshot(following) if following else None,
                "interrupted": _snapshot(waits) if waits else None,
            },
            now=now,
        )
    return following


def _give_floor(item: AgendaItem, state: SpeakersList, entry: FloorRequest, user) -> None:
    """Give the floor to a waiting entry of the locked list. A point of order may interrupt
    the speaker (whose clock stops until the point is dealt with) unless another point of
    order interrupts already; anyone else gets the floor only when nobody is speaking."""
    if entry.status != Status.WAITING:
        raise FloorError(_cannot_message(entry, _("given the floor")))
    now = timezone.now()
    current = state.current
    if current is not None:
        if entry.kind != Kind.POINT_OF_ORDER or state.interrupted is not None:
            raise FloorError(
                _("%(delegation)s has the floor: end that speech first.")
                % {"delegation": current.delegation.name}
            )
        _interrupt(current, now)
    before = _snapshot(entry, state)
    _start(state, entry, now)
    changes.log_change(
        item,
        user=user,
        action="started",
        entry=entry,
        before=before,
        after=_snapshot(entry),
        now=now,
    )


def speaker_start(*, entry: FloorRequest, user, version: int | None = None) -> FloorRequest:
    """Give the floor to one waiting entry (out of turn if the chair so decides)."""
    with transaction.atomic():
        item, state = changes.lock_list(entry.item_id)
        entry = changes.entry_in(state, entry.pk)
        _require_chair(user, item)
        changes.check_version(item, version)
        _give_floor(item, state, entry, user)
    return entry


def point_of_order_give_floor(
    *, item: AgendaItem, delegation: Delegation, user, speaker_name: str = ""
) -> FloorRequest:
    """The chair puts a delegation's point of order on the list and gives it the floor at
    once, interrupting the speaker: one transaction, two events (requested, started).

    When the floor cannot be given now (another point of order already interrupts), the point
    of order stays on the list, first in line, and is returned waiting: nothing is lost.
    """
    _require_chair(user, item)
    ask = _ask(
        item=item,
        delegation=delegation,
        kind=Kind.POINT_OF_ORDER,
        user=user,
        speaker_name=speaker_name,
        language="",
        note="",
    )
    with transaction.atomic():
        entry = _put_on_list(ask, changes.lock_item(item.pk))
        # The lock is held: reading the list again waits for no one.
        item, state = changes.lock_list(item.pk)
        entry = changes.entry_in(state, entry.pk)
        # Refused before anything changed: the point of order waits, first in line.
        with contextlib.suppress(FloorError):
            _give_floor(item, state, entry, user)
        entry.position = state.position(entry) if entry.status == Status.WAITING else None
    return entry


def _speaking_action(entry: FloorRequest, user, version, action: str, apply) -> FloorRequest:
    with transaction.atomic():
        item, state = changes.lock_list(entry.item_id)
        entry = changes.entry_in(state, entry.pk)
        _require_chair(user, item)
        changes.check_version(item, version)
        now = timezone.now()
        before = _snapshot(entry)
        apply(state, entry, now)
        changes.log_change(
            item,
            user=user,
            action=action,
            entry=entry,
            before=before,
            after=_snapshot(entry),
            now=now,
        )
    return entry


def speaker_pause(*, entry: FloorRequest, user, version: int | None = None) -> FloorRequest:
    """Stop the speaker's clock (e.g. interpretation trouble)."""

    def apply(state, entry, now):
        if entry.status != Status.SPEAKING:
            raise FloorError(_cannot_message(entry, _("paused")))
        if entry.paused_at is not None:
            raise FloorError(_("The speech is already paused."))
        _pause(entry, now)

    return _speaking_action(entry, user, version, "paused", apply)


def speaker_resume(*, entry: FloorRequest, user, version: int | None = None) -> FloorRequest:
    """Restart the speaker's clock."""

    def apply(state, entry, now):
        if entry.status != Status.SPEAKING or entry.paused_at is None:
            raise FloorError(_("Only a paused speech can be resumed."))
        if entry.interrupted_at is not None and state.current is not None:
            raise FloorError(
                _("A point of order has the floor: end it before the speaker resumes.")
            )
        _resume(entry, now)

    return _speaking_action(entry, user, version, "resumed", apply)


def speaker_end(*, entry: FloorRequest, user, version: int | None = None) -> FloorRequest:
    """The speech is over."""

    def apply(state, entry, now):
        if entry.status != Status.SPEAKING:
            raise FloorError(_cannot_message(entry, _("ended")))
        _end(entry, now)

    return _speaking_action(entry, user, version, "ended", apply)


def speaker_mark_absent(*, entry: FloorRequest, user, version: int | None = None) -> FloorRequest:
    """Called, but not in the room: off the list, and the chair may re-add it later."""

    def apply(state, entry, now):
        if entry.status not in (Status.WAITING, Status.SPEAKING):
            raise FloorError(_cannot_message(entry, _("marked absent")))
        if entry.status == Status.WAITING:
            _leave_queue(state, entry)
            entry.status = Status.ABSENT
            entry.ended_at = now
            _save(entry, "status", "ended_at", "anchor", "anchor_entry", "pin_reason")
        else:
            _end(entry, now, Status.ABSENT)

    return _speaking_action(entry, user, version, "absent", apply)


def speaker_readd(*, entry: FloorRequest, user, version: int | None = None) -> FloorRequest:
    """Put a delegation marked absent back on the list: a new entry for the same kind,
    speaker and language, checked as any request the chair adds (the caps hold), and placed
    where the meeting says (`Policy.readded_to`: the end of the list, by default, or where a
    new request would go). The absent entry stays as it was, with what it said if it had
    begun (the record keeps it). Returns the new entry."""
    with transaction.atomic():
        item, state = changes.lock_list(entry.item_id)
        absent = changes.entry_in(state, entry.pk)
        _require_chair(user, item)
        changes.check_version(item, version)
        if absent.status != Status.ABSENT:
            raise FloorError(_("Only a delegation marked absent can be re-added."))
        entries = [request.as_entry() for request in state.requests]
        for other in entries:
            if (
                other.delegation == absent.delegation.code
                and other.kind == absent.kind
                and other.status in (Status.WAITING, Status.SPEAKING)
            ):
                raise FloorError(
                    _("%(delegation)s is already back on the list.")
                    % {"delegation": absent.delegation.name}
                )
        now = timezone.now()
        # The delegation's category now: it may have been corrected since it was called.
        category = (
            Participation.objects.filter(meeting_id=item.meeting_id, delegation=absent.delegation)
            .values_list("category", flat=True)
            .first()
            or absent.category
        )
        asker = selectors.asker(
            item, absent.delegation, kind=Kind(absent.kind), by_chair=True, category=category
        )
        situation = Situation(
            policy=state.policy,
            entries=entries,
            sign_up=selectors.sign_up_of(item, now),
            opens_at=item.list_opens_at,
            zone=item.meeting.tzinfo,
            meeting_closed=item.meeting.status == Meeting.Status.CLOSED,
        )
        refusal = kind_refusal(Kind(absent.kind), asker, situation)
        if refusal is not None:
            raise FloorError(refusal.message)
        readded = FloorRequest.objects.create(
            item=item,
            delegation=absent.delegation,
            category=category,
            kind=absent.kind,
            speaker_name=absent.speaker_name,
            language=absent.language,
            note=absent.note,
            requested_at=now,
            requested_by=user if getattr(user, "is_authenticated", False) else None,
            on_behalf=True,
        )
        state = build_list(item, [*state.requests, readded], rules=None)
        if state.policy.readded_to == "end" and readded.kind != Kind.POINT_OF_ORDER:
            order = [waiting.as_entry() for waiting in state.waiting]
            _store_anchors(state.requests, anchors_after_move(order, readded.pk, len(order)))
            state = build_list(item, state.requests)
        changes.log_change(
            item,
            user=user,
            action="readded",
            entry=readded,
            before={"absent": _snapshot(absent)},
            after=_snapshot(readded, state),
            now=now,
        )
        readded.position = state.position(readded)
        readded.version = item.list_version
    return readded


class MoveTo(StrEnum):
    TOP = "top"
    END = "end"


def speaker_move(
    *,
    entry: FloorRequest,
    reason: str,
    user,
    position: int | None = None,
    after: int | None = None,
    to: str | None = None,
    version: int | None = None,
) -> FloorRequest:
    """The chair moves a waiting entry: to a place (`position`, from 1, as the console and the
    API show the places, points of order included), right after another entry (`after`, its
    id), or to the top or the end (`to`). Exactly one of the three. The entry keeps where the
    chair put it relative to the others, with the reason recorded, while later requests flow
    around it (`agenda.speakers.ordering`). A move to where the entry already stands changes
    nothing and writes no event."""
    reason = checked_reason(reason, missing=_("Say why the speaker is moved."))
    given = [value for value in (position, after, to) if value is not None]
    if len(given) != 1:
        raise FloorError(
            _("Say where the speaker goes: a place, after another speaker, the top or the end."),
            field="position",
        )
    if position is not None and (
        isinstance(position, bool) or not isinstance(position, int) or position < 1
    ):
        raise FloorError(_("The place is a whole number from 1."), field="position")
    if to is not None and to not in MoveTo.__members__.values():
        raise FloorError(_("A speaker goes to the top or to the end."), field="to")
    with transaction.atomic():
        item, state = changes.lock_list(entry.item_id)
        entry = changes.entry_in(state, entry.pk)
        _require_chair(user, item)
        changes.check_version(item, version)
        if entry.status != Status.WAITING:
            raise FloorError(_cannot_message(entry, _("moved")))
        if entry.kind == Kind.POINT_OF_ORDER:
            raise FloorError(_("A point of order is always heard first; it cannot be moved."))
        order = [waiting.as_entry() for waiting in state.waiting]
        if to == MoveTo.END:
            anchors = anchors_to_end(order, entry.pk)
        else:
            if to == MoveTo.TOP:
                position = 1
            elif after is not None:
                position = _place_after(state, entry, after)
            anchors = anchors_after_move(order, entry.pk, position)
        if not anchors:
            entry.position = state.position(entry)
            return entry
        before = _snapshot(entry, state)
        _store_anchors(state.requests, anchors)
        entry.pin_reason = reason
        _save(entry, "pin_reason")
        after_state = build_list(item, state.requests)
        changes.log_change(
            item,
            user=user,
            action="moved",
            entry=entry,
            before=before,
            after=_snapshot(entry, after_state),
            reason=reason,
            now=timezone.now(),
        )
        entry.position = after_state.position(entry)
    return entry


def _place_after(state: SpeakersList, entry: FloorRequest, after: int) -> int:
    """The place that is right after the waiting entry `after` once `entry` is taken out."""
    rest = [waiting.pk for waiting in state.waiting if waiting.pk != entry.pk]
    if isinstance(after, bool) or after not in rest:
        raise FloorError(_("The speaker to go after is not waiting on this list."), field="after")
    return rest.index(after) + 2


def speakers_list_set_open(
    *, item: AgendaItem, is_open: bool, user, version: int | None = None
) -> AgendaItem:
    """Open or close the item's list of speakers to delegations."""
    with transaction.atomic():
        item = changes.lock_item(item.pk)
        _require_chair(user, item)
        changes.check_version(item, version)
        if item.list_is_open == is_open:
            raise FloorError(
                _("The list of speakers is already open.")
                if is_open
                else _("The list of speakers is already closed.")
            )
        item.list_is_open = is_open
        AgendaItem.objects.filter(pk=item.pk).update(list_is_open=is_open)
        changes.log_change(
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


def agenda_item_take_up(*, item: AgendaItem, user, current=ANY) -> AgendaItem:
    """The chair takes up an item: it becomes the one under discussion (the room screen and
    the interpreters follow it), in place of the one before.

    `current` is the id of the item the chair saw under discussion (None: none); if another is
    under discussion now, `StaleAgenda` is raised and nothing changes. The change is recorded
    on the item taken up (action `taken_up`, its list's version goes up), so the screens hear
    of it like any other change.
    """
    with transaction.atomic():
        return _take_up(item.meeting_id, item.pk, user=user, current=current)


def agenda_next_item(*, item: AgendaItem, user, current=ANY) -> AgendaItem:
    """The chair takes up the item after the one under discussion, in agenda order (subitems
    included); when none is under discussion, the item after `item`, the one the chair is
    looking at. `current` as for `agenda_item_take_up`. Returns the item taken up."""
    with transaction.atomic():
        _lock_meeting(item.meeting_id)
        outline = agenda_outline(item.meeting)
        under_discussion = next((entry for entry in outline if entry.under_discussion), item)
        following = item_after(outline, under_discussion)
        if following is None:
            raise FloorError(_("This is the last item of the agenda."))
        return _take_up(item.meeting_id, following.pk, user=user, current=current)


def _lock_meeting(meeting_id: int) -> None:
    # One take-up at a time per meeting: the meeting's row first, then the item's.
    Meeting.objects.select_for_update(no_key=True).only("pk").get(pk=meeting_id)


def _take_up(meeting_id: int, item_id: int, *, user, current) -> AgendaItem:
    _lock_meeting(meeting_id)
    item = changes.lock_item(item_id)
    _require_chair(user, item)
    if item.meeting.status == Meeting.Status.CLOSED:
        raise FloorError(_("The meeting is closed."))
    before = (
        AgendaItem.objects.filter(meeting_id=meeting_id, under_discussion=True)
        .select_related("parent")
        .first()
    )
    if current is not ANY and current != (before.pk if before else None):
        raise StaleAgenda
    if before is not None and before.pk == item.pk:
        raise FloorError(_("%(code)s is already under discussion.") % {"code": item.code})
    if before is not None:
        AgendaItem.objects.filter(pk=before.pk).update(under_discussion=False)
    AgendaItem.objects.filter(pk=item.pk).update(under_discussion=True)
    item.under_discussion = True
    changes.log_change(
        item,
        user=user,
        action="taken_up",
        before={"under_discussion": before.code if before else None},
        after={"under_discussion": item.code},
        now=timezone.now(),
    )
    return item
