"""The order of speakers (agenda.ordering): pure rules, no database.

Concrete examples follow the Intersessional Meeting of April 2025; the property tests state the
rule once more, independently, and check the module against it.
"""

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agenda.speakers.ordering import (
    CATEGORY_ORDER,
    DEFAULT_POLICY,
    Entry,
    Kind,
    Policy,
    Status,
    estimated_wait_seconds,
    pins_after_leaving,
    pins_after_move,
    position_of,
    speaking_order,
)

GENEVA = ZoneInfo("Europe/Zurich")
OPENING = datetime(2025, 4, 7, 10, 0, tzinfo=GENEVA)

CATEGORY_OF = {
    "AFG": "state_party",
    "AUT": "state_party",
    "CHL": "state_party",
    "DEU": "state_party",
    "FRA": "state_party",
    "ITA": "state_party",
    "LAO": "state_party",
    "LBN": "state_party",
    "MRT": "state_party",
    "NOR": "state_party",
    "PHL": "state_party",
    "SOM": "state_party",
    "IDN": "signatory_state",
    "KEN": "signatory_state",
    "VUT": "observer_state",
    "UNDP": "international_organization",
    "GICHD": "international_organization",
    "ICRC": "red_cross",
    "IFRC": "red_cross",
    "CMC": "cmc",
    "HI": "ngo",
    "NPA": "ngo",
}


def at(minutes: float) -> datetime:
    return OPENING + timedelta(minutes=minutes)


def request(
    id: int,
    delegation: str,
    kind: Kind = Kind.STATEMENT,
    minutes: float = 0,
    *,
    status: Status = Status.WAITING,
    pinned: int | None = None,
    category: str | None = None,
) -> Entry:
    return Entry(
        id=id,
        delegation=delegation,
        category=category or CATEGORY_OF[delegation],
        kind=kind,
        requested_at=at(minutes),
        status=status,
        pinned_position=pinned,
    )


def codes(order: list[Entry]) -> list[str]:
    return [entry.delegation for entry in order]


def pinned(entries: list[Entry], pins: dict[int, int]) -> list[Entry]:
    """The entries with the pins a helper returned stored on them."""
    return [
        replace(entry, pinned_position=pins[entry.id]) if entry.id in pins else entry
        for entry in entries
    ]


# --- The rule, on concrete CCM examples ----------------------------------------------------


def test_item_2c_coordinators_then_extension_requests_then_the_floor_by_category() -> None:
    entries = [
        # The floor asks early; it still waits for the item's leading speakers.
        request(1, "NPA", minutes=0),
        request(2, "CMC", minutes=1),
        request(3, "ICRC", minutes=2),
        request(4, "GICHD", minutes=3),
        request(5, "VUT", minutes=4),
        request(6, "IDN", minutes=5),
        request(7, "FRA", minutes=6),
        # Article 4 extension requests, ids not in the order of request.
        request(18, "SOM", Kind.EXTENSION_REQUEST, minutes=14),
        request(14, "AFG", Kind.EXTENSION_REQUEST, minutes=10),
        request(16, "LBN", Kind.EXTENSION_REQUEST, minutes=12),
        request(15, "CHL", Kind.EXTENSION_REQUEST, minutes=11),
        request(17, "MRT", Kind.EXTENSION_REQUEST, minutes=13),
        # The coordinators of 2(c).
        request(21, "NOR", Kind.COORDINATOR_REMARKS, minutes=21),
        request(20, "ITA", Kind.COORDINATOR_REMARKS, minutes=20),
    ]

    order = speaking_order(entries)

    assert codes(order) == [
        "ITA",
        "NOR",
        "AFG",
        "CHL",
        "LBN",
        "MRT",
        "SOM",
        "FRA",
        "IDN",
        "VUT",
        "GICHD",
        "ICRC",
        "CMC",
        "NPA",
    ]


def test_item_2j_invited_presentations_come_before_the_floor() -> None:
    entries = [
        request(1, "CHL", minutes=0),
        request(2, "HI", Kind.INVITED_PRESENTATION, minutes=5),
        request(3, "GICHD", Kind.INVITED_PRESENTATION, minutes=4),
        request(4, "DEU", Kind.COORDINATOR_REMARKS, minutes=3),
        request(5, "AUT", Kind.COORDINATOR_REMARKS, minutes=2),
    ]

    assert codes(speaking_order(entries)) == ["AUT", "DEU", "GICHD", "HI", "CHL"]


