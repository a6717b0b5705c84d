"""The floor: who has it, and every action of the chair on a speech.

"Next" (a point of order waiting interrupts the speaker; a paused speech ends only when the
chair says so), giving the floor out of turn, pause, resume, end, absent, and moving a waiting
speaker. Each action is one service (keyword-only arguments, one transaction), made the way
`agenda.speakers.changes` sets: the item's row locked, the version checked, one audited event.
"""

from datetime import datetime
from enum import StrEnum

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agenda.errors import FloorError, PausedSpeech
from agenda.models import AgendaItem, FloorRequest

from . import capacity, changes, checks
from .moves import anchors_after_move, anchors_to_end
from .ordering import Kind, Status
from .selectors import SpeakersList, build_list


def _start(state: SpeakersList, entry: FloorRequest, now: datetime) -> None:
    """`entry` has the floor, with the time limit in force now, kept with the speech."""
    changes.leave_queue(state, entry)
    entry.status = Status.SPEAKING
    entry.started_at = now
    entry.paused_at = entry.interrupted_at = entry.ended_at = None
    entry.time_limit_seconds = state.time_limits[Kind(entry.kind)]
    changes.save(
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
    changes.save(entry, "status", "ended_at", "paused_at", "paused_total", "interrupted_at")


def _pause(entry: FloorRequest, now: datetime) -> None:
    entry.paused_at = now
    changes.save(entry, "paused_at")


def _resume(entry: FloorRequest, now: datetime) -> None:
    entry.paused_total += now - entry.paused_at
    entry.paused_at = None
    entry.interrupted_at = None
    changes.save(entry, "paused_at", "paused_total", "interrupted_at")


def _interrupt(entry: FloorRequest, now: datetime) -> None:
    """A point of order takes the floor from `entry`: its clock stops (it may already have
    been stopped by the chair), and it resumes when the point of order is dealt with."""
    entry.interrupted_at = now
    if entry.paused_at is None:
        entry.paused_at = now
    changes.save(entry, "interrupted_at", "paused_at")


def _come_back(entry: FloorRequest, now: datetime) -> None:
    """The point of order is dealt with: the interrupted speaker has the floor again, paused
    only if the chair had paused the speech before the interruption."""
    if entry.paused_at == entry.interrupted_at:
        _resume(entry, now)
    else:
        entry.interrupted_at = None
        changes.save(entry, "interrupted_at")


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
        changes.require_chair(user, item)
        changes.check_version(item, version)
        now = timezone.now()
        current, interrupted = state.current, state.interrupted
        point = state.waiting[0] if state.waiting else None
        if point is not None and point.kind != Kind.POINT_OF_ORDER:
            point = None
        before = {
            "current": changes.snapshot(current) if current else None,
            "interrupted": changes.snapshot(interrupted) if interrupted else None,
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
                "current": changes.snapshot(following) if following else None,
                "interrupted": changes.snapshot(waits) if waits else None,
            },
            now=now,
        )
    return following


def give_floor(item: AgendaItem, state: SpeakersList, entry: FloorRequest, user) -> None:
    """Give the floor to a waiting entry of the locked list. A point of order may interrupt
    the speaker (whose clock stops until the point is dealt with) unless another point of
    order interrupts already; anyone else gets the floor only when nobody is speaking."""
    if entry.status != Status.WAITING:
        raise FloorError(changes.cannot_message(entry, _("given the floor")))
    now = timezone.now()
    current = state.current
    if current is not None:
        if entry.kind != Kind.POINT_OF_ORDER or state.interrupted is not None:
            raise FloorError(
                _("%(delegation)s has the floor: end that speech first.")
                % {"delegation": current.speaker}
            )
        _interrupt(current, now)
    before = changes.snapshot(entry, state)
    _start(state, entry, now)
    changes.log_change(
        item,
        user=user,
        action="started",
        entry=entry,
        before=before,
        after=changes.snapshot(entry),
        now=now,
    )


def speaker_start(*, entry: FloorRequest, user, version: int | None = None) -> FloorRequest:
    """Give the floor to one waiting entry (out of turn if the chair so decides)."""
    with transaction.atomic():
        item, state = changes.lock_list(entry.item_id)
        entry = changes.entry_in(state, entry.pk)
        changes.require_chair(user, item)
        changes.check_version(item, version)
        give_floor(item, state, entry, user)
    return entry


def _speaking_action(entry: FloorRequest, user, version, action: str, apply) -> FloorRequest:
    with transaction.atomic():
        item, state = changes.lock_list(entry.item_id)
        entry = changes.entry_in(state, entry.pk)
        changes.require_chair(user, item)
        changes.check_version(item, version)
        now = timezone.now()
        before = changes.snapshot(entry)
        apply(state, entry, now)
        changes.log_change(
            item,
            user=user,
            action=action,
            entry=entry,
            before=before,
            after=changes.snapshot(entry),
            now=now,
        )
    return entry


def speaker_pause(*, entry: FloorRequest, user, version: int | None = None) -> FloorRequest:
    """Stop the speaker's clock (e.g. interpretation trouble)."""

    def apply(state, entry, now):
        if entry.status != Status.SPEAKING:
            raise FloorError(changes.cannot_message(entry, _("paused")))
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
            raise FloorError(changes.cannot_message(entry, _("ended")))
        _end(entry, now)

    return _speaking_action(entry, user, version, "ended", apply)


def speaker_mark_absent(*, entry: FloorRequest, user, version: int | None = None) -> FloorRequest:
    """Called, but not in the room: off the list, and the chair may re-add it later."""

    def apply(state, entry, now):
        if entry.status not in (Status.WAITING, Status.SPEAKING):
            raise FloorError(changes.cannot_message(entry, _("marked absent")))
        if entry.status == Status.WAITING:
            changes.leave_queue(state, entry)
            entry.status = Status.ABSENT
            entry.ended_at = now
            changes.save(entry, "status", "ended_at", "anchor", "anchor_entry", "pin_reason")
        else:
            _end(entry, now, Status.ABSENT)

    return _speaking_action(entry, user, version, "absent", apply)


def speaker_set_presence(
    *, entry: FloorRequest, presence: str, user, version: int | None = None
) -> FloorRequest:
    """Where the speaker delivers from: in the room, remote, or a pre-recorded video (whose
    duration is kept like a speech's). Said while the entry waits or speaks."""
    presence = capacity.checked_presence(presence)

    def apply(state, entry, now):
        if entry.status not in (Status.WAITING, Status.SPEAKING):
            raise FloorError(changes.cannot_message(entry, _("changed")))
        if entry.presence == presence:
            raise FloorError(
                _("%(speaker)s is already marked “%(presence)s”.")
                % {"speaker": entry.speaker, "presence": entry.get_presence_display()},
                field="presence",
            )
        entry.presence = presence
        changes.save(entry, "presence")

    return _speaking_action(entry, user, version, "presence", apply)


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
    reason = checks.checked_reason(reason, missing=_("Say why the speaker is moved."))
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
        changes.require_chair(user, item)
        changes.check_version(item, version)
        if entry.status != Status.WAITING:
            raise FloorError(changes.cannot_message(entry, _("moved")))
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
        before = changes.snapshot(entry, state)
        changes.store_anchors(state.requests, anchors)
        entry.pin_reason = reason
        changes.save(entry, "pin_reason")
        after_state = build_list(item, state.requests)
        changes.log_change(
            item,
            user=user,
            action="moved",
            entry=entry,
            before=before,
            after=changes.snapshot(entry, after_state),
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
