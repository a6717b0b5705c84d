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
   the moved ones included: a point of order always interrupts. It is never moved.
2. Then the other entries, in groups of kind in `Policy.kind_order`. By default:
   coordinators' remarks; the item's leading kinds (Article 4 extension requests, then invited
   presentations); statements from the floor; responses (a designated presenter answering
   after the floor); rights of reply, after all statements; closing remarks (the coordinators'
   or the chair's) last.
3. Within a group, kinds in `Policy.by_category` (by default only statements) are ordered by the
   delegation's category in `Policy.category_order` (States Parties, signatory States, observer
   States, international organisations, the Red Cross and Red Crescent, the CMC, other NGOs),
   then first come first served. A category missing from `category_order` comes after all the
   listed ones, then by time of request: an unexpected category never breaks the list.
4. With `Policy.spoken_wait_behind`, a delegation that has already delivered a statement on the
   item in its own name (it has a statement entry with status *spoken*, not on behalf of a
   group) waits, among statements, behind every delegation that has not; then category, then
   time.
   With `Policy.groups_first` (the default, UN practice), statements on behalf of a group whose
   statements take precedence (`Entry.on_behalf_of` with `Entry.group_first`) come first among
   the entries ordered by category, first come first served; otherwise, and for a joint
   statement, an entry ranks by the category of the delegation that reads it. A speaker who is
   not a delegation (a panellist, the President) has no category: never ranked among them, it
   comes after every category, or where the chair puts it.
5. Ties on the time of request are broken by `Entry.id` (ascending), so the order never depends
   on the order in which the entries are passed in.

Moves: the chair puts an entry somewhere, relative to the others
--------------------------------------------------------------
Places are counted from 1 over the whole waiting list, points of order included: the number
the chair sees on the console is the number the API answers and the number a move takes.

When the chair moves an entry, what is kept is the chair's intent, relative to the others: the
entry is *anchored* (`Entry.anchor`) at the top (first after the points of order), right after
another entry (`Entry.anchor_entry`), or at the end. The entries that are not anchored are
ordered by the rule above; each anchored entry then stands right after its anchor, wherever the
rule puts that one, so later requests flow around the chair's decision without putting anyone
the chair left ahead of an entry behind it. At most one entry is anchored to any one place (a
later move to the same place puts the earlier one right behind the new one), and an anchor
that does not stand on the list any more (or a circle of anchors) counts as no anchor.

Anchors are kept true by the helpers of `agenda.speakers.moves`, which return the anchors to
store when the chair moves an entry (the list then changes exactly as the chair dragged it)
and when an entry stops waiting (the entries anchored right after it take its place, so
nobody else moves).
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
    "Anchor",
    "Entry",
    "Kind",
    "Policy",
    "Status",
    "estimated_wait_seconds",
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
    RESPONSE = "response"
    RIGHT_OF_REPLY = "right_of_reply"
    CLOSING_REMARKS = "closing_remarks"


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
    Kind.RESPONSE,
    Kind.RIGHT_OF_REPLY,
    Kind.CLOSING_REMARKS,
)
"""Default order of the kinds: points of order, coordinators, leading kinds, the floor,
responses, replies, closing remarks."""

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