def test_a_point_of_order_jumps_to_the_front() -> None:
    entries = [
        request(1, "ITA", Kind.COORDINATOR_REMARKS, minutes=0),
        request(2, "CHL", minutes=1),
        request(3, "LAO", Kind.POINT_OF_ORDER, minutes=9),
        request(4, "FRA", Kind.POINT_OF_ORDER, minutes=8),
    ]

    assert codes(speaking_order(entries)) == ["FRA", "LAO", "ITA", "CHL"]


def test_a_point_of_order_goes_ahead_of_an_entry_pinned_first_and_is_never_pinned() -> None:
    entries = [
        request(1, "CHL", minutes=0),
        request(2, "NPA", minutes=1, pinned=1),
        request(3, "FRA", Kind.POINT_OF_ORDER, minutes=5, pinned=3),
    ]

    assert codes(speaking_order(entries)) == ["FRA", "NPA", "CHL"]


def test_rights_of_reply_come_after_all_statements_first_come_first_served() -> None:
    entries = [
        request(1, "CMC", Kind.RIGHT_OF_REPLY, minutes=0),
        request(2, "LAO", Kind.RIGHT_OF_REPLY, minutes=1),
        request(3, "NPA", minutes=2),
        request(4, "CHL", minutes=3),
    ]

    assert codes(speaking_order(entries)) == ["CHL", "NPA", "CMC", "LAO"]


def test_within_a_category_first_come_first_served() -> None:
    entries = [
        request(1, "LBN", minutes=3),
        request(2, "CHL", minutes=1),
        request(3, "KEN", minutes=0),
        request(4, "AFG", minutes=2),
    ]

    assert codes(speaking_order(entries)) == ["CHL", "AFG", "LBN", "KEN"]


def test_ties_on_the_time_of_request_are_broken_by_id() -> None:
    entries = [
        request(12, "LBN", minutes=1),
        request(3, "CHL", minutes=1),
        request(7, "AFG", minutes=1),
    ]

    assert [entry.id for entry in speaking_order(entries)] == [3, 7, 12]
    assert speaking_order(reversed(entries)) == speaking_order(entries)


def test_only_waiting_entries_are_in_the_order() -> None:
    entries = [
        request(1, "ITA", Kind.COORDINATOR_REMARKS, status=Status.SPOKEN),
        request(2, "AFG", Kind.EXTENSION_REQUEST, status=Status.SPEAKING),
        request(3, "CHL", Kind.EXTENSION_REQUEST, status=Status.WAITING),
        request(4, "FRA", status=Status.WITHDRAWN),
        request(5, "IDN", status=Status.ABSENT),
        request(6, "NPA", status=Status.WAITING),
    ]

    assert codes(speaking_order(entries)) == ["CHL", "NPA"]
    assert speaking_order([]) == []


def test_a_category_missing_from_the_order_comes_after_the_listed_ones_then_by_time() -> None:
    entries = [
        request(1, "PHL", minutes=0, category="chair"),
        request(2, "NPA", minutes=1),
        request(3, "UNDP", minutes=2, category="regional_body"),
        request(4, "CHL", minutes=3),
    ]

    assert codes(speaking_order(entries)) == ["CHL", "NPA", "PHL", "UNDP"]


def test_spoken_wait_behind_is_off_by_default() -> None:
    entries = [
        request(1, "CHL", minutes=0, status=Status.SPOKEN),
        request(2, "NPA", minutes=1),
        request(3, "CHL", minutes=2),
    ]

    assert codes(speaking_order(entries)) == ["CHL", "NPA"]


def test_spoken_wait_behind_puts_a_delegation_that_has_spoken_behind_those_that_have_not() -> None:
    policy = Policy(spoken_wait_behind=True)
    entries = [
        request(1, "CHL", minutes=0, status=Status.SPOKEN),
        request(2, "ICRC", minutes=1, status=Status.SPOKEN),
        request(3, "NPA", minutes=2),
        request(4, "ICRC", minutes=3),
        request(5, "CHL", minutes=4),
        request(6, "IDN", minutes=5),
        request(7, "LBN", minutes=6),
    ]

    # Not yet heard: by category (LBN, IDN, NPA); then those heard: by category (CHL, ICRC).
    assert codes(speaking_order(entries, policy)) == ["LBN", "IDN", "NPA", "CHL", "ICRC"]


