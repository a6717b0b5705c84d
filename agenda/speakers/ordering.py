"""The order of speakers of one agenda item: the only place the rule is written.

This module is pure: it takes plain values (the item's `Policy` and the item's requests for the
floor as `Entry` values) and returns plain values. It imports no model and touches no database,
so services, views, the API and the documentation can all point here, and it can be tested
exhaustively without a database.

The rule (the default `Policy`; every part is a setting of the item)
--------------------------------------------------------------------
Only *waiting* entries are in the order. Entries that are speaking, have spoken, were withdrawn
or were absent when called are not; they only matter for `Policy.spoken_wait_behind`.

1. **Points of order** come first, first come first served, ahead of every other waiting entry,
   pinned ones included: a point of order always interrupts. They are never pinned.
2. Then the other entries, in groups of kind in `Policy.kind_order`. By default:
   coordinators' remarks; the item's leading kinds (Article 4 extension requests, then invited
   presentations); statements from the floor; rights of reply, after all statements.
3. Within a group, kinds in `Policy.by_category` (by default only statements) are ordered by the
   delegation's category in `Policy.category_order` (States Parties, signatory States, observer
   States, international organisations, the Red Cross and Red Crescent, the CMC, other NGOs),
   then first come first served. A category missing from `category_order` comes after all the
   listed ones, then by time of request: an unexpected category never breaks the list.
4. With `Policy.spoken_wait_behind`, a delegation that has already delivered a statement on the
   item (it has a statement entry with status *spoken*) waits, among statements, behind every
   delegation that has not; then category, then time.
5. Ties on the time of request are broken by `Entry.id` (ascending), so the order never depends
   on the order in which the entries are passed in.

Pins: the chair moves an entry by hand
--------------------------------------
When the chair drags an entry to place *n*, the entry is *pinned*: `Entry.pinned_position = n`.
Places are counted from 1 among the entries that are not points of order (points of order always
come first, above the places). The unpinned entries are ordered by the rule above and flow around
the pinned ones:

- an entry pinned at *n* sits at place *n*; new requests that rank ahead of it go before it
  and push unpinned entries behind it, but it keeps its place;
- if the list is shorter than *n*, it sits at the end;
- several pins are placed in ascending `pinned_position` (tie: by id): if two ask for the same
  place, the second takes the next place; pins beyond the end sit at the end in that order.

Pins are kept true as the list changes by two helpers that return the new pins for the service
to store: `pins_after_move` when the chair moves an entry, and `pins_after_leaving` when an entry
leaves the waiting list (called to speak, withdrawn, absent), so that a pinned entry advances
with the queue (place 3 becomes place 2 when the first speaker is called). With pins set only by
these helpers, each pinned entry stands exactly at its `pinned_position`, a move changes the
list exactly as the chair dragged it, and a departure only removes the entry that left.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from django.utils.translation import gettext as _

__all__ = [
    "CATEGORY_ORDER",
    "DEFAULT_KIND_ORDER",
    "DEFAULT_POLICY",
    "LEADING_KINDS",
    "Entry",
    "Kind",
    "Policy",
    "Status",
    "estimated_wait_seconds",
    "pins_after_leaving",
    "pins_after_move",
    "position_of",
    "speaking_order",
]


class Kind(StrEnum):
    """What a request for the floor is for. The values are stored in the database and the API."""

    POINT_OF_ORDER = "point_of_order"
    COORDINATOR_REMARKS = "coordinator_remarks"
    EXTENSION_REQUEST = "extension_request"
    INVITED_PRESENTATION = "invited_presentation"
    STATEMENT = "statement"
    RIGHT_OF_REPLY = "right_of_reply"


class Status(StrEnum):
    """Where a request for the floor stands. Only `WAITING` entries are in the order."""

    WAITING = "waiting"
    SPEAKING = "speaking"
    SPOKEN = "spoken"
    WITHDRAWN = "withdrawn"
    ABSENT = "absent"


CATEGORY_ORDER: tuple[str, ...] = (
    "state_party",
    "signatory_state",
    "observer_state",
    "international_organization",
    "red_cross",
    "cmc",
    "ngo",
)
"""Default order of the categories of participant (rules of procedure, rules 1.2-1.3)."""

DEFAULT_KIND_ORDER: tuple[Kind, ...] = (
    Kind.POINT_OF_ORDER,
    Kind.COORDINATOR_REMARKS,
    Kind.EXTENSION_REQUEST,
    Kind.INVITED_PRESENTATION,
    Kind.STATEMENT,
    Kind.RIGHT_OF_REPLY,
)
"""Default order of the kinds: points of order, coordinators, leading kinds, floor, replies."""

LEADING_KINDS: tuple[Kind, ...] = (Kind.EXTENSION_REQUEST, Kind.INVITED_PRESENTATION)
"""The kinds a delegation leads an item with, once the secretariat designated it."""


def _kinds(values: Iterable[str], setting: str) -> list[Kind]:
    kinds = []
    for value in values:
        try:
            kinds.append(Kind(value))
        except ValueError:
            raise ValueError(
                _("Unknown kind of request “%(value)s” in %(setting)s; known kinds: %(known)s.")
                % {"value": value, "setting": setting, "known": ", ".join(Kind)}
            ) from None
    return kinds


@dataclass(frozen=True)
class Policy:
    """How one agenda item orders its list of speakers.

    Build it from keyword arguments, or with `Policy.from_values` from the plain strings the
    admin stores. Construction validates and raises `ValueError` with a message fit for the
    admin form; sequences of strings are accepted and normalised to `Kind` and tuples.

    - `kind_order`: every `Kind` exactly once; `Kind.POINT_OF_ORDER` first (it always
      interrupts).
    - `category_order`: categories in the order they take the floor, each at most once.
      Categories not listed come after the listed ones.
    - `by_category`: kinds ordered by category then first come first served; other kinds are
      first come first served. A point of order is always first come first served.
    - `spoken_wait_behind`: among statements, a delegation that has already delivered a
      statement on the item waits behind every delegation that has not.
    - `max_replies_per_delegation`, `max_invited_presentations`: caps the services enforce
      when a request is made; they do not change the order.
    """

    kind_order: tuple[Kind, ...] = DEFAULT_KIND_ORDER
    category_order: tuple[str, ...] = CATEGORY_ORDER
    by_category: frozenset[Kind] = field(default_factory=lambda: frozenset({Kind.STATEMENT}))
    spoken_wait_behind: bool = False
    max_replies_per_delegation: int = 2
    max_invited_presentations: int = 2

    def __post_init__(self) -> None:
        kind_order = tuple(_kinds(self.kind_order, "kind_order"))
        missing = [kind for kind in Kind if kind not in kind_order]
        if missing:
            raise ValueError(
                _("The order of kinds must list every kind; missing: %(missing)s.")
                % {"missing": ", ".join(missing)}
            )
        if len(kind_order) != len(Kind):
            repeated = sorted({kind for kind in kind_order if kind_order.count(kind) > 1})
            raise ValueError(
                _("The order of kinds lists a kind more than once: %(repeated)s.")
                % {"repeated": ", ".join(repeated)}
            )
        if kind_order[0] != Kind.POINT_OF_ORDER:
            raise ValueError(
                _("A point of order always interrupts: it must come first in the order of kinds.")
            )
        category_order = tuple(str(category) for category in self.category_order)
        if len(set(category_order)) != len(category_order):
            repeated = sorted(
                {category for category in category_order if category_order.count(category) > 1}
            )
            raise ValueError(
                _("The order of categories lists a category more than once: %(repeated)s.")
                % {"repeated": ", ".join(repeated)}
            )
        if any(not category for category in category_order):
            raise ValueError(_("The order of categories contains an empty name."))
        by_category = frozenset(_kinds(self.by_category, "by_category"))
        if Kind.POINT_OF_ORDER in by_category:
            raise ValueError(
                _("Points of order are taken first come first served, never by category.")
            )
        for name in ("max_replies_per_delegation", "max_invited_presentations"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(
                    _("%(setting)s must be a whole number, 0 or more.") % {"setting": name}
                )
        object.__setattr__(self, "kind_order", kind_order)
        object.__setattr__(self, "category_order", category_order)
        object.__setattr__(self, "by_category", by_category)
        object.__setattr__(self, "spoken_wait_behind", bool(self.spoken_wait_behind))

    @classmethod
    def from_values(
        cls,
        *,
        kind_order: Iterable[str] | None = None,
        category_order: Iterable[str] | None = None,
        by_category: Iterable[str] | None = None,
        spoken_wait_behind: bool = False,
        max_replies_per_delegation: int = 2,
        max_invited_presentations: int = 2,
    ) -> Policy:
        """Build a policy from the plain strings the admin stores; `None` means the default.

        Unknown kind names raise `ValueError`. Category names are free text (a meeting may
        define its own), so an unknown category is not an error: it is listed where it stands.
        """
        return cls(
            kind_order=DEFAULT_KIND_ORDER if kind_order is None else tuple(kind_order),
            category_order=CATEGORY_ORDER if category_order is None else tuple(category_order),
            by_category=(
                frozenset({Kind.STATEMENT}) if by_category is None else frozenset(by_category)
            ),
            spoken_wait_behind=spoken_wait_behind,
            max_replies_per_delegation=max_replies_per_delegation,
            max_invited_presentations=max_invited_presentations,
        )


DEFAULT_POLICY = Policy()
"""The order the product uses when an item does not say otherwise."""


@dataclass(frozen=True)
class Entry:
    """One request for the floor on one agenda item, as plain values.

    - `id`: the request's primary key; breaks ties, so it must be unique in a list.
    - `delegation`: the delegation's code (`CHL`, `ICRC`).
    - `category`: the delegation's category at the meeting (`state_party`, ...).
    - `requested_at`: when the floor was requested (timezone-aware, like every datetime here).
    - `pinned_position`: the place (from 1, after the points of order) the chair moved the
      entry to, or `None` when the rule places it.

    `kind` and `status` accept the stored strings and are normalised to `Kind` and `Status`.
    """

    id: int
    delegation: str
    category: str
    kind: Kind
    requested_at: datetime
    status: Status = Status.WAITING
    pinned_position: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", Kind(self.kind))
        object.__setattr__(self, "status", Status(self.status))
        if self.pinned_position is not None and self.pinned_position < 1:
            raise ValueError(
                f"Entry {self.id}: pinned_position counts from 1, got {self.pinned_position}."
            )


type RuleKey = tuple[int, int, int, datetime, int]


def _rule_key(entry: Entry, policy: Policy, spoken: frozenset[str]) -> RuleKey:
    """Where the rule (without pins) puts an entry that is not a point of order."""
    kind_rank = policy.kind_order.index(entry.kind)
    waits_behind = int(
        policy.spoken_wait_behind and entry.kind == Kind.STATEMENT and entry.delegation in spoken
    )
    if entry.kind in policy.by_category:
        try:
            category_rank = policy.category_order.index(entry.category)
        except ValueError:
            category_rank = len(policy.category_order)
    else:
        category_rank = 0
    return (kind_rank, waits_behind, category_rank, entry.requested_at, entry.id)


def _place_pins(unpinned: list[Entry], pinned: list[tuple[int, Entry]]) -> list[Entry]:
    """Merge rule-ordered unpinned entries with (pinned_position, entry) pairs in pin order.

    Place by place: the next pinned entry takes the place once its pinned_position is reached,
    or when no unpinned entry is left (so a pin beyond the end sits at the end).
    """
    placed: list[Entry] = []
    next_pin = next_rule = 0
    for place in range(1, len(unpinned) + len(pinned) + 1):
        if next_pin < len(pinned) and (pinned[next_pin][0] <= place or next_rule == len(unpinned)):
            placed.append(pinned[next_pin][1])
            next_pin += 1
        else:
            placed.append(unpinned[next_rule])
            next_rule += 1
    return placed


def speaking_order(entries: Iterable[Entry], policy: Policy = DEFAULT_POLICY) -> list[Entry]:
    """The waiting entries of one item, in the order they will be given the floor.

    `entries` are all the item's requests, in any order and with any status: the non-waiting
    ones are left out of the result but still count for `Policy.spoken_wait_behind`. Points of
    order come first; then the other entries by the rule of `policy`, with pinned entries at
    their places (see the module documentation). Raises `ValueError` if two entries share an id.
    """
    entries = list(entries)
    ids = [entry.id for entry in entries]
    if len(set(ids)) != len(ids):
        raise ValueError("Entry ids must be unique within one list of speakers.")
    spoken = frozenset(
        entry.delegation
        for entry in entries
        if entry.kind == Kind.STATEMENT and entry.status == Status.SPOKEN
    )
    waiting = [entry for entry in entries if entry.status == Status.WAITING]
    points_of_order = sorted(
        (entry for entry in waiting if entry.kind == Kind.POINT_OF_ORDER),
        key=lambda entry: (entry.requested_at, entry.id),
    )
    others = [entry for entry in waiting if entry.kind != Kind.POINT_OF_ORDER]
    unpinned = sorted(
        (entry for entry in others if entry.pinned_position is None),
        key=lambda entry: _rule_key(entry, policy, spoken),
    )
    pinned = sorted(
        ((entry.pinned_position, entry) for entry in others if entry.pinned_position is not None),
        key=lambda pin: (pin[0], pin[1].id),
    )
    return points_of_order + _place_pins(unpinned, pinned)


def _places(order: Sequence[Entry]) -> list[Entry]:
    """The part of an order that has places: everything after the points of order."""
    return [entry for entry in order if entry.kind != Kind.POINT_OF_ORDER]


def _find(entries: Sequence[Entry], entry_id: int) -> int:
    for index, entry in enumerate(entries):
        if entry.id == entry_id:
            return index
    raise ValueError(f"Entry {entry_id} is not waiting in this list of speakers.")


def pins_after_move(order: Sequence[Entry], entry_id: int, position: int) -> dict[int, int]:
    """The pins to store when the chair moves `entry_id` to place `position`.

    `order` is the current `speaking_order` of the item. `position` counts from 1 among the
    entries that are not points of order, and is clamped to that range. The result maps every
    entry that must be pinned afterwards to its place: the moved entry at `position`, and every
    entry pinned before at the place it has once the moved entry is taken out and put back at
    `position` (a pinned entry at that place, or between the old and new places, shifts by one,
    as the list on the screen does). Entries not in the result keep `pinned_position=None`.

    Storing these pins makes `speaking_order` return `order` with exactly that one move.
    Raises `ValueError` if the entry is not waiting, or is a point of order (never pinned).
    """
    places = _places(order)
    try:
        index = _find(places, entry_id)
    except ValueError:
        if any(entry.id == entry_id for entry in order):
            raise ValueError(
                f"Entry {entry_id} is a point of order: it is always heard first, never moved."
            ) from None
        raise
    moved = places.pop(index)
    position = min(max(position, 1), len(places) + 1)
    places.insert(position - 1, moved)
    return {
        entry.id: place
        for place, entry in enumerate(places, start=1)
        if entry.id == entry_id or entry.pinned_position is not None
    }


def pins_after_leaving(order: Sequence[Entry], entry_id: int) -> dict[int, int]:
    """The pins to store when `entry_id` leaves the waiting list.

    Call it before the entry stops waiting (called to speak, withdrawn, absent), with the
    current `speaking_order`. Every pinned entry behind it moves up one place, so a pinned
    entry keeps its place in the queue as the queue advances: place 3 becomes place 2 when the
    first speaker is called; pinned entries ahead keep their places, and a point of order
    leaving moves no one. Returns the entries whose pin changes. The service should also clear
    the leaving entry's own pin, in case it is ever put back on the list.

    Precisely, every pinned entry is stored at the place it has once the entry is gone. With
    pins kept by these helpers that is `pinned_position - 1` behind the entry and no change
    ahead of it; pins set otherwise (two at one place, one beyond the end) are straightened
    out at the same time. Storing these pins makes `speaking_order` return `order` without the
    entry, nothing else moved. Raises `ValueError` if the entry is not waiting in `order`.
    """
    _find(order, entry_id)
    remaining = [entry for entry in _places(order) if entry.id != entry_id]
    return {
        entry.id: place
        for place, entry in enumerate(remaining, start=1)
        if entry.pinned_position is not None and entry.pinned_position != place
    }


def position_of(order: Sequence[Entry], entry_id: int) -> int | None:
    """The place of `entry_id` in `order` counting from 1, points of order included.

    `None` if the entry is not waiting. This is the number shown to delegations ("you are 4th").
    """
    for place, entry in enumerate(order, start=1):
        if entry.id == entry_id:
            return place
    return None


def estimated_wait_seconds(
    order: Sequence[Entry],
    entry_id: int,
    time_limit_for: Callable[[Entry], int],
    current_remaining_seconds: int = 0,
) -> int | None:
    """Roughly how long until `entry_id` has the floor, in seconds; `None` if not waiting.

    The sum of `time_limit_for(entry)` over the entries ahead of it in `order`, plus what is
    left of the speech under way (`current_remaining_seconds`; a speaker over time counts as 0).
    It assumes every speaker uses their full time, so it is an upper estimate as long as the
    list does not change.
    """
    place = position_of(order, entry_id)
    if place is None:
        return None
    ahead = sum(time_limit_for(entry) for entry in order[: place - 1])
    return max(current_remaining_seconds, 0) + ahead
