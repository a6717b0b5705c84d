"""Row locks that do not block unrelated writes, on PostgreSQL.

A chair's action locks the item's row (`agenda.speakers.changes.lock_item`) and taking up an
item locks the meeting's row too, `FOR NO KEY UPDATE`: they guard the list and the agenda, not
the rows' keys. A row written meanwhile that merely points at the item or the meeting (a
statement handed in on the item, a delegation joining the meeting) takes `FOR KEY SHARE` on it,
which does not conflict: it is written at once, while the chair's action still holds its lock.
With `FOR UPDATE` it would wait for the chair's action to end.

The chair's action runs in a thread of its own, kept right after it has locked the item
(`tests.concurrency.holding`); the other write runs here with a lock timeout, so that a write
that would wait fails with "canceling statement due to lock timeout" instead of passing late.
"""

from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection, transaction

from agenda.models import FloorRequest, Statement
from agenda.speakers import services, speeches
from delegations.models import Category, Participation
from tests.concurrency import ITEM_LOCK, holding
from tests.factories import DelegationFactory
from tests.helpers import ask, hand_in

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@contextmanager
def without_waiting(timeout="3s"):
    """A transaction on this test's connection that gives up on a lock it waits for longer than
    `timeout` (an error): what it writes without waiting is done well within it."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [timeout])
        yield


def test_a_statement_is_handed_in_while_the_chair_calls_the_next_speaker(floor):
    chile = ask(floor, "CHL")

    def call_next():
        return speeches.speaker_call_next(item=floor.item, user=floor.chair)

    with holding(call_next, after=ITEM_LOCK) as chair:
        with without_waiting():
            statement = hand_in(floor, "CHL")
        assert chair.alive()  # the chair's action still holds the item's row

    assert Statement.objects.get().pk == statement.pk
    assert statement.item_id == floor.item.pk
    assert statement.floor_request_id == chile.pk
    assert chair.outcome == chile
    assert FloorRequest.objects.get(pk=chile.pk).status == "speaking"


def test_a_delegation_joins_and_a_statement_is_handed_in_while_the_chair_takes_up_an_item(floor):
    def take_up():
        return services.agenda_item_take_up(item=floor.item, user=floor.chair)

    # Held with the meeting's row and the item's row locked.
    with holding(take_up, after=ITEM_LOCK) as chair:
        with without_waiting():
            joined = Participation.objects.create(
                meeting=floor.meeting,
                delegation=DelegationFactory(code="PER", name="Peru"),
                category=Category.STATE_PARTY,
            )
            statement = hand_in(floor, "AUT")
        assert chair.alive()

    assert Participation.objects.get(delegation__code="PER").pk == joined.pk
    assert Statement.objects.get().pk == statement.pk
    assert chair.outcome == floor.item
    floor.item.refresh_from_db()
    assert floor.item.under_discussion is True


def test_another_writer_of_the_list_still_waits_for_the_chair(floor):
    ask(floor, "CHL")

    def call_next():
        return speeches.speaker_call_next(item=floor.item, user=floor.chair)

    with holding(call_next, after=ITEM_LOCK) as chair:
        with pytest.raises(OperationalError, match="lock timeout"), without_waiting("200ms"):
            ask(floor, "FRA")
        assert chair.alive()

    assert chair.outcome.delegation.code == "CHL"
    assert list(FloorRequest.objects.values_list("delegation__code", flat=True)) == ["CHL"]