def test_spoken_wait_behind_counts_only_statements_delivered() -> None:
    policy = Policy(spoken_wait_behind=True)
    entries = [
        request(1, "ITA", Kind.COORDINATOR_REMARKS, minutes=0, status=Status.SPOKEN),
        request(2, "AFG", Kind.EXTENSION_REQUEST, minutes=0, status=Status.SPOKEN),
        request(3, "CHL", minutes=0, status=Status.WITHDRAWN),
        request(4, "LBN", minutes=0, status=Status.SPEAKING),
        request(5, "FRA", minutes=0, status=Status.SPOKEN),
        request(6, "ITA", minutes=1),
        request(7, "AFG", minutes=2),
        request(8, "CHL", minutes=3),
        request(9, "FRA", minutes=4),
        request(10, "NPA", minutes=5),
        # A right of reply is not a statement: it is not held back.
        request(11, "FRA", Kind.RIGHT_OF_REPLY, minutes=6),
        request(12, "CMC", Kind.RIGHT_OF_REPLY, minutes=7),
    ]

    assert codes(speaking_order(entries, policy)) == [
        "ITA",
        "AFG",
        "CHL",
        "NPA",
        "FRA",
        "FRA",
        "CMC",
    ]


def test_a_policy_can_change_the_order_of_kinds_and_categories() -> None:
    policy = Policy.from_values(
        kind_order=[
            "point_of_order",
            "statement",
            "coordinator_remarks",
            "extension_request",
            "invited_presentation",
            "right_of_reply",
        ],
        category_order=["ngo", "cmc", "state_party"],
        by_category=["statement", "right_of_reply"],
    )
    entries = [
        request(1, "ITA", Kind.COORDINATOR_REMARKS, minutes=0),
        request(2, "CHL", minutes=1),
        request(3, "IDN", minutes=2),
        request(4, "NPA", minutes=3),
        request(5, "LAO", Kind.RIGHT_OF_REPLY, minutes=4),
        request(6, "CMC", Kind.RIGHT_OF_REPLY, minutes=5),
    ]

    assert codes(speaking_order(entries, policy)) == ["NPA", "CHL", "IDN", "ITA", "CMC", "LAO"]


def test_statements_first_come_first_served_when_not_ordered_by_category() -> None:
    policy = Policy(by_category=frozenset())
    entries = [request(1, "NPA", minutes=0), request(2, "CHL", minutes=1)]

    assert codes(speaking_order(entries, policy)) == ["NPA", "CHL"]


def test_entries_accept_stored_strings_and_reject_unknown_values() -> None:
    entry = Entry(1, "CHL", "state_party", "statement", at(0), status="spoken")  # type: ignore[arg-type]

    assert (entry.kind, entry.status) == (Kind.STATEMENT, Status.SPOKEN)
    assert type(entry.kind) is Kind
    with pytest.raises(ValueError):
        Entry(1, "CHL", "state_party", "speech", at(0))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="pinned_position counts from 1"):
        request(1, "CHL", pinned=0)


def test_two_entries_with_the_same_id_are_refused() -> None:
    with pytest.raises(ValueError, match="unique"):
        speaking_order([request(1, "CHL"), request(1, "LBN")])


# --- Policy ----------------------------------------------------------------------------------


def test_the_default_policy() -> None:
    assert DEFAULT_POLICY == Policy() == Policy.from_values()
    assert DEFAULT_POLICY.kind_order == (
        Kind.POINT_OF_ORDER,
        Kind.COORDINATOR_REMARKS,
        Kind.EXTENSION_REQUEST,
        Kind.INVITED_PRESENTATION,
        Kind.STATEMENT,
        Kind.RIGHT_OF_REPLY,
    )
    assert DEFAULT_POLICY.category_order == CATEGORY_ORDER
    assert DEFAULT_POLICY.by_category == frozenset({Kind.STATEMENT})
    assert DEFAULT_POLICY.spoken_wait_behind is False
    assert DEFAULT_POLICY.max_replies_per_delegation == 2
    assert DEFAULT_POLICY.max_invited_presentations == 2


