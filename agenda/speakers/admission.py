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
   or a point of order (and the chair may add anyone);
3. who may ask for a point of order and a right of reply, per meeting (`docs/delegations.md`):
   a point of order is raised in the room and the chair puts it on the list, unless the
   meeting lets States (`Policy.online_points_of_order` "states": `Asker.state`) or every
   delegation ("all") ask for it online; a right of reply is for States
   (`Policy.replies_from` "states", the default) or for every delegation ("all"). The chair
   may always add anyone;
4. coordinators' remarks and closing remarks: only a delegation coordinating the item (the
   chair may add closing remarks for any delegation: its own are given by the delegation
   presiding); an Article 4 extension request or an invited presentation: only a delegation
   the secretariat designated for it; a response (a designated presenter answering after the
   floor): only a delegation designated for either;
5. a delegation presents once on an item: a second extension request or invited presentation
   while one is waiting, speaking or delivered is refused, and the delegation is told to ask
   for a response;
6. the caps: invited presentations on the item (`Policy.max_invited_presentations`, counting
   those waiting, speaking and delivered), rights of reply per delegation
   (`Policy.max_replies_per_delegation`);
7. one open request (waiting or speaking) per delegation and kind, counted apart for each
   capacity: a delegation that asked to speak on behalf of a group may ask again in its own
   name; and one open request per group and kind, whichever member reads it.

Before all these, what a capacity allows (`_not_theirs`): a statement or a right of reply may be
made on behalf of a group (`Asker.on_behalf_of`), nothing else; a speaker without a delegation
(`Asker.guest`, put on the list by the chair) makes a statement, an invited presentation, a
response or closing remarks, never a point of order, a right of reply, coordinators' remarks or
an extension request, which are delegations'.

Steps 4 to 7 hold for the chair's additions too: the chair adds anyone, but within the caps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from enum import StrEnum

from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

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
        # The day and time as the language writes them (the format is in the catalogues).
        written = pgettext("date format: day, month, year, time", "j F Y, H:i")
        return _("The list of speakers opens at %(time)s.") % {
            "time": date_format(opens_at.astimezone(zone), written)
        }
    return _("The list of speakers is closed.")


@dataclass(frozen=True)
class Asker:
    """Who asks for the floor on one item, as plain values.

    - `delegation`: the code of the delegation that would speak;
    - `coordinator`: it coordinates the item;
    - `presenter_kinds`: the leading kinds the secretariat designated it for on the item;
    - `by_chair`: the chair adds it (a raised nameplate), rather than the delegation itself;
    - `state`: it is a State at this meeting (its category is a State's);
    - `on_behalf_of`, `group_name`: the code and the name of the group it would speak for
      ("" in its own name);
    - `guest`: a speaker without a delegation (the President, a panellist), whom the chair puts
      on the list; `delegation` is then the code the ordering knows them by;
    - `name`: who speaks, by name, for the chair's messages ("Chile is already on this list").
    """

    delegation: str
    coordinator: bool = False
    presenter_kinds: frozenset[Kind] = frozenset()
    by_chair: bool = False
    state: bool = False
    on_behalf_of: str = ""
    group_name: str = ""
    guest: bool = False
    name: str = ""

    def voices(self, entry: Entry) -> bool:
        """Whether `entry` was asked in the same capacity: the same delegation, for the same
        group or in its own name."""
        return entry.delegation == self.delegation and entry.on_behalf_of == self.on_behalf_of


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
    message = _not_theirs(kind, asker, policy)
    if message is not None:
        return message
    if kind in LEADING_KINDS:
        presented = [
            e for e in entries if asker.voices(e) and e.kind in LEADING_KINDS and e.status in TAKEN
        ]
        if any(e.status == Status.SPOKEN for e in presented):
            return _("Your delegation has presented already on this item: ask for a response.")
        if presented:
            return _(
                "Your delegation presents on this item already: to speak again after the "
                "floor, ask for a response."
            )
    if kind == Kind.INVITED_PRESENTATION:
        cap = policy.max_invited_presentations
        taken = sum(1 for e in entries if e.kind == kind and e.status in TAKEN)
        if taken >= cap:
            if cap == 0:
                return _("This item has no invited presentations.")
            return ngettext(
                "This item allows %(max)s invited presentation; it is taken.",
                "This item allows %(max)s invited presentations; all are taken.",
                cap,
            ) % {"max": cap}
    if kind == Kind.RIGHT_OF_REPLY:
        cap = policy.max_replies_per_delegation
        used = sum(1 for e in entries if asker.voices(e) and e.kind == kind and e.status in TAKEN)
        if used >= cap:
            if cap == 0:
                return _("This item has no rights of reply.")
            return ngettext(
                "Your delegation has used its %(max)s right of reply on this item.",
                "Your delegation has used its %(max)s rights of reply on this item.",
                cap,
            ) % {"max": cap}
    for entry in entries:
        if entry.kind != kind or entry.status not in OPEN:
            continue
        if asker.voices(entry):
            if entry.status == Status.SPEAKING:
                if asker.by_chair and asker.name:
                    return _("%(name)s has the floor for this already.") % {"name": asker.name}
                if asker.guest:
                    return _("This speaker has the floor for this already.")
                return _("Your delegation has the floor for this already.")
            place = position_of(speaking_order(entries, policy), entry.id)
            if asker.by_chair and asker.name:
                return _("%(name)s is already on this list (place %(place)s).") % {
                    "name": asker.name,
                    "place": place,
                }
            if asker.guest:
                return _("This speaker is already on this list (place %(place)s).") % {
                    "place": place
                }
            return _("Your delegation is already on this list (place %(place)s).") % {
                "place": place
            }
        if asker.on_behalf_of and entry.on_behalf_of == asker.on_behalf_of:
            if entry.status == Status.SPEAKING:
                return _("%(group)s has the floor for this already.") % {"group": asker.group_name}
            return _("%(group)s is already on this list (place %(place)s).") % {
                "group": asker.group_name,
                "place": position_of(speaking_order(entries, policy), entry.id),
            }
    return None


