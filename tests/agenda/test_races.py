"""Races on the list of speakers: many writers at the same instant, on PostgreSQL.

Every writer of a list locks the item's row first (`agenda.speakers.changes.lock_item`), so
writers queue on that row and each one reads what the one before it wrote. These tests start
real threads together (`tests.concurrency.together`), each with its own database connection,
and check that the outcome is one of the outcomes the writers would have had one after the
other: no lost or doubled entry, no gap or repeat in the list's versions, no database error
leaking out instead of a plain refusal.

Each writer is held for a moment right after it has read the list (spotted by its SQL, not by
patching a function), so that the others arrive while it holds the list; each test then checks
that it raced: every writer was held (`Race.held`), and writers were seen waiting for the item's
row lock (`Race.waited`). Every test here fails when the item's `select_for_update` is taken out
of `lock_item`.
"""

import pytest

from agenda.errors import FloorError, StaleList
from agenda.models import FloorRequest, ListEvent
from agenda.speakers import services, speeches
from agenda.speakers.ordering import CATEGORY_ORDER
from agenda.speakers.selectors import speakers_list
from delegations.models import Category
from tests.concurrency import together
from tests.factories import DelegationFactory, FocalPointFactory, ParticipationFactory, UserFactory
from tests.helpers import ask, version

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def one_writer_per_process(settings):
    """The writers here stand for requests made by different server processes: each writes on
    its own and only the item's row lock keeps them apart. (Within one process, requests for
    one list that arrive together are written together: tests/agenda/test_batches.py.)"""
    settings.FLOOR_REQUESTS_TOGETHER = False


def refusals(outcomes):
    """The exceptions among `outcomes`; anything but a FloorError fails the test here."""
    errors = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    unexpected = [error for error in errors if not isinstance(error, FloorError)]
    assert unexpected == []
    return errors


def event_versions(floor):
    return sorted(ListEvent.objects.filter(item=floor.item).values_list("version", flat=True))


def test_fifty_delegations_asking_at_once_are_all_on_the_list_once_in_order(floor):
    categories = list(Category)
    for number in range(50):
        code = f"X{number:02d}"
        floor.d[code] = DelegationFactory(code=code, name=f"State X{number:02d}")
        ParticipationFactory(
            meeting=floor.meeting,
            delegation=floor.d[code],
            category=categories[number % len(categories)],
        )
        floor.focal[code] = FocalPointFactory(
            user=UserFactory(username=f"focal-x{number:02d}"), delegation=floor.d[code]
        ).user
    codes = [f"X{number:02d}" for number in range(50)]

    race = together(*[lambda code=code: ask(floor, code) for code in codes])

    assert refusals(race.outcomes) == []
    requests = list(FloorRequest.objects.filter(item=floor.item).select_related("delegation"))
    assert len(requests) == 50
    assert sorted(r.delegation.code for r in requests) == codes
    assert version(floor) == 50
    assert event_versions(floor) == list(range(1, 51))
    # Each writer read the list after the one before it had committed: the versions of the
    # "requested" events follow the times of request.
    events = ListEvent.objects.filter(item=floor.item).order_by("version")
    by_time = sorted(requests, key=lambda r: (r.requested_at, r.pk))
    assert [event.entry_id for event in events] == [r.pk for r in by_time]
    # The rule: statements by category, then first come first served.
    expected = sorted(
        requests, key=lambda r: (CATEGORY_ORDER.index(r.category), r.requested_at, r.pk)
    )
    waiting = speakers_list(floor.item).waiting
    assert [r.pk for r in waiting] == [r.pk for r in expected]
    # They raced: each was held with the list read, while others waited for the item's row.
    assert race.held == 50
    assert race.waited >= 1


def test_one_delegation_asking_several_times_at_once_is_on_the_list_once(floor):
    race = together(*[lambda: ask(floor, "CHL")] * 6)

    errors = refusals(race.outcomes)
    assert len(errors) == 5
    # Said by the check made under the lock (it saw the first request and its place), not by
    # the database constraint that stands behind it.
    assert [error.message for error in errors] == [
        "Your delegation is already on this list (place 1)."
    ] * 5
    assert FloorRequest.objects.filter(item=floor.item, delegation__code="CHL").count() == 1
    assert version(floor) == 1
    assert event_versions(floor) == [1]
    assert race.held == 6
    assert race.waited >= 1