def test_policy_from_stored_strings_is_normalised() -> None:
    policy = Policy.from_values(
        kind_order=[kind.value for kind in DEFAULT_POLICY.kind_order],
        category_order=list(CATEGORY_ORDER),
        by_category=["statement"],
        spoken_wait_behind=True,
        max_replies_per_delegation=1,
        max_invited_presentations=0,
    )

    assert policy == Policy(
        spoken_wait_behind=True, max_replies_per_delegation=1, max_invited_presentations=0
    )
    assert all(type(kind) is Kind for kind in policy.kind_order)
    assert isinstance(policy.kind_order, tuple)
    hash(policy)


ALL_BUT_REPLY = [kind.value for kind in DEFAULT_POLICY.kind_order[:-1]]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"kind_order": ALL_BUT_REPLY},
            "The order of kinds must list every kind; missing: right_of_reply.",
        ),
        (
            {"kind_order": [*DEFAULT_POLICY.kind_order, "statement"]},
            "The order of kinds lists a kind more than once: statement.",
        ),
        (
            {"kind_order": [*DEFAULT_POLICY.kind_order[1:], "point_of_order"]},
            "A point of order always interrupts: it must come first in the order of kinds.",
        ),
        (
            {"kind_order": [*DEFAULT_POLICY.kind_order, "speech"]},
            "Unknown kind of request “speech” in kind_order; known kinds: point_of_order, "
            "coordinator_remarks, extension_request, invited_presentation, statement, "
            "right_of_reply.",
        ),
        (
            {"by_category": ["statement", "speech"]},
            "Unknown kind of request “speech” in by_category; known kinds: point_of_order, "
            "coordinator_remarks, extension_request, invited_presentation, statement, "
            "right_of_reply.",
        ),
        (
            {"category_order": ["state_party", "ngo", "state_party"]},
            "The order of categories lists a category more than once: state_party.",
        ),
        (
            {"category_order": ["state_party", ""]},
            "The order of categories contains an empty name.",
        ),
        (
            {"by_category": ["point_of_order"]},
            "Points of order are taken first come first served, never by category.",
        ),
        (
            {"max_replies_per_delegation": -1},
            "max_replies_per_delegation must be a whole number, 0 or more.",
        ),
        (
            {"max_invited_presentations": 1.5},
            "max_invited_presentations must be a whole number, 0 or more.",
        ),
    ],
)
def test_an_invalid_policy_is_refused_with_a_clear_message(
    values: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError) as refused:
        Policy.from_values(**values)  # type: ignore[arg-type]

    assert str(refused.value) == message


def test_keyword_construction_validates_too() -> None:
    with pytest.raises(ValueError, match="must come first"):
        Policy(kind_order=tuple(reversed(DEFAULT_POLICY.kind_order)))


# --- Pins: the chair moves entries by hand ---------------------------------------------------


def floor() -> list[Entry]:
    """Under 2(c), after the coordinators: five States Parties, the ICRC, the CMC."""
    return [
        request(1, "AFG", minutes=1),
        request(2, "CHL", minutes=2),
        request(3, "LBN", minutes=3),
        request(4, "MRT", minutes=4),
        request(5, "SOM", minutes=5),
        request(6, "ICRC", minutes=6),
        request(7, "CMC", minutes=7),
    ]


def test_a_pinned_entry_takes_its_place_and_the_others_flow_around_it() -> None:
    entries = pinned(floor(), {7: 2})

    assert codes(speaking_order(entries)) == ["AFG", "CMC", "CHL", "LBN", "MRT", "SOM", "ICRC"]


def test_a_pin_beyond_the_end_sits_at_the_end() -> None:
    entries = pinned(floor(), {1: 40})

    assert codes(speaking_order(entries)) == ["CHL", "LBN", "MRT", "SOM", "ICRC", "CMC", "AFG"]


def test_two_pins_at_the_same_place_are_placed_by_id() -> None:
    entries = pinned(floor(), {7: 1, 6: 1})

    assert codes(speaking_order(entries)) == ["ICRC", "CMC", "AFG", "CHL", "LBN", "MRT", "SOM"]


def test_two_pins_beyond_the_end_keep_their_order_at_the_end() -> None:
    entries = pinned(floor(), {2: 12, 1: 11})

    assert codes(speaking_order(entries)) == ["LBN", "MRT", "SOM", "ICRC", "CMC", "AFG", "CHL"]


def test_later_requests_flow_around_a_pin() -> None:
    entries = pinned(floor(), {7: 3})
    later = [
        *entries,
        request(8, "FRA", minutes=8),
        request(9, "IDN", minutes=9),
        request(10, "ITA", Kind.COORDINATOR_REMARKS, minutes=10),
    ]

    order = speaking_order(later)

    assert codes(order) == ["ITA", "AFG", "CMC", "CHL", "LBN", "MRT", "SOM", "FRA", "IDN", "ICRC"]
    assert position_of(order, 7) == 3


