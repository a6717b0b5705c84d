"""Issue 13: a withdrawal or an absence hit by mistake is undone in its place, audited."""

from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from agenda.errors import FloorError, NotAllowed
from agenda.models import FloorRequest, ListEvent
from agenda.speakers import services, speeches
from agenda.speakers.selectors import speakers_list
from agenda.speakers.undo import UNDO_SECONDS, speaker_undo
from tests.helpers import waiting

pytestmark = pytest.mark.django_db


def ask(floor, *codes):
    return [
        services.floor_request_create(
            item=floor.item, delegation=floor.d[code], kind="statement", user=floor.user(code)
        )
        for code in codes
    ]


def test_the_chairs_withdrawal_undone_puts_the_delegation_back_in_its_place(floor):
    _, norway, _ = ask(floor, "FRA", "NOR", "AUT")
    before = waiting(floor)
    services.floor_request_withdraw(entry=norway, user=floor.chair)
    assert "NOR" not in waiting(floor)

    back = speaker_undo(entry=norway, user=floor.chair)

    assert waiting(floor) == before  # not at the back, as re-adding would put it
    assert back.position == before.index("NOR") + 1
    event = ListEvent.objects.filter(item=floor.item).latest("version")
    assert (event.action, event.user, event.reason) == (
        "undone",
        floor.chair,
        "Undo of “withdrawn”",
    )
    assert event.before["status"] == "withdrawn" and event.after["status"] == "waiting"


def test_a_delegate_undoes_its_own_withdrawal_not_another_delegations(floor):
    _france, norway = ask(floor, "FRA", "NOR")
    services.floor_request_withdraw(entry=norway, user=floor.user("NOR"))
    with pytest.raises(NotAllowed):
        speaker_undo(entry=norway, user=floor.user("FRA"))
    speaker_undo(entry=norway, user=floor.user("NOR"))
    assert waiting(floor) == ["FRA", "NOR"]


def test_an_absence_before_speaking_is_undone_by_the_chair_only(floor):
    france, _norway = ask(floor, "FRA", "NOR")
    speeches.speaker_mark_absent(entry=france, user=floor.chair)
    with pytest.raises(NotAllowed):
        speaker_undo(entry=france, user=floor.user("FRA"))
    speaker_undo(entry=france, user=floor.chair)
    assert waiting(floor) == ["FRA", "NOR"]


def test_nothing_to_undo_after_another_change_of_the_entry_or_after_speaking(floor):
    (france,) = ask(floor, "FRA")
    with pytest.raises(FloorError, match="nothing to undo for France"):
        speaker_undo(entry=france, user=floor.chair)
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    FloorRequest.objects.filter(pk=france.pk).update(
        started_at=F("started_at") - timedelta(seconds=UNDO_SECONDS + 1)
    )
    speeches.speaker_mark_absent(entry=france, user=floor.chair)  # absent after speaking a while
    with pytest.raises(FloorError, match="nothing to undo"):
        speaker_undo(entry=france, user=floor.chair)


def test_an_absence_right_after_being_called_is_undone_first_in_line(floor):
    france, _norway = ask(floor, "FRA", "NOR")
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    speeches.speaker_mark_absent(entry=france, user=floor.chair)  # A, at once
    back = speaker_undo(entry=france, user=floor.chair)
    assert waiting(floor) == ["FRA", "NOR"] and back.position == 1
    france.refresh_from_db()
    assert (france.started_at, france.ended_at, france.time_limit_seconds) == (None, None, None)


def test_too_late_to_undo_says_to_add_again(floor):
    _france, norway = ask(floor, "FRA", "NOR")
    services.floor_request_withdraw(entry=norway, user=floor.chair)
    event = ListEvent.objects.filter(entry=norway).latest("version")
    event.at -= timedelta(seconds=UNDO_SECONDS + 1)
    event.save()
    version = ListEvent.objects.filter(item=floor.item).count()
    with pytest.raises(FloorError, match="too late to undo"):
        speaker_undo(entry=norway, user=floor.chair)
    assert waiting(floor) == ["FRA"]
    assert ListEvent.objects.filter(item=floor.item).count() == version


def test_an_undo_never_makes_a_second_open_request(floor):
    (norway,) = ask(floor, "NOR")
    services.floor_request_withdraw(entry=norway, user=floor.user("NOR"))
    ask(floor, "NOR")  # Norway asked again meanwhile
    with pytest.raises(FloorError, match="Norway has asked again since"):
        speaker_undo(entry=norway, user=floor.user("NOR"))
    assert waiting(floor) == ["NOR"]


def test_the_time_to_the_end_of_the_list_counts_every_limit_and_whats_left(floor):
    """The chair's time panel: three statements of 5 minutes waiting; once the first speaks
    for 40 s, 4 min 20 s of it and 10 minutes of the others remain."""
    ask(floor, "FRA", "NOR", "AUT")
    state = speakers_list(floor.item)
    limit = state.time_limit(state.waiting[0])
    assert state.time_to_end(timezone.now()) == 3 * limit
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    state = speakers_list(floor.item)
    later = state.current.started_at + timedelta(seconds=40)
    assert state.time_to_end(later) == 3 * limit - 40
    far_later = state.current.started_at + timedelta(seconds=limit + 30)  # over time
    assert state.time_to_end(far_later) == 2 * limit
