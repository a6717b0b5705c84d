"""The list a server process keeps in memory between two writes (`agenda.speakers.kept`,
issue 15): a request for the floor reads the rows of its list only when the list is not the
one this process wrote or read last. Whatever changes an entry, from anywhere, the next
request sees it: the list kept is never stale.
"""

import pytest
from django.db import transaction
from django.utils import timezone

from agenda.models import FloorRequest
from agenda.speakers import kept, lean, services
from agenda.speakers.selectors import entries_of
from tests.helpers import ask, waiting

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def nothing_kept():
    kept.forget()
    yield
    kept.forget()


def under_the_lock(floor):
    """What a request for the floor finds under the item's lock: whether the list came from
    memory, and the list."""
    with transaction.atomic():
        item, entries = lean.lock_with_entries(floor.item.pk)
        return item.list_kept, sorted(entries, key=lambda entry: entry.id)


def as_stored(floor):
    return sorted(entries_of(floor.item), key=lambda entry: entry.id)


def test_after_its_own_request_the_process_has_the_list_in_memory(floor):
    ask(floor, "FRA")
    ask(floor, "CHL")

    came_from_memory, entries = under_the_lock(floor)

    assert came_from_memory
    assert entries == as_stored(floor)
    assert [entry.delegation for entry in entries] == ["FRA", "CHL"]


def test_a_list_read_once_is_kept_until_it_changes(floor):
    change_by_an_entry_written_elsewhere(floor, None)

    assert under_the_lock(floor) == (False, as_stored(floor))
    assert under_the_lock(floor) == (True, as_stored(floor))


def change_by_withdrawal(floor, groups):
    entry = FloorRequest.objects.get(item=floor.item, delegation=floor.d["FRA"])
    services.floor_request_withdraw(entry=entry, user=floor.user("FRA"))


def change_by_renaming_a_delegation(floor, groups):
    chile = floor.d["CHL"]
    chile.code = "CL"
    chile.save()


def change_by_a_groups_precedence(floor, groups):
    groups.eu.takes_precedence = False
    groups.eu.save()


def change_by_deleting_an_entry(floor, groups):
    FloorRequest.objects.filter(item=floor.item, delegation=floor.d["NOR"]).delete()


def change_by_an_entry_written_elsewhere(floor, groups):
    FloorRequest.objects.create(
        item=floor.item,
        delegation=floor.d["AUT"],
        category="state_party",
        kind="statement",
        requested_at=timezone.now(),
    )


def change_by_an_entry_edited_elsewhere(floor, groups):
    FloorRequest.objects.filter(item=floor.item, delegation=floor.d["CHL"]).update(
        category="observer_state"
    )


@pytest.mark.parametrize(
    "change",
    [
        change_by_withdrawal,
        change_by_renaming_a_delegation,
        change_by_a_groups_precedence,
        change_by_deleting_an_entry,
        change_by_an_entry_written_elsewhere,
        change_by_an_entry_edited_elsewhere,
    ],
)
def test_any_change_to_the_list_is_read_again(floor, groups, change):
    ask(floor, "FRA")
    ask(floor, "CHL")
    ask(floor, "NOR")
    ask(floor, "ITA", on_behalf_of="EU")
    assert under_the_lock(floor)[0]

    change(floor, groups)

    assert under_the_lock(floor) == (False, as_stored(floor))
    assert under_the_lock(floor) == (True, as_stored(floor))


def test_a_delegation_that_withdrew_may_ask_again_and_is_placed_by_the_list_as_it_stands(floor):
    first = ask(floor, "FRA")
    ask(floor, "CHL")
    services.floor_request_withdraw(entry=first, user=floor.user("FRA"))

    again = ask(floor, "FRA")

    assert again.position == 2
    assert waiting(floor) == ["CHL", "FRA"]