def test_moving_an_entry_to_the_top() -> None:
    entries = floor()

    pins = pins_after_move(speaking_order(entries), 7, 1)

    assert pins == {7: 1}
    assert codes(speaking_order(pinned(entries, pins))) == [
        "CMC",
        "AFG",
        "CHL",
        "LBN",
        "MRT",
        "SOM",
        "ICRC",
    ]


def test_moving_an_entry_to_the_end_and_beyond_the_end() -> None:
    entries = floor()
    order = speaking_order(entries)

    assert pins_after_move(order, 1, 7) == {1: 7}
    assert pins_after_move(order, 1, 99) == {1: 7}
    assert pins_after_move(order, 1, -3) == {1: 1}
    assert codes(speaking_order(pinned(entries, {1: 7}))) == [
        "CHL",
        "LBN",
        "MRT",
        "SOM",
        "ICRC",
        "CMC",
        "AFG",
    ]


def test_moving_onto_a_pinned_place_shifts_the_pinned_entry_down_by_one() -> None:
    entries = pinned(floor(), {6: 2})
    order = speaking_order(entries)
    assert codes(order) == ["AFG", "ICRC", "CHL", "LBN", "MRT", "SOM", "CMC"]

    pins = pins_after_move(order, 7, 2)

    assert pins == {7: 2, 6: 3}
    assert codes(speaking_order(pinned(entries, pins))) == [
        "AFG",
        "CMC",
        "ICRC",
        "CHL",
        "LBN",
        "MRT",
        "SOM",
    ]


def test_moving_down_past_a_pinned_entry_moves_it_up_by_one() -> None:
    entries = pinned(floor(), {6: 3})
    order = speaking_order(entries)

    pins = pins_after_move(order, 1, 5)

    assert pins == {1: 5, 6: 2}
    assert codes(speaking_order(pinned(entries, pins))) == [
        "CHL",
        "ICRC",
        "LBN",
        "MRT",
        "AFG",
        "SOM",
        "CMC",
    ]


def test_positions_of_a_move_are_counted_after_the_points_of_order() -> None:
    entries = [*floor(), request(8, "FRA", Kind.POINT_OF_ORDER, minutes=8)]

    pins = pins_after_move(speaking_order(entries), 7, 1)

    assert pins == {7: 1}
    assert codes(speaking_order(pinned(entries, pins)))[:3] == ["FRA", "CMC", "AFG"]


def test_a_point_of_order_or_an_entry_not_waiting_cannot_be_moved() -> None:
    entries = [*floor(), request(8, "FRA", Kind.POINT_OF_ORDER, minutes=8)]
    order = speaking_order(entries)

    with pytest.raises(ValueError, match="point of order"):
        pins_after_move(order, 8, 1)
    with pytest.raises(ValueError, match="not waiting"):
        pins_after_move(order, 99, 1)
    with pytest.raises(ValueError, match="not waiting"):
        pins_after_leaving(order, 99)


def test_a_pinned_entry_advances_with_the_queue() -> None:
    entries = pinned(floor(), {7: 3})
    order = speaking_order(entries)
    assert codes(order)[:4] == ["AFG", "CHL", "CMC", "LBN"]

    # The chair gives the floor to Afghanistan: the CMC is now second, not pushed back.
    pins = pins_after_leaving(order, 1)
    assert pins == {7: 2}
    entries = pinned(entries, pins)
    entries[0] = replace(entries[0], status=Status.SPEAKING)
    order = speaking_order(entries)
    assert codes(order)[:3] == ["CHL", "CMC", "LBN"]

    # Chile is called, then the CMC.
    pins = pins_after_leaving(order, 2)
    assert pins == {7: 1}
    entries = pinned(entries, pins)
    entries[1] = replace(entries[1], status=Status.SPEAKING)
    assert codes(speaking_order(entries))[:2] == ["CMC", "LBN"]


def test_leaving_behind_a_pinned_entry_or_a_point_of_order_leaving_changes_no_pin() -> None:
    entries = [*pinned(floor(), {7: 2}), request(8, "FRA", Kind.POINT_OF_ORDER, minutes=8)]
    order = speaking_order(entries)

    assert pins_after_leaving(order, 5) == {}
    assert pins_after_leaving(order, 8) == {}
    assert pins_after_leaving(order, 7) == {}