SETTINGS: dict[str, tuple[str, ...]] = {
    "online_points_of_order": ("no", "states", "all"),
    "replies_from": ("states", "all"),
    "readded_to": ("end", "rule"),
}
"""The values of the policy's settings about who may ask and where the re-added go."""


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
    - `groups_first`: statements on behalf of a group that takes precedence come first among
      the entries ordered by category.
    - `spoken_wait_behind`: among statements, a delegation that has already delivered a
      statement on the item waits behind every delegation that has not.
    - `max_replies_per_delegation`, `max_invited_presentations`: caps the services enforce
      when a request is made; they do not change the order.
    - `online_points_of_order`: whether a delegation may put its own point of order on the
      list: "no" (UN practice: it is raised in the room and the chair adds it), "states",
      "all". `replies_from`: who may ask for a right of reply: "states" or "all". The chair
      may always add anyone. (`agenda.speakers.admission` applies them.)
    - `readded_to`: where a delegation re-added after being absent goes: "end" (the end of
      the list) or "rule" (where a new request would go).
    """

    kind_order: tuple[Kind, ...] = DEFAULT_KIND_ORDER
    category_order: tuple[str, ...] = CATEGORY_ORDER
    by_category: frozenset[Kind] = field(default_factory=lambda: frozenset({Kind.STATEMENT}))
    spoken_wait_behind: bool = False
    groups_first: bool = True
    max_replies_per_delegation: int = 2
    max_invited_presentations: int = 2
    online_points_of_order: str = "no"
    replies_from: str = "states"
    readded_to: str = "end"

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
        for name, allowed in SETTINGS.items():
            if getattr(self, name) not in allowed:
                raise ValueError(
                    _("%(setting)s must be one of %(allowed)s.")
                    % {"setting": name, "allowed": ", ".join(allowed)}
                )
        object.__setattr__(self, "kind_order", kind_order)
        object.__setattr__(self, "category_order", category_order)
        object.__setattr__(self, "by_category", by_category)
        object.__setattr__(self, "spoken_wait_behind", bool(self.spoken_wait_behind))
        object.__setattr__(self, "groups_first", bool(self.groups_first))

    @classmethod
    def from_values(
        cls,
        *,
        kind_order: Iterable[str] | None = None,
        category_order: Iterable[str] | None = None,
        by_category: Iterable[str] | None = None,
        spoken_wait_behind: bool = False,
        groups_first: bool = True,
        max_replies_per_delegation: int = 2,
        max_invited_presentations: int = 2,
        online_points_of_order: str = "no",
        replies_from: str = "states",
        readded_to: str = "end",
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
            groups_first=groups_first,
            max_replies_per_delegation=max_replies_per_delegation,
            max_invited_presentations=max_invited_presentations,
            online_points_of_order=online_points_of_order,
            replies_from=replies_from,
            readded_to=readded_to,
        )


DEFAULT_POLICY = Policy()
"""The order the product uses when an item does not say otherwise."""


class Anchor(StrEnum):
    """Where the chair put an entry (`Entry.anchor`); empty when the rule places it."""

    NONE = ""
    TOP = "top"  # first, after the points of order
    AFTER = "after"  # right after `Entry.anchor_entry`
    END = "end"  # last


@dataclass(frozen=True)
class Entry:
    """One request for the floor on one agenda item, as plain values.

    - `id`: the request's primary key; breaks ties, so it must be unique in a list.
    - `delegation`: the delegation's code (`CHL`, `ICRC`).
    - `category`: the delegation's category at the meeting (`state_party`, ...).
    - `requested_at`: when the floor was requested (timezone-aware, like every datetime here).
    - `anchor`, `anchor_entry`: where the chair put the entry (see the module's docstring).
    - `on_behalf_of`: the code of the group the statement is made for ("" in the delegation's
      own name); `group_first`: that group's statements take precedence.

    `kind`, `status` and `anchor` accept the stored strings and are normalised.
    """

    id: int
    delegation: str
    category: str
    kind: Kind
    requested_at: datetime
    status: Status = Status.WAITING
    anchor: Anchor = Anchor.NONE
    anchor_entry: int | None = None
    on_behalf_of: str = ""
    group_first: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", Kind(self.kind))
        object.__setattr__(self, "status", Status(self.status))
        object.__setattr__(self, "anchor", Anchor(self.anchor or ""))
        if (self.anchor == Anchor.AFTER) != (self.anchor_entry is not None):
            raise ValueError(
                f"Entry {self.id}: an entry is anchored after another one exactly when it names it."
            )

    @property
    def anchored(self) -> bool:
        return self.anchor != Anchor.NONE


type RuleKey = tuple[int, int, int, int, datetime, int]


def _rule_key(entry: Entry, policy: Policy, spoken: frozenset[str]) -> RuleKey:
    """Where the rule (without pins) puts an entry that is not a point of order."""
    kind_rank = policy.kind_order.index(entry.kind)
    waits_behind = int(
        policy.spoken_wait_behind and entry.kind == Kind.STATEMENT and entry.delegation in spoken
    )
    group_rank = 0
    if entry.kind in policy.by_category:
        group_rank = int(not (policy.groups_first and entry.on_behalf_of and entry.group_first))
        try:
            category_rank = policy.category_order.index(entry.category)
        except ValueError:
            category_rank = len(policy.category_order)
        if not group_rank:
            category_rank = 0  # group statements among themselves: first come first served
    else:
        category_rank = 0
    return (kind_rank, waits_behind, group_rank, category_rank, entry.requested_at, entry.id)


def _target(entry: Entry) -> str | int:
    """What an anchored entry hangs on: "top", "end", or the id of the entry it follows."""
    return entry.anchor_entry if entry.anchor == Anchor.AFTER else str(entry.anchor)


def _arrange(others: list[Entry], policy: Policy, spoken: frozenset[str]) -> list[Entry]:
    """The entries that are not points of order: the rule's order with the anchored entries
    each right after its anchor. Anchors that cannot be followed (an entry not on the list, a
    circle) count as none."""
    ids = {entry.id for entry in others}
    free = {
        entry.id
        for entry in others
        if not entry.anchored or (entry.anchor == Anchor.AFTER and entry.anchor_entry not in ids)
    }
    while True:
        placed = _hang(
            sorted(
                (entry for entry in others if entry.id in free),
                key=lambda entry: _rule_key(entry, policy, spoken),
            ),
            [entry for entry in others if entry.id not in free],
        )
        if len(placed) == len(others):
            return placed
        free |= ids - {entry.id for entry in placed}  # a circle of anchors: the rule places them


def _hang(free: list[Entry], anchored: list[Entry]) -> list[Entry]:
    """`free` in their order, the top and end chains around them, each anchored entry right
    after its anchor (several on one anchor: by id). Entries whose anchors lead nowhere are
    left out."""
    followers: dict[str | int, list[Entry]] = {}
    for entry in sorted(anchored, key=lambda entry: entry.id):
        followers.setdefault(_target(entry), []).append(entry)
    placed: list[Entry] = []
    seen: set[int] = set()

    def chain(first: Entry) -> None:
        stack = [first]
        while stack:
            entry = stack.pop()
            if entry.id in seen:
                continue
            placed.append(entry)
            seen.add(entry.id)
            stack.extend(reversed(followers.get(entry.id, ())))

    for entry in [*followers.get("top", ()), *free, *followers.get("end", ())]:
        chain(entry)
    return placed


def speaking_order(entries: Iterable[Entry], policy: Policy = DEFAULT_POLICY) -> list[Entry]:
    """The waiting entries of one item, in the order they will be given the floor.

    `entries` are all the item's requests, in any order and with any status: the non-waiting
    ones are left out of the result but still count for `Policy.spoken_wait_behind`. Points of
    order come first; then the other entries by the rule of `policy`, with the entries the chair
    moved where the chair put them (see the module documentation). Raises `ValueError` if two
    entries share an id.
    """
    entries = list(entries)
    ids = [entry.id for entry in entries]
    if len(set(ids)) != len(ids):
        raise ValueError("Entry ids must be unique within one list of speakers.")
    spoken = frozenset(
        entry.delegation
        for entry in entries
        if entry.kind == Kind.STATEMENT and entry.status == Status.SPOKEN and not entry.on_behalf_of
    )
    waiting = [entry for entry in entries if entry.status == Status.WAITING]
    points_of_order = sorted(
        (entry for entry in waiting if entry.kind == Kind.POINT_OF_ORDER),
        key=lambda entry: (entry.requested_at, entry.id),
    )
    others = [entry for entry in waiting if entry.kind != Kind.POINT_OF_ORDER]
    return points_of_order + _arrange(others, policy, spoken)


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