def test_three_members_asking_for_their_group_at_once_put_it_on_the_list_once(floor, groups):
    race = together(
        *[lambda code=code: ask(floor, code, on_behalf_of="EU") for code in ("ITA", "FRA", "AUT")]
    )

    errors = refusals(race.outcomes)
    assert [error.message for error in errors] == [
        "the European Union is already on this list (place 1)."
    ] * 2
    assert FloorRequest.objects.filter(item=floor.item, on_behalf_of=groups.eu).count() == 1
    assert version(floor) == 1
    assert event_versions(floor) == [1]
    assert race.held == 3
    assert race.waited >= 1


def test_two_next_with_the_same_version_advance_once(floor):
    for code in ("FRA", "CHL", "AUT"):
        ask(floor, code)
    seen = version(floor)

    def call_next():
        return speeches.speaker_call_next(item=floor.item, user=floor.chair, version=seen)

    race = together(call_next, call_next)

    errors = refusals(race.outcomes)
    assert len(errors) == 1
    assert isinstance(errors[0], StaleList)
    assert errors[0].message.startswith("The list changed since you loaded it")
    assert errors[0].version == seen + 1
    called = [o.delegation.code for o in race.outcomes if isinstance(o, FloorRequest)]
    assert called == ["FRA"]
    state = speakers_list(floor.item)
    assert state.current.delegation.code == "FRA"
    assert FloorRequest.objects.filter(item=floor.item, status="speaking").count() == 1
    assert [r.delegation.code for r in state.waiting] == ["CHL", "AUT"]
    assert version(floor) == seen + 1
    assert event_versions(floor) == [1, 2, 3, 4]
    assert race.held == 2
    assert race.waited == 1


def test_two_next_without_version_advance_twice_in_turn(floor):
    for code in ("FRA", "CHL", "AUT"):
        ask(floor, code)

    def call_next():
        return speeches.speaker_call_next(item=floor.item, user=floor.chair)

    race = together(call_next, call_next)

    assert refusals(race.outcomes) == []
    assert sorted(outcome.delegation.code for outcome in race.outcomes) == ["CHL", "FRA"]
    state = speakers_list(floor.item)
    assert [r.delegation.code for r in state.done] == ["FRA"]
    assert state.current.delegation.code == "CHL"
    assert [r.delegation.code for r in state.waiting] == ["AUT"]
    france, chile = state.done[0], state.current
    # The second call ended the speech the first one started, at the moment it gave the floor.
    assert france.started_at < france.ended_at == chile.started_at
    nexts = ListEvent.objects.filter(item=floor.item, action="next").order_by("version")
    assert [(event.version, event.entry_id) for event in nexts] == [
        (4, france.pk),
        (5, chile.pk),
    ]
    assert version(floor) == 5
    assert event_versions(floor) == [1, 2, 3, 4, 5]
    assert race.held == 2
    assert race.waited == 1


@pytest.mark.parametrize("first", ["withdraw", "next"])
def test_withdraw_and_next_on_the_first_speaker_never_both_happen(floor, first):
    france = ask(floor, "FRA")
    ask(floor, "CHL")

    def withdraw():
        return services.floor_request_withdraw(entry=france, user=floor.user("FRA"))

    def call_next():
        return speeches.speaker_call_next(item=floor.item, user=floor.chair)

    # The second goes as soon as the first has read the list: it arrives while the first
    # one holds it.
    if first == "withdraw":
        race = together(withdraw, call_next, stagger=True)
        withdrawn, called = race.outcomes
    else:
        race = together(call_next, withdraw, stagger=True)
        called, withdrawn = race.outcomes

    refused = refusals(race.outcomes)
    state = speakers_list(floor.item)
    france.refresh_from_db()
    actions = list(
        ListEvent.objects.filter(item=floor.item)
        .order_by("version")
        .values_list("action", flat=True)
    )
    if first == "next":  # France has the floor and cannot withdraw any more
        assert refused == [withdrawn]
        assert withdrawn.message == "France is speaking: it cannot be withdrawn."
        assert called.pk == france.pk
        assert france.status == "speaking"
        assert state.current.pk == france.pk
        assert [r.delegation.code for r in state.waiting] == ["CHL"]
        assert actions == ["requested", "requested", "next"]
        assert version(floor) == 3
    else:  # France is off the list, and the chair called the next one, Chile
        assert refused == []
        assert withdrawn.status == "withdrawn"
        assert called.delegation.code == "CHL"
        assert france.status == "withdrawn"
        assert france.started_at is None
        assert state.current.delegation.code == "CHL"
        assert state.waiting == []
        assert actions == ["requested", "requested", "withdrawn", "next"]
        assert version(floor) == 4
    assert race.held == 2
    assert race.waited == 1