def test_withdrawing_ahead_of_two_pinned_entries_moves_both_up() -> None:
    entries = pinned(floor(), {6: 2, 7: 4})
    order = speaking_order(entries)
    assert codes(order) == ["AFG", "ICRC", "CHL", "CMC", "LBN", "MRT", "SOM"]

    assert pins_after_leaving(order, 2) == {7: 3}
    assert pins_after_leaving(order, 1) == {6: 1, 7: 3}


# --- Where am I, and when -------------------------------------------------------------------


def test_position_of_counts_points_of_order() -> None:
    order = speaking_order([*floor(), request(8, "FRA", Kind.POINT_OF_ORDER, minutes=8)])

    assert position_of(order, 8) == 1
    assert position_of(order, 2) == 3
    assert position_of(order, 99) is None


def test_estimated_wait_adds_the_time_limits_ahead_and_the_speech_under_way() -> None:
    entries = [
        request(1, "ITA", Kind.COORDINATOR_REMARKS, minutes=0),
        request(2, "AFG", Kind.EXTENSION_REQUEST, minutes=1),
        request(3, "CHL", minutes=2),
        request(4, "FRA", Kind.POINT_OF_ORDER, minutes=3),
    ]
    order = speaking_order(entries)
    limits = {
        Kind.POINT_OF_ORDER: 60,
        Kind.COORDINATOR_REMARKS: 600,
        Kind.EXTENSION_REQUEST: 420,
        Kind.STATEMENT: 180,
    }

    def limit(entry: Entry) -> int:
        return limits[entry.kind]

    assert estimated_wait_seconds(order, 3, limit, current_remaining_seconds=45) == 1125
    assert estimated_wait_seconds(order, 4, limit, current_remaining_seconds=45) == 45
    assert estimated_wait_seconds(order, 4, limit) == 0
    assert estimated_wait_seconds(order, 2, limit, current_remaining_seconds=-30) == 660
    assert estimated_wait_seconds(order, 99, limit) is None


# --- Properties ------------------------------------------------------------------------------

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

KINDS = list(Kind)
# A small pool, so that delegations often ask twice and spoken_wait_behind has work to do.
POOL = ["AFG", "CHL", "LBN", "IDN", "VUT", "UNDP", "ICRC", "CMC", "NPA", "EU"]
STATUSES = [Status.WAITING] * 5 + [Status.SPEAKING, Status.SPOKEN, Status.WITHDRAWN, Status.ABSENT]


def category_of(delegation: str) -> str:
    return CATEGORY_OF.get(delegation, "regional_body")


@st.composite
def policies(draw: st.DrawFn) -> Policy:
    kinds = draw(st.permutations(KINDS[1:]))
    categories = draw(st.permutations(CATEGORY_ORDER))
    listed = draw(st.integers(min_value=4, max_value=len(CATEGORY_ORDER)))
    return Policy(
        kind_order=(Kind.POINT_OF_ORDER, *kinds),
        category_order=tuple(categories[:listed]),
        by_category=frozenset(draw(st.sets(st.sampled_from(KINDS[1:])))),
        spoken_wait_behind=draw(st.booleans()),
    )


@st.composite
def entry_lists(draw: st.DrawFn, *, pins: bool = False, max_size: int = 14) -> list[Entry]:
    size = draw(st.integers(min_value=0, max_value=max_size))
    ids = draw(st.lists(st.integers(1, 500), min_size=size, max_size=size, unique=True))
    entries = []
    for id in ids:
        delegation = draw(st.sampled_from(POOL))
        entries.append(
            Entry(
                id=id,
                delegation=delegation,
                category=category_of(delegation),
                kind=draw(st.sampled_from(KINDS + [Kind.STATEMENT] * 4)),
                requested_at=at(draw(st.integers(0, 6))),
                status=draw(st.sampled_from(STATUSES)),
                pinned_position=draw(st.none() | st.integers(1, max_size + 2)) if pins else None,
            )
        )
    return entries


