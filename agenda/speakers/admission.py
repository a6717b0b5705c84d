"""Who may ask for the floor, for what, and when: the rules written once, as plain values.

Pure like `agenda.speakers.ordering`: plain values in, a verdict out; no model, no database.
The delegation's page offers exactly the kinds `kinds_open` returns (and, when none is left,
says why with `kind_refusal`); the service that puts a request on the list refuses every other
kind with the same words; the chair's console and the API go through that service.

The sign-up window
------------------
`sign_up` says where an item's list stands: open, closed by the chair, not yet open (before
`opens_at`) or closed by its window (after `closes_at`). Delegations add themselves only while
it is open; rights of reply and the chair's additions are always possible.

Which kinds, by whom
--------------------
In this order, the first refusal that applies is the one given:

1. nothing while the meeting is closed;
2. while the list does not accept requests, a delegation may still ask for a right of reply
   (and the chair may add anyone);
3. a point of order is raised in the room, and the chair puts it on the list: never by a
   delegation itself (`docs/delegations.md`);
4. coordinators' remarks: only a delegation coordinating the item; an Article 4 extension
   request or an invited presentation: only a delegation the secretariat designated for it;
5. the caps: invited presentations on the item (`Policy.max_invited_presentations`, counting
   those waiting, speaking and delivered), rights of reply per delegation
   (`Policy.max_replies_per_delegation`);
6. one open request (waiting or speaking) per delegation and kind.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from enum import StrEnum

from django.utils.translation import gettext as _

from .ordering import (
    LEADING_KINDS,
    Entry,
    Kind,
    Policy,
    Status,
    position_of,
    speaking_order,
)

TAKEN = (Status.WAITING, Status.SPEAKING, Status.SPOKEN)
"""Entries that count towards a cap: a withdrawn or absent entry gives its place back."""

OPEN = (Status.WAITING, Status.SPEAKING)


class SignUp(StrEnum):
    """Where an item's list of speakers stands for delegations."""

    OPEN = "open"
    CLOSED = "closed"  # the chair (or the secretariat) closed it
    NOT_YET_OPEN = "not_yet_open"  # open, but its window has not begun
    WINDOW_ENDED = "window_ended"  # open, but its window is over


def sign_up(
    *, is_open: bool, opens_at: datetime | None, closes_at: datetime | None, now: datetime
) -> SignUp:
    if not is_open:
        return SignUp.CLOSED
    if opens_at is not None and now < opens_at:
        return SignUp.NOT_YET_OPEN
    if closes_at is not None and now > closes_at:
        return SignUp.WINDOW_ENDED
    return SignUp.OPEN


def closed_message(state: SignUp, opens_at: datetime | None, zone: tzinfo) -> str:
    """Why a delegation cannot add itself now (the list is not open)."""
    if state == SignUp.NOT_YET_OPEN and opens_at is not None:
        return _("The list of speakers opens at %(time)s.") % {
            "time": opens_at.astimezone(zone).strftime("%d %B %Y, %H:%M")
        }
    return _("The list of speakers is closed.")


@dataclass(frozen=True)
class Asker:
    """Who asks for the floor on one item, as plain values.

    - `delegation`: the code of the delegation that would speak;
    - `coordinator`: it coordinates the item;
    - `presenter_kinds`: the leading kinds the secretariat designated it for on the item;
    - `by_chair`: the chair adds it (a raised nameplate), rather than the delegation itself.
    """

    delegation: str
    coordinator: bool = False
    presenter_kinds: frozenset[Kind] = frozenset()
    by_chair: bool = False


@dataclass(frozen=True)
class Situation:
    """The item's list as a request meets it: its policy, its entries, its sign-up window."""

    policy: Policy
    entries: Sequence[Entry]
    sign_up: SignUp = SignUp.OPEN
    opens_at: datetime | None = None
    zone: tzinfo | None = None
    meeting_closed: bool = False


@dataclass(frozen=True)
class Refusal:
    """Why a request is refused; `field` is "kind" when another kind may still be asked for,
    None when the refusal is about the list or the meeting as a whole."""

    message: str
    field: str | None = "kind"


def kind_refusal(kind: Kind, asker: Asker, situation: Situation) -> Refusal | None:
    """Why `asker` may not ask for `kind` now, in plain words; None when it may."""
    message = _closed(kind, asker, situation)
    if message is not None:
        return Refusal(message, field=None)
    message = _not_open_to(kind, asker, situation)
    return None if message is None else Refusal(message)


def _closed(kind: Kind, asker: Asker, situation: Situation) -> str | None:
    """The meeting or the list takes no request of this kind from this asker now."""
    if situation.meeting_closed:
        return _("The meeting is closed.")
    if (
        kind not in (Kind.POINT_OF_ORDER, Kind.RIGHT_OF_REPLY)
        and situation.sign_up != SignUp.OPEN
        and not asker.by_chair
    ):
        return closed_message(situation.sign_up, situation.opens_at, situation.zone)
    return None


def _not_open_to(kind: Kind, asker: Asker, situation: Situation) -> str | None:
    """The kind is not this asker's on this item, a cap is reached, or it is already asked."""
    policy, entries = situation.policy, situation.entries
    if kind == Kind.POINT_OF_ORDER and not asker.by_chair:
        return _(
            "A point of order is raised in the room: the chair puts it on the list. Raise "
            "your delegation's nameplate."
        )
    if kind == Kind.COORDINATOR_REMARKS and not asker.coordinator:
        return _("Only the coordinators of this item may give coordinators' remarks.")
    if kind in LEADING_KINDS and kind not in asker.presenter_kinds:
        return _("The secretariat has not designated your delegation for this on this item.")
    if kind == Kind.INVITED_PRESENTATION:
        taken = sum(1 for e in entries if e.kind == kind and e.status in TAKEN)
        if taken >= policy.max_invited_presentations:
            return _("This item allows %(max)s invited presentations; all are taken.") % {
                "max": policy.max_invited_presentations
            }
    if kind == Kind.RIGHT_OF_REPLY:
        used = sum(
            1
            for e in entries
            if e.delegation == asker.delegation and e.kind == kind and e.status in TAKEN
        )
        if used >= policy.max_replies_per_delegation:
            return _("Your delegation has used its %(max)s rights of reply on this item.") % {
                "max": policy.max_replies_per_delegation
            }
    for entry in entries:
        if entry.delegation == asker.delegation and entry.kind == kind and entry.status in OPEN:
            if entry.status == Status.SPEAKING:
                return _("Your delegation has the floor for this already.")
            return _("Your delegation is already on this list (place %(place)s).") % {
                "place": position_of(speaking_order(entries, policy), entry.id)
            }
    return None


def kinds_open(asker: Asker, situation: Situation) -> list[Kind]:
    """The kinds `asker` may ask for now, in the order of `Kind`."""
    return [kind for kind in Kind if kind_refusal(kind, asker, situation) is None]
