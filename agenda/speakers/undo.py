"""Undo: a request withdrawn, or a speaker marked absent before speaking, back in its place.

A tap on Withdraw or the chair's W and A keys are easy to hit by mistake; re-adding would put
the delegation at the back. For `UNDO_SECONDS` after the change, and while it is still the
entry's last change, `speaker_undo` puts the entry back exactly as it was: waiting, with its
time of request (so in its place by the rules) and where the chair had moved it, if that
speaker is still waiting. The undo is itself an audited change ("undone"), made like every
other (the item's row locked, the version checked).

Who may undo: whoever may make the change undone — the chair of the item for both, the
delegation's focal points for their own withdrawal.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agenda.errors import FloorError, NotAllowed
from agenda.models import FloorRequest, ListEvent
from agenda.roles import chairs
from delegations.roles import represents

from . import changes
from .ordering import Anchor, Status
from .selectors import build_list

UNDO_SECONDS = 60
"""How long after a withdrawal or an absence it may be undone (the pages offer it for a few
seconds; the margin covers a slow network)."""

UNDOABLE = {"withdrawn": Status.WITHDRAWN, "absent": Status.ABSENT}


def undo_refusal(entry: FloorRequest, last: ListEvent | None, now) -> str:
    """Why `entry` cannot be put back now ("" when it can): its last change (`last`) must be
    a withdrawal, or an absence before it spoke (also when the chair marked it absent right
    after calling it: a speech of at most `UNDO_SECONDS` that was an absence), made at most
    `UNDO_SECONDS` ago."""
    action = last.action if last is not None else ""
    called_only = entry.started_at is None or (
        action == "absent"
        and entry.ended_at is not None
        and entry.ended_at - entry.started_at <= timedelta(seconds=UNDO_SECONDS)
    )
    if action not in UNDOABLE or entry.status != UNDOABLE[action] or not called_only:
        return _(
            "There is nothing to undo for %(speaker)s: its last change was not a "
            "withdrawal or an absence before speaking."
        ) % {"speaker": entry.speaker}
    if now - last.at > timedelta(seconds=UNDO_SECONDS):
        return _(
            "It is too late to undo (more than %(seconds)s seconds). Add %(speaker)s again instead."
        ) % {"seconds": UNDO_SECONDS, "speaker": entry.speaker}
    return ""


def speaker_undo(*, entry: FloorRequest, user, version: int | None = None) -> FloorRequest:
    """Put back on the list an entry just withdrawn, or marked absent before it spoke."""
    with transaction.atomic():
        item, state = changes.lock_list(entry.item_id)
        entry = changes.entry_in(state, entry.pk)
        last = ListEvent.objects.filter(entry=entry).order_by("-version").first()
        action = last.action if last is not None else ""
        may = chairs(user, item) or (
            action == "withdrawn"
            and entry.delegation is not None
            and represents(user, entry.delegation)
        )
        if not may:
            raise NotAllowed(
                _("Only the chair, or the delegation for its own withdrawal, may undo.")
            )
        changes.check_version(item, version)
        now = timezone.now()
        refusal = undo_refusal(entry, last, now)
        if refusal:
            raise FloorError(refusal)
        before = changes.snapshot(entry)
        entry.status = Status.WAITING
        # An absence just after being called: the speech never began, and is forgotten.
        entry.started_at = entry.ended_at = entry.paused_at = entry.interrupted_at = None
        entry.paused_total = timedelta(0)
        entry.time_limit_seconds = None
        anchor, anchor_entry = last.before.get("anchor"), last.before.get("anchor_entry")
        still_there = anchor_entry is None or any(
            waiting.pk == anchor_entry for waiting in state.waiting
        )
        if anchor and anchor != Anchor.NONE and still_there:
            entry.anchor, entry.anchor_entry_id = anchor, anchor_entry
        try:
            with transaction.atomic():
                changes.save(
                    entry,
                    "status",
                    "started_at",
                    "ended_at",
                    "paused_at",
                    "interrupted_at",
                    "paused_total",
                    "time_limit_seconds",
                    "anchor",
                    "anchor_entry",
                )
        except IntegrityError:
            raise FloorError(
                _(
                    "%(speaker)s has asked again since: the new request stands, this one "
                    "cannot come back."
                )
                % {"speaker": entry.speaker}
            ) from None
        after_state = build_list(item, state.requests)
        changes.log_change(
            item,
            user=user,
            action="undone",
            entry=entry,
            before=before,
            after=changes.snapshot(entry, after_state),
            reason=_("Undo of “%(action)s”") % {"action": action},
            now=now,
        )
    entry.position = after_state.position(entry)
    entry.version = item.list_version
    return entry