def rule_key(entry: Entry, entries: list[Entry], policy: Policy) -> tuple:
    """The rule without pins, stated again from the module's documentation."""
    has_spoken = any(
        other.delegation == entry.delegation
        and other.kind == Kind.STATEMENT
        and other.status == Status.SPOKEN
        for other in entries
    )
    categories = policy.category_order
    return (
        policy.kind_order.index(entry.kind),
        policy.spoken_wait_behind and entry.kind == Kind.STATEMENT and has_spoken,
        (categories.index(entry.category) if entry.category in categories else len(categories))
        if entry.kind in policy.by_category
        else 0,
        entry.requested_at,
        entry.id,
    )


def places(order: list[Entry]) -> list[Entry]:
    return [entry for entry in order if entry.kind != Kind.POINT_OF_ORDER]


@FAST
@given(entry_lists(pins=True), policies(), st.data())
def test_the_order_never_depends_on_the_order_of_the_input(
    entries: list[Entry], policy: Policy, data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(entries))

    assert speaking_order(shuffled, policy) == speaking_order(entries, policy)
    assert speaking_order(reversed(entries), policy) == speaking_order(entries, policy)


@FAST
@given(entry_lists(), policies())
def test_without_pins_the_order_follows_kinds_then_categories_then_time(
    entries: list[Entry], policy: Policy
) -> None:
    order = speaking_order(entries, policy)

    waiting = [entry for entry in entries if entry.status == Status.WAITING]
    assert sorted(entry.id for entry in order) == sorted(entry.id for entry in waiting)
    points = [entry for entry in order if entry.kind == Kind.POINT_OF_ORDER]
    assert order[: len(points)] == points
    assert points == sorted(points, key=lambda entry: (entry.requested_at, entry.id))
    keys = [rule_key(entry, entries, policy) for entry in places(order)]
    assert keys == sorted(keys)
    # Kinds come in the policy's order; within a kind ordered by category, categories in the
    # policy's order (when no one is held back for having spoken).
    kind_ranks = [policy.kind_order.index(entry.kind) for entry in order]
    assert kind_ranks == sorted(kind_ranks)
    if not policy.spoken_wait_behind:
        for kind in policy.by_category:
            ranks = [
                key[2] for key, entry in zip(keys, places(order), strict=True) if entry.kind == kind
            ]
            assert ranks == sorted(ranks)


@FAST
@given(entry_lists(pins=True), policies())
def test_pinned_entries_take_their_places_and_the_others_keep_the_rule_order(
    entries: list[Entry], policy: Policy
) -> None:
    order = places(speaking_order(entries, policy))

    pins = sorted(
        (entry for entry in order if entry.pinned_position is not None),
        key=lambda entry: (entry.pinned_position, entry.id),
    )
    expected_place = 0
    for index, entry in enumerate(pins):
        last_free = len(order) - (len(pins) - 1 - index)
        expected_place = min(max(entry.pinned_position, expected_place + 1), last_free)
        assert order.index(entry) + 1 == expected_place
    positions = [entry.pinned_position for entry in pins]
    if len(set(positions)) == len(positions) and all(p <= len(order) for p in positions):
        for entry in pins:
            assert order.index(entry) + 1 == entry.pinned_position
    unpinned = [entry for entry in order if entry.pinned_position is None]
    assert unpinned == sorted(unpinned, key=lambda entry: rule_key(entry, entries, policy))


@FAST
@given(entry_lists(pins=True), policies(), st.data())
def test_a_move_puts_the_entry_exactly_where_asked_and_moves_nothing_else(
    entries: list[Entry], policy: Policy, data: st.DataObject
) -> None:
    order = speaking_order(entries, policy)
    movable = places(order)
    if not movable:
        return
    moved = data.draw(st.sampled_from(movable))
    position = data.draw(st.integers(-1, len(movable) + 2))

    pins = pins_after_move(order, moved.id, position)
    stored = [
        replace(entry, pinned_position=pins.get(entry.id))
        if entry in movable
        else entry  # entries not waiting keep whatever they had
        for entry in entries
    ]
    new_order = speaking_order(stored, policy)

    expected = [entry.id for entry in movable if entry.id != moved.id]
    expected.insert(min(max(position, 1), len(movable)) - 1, moved.id)
    assert [entry.id for entry in places(new_order)] == expected
    assert pins[moved.id] == min(max(position, 1), len(movable))
    assert set(pins) == {moved.id} | {e.id for e in movable if e.pinned_position is not None}


