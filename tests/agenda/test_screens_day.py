"""Issue 13, the room, the booths, the webcast and the public: how many wait and whether the
list is closed on every screen; the booths see the whole list (or `?show=N`) and open the
texts in a new tab; the banner without its countdown; a word, not a colour, when time is
almost up or paused; plain words; the item's public list of speakers follows the stream."""

import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from agenda.models import FloorRequest, Statement, StatementFile
from agenda.speakers import services, speeches
from meetings.models import Meeting
from tests.factories import UserFactory
from tests.helpers import ask, text

pytestmark = pytest.mark.django_db

CODES = ("FRA", "AUT", "ICRC", "CMC", "HRW", "VUT", "AGO", "ITA")


def get(client, floor, name, **params) -> str:
    response = client.get(reverse(name, kwargs={"slug": floor.meeting.slug}), params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def busy(floor):
    """2(c) under discussion: Chile speaks, eight wait."""
    services.agenda_item_take_up(item=floor.item, user=floor.chair)
    ask(floor, "CHL", language="es")
    for code in CODES:
        ask(floor, code)
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    return floor


@pytest.fixture
def booth(client, busy):
    Meeting.objects.filter(pk=busy.meeting.pk).update(status=Meeting.Status.IN_SESSION)
    interpreter = UserFactory(username="booth")
    interpreter.groups.create(name="Interpreters")
    client.force_login(interpreter)
    return busy


def close(floor):
    services.speakers_list_set_open(item=floor.item, is_open=False, user=floor.chair)


def booth_rows(html) -> list[str]:
    return [text(row) for row in re.findall(r'<tr[^>]*data-entry="\d+">(.*?)</tr>', html, re.S)]


# --- the room screen --------------------------------------------------------------------------


def test_the_room_screen_says_how_many_wait_and_when_the_list_is_closed(client, busy):
    html = get(client, busy, "room_screen")
    assert text(html.split("data-count>")[1].split("</p>")[0]) == "8 speakers waiting"
    assert "List closed" not in html
    close(busy)
    fragment = get(client, busy, "room_screen", fragment="screen")
    assert text(fragment.split("data-count>")[1].split("</p>")[0]) == (
        "8 speakers waiting · List closed"
    )


def test_the_room_screen_says_one_speaker_waiting_in_the_singular(client, floor):
    services.agenda_item_take_up(item=floor.item, user=floor.chair)
    ask(floor, "CHL")
    html = get(client, floor, "room_screen")
    assert text(html.split("data-count>")[1].split("</p>")[0]) == "1 speaker waiting"


def test_the_room_screen_warns_in_words_near_the_limit_and_says_paused(client, busy):
    html = get(client, busy, "room_screen")
    assert 'data-warning-seconds="30"' in html
    word = re.compile(r"<span class=\"clock-word\" data-clock-word [^>]*>(.*?)</span>")
    assert word.search(html)[1] == ""
    speaking = FloorRequest.objects.get(status="speaking")
    FloorRequest.objects.filter(pk=speaking.pk).update(
        started_at=speaking.started_at - timedelta(seconds=280)
    )
    assert word.search(get(client, busy, "room_screen"))[1] == "Time almost up"
    speeches.speaker_pause(entry=speaking, user=busy.chair)
    assert word.search(get(client, busy, "room_screen"))[1] == "Paused"


def test_the_room_screen_says_over_time_in_words(client, busy):
    speaking = FloorRequest.objects.get(status="speaking")
    FloorRequest.objects.filter(pk=speaking.pk).update(
        started_at=speaking.started_at - timedelta(seconds=310)
    )
    html = get(client, busy, "room_screen")
    assert re.search(r"data-clock-word [^>]*>Over time</span>", html)


# --- the banner -------------------------------------------------------------------------------


def test_the_banner_shows_the_countdown_unless_asked_not_to(client, busy):
    assert "data-countdown" in get(client, busy, "room_banner")
    html = get(client, busy, "room_banner", countdown="off")
    assert "data-countdown" not in html
    assert "Chile" in text(html.split('class="lower-third-text">')[1])
    # The live region keeps the choice when it fetches itself again.
    assert "?fragment=banner&amp;countdown=off" in html
    fragment = get(client, busy, "room_banner", fragment="banner", countdown="off")
    assert "data-countdown" not in fragment and "Chile" in fragment


# --- the booths -------------------------------------------------------------------------------


def test_the_booths_see_the_whole_list_the_count_and_whether_it_is_closed(client, booth):
    html = get(client, booth, "interpreters")
    assert len(booth_rows(html)) == 1 + 8
    assert text(html.split("data-count>")[1].split("</p>")[0]) == "8 speakers waiting · List open"
    close(booth)
    html = get(client, booth, "interpreters", fragment="booth")
    assert text(html.split("data-count>")[1].split("</p>")[0]) == (
        "8 speakers waiting · List closed"
    )


def test_the_booths_may_see_the_next_few_only(client, booth):
    html = get(client, booth, "interpreters", show="3")
    rows = booth_rows(html)
    assert [row.split()[0] for row in rows] == ["Speaking", "1", "2", "3"]
    assert text(html.split("data-count>")[1].split("</p>")[0]) == (
        "8 speakers waiting · the next 3 shown · List open"
    )
    assert "?fragment=booth&amp;show=3" in html
    assert '<option value="3" selected>The next 3</option>' in html
    assert len(booth_rows(get(client, booth, "interpreters", fragment="booth", show="3"))) == 4


@pytest.mark.parametrize("asked", ["-2", "0", "lots", "3.5"])
def test_a_number_to_show_that_cannot_be_read_shows_all_and_says_so(client, booth, asked):
    html = get(client, booth, "interpreters", show=asked)
    assert len(booth_rows(html)) == 9
    assert "should be a whole number from 1 up: all waiting are shown" in html


def test_the_booths_open_the_texts_in_a_new_tab_before_they_are_published(client, booth):
    # Handed in, not published, France not yet delivered: confidential to the booths.
    statement = Statement.objects.create(
        item=booth.item, delegation=booth.d["FRA"], is_published=False
    )
    StatementFile.objects.create(
        statement=statement,
        language="fr",
        file=ContentFile(b"%PDF-1.4", name="a.pdf"),
        content_type="application/pdf",
        size=8,
    )
    html = get(client, booth, "interpreters")
    download = reverse("statement_file_download", args=[statement.files.get().pk])
    link = re.search(rf'<a href="{download}"[^>]*>(.*?)</a>', html)
    assert 'target="_blank" rel="noopener"' in link[0]
    assert text(link[1]) == "French (opens in a new tab)"
    assert client.get(download).status_code == 200


def test_the_booths_read_limits_in_minutes_not_seconds(client, booth):
    html = get(client, booth, "interpreters")
    rows = booth_rows(html)
    assert "/ 5:00" in rows[0]
    assert "5:00" in rows[1]
    assert not re.search(r"\d+ s\b", text(html))


# --- plain words ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["room_screen", "room_banner", "interpreters"])
def test_screens_say_no_internal_words(client, booth, name):
    seen = text(get(client, booth, name))
    assert "version" not in seen.lower()
    assert not re.search(r"\d+ s\b", seen)
    assert "statement" not in seen.split()  # kinds by their label, not their code
    assert "extension_request" not in seen and "point_of_order" not in seen


# --- the item's public page -------------------------------------------------------------------


def item_page(client, floor, **params) -> str:
    response = client.get(floor.item.get_absolute_url(), params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_item_page_names_the_designated_presenters(client, floor):
    html = item_page(client, floor)
    assert text(html.split("data-presenters>")[1].split("</p>")[0]) == (
        "Designated presenters: Afghanistan (Article 4 extension request), "
        "Chile (Article 4 extension request), Lebanon (Article 4 extension request)"
    )
    assert "Nobody has asked for the floor yet." in html


def test_the_item_page_list_follows_the_stream(client, busy):
    html = item_page(client, busy)
    item = busy.item
    assert f'sse-connect="/api/v1/meetings/{busy.meeting.slug}/stream?after=' in html
    assert f'hx-trigger="sse:list-{item.pk}, sse:resync, resync"' in html
    assert f'hx-get="{item.get_absolute_url()}?fragment=speakers"' in html
    item.refresh_from_db()
    assert f'data-item="{item.pk}" data-version="{item.list_version}"' in html
    assert "js/live.js" in html
    assert "Reload the page to see the latest." in html  # until the stream opens


def test_the_item_page_fragment_is_the_list_alone_and_current(client, busy):
    fragment = item_page(client, busy, fragment="speakers")
    assert fragment.lstrip().startswith('<div id="item-speakers"')
    seen = text(fragment)
    assert seen.startswith("8 speakers waiting · List open Has the floor: Chile Waiting")
    speeches.speaker_call_next(item=busy.item, user=busy.chair)
    close(busy)
    seen = text(item_page(client, busy, fragment="speakers"))
    assert seen.startswith("7 speakers waiting · List closed Has the floor: France")
    assert "Have spoken Chile" in seen
    assert "<html" not in fragment


def test_an_unknown_fragment_of_the_item_page_is_404(client, floor):
    response = client.get(floor.item.get_absolute_url(), {"fragment": "nope"})
    assert response.status_code == 404


def test_the_item_page_fragment_runs_as_many_queries_for_one_speaker_as_for_many(
    client, floor, django_assert_max_num_queries
):
    ask(floor, "CHL")
    with django_assert_max_num_queries(100) as one:
        item_page(client, floor, fragment="speakers")
    for code in CODES:
        ask(floor, code)
    with django_assert_max_num_queries(100) as many:
        item_page(client, floor, fragment="speakers")
    assert len(many) == len(one)
