"""The chair's console on the meeting day (issue 13): the time panel (the meeting's clock and
zone, the waiting list's total time, a word before the limit), undo of Withdraw and Absent, only
the buttons the user may use, the language of delivery in the add box, and plain words."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from agenda.models import FloorRequest, ListEvent
from agenda.speakers import speeches
from agenda.speakers.selectors import speakers_list
from delegations.models import Participation
from tests.factories import UserFactory
from tests.helpers import ask, text, version, waiting

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def console(floor, **query):
    url = reverse("chair_console", kwargs={"slug": "ccm-2025", "pk": floor.item.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def act(floor, action):
    return reverse("chair_act", kwargs={"slug": "ccm-2025", "pk": floor.item.pk, "action": action})


def board(html: str) -> str:
    """What a reader sees of the board (the list's region of the console)."""
    region = html[html.index('<section id="board"') :]
    return text(region.split('<nav id="agenda-nav"', 1)[0])


@pytest.fixture
def chair(client, floor):
    client.force_login(floor.chair)
    return client


def entry(floor, code):
    return FloorRequest.objects.filter(item=floor.item, delegation=floor.d[code]).latest("pk")


# --- the time panel ---------------------------------------------------------------------------


def test_the_time_panel_gives_the_meetings_clock_with_its_zone_and_the_lists_total(chair, floor):
    for code in ("CHL", "FRA", "AUT"):
        ask(floor, code)
    html = chair.get(console(floor)).content.decode()
    seen = board(html)
    zone = ZoneInfo(floor.meeting.time_zone)
    abbreviation = timezone.localtime(timezone.now(), zone).strftime("%Z")
    assert re.search(rf"Meeting time \d\d:\d\d:\d\d {abbreviation}", seen)
    assert f'data-time-zone="{floor.meeting.time_zone}"' in html
    assert "Until the list ends 15:00 if every speaker uses their limit" in seen
    # The "Asked" times are the meeting's, the zone said once, above.
    asked = timezone.localtime(entry(floor, "CHL").requested_at, zone).strftime("%H:%M:%S")
    assert asked in seen


def test_the_total_counts_what_is_left_of_the_speech_under_way(chair, floor):
    for code in ("CHL", "FRA"):
        ask(floor, code)
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    FloorRequest.objects.filter(pk=entry(floor, "CHL").pk).update(
        started_at=F("started_at") - timedelta(seconds=120)
    )
    seen = board(chair.get(console(floor)).content.decode())
    assert "Until the list ends 8:00 if every speaker uses their limit" in seen


def test_a_word_warns_shortly_before_the_limit_and_after_it(chair, floor):
    ask(floor, "CHL")
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    chile = entry(floor, "CHL")
    seen = board(chair.get(console(floor)).content.decode())
    assert "limit 5:00" in seen
    assert "Time almost up" not in seen and "Over the limit" not in seen

    FloorRequest.objects.filter(pk=chile.pk).update(
        started_at=F("started_at") - timedelta(seconds=280)
    )
    assert "Time almost up" in board(chair.get(console(floor)).content.decode())

    FloorRequest.objects.filter(pk=chile.pk).update(
        started_at=F("started_at") - timedelta(seconds=60)
    )
    seen = board(chair.get(console(floor)).content.decode())
    assert "Over the limit" in seen and "Time almost up" not in seen


def test_a_paused_speech_says_paused_in_words_and_no_internal_numbers_show(chair, floor):
    ask(floor, "CHL")
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    speeches.speaker_pause(entry=entry(floor, "CHL"), user=floor.chair)
    seen = board(chair.get(console(floor)).content.decode())
    assert "· paused" in seen
    assert "version" not in seen and "300 s" not in seen


# --- undo -------------------------------------------------------------------------------------


def test_withdraw_offers_undo_and_undo_puts_the_speaker_back_in_place(chair, floor):
    for code in ("CHL", "FRA", "AUT"):
        ask(floor, code)
    france = entry(floor, "FRA")
    html = chair.post(
        act(floor, "withdraw"), {"version": version(floor), "entry": france.pk}, headers=HTMX
    ).content.decode()
    assert "France withdrawn — Undo" in board(html)
    assert act(floor, "undo") in html
    assert waiting(floor) == ["CHL", "AUT"]

    html = chair.post(
        act(floor, "undo"), {"version": version(floor), "entry": france.pk}, headers=HTMX
    ).content.decode()
    assert waiting(floor) == ["CHL", "FRA", "AUT"]
    assert "Undo" not in board(html)
    last = ListEvent.objects.filter(item=floor.item).latest("version")
    assert (last.action, last.entry_id, last.user) == ("undone", france.pk, floor.chair)


def test_absent_offers_undo_without_javascript_as_a_plain_form(chair, floor):
    for code in ("CHL", "FRA"):
        ask(floor, code)
    chile = entry(floor, "CHL")
    response = chair.post(act(floor, "absent"), {"version": version(floor), "entry": chile.pk})
    assert response.status_code == 302
    assert response["Location"] == console(floor, undo=chile.pk)
    html = chair.get(response["Location"]).content.decode()
    assert "Chile marked absent — Undo" in board(html)
    form = html.split("data-undo", 1)[0].rsplit("<form", 1)[1]
    assert f'action="{act(floor, "undo")}"' in form and 'method="post"' in form

    response = chair.post(act(floor, "undo"), {"version": version(floor), "entry": chile.pk})
    assert response["Location"] == console(floor)
    assert waiting(floor) == ["CHL", "FRA"]


def test_a_speaker_marked_absent_right_after_being_called_is_offered_an_undo(chair, floor):
    """A on the speaker just called: the undo puts them back first in line, the speech that
    never began forgotten."""
    ask(floor, "CHL")
    ask(floor, "FRA")
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    chile = entry(floor, "CHL")
    html = chair.post(
        act(floor, "absent"), {"version": version(floor), "entry": chile.pk}, headers=HTMX
    ).content.decode()
    assert "Chile marked absent — Undo" in board(html)
    chair.post(act(floor, "undo"), {"version": version(floor), "entry": chile.pk})
    assert waiting(floor) == ["CHL", "FRA"]
    chile.refresh_from_db()
    assert chile.started_at is None and chile.ended_at is None


def test_a_speaker_absent_after_speaking_a_while_is_not_offered_an_undo(chair, floor):
    ask(floor, "CHL")
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    chile = entry(floor, "CHL")
    FloorRequest.objects.filter(pk=chile.pk).update(
        started_at=F("started_at") - timedelta(seconds=120)
    )
    html = chair.post(
        act(floor, "absent"), {"version": version(floor), "entry": chile.pk}, headers=HTMX
    ).content.decode()
    assert "Undo" not in board(html)
    assert "Re-add" in board(html)


def test_undo_is_no_longer_offered_after_the_time_and_refused_if_sent(chair, floor):
    ask(floor, "CHL")
    chile = entry(floor, "CHL")
    chair.post(act(floor, "withdraw"), {"version": version(floor), "entry": chile.pk})
    ListEvent.objects.filter(entry=chile).update(at=F("at") - timedelta(seconds=61))
    assert "Undo" not in board(chair.get(console(floor, undo=chile.pk)).content.decode())
    html = chair.post(
        act(floor, "undo"), {"version": version(floor), "entry": chile.pk}, headers=HTMX
    ).content.decode()
    assert "It is too late to undo" in board(html)
    assert waiting(floor) == []


def test_undo_with_a_stale_version_or_of_nothing_changes_nothing(chair, floor):
    for code in ("CHL", "FRA"):
        ask(floor, code)
    chile = entry(floor, "CHL")
    seen = version(floor)
    chair.post(act(floor, "withdraw"), {"version": seen, "entry": chile.pk})
    ask(floor, "AUT")
    html = chair.post(
        act(floor, "undo"), {"version": seen + 1, "entry": chile.pk}, headers=HTMX
    ).content.decode()
    assert "The list changed since you loaded it: nothing was done." in board(html)
    assert waiting(floor) == ["FRA", "AUT"]

    before = version(floor)
    html = chair.post(
        act(floor, "undo"), {"version": before, "entry": entry(floor, "FRA").pk}, headers=HTMX
    ).content.decode()
    assert "There is nothing to undo for France" in board(html)
    assert version(floor) == before


def test_a_delegate_cannot_undo_on_the_console(client, floor):
    ask(floor, "CHL")
    chile = entry(floor, "CHL")
    client.force_login(floor.user("CHL"))
    response = client.post(act(floor, "undo"), {"entry": chile.pk})
    assert response.status_code == 403


# --- only what the user may do ----------------------------------------------------------------


def test_a_coordinator_chairing_one_item_is_not_offered_to_take_up_items(client, floor):
    coordinator = UserFactory(username="coordinator")
    floor.item.facilitators.add(coordinator)
    client.force_login(coordinator)
    html = client.get(console(floor)).content.decode()
    assert "Move to item" not in html and "Take up" not in html
    assert "The President takes up the items" in text(html)
    # The refusal stays, for a form sent anyway.
    assert client.post(act(floor, "take-up"), {"current": "none"}).status_code == 403


def test_the_president_is_offered_to_take_up_items(chair, floor):
    html = chair.get(console(floor)).content.decode()
    assert "Take up 2(c)" in text(html)


# --- the add box ------------------------------------------------------------------------------


def test_the_add_box_sets_the_language_of_delivery(chair, floor):
    html = chair.get(console(floor)).content.decode()
    assert '<select class="form-select mb-2" id="add-language" name="language">' in html
    assert '<option value="fr">French</option>' in html
    chair.post(act(floor, "add"), {"delegation": "chile", "kind": "statement", "language": "fr"})
    assert entry(floor, "CHL").language == "fr"


def test_the_add_box_gives_the_delegations_usual_language_when_none_is_chosen(chair, floor):
    Participation.objects.filter(meeting=floor.meeting, delegation=floor.d["CHL"]).update(
        language="es"
    )
    chair.post(act(floor, "add"), {"delegation": "chile", "kind": "statement", "language": ""})
    assert entry(floor, "CHL").language == "es"


def test_the_add_box_names_the_delegation_already_on_the_list(chair, floor):
    ask(floor, "FRA")
    ask(floor, "CHL")
    html = chair.post(
        act(floor, "add"), {"delegation": "chi", "kind": "statement"}, headers=HTMX
    ).content.decode()
    assert "Chile is already on this list (place 2)" in board(html)
    assert [e.delegation.code for e in speakers_list(floor.item).waiting] == ["FRA", "CHL"]


def test_an_unknown_language_is_refused_with_nothing_added(chair, floor):
    html = chair.post(
        act(floor, "add"),
        {"delegation": "chile", "kind": "statement", "language": "xx"},
        headers=HTMX,
    ).content.decode()
    assert 'class="alert alert-danger"' in html
    assert waiting(floor) == []
