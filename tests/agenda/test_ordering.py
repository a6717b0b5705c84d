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

from agenda.speakers.moves import anchors_after_leaving, anchors_after_move, anchors_to_end
from agenda.speakers.ordering import (
    CATEGORY_ORDER,
    DEFAULT_POLICY,
    Anchor,
    Entry,
    Kind,
    Policy,
    Status,
    estimated_wait_seconds,
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
    anchor: Anchor = Anchor.NONE,
    after: int | None = None,
    category: str | None = None,
) -> Entry:
    return Entry(
        id=id,
        delegation=delegation,
        category=CATEGORY_OF[delegation] if category is None else category,
        kind=kind,
        requested_at=at(minutes),
        status=status,
        anchor=Anchor.AFTER if after is not None else anchor,
        anchor_entry=after,
    )


def codes(order: list[Entry]) -> list[str]:
    return [entry.delegation for entry in order]


def anchored(entries: list[Entry], anchors: dict) -> list[Entry]:
    """The entries with the anchors a helper returned stored on them."""
    return [
        replace(entry, anchor=anchors[entry.id][0], anchor_entry=anchors[entry.id][1])
        if entry.id in anchors
        else entry
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


def test_a_point_of_order_goes_ahead_of_an_entry_moved_to_the_top_and_is_never_moved() -> None:
    entries = [
        request(1, "CHL", minutes=0),
        request(2, "NPA", minutes=1, anchor=Anchor.TOP),
        request(3, "FRA", Kind.POINT_OF_ORDER, minutes=5, after=1),
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
            "response",
            "right_of_reply",
            "closing_remarks",
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
    with pytest.raises(ValueError, match="exactly when it names it"):
        Entry(1, "CHL", "state_party", "statement", at(0), anchor="after")  # type: ignore[arg-type]


def test_two_entries_with_the_same_id_are_refused() -> None:
    with pytest.raises(ValueError, match="unique"):
        speaking_order([request(1, "CHL"), request(1, "LBN")])


# --- Groups, joint statements, speakers who are not delegations ------------------------------


def test_statements_on_behalf_of_a_group_come_first_among_the_statements() -> None:
    entries = [
        request(1, "CHL", minutes=1),
        request(2, "VUT", minutes=2),
        replace(request(3, "FRA", minutes=3), on_behalf_of="EU", group_first=True),
        replace(request(4, "KEN", minutes=4), on_behalf_of="AG", group_first=True),
        request(5, "ITA", Kind.COORDINATOR_REMARKS, minutes=5),
    ]

    assert codes(speaking_order(entries)) == ["ITA", "FRA", "KEN", "CHL", "VUT"]


def test_without_group_precedence_a_group_statement_ranks_by_its_reader() -> None:
    entries = [
        request(1, "VUT", minutes=1),
        replace(request(2, "KEN", minutes=2), on_behalf_of="AG", group_first=True),
        replace(request(3, "FRA", minutes=3), on_behalf_of="EU", group_first=False),
        request(4, "CHL", minutes=4),
    ]

    assert codes(speaking_order(entries)) == ["KEN", "FRA", "CHL", "VUT"]
    assert codes(speaking_order(entries, Policy(groups_first=False))) == [
        "FRA", "CHL", "KEN", "VUT",
    ]  # fmt: skip


def test_a_delegation_that_spoke_for_a_group_does_not_wait_behind_for_its_own_statement() -> None:
    policy = Policy(spoken_wait_behind=True)
    entries = [
        replace(request(1, "FRA", status=Status.SPOKEN), on_behalf_of="EU", group_first=True),
        request(2, "FRA", minutes=2),
        request(3, "CHL", minutes=3),
    ]

    assert codes(speaking_order(entries, policy)) == ["FRA", "CHL"]


def test_a_speaker_who_is_not_a_delegation_comes_after_every_category() -> None:
    entries = [
        request(1, "NPA", minutes=1),
        request(2, "panel-1", minutes=0, category=""),
        request(3, "CHL", minutes=2),
    ]

    assert codes(speaking_order(entries)) == ["CHL", "NPA", "panel-1"]


# --- Policy ----------------------------------------------------------------------------------


def test_the_default_policy() -> None:
    assert DEFAULT_POLICY == Policy() == Policy.from_values()
    assert DEFAULT_POLICY.kind_order == (
        Kind.POINT_OF_ORDER,
        Kind.COORDINATOR_REMARKS,
        Kind.EXTENSION_REQUEST,
        Kind.INVITED_PRESENTATION,
        Kind.STATEMENT,
        Kind.RESPONSE,
        Kind.RIGHT_OF_REPLY,
        Kind.CLOSING_REMARKS,
    )
    assert DEFAULT_POLICY.category_order == CATEGORY_ORDER
    assert DEFAULT_POLICY.by_category == frozenset({Kind.STATEMENT})
    assert DEFAULT_POLICY.spoken_wait_behind is False
    assert DEFAULT_POLICY.max_replies_per_delegation == 2
    assert DEFAULT_POLICY.max_invited_presentations == 2
    assert (
        DEFAULT_POLICY.online_points_of_order,
        DEFAULT_POLICY.replies_from,
        DEFAULT_POLICY.readded_to,
    ) == ("no", "states", "end")


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


ALL_BUT_REPLY = [kind.value for kind in DEFAULT_POLICY.kind_order if kind != "right_of_reply"]


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
            "response, right_of_reply, closing_remarks.",
        ),
        (
            {"by_category": ["statement", "speech"]},
            "Unknown kind of request “speech” in by_category; known kinds: point_of_order, "
            "coordinator_remarks, extension_request, invited_presentation, statement, "
            "response, right_of_reply, closing_remarks.",
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
        (
            {"online_points_of_order": "yes"},
            "online_points_of_order must be one of no, states, all.",
        ),
        ({"readded_to": "top"}, "readded_to must be one of end, rule."),
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


# --- Moves: the chair puts an entry somewhere, relative to the others --------------------------


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


def moved(entries: list[Entry], entry_id: int, position: int) -> list[Entry]:
    return anchored(entries, anchors_after_move(speaking_order(entries), entry_id, position))


def test_an_entry_moved_right_after_another_stays_right_after_it() -> None:
    entries = moved(floor(), 7, 2)  # the CMC right after Afghanistan

    assert codes(speaking_order(entries)) == ["AFG", "CMC", "CHL", "LBN", "MRT", "SOM", "ICRC"]
    assert (entries[6].anchor, entries[6].anchor_entry) == (Anchor.AFTER, 1)


def test_a_late_request_does_not_push_the_one_the_chair_left_ahead_behind_a_moved_entry() -> None:
    # Finding 6: the chair puts HRW right after France (place 2); a coordinator's remarks then
    # come in, which rank first. France stays ahead of HRW.
    entries = [
        request(1, "FRA", minutes=1),
        request(2, "CHL", minutes=2),
        request(3, "NPA", minutes=3),
    ]
    entries = moved(entries, 3, 2)
    assert codes(speaking_order(entries)) == ["FRA", "NPA", "CHL"]

    entries.append(request(4, "ITA", Kind.COORDINATOR_REMARKS, minutes=9))

    assert codes(speaking_order(entries)) == ["ITA", "FRA", "NPA", "CHL"]


def test_an_entry_moved_to_the_top_stays_first_after_the_points_of_order() -> None:
    entries = moved(floor(), 7, 1)
    entries += [
        request(8, "ITA", Kind.COORDINATOR_REMARKS, minutes=9),
        request(9, "LAO", Kind.POINT_OF_ORDER, minutes=10),
    ]

    assert codes(speaking_order(entries))[:3] == ["LAO", "CMC", "ITA"]


def test_places_count_the_points_of_order_as_the_console_shows_them() -> None:
    # Finding 2: with two points of order waiting, the CMC at place 9 moved to place 4 stands
    # at place 4 of the list the chair sees, not at place 6.
    entries = [
        *floor(),
        request(8, "FRA", Kind.POINT_OF_ORDER, minutes=8),
        request(9, "NOR", Kind.POINT_OF_ORDER, minutes=9),
    ]
    order = speaking_order(entries)
    assert position_of(order, 7) == 9

    order = speaking_order(moved(entries, 7, 4))

    assert position_of(order, 7) == 4
    assert codes(order) == ["FRA", "NOR", "AFG", "CMC", "CHL", "LBN", "MRT", "SOM", "ICRC"]


def test_up_from_the_first_place_and_down_from_the_last_change_nothing() -> None:
    entries = [*floor(), request(8, "FRA", Kind.POINT_OF_ORDER, minutes=8)]
    order = speaking_order(entries)
    first, last = order[1], order[-1]

    assert anchors_after_move(order, first.id, position_of(order, first.id) - 1) == {}
    assert anchors_after_move(order, last.id, position_of(order, last.id) + 1) == {}
    assert anchors_after_move(order, 3, position_of(order, 3)) == {}


def test_up_and_down_move_exactly_one_place_with_points_of_order_waiting() -> None:
    entries = [
        *floor(),
        request(8, "FRA", Kind.POINT_OF_ORDER, minutes=8),
        request(9, "NOR", Kind.POINT_OF_ORDER, minutes=9),
    ]
    order = speaking_order(entries)
    place = position_of(order, 4)  # Mauritania, place 6

    up = speaking_order(moved(entries, 4, place - 1))
    down = speaking_order(moved(entries, 4, place + 1))

    assert (position_of(up, 4), position_of(down, 4)) == (place - 1, place + 1)
    assert codes(up)[2:] == ["AFG", "CHL", "MRT", "LBN", "SOM", "ICRC", "CMC"]
    assert codes(down)[2:] == ["AFG", "CHL", "LBN", "SOM", "MRT", "ICRC", "CMC"]


def test_a_second_entry_moved_to_the_same_place_goes_ahead_of_the_first() -> None:
    entries = moved(floor(), 7, 2)
    entries = moved(entries, 6, 2)

    assert codes(speaking_order(entries)) == ["AFG", "ICRC", "CMC", "CHL", "LBN", "MRT", "SOM"]


def test_what_followed_a_moved_entry_stays_where_it_stood() -> None:
    entries = moved(floor(), 7, 2)  # CMC right after AFG
    entries = moved(entries, 1, 5)  # then AFG down to place 5

    assert codes(speaking_order(entries)) == ["CMC", "CHL", "LBN", "MRT", "AFG", "SOM", "ICRC"]


def test_the_end_keeps_an_entry_last_while_others_come_in() -> None:
    entries = floor()
    entries = anchored(entries, anchors_to_end(speaking_order(entries), 1))
    entries.append(request(8, "NPA", minutes=9))

    assert codes(speaking_order(entries)) == [
        "CHL",
        "LBN",
        "MRT",
        "SOM",
        "ICRC",
        "CMC",
        "NPA",
        "AFG",
    ]
    assert anchors_to_end(speaking_order(entries), 1) == {}


def test_an_anchor_that_leads_nowhere_counts_as_none() -> None:
    entries = [
        request(1, "AFG", minutes=1, after=99),
        request(2, "CHL", minutes=2, after=3),
        request(3, "LBN", minutes=3, after=2),
    ]

    assert codes(speaking_order(entries)) == ["AFG", "CHL", "LBN"]


def test_a_point_of_order_or_an_entry_not_waiting_cannot_be_moved() -> None:
    entries = [*floor(), request(8, "FRA", Kind.POINT_OF_ORDER, minutes=8)]
    order = speaking_order(entries)
    with pytest.raises(ValueError, match="point of order"):
        anchors_after_move(order, 8, 1)
    with pytest.raises(ValueError, match="not waiting"):
        anchors_after_move(order, 99, 1)
    with pytest.raises(ValueError, match="not waiting"):
        anchors_after_leaving(order, 99)


def test_who_followed_an_entry_that_leaves_takes_its_place() -> None:
    entries = moved(floor(), 7, 2)  # CMC right after AFG
    order = speaking_order(entries)

    anchors = anchors_after_leaving(order, 1)  # AFG is called

    assert anchors == {7: (Anchor.TOP, None)}
    rest = [entry for entry in anchored(entries, anchors) if entry.id != 1]
    assert codes(speaking_order(rest)) == ["CMC", "CHL", "LBN", "MRT", "SOM", "ICRC"]


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
        groups_first=draw(st.booleans()),
    )


@st.composite
def entry_lists(draw: st.DrawFn, *, anchors: bool = False, max_size: int = 14) -> list[Entry]:
    size = draw(st.integers(min_value=0, max_value=max_size))
    ids = draw(st.lists(st.integers(1, 500), min_size=size, max_size=size, unique=True))
    entries = []
    for id in ids:
        delegation = draw(st.sampled_from(POOL))
        anchor = draw(st.sampled_from(list(Anchor))) if anchors else Anchor.NONE
        entries.append(
            Entry(
                id=id,
                delegation=delegation,
                category=category_of(delegation),
                kind=draw(st.sampled_from(KINDS + [Kind.STATEMENT] * 4)),
                requested_at=at(draw(st.integers(0, 6))),
                status=draw(st.sampled_from(STATUSES)),
                anchor=anchor,
                # anchors may lead anywhere: to another entry, to none, to itself
                anchor_entry=draw(st.sampled_from([*ids, 999])) if anchor == Anchor.AFTER else None,
                on_behalf_of=(group := draw(st.sampled_from(["", "", "", "EU", "GRULAC"]))),
                group_first=bool(group) and draw(st.booleans()),
            )
        )
    return entries


def rule_key(entry: Entry, entries: list[Entry], policy: Policy) -> tuple:
    """The rule without the chair's moves, stated again from the module's documentation."""
    has_spoken = any(
        other.delegation == entry.delegation
        and other.kind == Kind.STATEMENT
        and other.status == Status.SPOKEN
        and not other.on_behalf_of  # a statement for a group is not the delegation's own
        for other in entries
    )
    categories = policy.category_order
    by_category = entry.kind in policy.by_category
    for_group = by_category and policy.groups_first and entry.on_behalf_of and entry.group_first
    return (
        policy.kind_order.index(entry.kind),
        policy.spoken_wait_behind and entry.kind == Kind.STATEMENT and has_spoken,
        0 if for_group or not by_category else 1,
        (categories.index(entry.category) if entry.category in categories else len(categories))
        if by_category and not for_group
        else 0,
        entry.requested_at,
        entry.id,
    )


def places(order: list[Entry]) -> list[Entry]:
    return [entry for entry in order if entry.kind != Kind.POINT_OF_ORDER]


def ids(order: list[Entry]) -> list[int]:
    return [entry.id for entry in order]


@FAST
@given(entry_lists(anchors=True), policies(), st.data())
def test_the_order_never_depends_on_the_order_of_the_input(
    entries: list[Entry], policy: Policy, data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(entries))

    assert speaking_order(shuffled, policy) == speaking_order(entries, policy)
    assert speaking_order(reversed(entries), policy) == speaking_order(entries, policy)


@FAST
@given(entry_lists(anchors=True), policies())
def test_every_waiting_entry_is_placed_once_whatever_the_anchors(
    entries: list[Entry], policy: Policy
) -> None:
    order = speaking_order(entries, policy)

    waiting = [entry for entry in entries if entry.status == Status.WAITING]
    assert sorted(ids(order)) == sorted(ids(waiting))
    points = [entry for entry in order if entry.kind == Kind.POINT_OF_ORDER]
    assert order[: len(points)] == points


@FAST
@given(entry_lists(), policies())
def test_without_moves_the_order_follows_kinds_then_categories_then_time(
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


@st.composite
def moves_made(draw: st.DrawFn, policy: Policy) -> list[Entry]:
    """A list on which the chair has made a few moves (to places, to the end)."""
    entries = draw(entry_lists())
    for _ in range(draw(st.integers(0, 4))):
        order = speaking_order(entries, policy)
        movable = places(order)
        if not movable:
            break
        entry = draw(st.sampled_from(movable))
        if draw(st.booleans()):
            anchors = anchors_after_move(order, entry.id, draw(st.integers(-1, len(order) + 2)))
        else:
            anchors = anchors_to_end(order, entry.id)
        entries = anchored(entries, anchors)
    return entries


@FAST
@given(policies(), st.data())
def test_a_move_puts_the_entry_exactly_where_asked_and_moves_nothing_else(
    policy: Policy, data: st.DataObject
) -> None:
    entries = data.draw(moves_made(policy))
    order = speaking_order(entries, policy)
    if not places(order):
        return
    entry = data.draw(st.sampled_from(places(order)))
    position = data.draw(st.integers(-1, len(order) + 2))

    new_order = speaking_order(
        anchored(entries, anchors_after_move(order, entry.id, position)), policy
    )

    first = len(order) - len(places(order)) + 1
    expected = [other.id for other in order if other.id != entry.id]
    expected.insert(min(max(position, first), len(order)) - 1, entry.id)
    assert ids(new_order) == expected


@FAST
@given(policies(), st.data())
def test_to_the_end_puts_the_entry_last_and_moves_nothing_else(
    policy: Policy, data: st.DataObject
) -> None:
    entries = data.draw(moves_made(policy))
    order = speaking_order(entries, policy)
    if not places(order):
        return
    entry = data.draw(st.sampled_from(places(order)))

    new_order = speaking_order(anchored(entries, anchors_to_end(order, entry.id)), policy)

    assert ids(new_order) == [*(other.id for other in order if other.id != entry.id), entry.id]


@FAST
@given(policies(), st.data())
def test_an_entry_leaving_removes_it_and_moves_nothing_else(
    policy: Policy, data: st.DataObject
) -> None:
    entries = data.draw(moves_made(policy))
    order = speaking_order(entries, policy)
    if not order:
        return
    leaving = data.draw(st.sampled_from(order))

    anchors = anchors_after_leaving(order, leaving.id)
    status = data.draw(st.sampled_from([Status.SPEAKING, Status.WITHDRAWN, Status.ABSENT]))
    stored = [
        replace(entry, status=status, anchor=Anchor.NONE, anchor_entry=None)
        if entry.id == leaving.id
        else entry
        for entry in anchored(entries, anchors)
    ]

    assert ids(speaking_order(stored, policy)) == [e.id for e in order if e.id != leaving.id]


@FAST
@given(policies(), st.data())
def test_a_new_request_only_inserts_itself_the_chairs_moves_hold(
    policy: Policy, data: st.DataObject
) -> None:
    """The chair's moves keep their intent under any later arrival: nobody the chair left
    ahead of a moved entry falls behind it; in fact the others keep their order."""
    entries = data.draw(moves_made(policy))
    order = speaking_order(entries, policy)
    delegation = data.draw(st.sampled_from(POOL))
    arrival = Entry(
        id=1000,
        delegation=delegation,
        category=category_of(delegation),
        kind=data.draw(st.sampled_from(KINDS)),
        requested_at=at(data.draw(st.integers(0, 9))),
    )

    new_order = speaking_order([*entries, arrival], policy)

    assert [entry for entry in ids(new_order) if entry != arrival.id] == ids(order)
