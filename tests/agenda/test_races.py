"""Races on the list of speakers: many writers at the same instant, on PostgreSQL.

Every writer of a list locks the item's row first (`agenda.speakers.changes`), so writers queue on
that row and each one reads what the one before it wrote. These tests start real threads
together (a barrier), each with its own database connection, and check that the outcome is one
of the outcomes the writers would have had one after the other: no lost or doubled entry, no gap
or repeat in the list's versions, no database error leaking out instead of a plain refusal.

To make the window in which two writers could read the same state wide enough to be hit every
time, `slow_reads` holds each writer for a moment right after it has read the list. With the
row lock the others wait behind it; without it they would all read the same list. Every test
here fails when the item's `select_for_update` is taken out of the services.
"""

import threading
import time

import pytest
from django.db import connection

from agenda.errors import FloorError, StaleList
from agenda.models import FloorRequest, ListEvent
from agenda.speakers import changes, selectors, services
from agenda.speakers.ordering import CATEGORY_ORDER
from agenda.speakers.selectors import speakers_list
from delegations.models import Category
from tests.factories import DelegationFactory, FocalPointFactory, ParticipationFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

HOLD = 0.02  # seconds a writer keeps the list after reading it (see `slow_reads`)


@pytest.fixture
def slow_reads(monkeypatch):
    """Hold each writer for a moment after it has read the list; the event is set once a
    writer has read it (a writer that waits for it then arrives while the list is held)."""
    list_read = threading.Event()

    def then_hold(read):
        def read_then_hold(item):
            result = read(item)
            list_read.set()
            time.sleep(HOLD)
            return result

        return read_then_hold

    # `lock_list` reads the list for the chair's actions, `entries_of` for a request for the floor.
    monkeypatch.setattr(changes, "lock_list", then_hold(changes.lock_list))
    monkeypatch.setattr(selectors, "entries_of", then_hold(selectors.entries_of))
    return list_read


def together(*calls):
    """Run each call in its own thread, all released at once; return what each returned or
    raised, in the order of `calls`."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            connection.ensure_connection()  # connect first, so that the start is the race
            barrier.wait(timeout=30)
            outcomes[index] = call()
        except Exception as error:
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def refusals(outcomes):
    """The exceptions among `outcomes`; anything but a FloorError fails the test here."""
    errors = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    unexpected = [error for error in errors if not isinstance(error, FloorError)]
    assert unexpected == []
    return errors


def ask(floor, code, kind="statement"):
    return services.floor_request_create(
        item=floor.item, delegation=floor.d[code], kind=kind, user=floor.user(code)
    )


def version(floor):
    floor.item.refresh_from_db()
    return floor.item.list_version


def event_versions(floor):
    return sorted(ListEvent.objects.filter(item=floor.item).values_list("version", flat=True))


def test_fifty_delegations_asking_at_once_are_all_on_the_list_once_in_order(floor, slow_reads):
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

    outcomes = together(*[lambda code=code: ask(floor, code) for code in codes])

    assert refusals(outcomes) == []
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


def test_one_delegation_asking_several_times_at_once_is_on_the_list_once(floor, slow_reads):
    outcomes = together(*[lambda: ask(floor, "CHL")] * 6)

    errors = refusals(outcomes)
    assert len(errors) == 5
    # Said by the check made under the lock (it saw the first request and its place), not by
    # the database constraint that stands behind it.
    assert [error.message for error in errors] == [
        "Your delegation is already on this list (place 1)."
    ] * 5
    assert FloorRequest.objects.filter(item=floor.item, delegation__code="CHL").count() == 1
    assert version(floor) == 1
    assert event_versions(floor) == [1]


def test_two_next_with_the_same_version_advance_once(floor, slow_reads):
    for code in ("FRA", "CHL", "AUT"):
        ask(floor, code)
    seen = version(floor)

    def call_next():
        return services.speaker_call_next(item=floor.item, user=floor.chair, version=seen)

    outcomes = together(call_next, call_next)

    errors = refusals(outcomes)
    assert len(errors) == 1
    assert isinstance(errors[0], StaleList)
    assert errors[0].message.startswith("The list changed since you loaded it")
    assert errors[0].version == seen + 1
    called = [o.delegation.code for o in outcomes if isinstance(o, FloorRequest)]
    assert called == ["FRA"]
    state = speakers_list(floor.item)
    assert state.current.delegation.code == "FRA"
    assert FloorRequest.objects.filter(item=floor.item, status="speaking").count() == 1
    assert [r.delegation.code for r in state.waiting] == ["CHL", "AUT"]
    assert version(floor) == seen + 1
    assert event_versions(floor) == [1, 2, 3, 4]


def test_two_next_without_version_advance_twice_in_turn(floor, slow_reads):
    for code in ("FRA", "CHL", "AUT"):
        ask(floor, code)

    def call_next():
        return services.speaker_call_next(item=floor.item, user=floor.chair)

    outcomes = together(call_next, call_next)

    assert refusals(outcomes) == []
    assert sorted(outcome.delegation.code for outcome in outcomes) == ["CHL", "FRA"]
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


def once(event, call):
    def when_set():
        assert event.wait(timeout=30)
        return call()

    return when_set


@pytest.mark.parametrize("first", ["withdraw", "next"])
def test_withdraw_and_next_on_the_first_speaker_never_both_happen(floor, slow_reads, first):
    france = ask(floor, "FRA")
    ask(floor, "CHL")

    def withdraw():
        return services.floor_request_withdraw(entry=france, user=floor.user("FRA"))

    def call_next():
        return services.speaker_call_next(item=floor.item, user=floor.chair)

    # Both are sent at once; the second goes as soon as the first has read the list, so it
    # arrives while the first one holds it.
    slow_reads.clear()  # the requests above have read the list too
    if first == "withdraw":
        outcomes = together(withdraw, once(slow_reads, call_next))
    else:
        outcomes = together(once(slow_reads, withdraw), call_next)

    refused = refusals(outcomes)
    withdrawn, called = outcomes
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