GROUP_KINDS = (Kind.STATEMENT, Kind.RIGHT_OF_REPLY)
"""What may be said on behalf of a group."""

GUEST_KINDS = (Kind.STATEMENT, Kind.INVITED_PRESENTATION, Kind.RESPONSE, Kind.CLOSING_REMARKS)
"""What a speaker without a delegation may be put on a list for."""


def _capacity_refusal(kind: Kind, asker: Asker) -> str | None:
    """The kind cannot be asked in this capacity: for a group, or by a speaker without a
    delegation."""
    if asker.on_behalf_of and kind not in GROUP_KINDS:
        return _("Only a statement or a right of reply may be made on behalf of a group.")
    if asker.guest and kind not in GUEST_KINDS:
        return _(
            "A speaker without a delegation may make a statement, an invited presentation, a "
            "response or closing remarks; points of order, rights of reply, coordinators' "
            "remarks and extension requests are delegations'."
        )
    return None


def _not_theirs(kind: Kind, asker: Asker, policy: Policy) -> str | None:
    """The kind is not open to this asker on this item, whatever the list holds."""
    message = _capacity_refusal(kind, asker)
    if message is not None:
        return message
    if asker.guest:
        # The chair puts a speaker without a delegation on the list: where the item needs them.
        return None
    if kind == Kind.POINT_OF_ORDER and not asker.by_chair:
        allowed = policy.online_points_of_order
        if allowed == "states" and not asker.state:
            return _(
                "At this meeting only States may ask for a point of order online. Raise your "
                "delegation's nameplate: the chair may put it on the list."
            )
        if allowed not in ("states", "all"):
            return _(
                "A point of order is raised in the room: the chair puts it on the list. Raise "
                "your delegation's nameplate."
            )
    if (
        kind == Kind.RIGHT_OF_REPLY
        and not asker.by_chair
        and policy.replies_from != "all"
        and not asker.state
    ):
        return _("At this meeting only States may ask for a right of reply.")
    if kind == Kind.COORDINATOR_REMARKS and not asker.coordinator:
        return _("Only the coordinators of this item may give coordinators' remarks.")
    if kind == Kind.CLOSING_REMARKS and not (asker.coordinator or asker.by_chair):
        return _("Only the coordinators of this item may give closing remarks.")
    if kind in LEADING_KINDS and kind not in asker.presenter_kinds:
        return _("The secretariat has not designated your delegation for this on this item.")
    if kind == Kind.RESPONSE and not asker.presenter_kinds:
        return _(
            "A response is for a delegation the secretariat designated to present on this item."
        )
    return None


def kinds_open(asker: Asker, situation: Situation) -> list[Kind]:
    """The kinds `asker` may ask for now, in the order of `Kind`."""
    return [kind for kind in Kind if kind_refusal(kind, asker, situation) is None]
