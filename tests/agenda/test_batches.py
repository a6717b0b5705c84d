"""Requests for the floor that arrive together in one server process are written together
(`agenda.speakers.batches`, issue 15): while the list is busy, the requests for it wait in a
line, and the next writer writes them all in one transaction. Each is judged as if written
alone, in the order it arrived: the same places, versions and audit events, the same refusals
in the asker's language.

Here the item's row is held locked by another connection (a writer in another server process)
while the requests arrive in threads of this process; then it is released.
"""

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.utils import translation

from agenda.errors import FloorError
from agenda.models import FloorRequest, ListEvent
from agenda.speakers import batches, changes
from delegations.models import Delegation
from tests.factories import DelegationFactory, FocalPointFactory, ParticipationFactory, UserFactory
from tests.helpers import ask, version

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

TIMEOUT = 20


class LockedElsewhere:
    """The item's row locked by another connection until `release()`."""

    def __init__(self, item_id: int) -> None:
        self.locked = threading.Event()
        self.released = threading.Event()
        self.thread = threading.Thread(target=self._hold, args=(item_id,))
        self.thread.start()
        assert self.locked.wait(TIMEOUT)

    def _hold(self, item_id: int) -> None:
        try:
            with transaction.atomic():
                changes.lock_item(item_id)
                self.locked.set()
                self.released.wait(TIMEOUT)
        finally:
            connection.close()

    def release(self) -> None:
        self.released.set()
        self.thread.join(TIMEOUT)


def arriving_together(floor, calls, *, before_release=None):
    """Run `calls` (each with the language its asker reads) in threads while the list is
    locked elsewhere; release it once all of them wait (after `before_release`, if given).
    Their outcomes, in order."""
    held = LockedElsewhere(floor.item.pk)
    outcomes: list = [None] * len(calls)

    def run(index, language, call):
        try:
            with translation.override(language):
                outcomes[index] = call()
        except Exception as error:
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(index, language, call))
        for index, (language, call) in enumerate(calls)
    ]
    try:
        for thread in threads:
            thread.start()
            # One after the other, so that the order of arrival is known.
            deadline = time.monotonic() + TIMEOUT
            while batches.in_line(floor.item.pk) < threads.index(thread) + 1:
                assert time.monotonic() < deadline, "a request never reached the line"
                time.sleep(0.005)
        if before_release is not None:
            before_release()
    finally:
        held.release()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def transactions_that_wrote(floor) -> int:
    """In how many transactions the item's entries were written (rows written by one
    transaction share its id, `xmin`)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(DISTINCT xmin::text) FROM {FloorRequest._meta.db_table} "  # noqa: S608
            "WHERE item_id = %s",
            [floor.item.pk],
        )
        return cursor.fetchone()[0]


def more_delegations(floor, count):
    codes = []
    for number in range(count):
        code = f"X{number:02d}"
        floor.d[code] = DelegationFactory(code=code, name=f"State X{number:02d}")
        ParticipationFactory(meeting=floor.meeting, delegation=floor.d[code])
        floor.focal[code] = FocalPointFactory(
            user=UserFactory(username=f"focal-x{number:02d}"), delegation=floor.d[code]
        ).user
        codes.append(code)
    return codes


def test_requests_arriving_while_the_list_is_busy_are_written_in_one_transaction(floor):
    codes = more_delegations(floor, 20)

    outcomes = arriving_together(
        floor, [("en", lambda code=code: ask(floor, code)) for code in codes]
    )

    assert all(isinstance(outcome, FloorRequest) for outcome in outcomes), outcomes
    # One transaction for the twenty (one lock, one read of the list, one write, one commit).
    assert transactions_that_wrote(floor) == 1
    # Each as if written alone, in the order of arrival: its own version and event, the
    # versions without a gap, the place its answer gave is the place its event recorded.
    assert version(floor) == 20
    events = list(ListEvent.objects.filter(item=floor.item).order_by("version"))
    assert [event.version for event in events] == list(range(1, 21))
    assert [event.entry_id for event in events] == [outcome.pk for outcome in outcomes]
    assert [event.action for event in events] == ["requested"] * 20
    assert [outcome.version for outcome in outcomes] == list(range(1, 21))
    assert [outcome.position for outcome in outcomes] == [
        event.after["position"] for event in events
    ]
    assert [outcome.waiting_count for outcome in outcomes] == list(range(1, 21))
    entries = FloorRequest.objects.filter(item=floor.item).order_by("requested_at", "pk")
    assert [entry.pk for entry in entries] == [outcome.pk for outcome in outcomes]


def test_a_refusal_in_the_line_is_the_askers_own_in_their_language_and_spares_the_others(floor):
    outcomes = arriving_together(
        floor,
        [
            ("en", lambda: ask(floor, "FRA")),
            ("fr", lambda: ask(floor, "FRA")),  # pressed twice: the second is refused
            ("es", lambda: ask(floor, "CHL")),
            ("es", lambda: ask(floor, "CHL")),  # Chile too, refused in Spanish
        ],
    )

    first, twice, chile, again = outcomes
    assert isinstance(first, FloorRequest) and first.position == 1
    assert isinstance(twice, FloorError)
    with translation.override("fr"):
        assert twice.message == translation.gettext(
            "Your delegation is already on this list (place %(place)s)."
        ) % {"place": 1}
    assert twice.message != "Your delegation is already on this list (place 1)."
    assert isinstance(chile, FloorRequest) and chile.version == 2
    assert isinstance(again, FloorError)
    with translation.override("es"):  # the same words as when asked alone, Chile's place
        assert again.message == ask_alone_refusal(floor, "CHL")
        assert str(chile.position) in again.message
    assert version(floor) == 2
    assert list(
        ListEvent.objects.filter(item=floor.item)
        .order_by("version")
        .values_list("entry_id", flat=True)
    ) == [first.pk, chile.pk]


def ask_alone_refusal(floor, code):
    try:
        ask(floor, code)
    except FloorError as refusal:
        return refusal.message
    raise AssertionError("not refused")


def test_a_line_whose_transaction_fails_is_undone_and_each_request_is_made_alone(floor):
    gone = DelegationFactory(code="GONE", name="Gone")
    ParticipationFactory(meeting=floor.meeting, delegation=gone)
    floor.d["GONE"] = gone
    floor.focal["GONE"] = FocalPointFactory(
        user=UserFactory(username="focal-gone"), delegation=gone
    ).user

    def delete_then_release():
        # The delegation is deleted after it asked, while its request waits in the line: the
        # line's one statement then breaks a constraint of the database, and is undone.
        Delegation.objects.filter(pk=gone.pk).delete()  # by the secretariat, elsewhere

    outcomes = arriving_together(
        floor,
        [
            ("en", lambda: ask(floor, "FRA")),
            ("en", lambda: ask(floor, "GONE")),
            ("en", lambda: ask(floor, "CHL")),
        ],
        before_release=delete_then_release,
    )

    france, deleted, chile = outcomes
    assert isinstance(france, FloorRequest)
    assert isinstance(chile, FloorRequest)
    assert isinstance(deleted, FloorError)  # a refusal, not a server error
    assert deleted.message == "Gone does not take part in this meeting."
    # Nothing lost, nothing twice, no gap: France and Chile, each written on its own.
    assert sorted(
        FloorRequest.objects.filter(item=floor.item).values_list("delegation__code", flat=True)
    ) == ["CHL", "FRA"]
    assert version(floor) == 2
    assert sorted(ListEvent.objects.filter(item=floor.item).values_list("version", flat=True)) == [
        1,
        2,
    ]
    assert transactions_that_wrote(floor) == 2
