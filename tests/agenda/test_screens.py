"""The room screen, the webcast banner and the interpreters' view: what they show, and query
counts that do not grow with the list."""

import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agenda.models import Statement, StatementFile
from agenda.speakers import services, speeches
from meetings.models import Meeting
from tests.factories import AgendaItemFactory, UserFactory
from tests.helpers import ask, text

pytestmark = pytest.mark.django_db


def room(client, floor, fragment=None, name="room_screen"):
    address = reverse(name, kwargs={"slug": floor.meeting.slug})
    return client.get(address, {"fragment": fragment} if fragment else {}).content.decode()


def current(html) -> str:
    """Who has the floor, as the room screen or the banner says it."""
    found = re.search(r'<p class="(?:room-speaker|lower-third-name)"[^>]*>(.*?)</p>', html, re.S)
    return text(found[1])


def following(html) -> list[str]:
    """Who follows, as the room screen lists them."""
    listed = html.split("data-following>")[1].split("</ol>")[0]
    return [text(item) for item in re.findall(r"<li>(.*?)</li>", listed, re.S)]


@pytest.fixture
def taken_up(floor):
    services.agenda_item_take_up(item=floor.item, user=floor.chair)
    return floor


def test_the_room_screen_without_an_item_under_discussion(client, floor):
    html = room(client, floor)
    assert "The meeting will resume shortly." in html
    assert 'hx-trigger="sse:agenda, sse:resync, resync"' in html
    assert '<meta http-equiv="refresh" content="10">' in html


def test_the_room_screen_shows_the_item_the_speaker_the_countdown_and_the_next_five(
    client, taken_up
):
    floor = taken_up
    ask(floor, "CHL", speaker_name="Ambassador Ana Pérez")
    for code in ("FRA", "AUT", "ICRC", "CMC", "HRW", "VUT"):
        ask(floor, code)
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    html = room(client, floor)
    assert '<span class="room-code">2(c)</span> Clearance' in html
    assert current(html) == "Chile"
    assert '<p class="room-person">Ambassador Ana Pérez</p>' in html
    assert re.search(r'data-countdown data-started="\d+" data-paused-at="" ', html)
    assert re.search(r'data-limit="300">(5:00|4:59)</span>', html)
    assert following(html) == [
        "France", "Austria", "Vanuatu", "ICRC", "Cluster Munition Coalition"
    ]  # fmt: skip
    assert f"sse:list-{floor.item.pk}" in html
    fragment = room(client, floor, "screen")
    assert fragment.lstrip().startswith('<div id="screen"')


def test_a_speaker_over_time_is_shown_with_a_plus_and_in_overtime(client, taken_up):
    floor = taken_up
    ask(floor, "CHL", kind="point_of_order")
    speaking = speeches.speaker_call_next(item=floor.item, user=floor.chair)
    type(speaking).objects.filter(pk=speaking.pk).update(
        started_at=speaking.started_at - __import__("datetime").timedelta(seconds=125)
    )
    html = room(client, floor)
    assert re.search(r'class="countdown overtime".*?>\+0:0[5-9]</span>', html)
    assert '<p id="room-current-label" class="room-label">Point of order</p>' in html


def test_the_banner_shows_the_speaker_over_a_transparent_or_green_page(client, taken_up):
    floor = taken_up
    assert 'class="lower-third"' not in room(client, floor, name="room_banner")
    ask(floor, "CHL", speaker_name="Ana Pérez")
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    html = room(client, floor, name="room_banner")
    assert current(html) == "Chile"
    assert 'Ana Pérez · <bdi dir="ltr">2(c)</bdi> Clearance' in html
    assert '<body class="screen banner">' in html
    address = reverse("room_banner", kwargs={"slug": floor.meeting.slug})
    assert (
        '<body class="screen banner chroma">'
        in client.get(address, {"background": "green"}).content.decode()
    )


def test_the_interpreters_see_languages_limits_and_the_texts_handed_in(client, taken_up):
    floor = taken_up
    ask(floor, "CHL", language="es")
    ask(floor, "FRA", language="fr")
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    statement = Statement.objects.create(
        item=floor.item, delegation=floor.d["FRA"], check_against_delivery=True
    )
    StatementFile.objects.create(
        statement=statement,
        language="fr",
        file=ContentFile(b"%PDF-1.4", name="a.pdf"),
        content_type="application/pdf",
        size=8,
    )
    Meeting.objects.filter(pk=floor.meeting.pk).update(status=Meeting.Status.IN_SESSION)
    interpreter = UserFactory(username="booth")
    interpreter.groups.create(name="Interpreters")
    client.force_login(interpreter)
    html = room(client, floor, name="interpreters")
    rows = re.findall(r'<tr[^>]*data-entry="\d+">(.*?)</tr>', html, re.S)
    assert len(rows) == 2
    assert "Speaking" in rows[0] and "Chile" in rows[0] and "Spanish" in rows[0]
    assert "data-countdown" in rows[0] and "/ 5:00" in rows[0]
    assert "France" in rows[1] and "French" in rows[1]
    # Finding 7 of issue 11: the text is read through the download that checks who may.
    download = reverse("statement_file_download", args=[statement.files.get().pk])
    assert (
        f'<a href="{download}" target="_blank" rel="noopener">French'
        '<span class="visually-hidden"> (opens in a new tab)</span></a>'
    ) in rows[1]
    assert "check against delivery" in rows[1]
    assert "none" in rows[0]
    assert client.get(download).status_code == 200


def test_a_coordinator_of_another_item_sees_the_booths_but_not_the_texts(client, taken_up):
    floor = taken_up
    Meeting.objects.filter(pk=floor.meeting.pk).update(status=Meeting.Status.IN_SESSION)
    france = ask(floor, "FRA", language="fr")
    statement = Statement.objects.create(item=floor.item, delegation=floor.d["FRA"])
    StatementFile.objects.create(
        statement=statement,
        language="fr",
        file=ContentFile(b"%PDF-1.4", name="a.pdf"),
        content_type="application/pdf",
        size=8,
    )
    other = AgendaItemFactory(meeting=floor.meeting, parent=floor.item.parent, label="j")
    coordinator = UserFactory(username="coordinator-j")
    other.facilitators.add(coordinator)
    client.force_login(coordinator)

    html = room(client, floor, name="interpreters")

    assert f'data-entry="{france.pk}"' in html
    assert "for the item's chairs and the interpreters" in html
    assert "/download/" not in html
    download = reverse("statement_file_download", args=[statement.files.get().pk])
    assert client.get(download).status_code == 404


def queries(client, address):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("room_screen", "screen"),
        ("room_banner", "banner"),
        ("interpreters", "booth"),
        ("room_screen", None),
        ("interpreters", None),
    ],
)
def test_screens_run_as_many_queries_for_one_entry_as_for_many(client, taken_up, name, fragment):
    floor = taken_up
    client.force_login(floor.secretariat)
    address = reverse(name, kwargs={"slug": floor.meeting.slug})
    if fragment:
        address += f"?fragment={fragment}"
    ask(floor, "CHL")
    Statement.objects.create(item=floor.item, delegation=floor.d["CHL"])
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    one = queries(client, address)
    for code in ("FRA", "AUT", "ICRC", "CMC", "HRW", "VUT", "AGO"):
        ask(floor, code)
        Statement.objects.create(item=floor.item, delegation=floor.d[code])
    many = queries(client, address)
    assert one == many


def test_the_server_time(client):
    data = client.get(reverse("server_time")).json()
    assert set(data) == {"now", "epoch_ms"}
    assert isinstance(data["epoch_ms"], int)