@FAST
@given(entry_lists(pins=True), policies(), st.data())
def test_an_entry_leaving_removes_it_and_moves_nothing_else(
    entries: list[Entry], policy: Policy, data: st.DataObject
) -> None:
    order = speaking_order(entries, policy)
    if not order:
        return
    leaving = data.draw(st.sampled_from(order))

    pins = pins_after_leaving(order, leaving.id)
    status = data.draw(st.sampled_from([Status.SPEAKING, Status.WITHDRAWN, Status.ABSENT]))
    stored = [
        replace(entry, status=status, pinned_position=None) if entry == leaving else entry
        for entry in pinned(entries, pins)
    ]

    assert [entry.id for entry in speaking_order(stored, policy)] == [
        entry.id for entry in order if entry != leaving
    ]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(policies(), st.data())
def test_updating_the_list_step_by_step_equals_computing_it_afresh(
    policy: Policy, data: st.DataObject
) -> None:
    """A console that edits the list it shows, step by step, shows what a fresh load shows.

    The shown list is only ever edited locally: a departure removes one row, a move moves one
    row, a new request or a delivered statement keeps the pinned rows where they are and
    reorders the others by the rule. After every step it must equal `speaking_order` computed
    from scratch from the stored entries, in any order.
    """
    entries: dict[int, Entry] = {}
    shown: list[int] = []
    clock = 0
    speaking: int | None = None
    rng = data.draw(st.randoms(use_true_random=False))

    def fresh() -> list[int]:
        stored = list(entries.values())
        rng.shuffle(stored)
        return [entry.id for entry in speaking_order(stored, policy)]

    def reorder_unpinned() -> None:
        """Keep pinned rows in place; put the others in rule order in the remaining rows."""
        points = sorted(
            (entries[i] for i in shown if entries[i].kind == Kind.POINT_OF_ORDER),
            key=lambda entry: (entry.requested_at, entry.id),
        )
        rows = [entries[i] for i in shown if entries[i].kind != Kind.POINT_OF_ORDER]
        everyone = list(entries.values())
        free = iter(
            sorted(
                (entry for entry in rows if entry.pinned_position is None),
                key=lambda entry: rule_key(entry, everyone, policy),
            )
        )
        shown[:] = [entry.id for entry in points] + [
            entry.id if entry.pinned_position is not None else next(free).id for entry in rows
        ]

    def leave(entry_id: int, status: Status) -> None:
        pins = pins_after_leaving([entries[i] for i in shown], entry_id)
        for pinned_id, position in pins.items():
            entries[pinned_id] = replace(entries[pinned_id], pinned_position=position)
        entries[entry_id] = replace(entries[entry_id], status=status, pinned_position=None)
        shown.remove(entry_id)

    steps = data.draw(st.integers(min_value=1, max_value=30))
    for _ in range(steps):
        action = data.draw(
            st.sampled_from(["request"] * 3 + ["call"] * 3 + ["move"] * 2 + ["withdraw"])
        )
        if action == "request":
            clock += data.draw(st.integers(0, 2))
            delegation = data.draw(st.sampled_from(POOL))
            new = Entry(
                id=len(entries) + 1,
                delegation=delegation,
                category=category_of(delegation),
                kind=data.draw(st.sampled_from(KINDS + [Kind.STATEMENT] * 4)),
                requested_at=at(clock),
            )
            entries[new.id] = new
            shown.append(new.id)
            reorder_unpinned()
        elif action == "withdraw" and shown:
            status = data.draw(st.sampled_from([Status.WITHDRAWN, Status.ABSENT]))
            leave(data.draw(st.sampled_from(shown)), status)
        elif action == "call":
            if speaking is not None:
                entries[speaking] = replace(entries[speaking], status=Status.SPOKEN)
                speaking = None
                reorder_unpinned()
            if shown:
                speaking = shown[0]
                leave(speaking, Status.SPEAKING)
        elif action == "move" and places([entries[i] for i in shown]):
            order = [entries[i] for i in shown]
            rows = [entry.id for entry in places(order)]
            moved = data.draw(st.sampled_from(rows))
            position = data.draw(st.integers(1, len(rows) + 1))
            pins = pins_after_move(order, moved, position)
            for entry_id in rows:
                entries[entry_id] = replace(entries[entry_id], pinned_position=pins.get(entry_id))
            rows.remove(moved)
            rows.insert(min(position, len(rows) + 1) - 1, moved)
            shown[len(shown) - len(rows) :] = rows
        assert shown == fresh()

    assert shown == fresh()
