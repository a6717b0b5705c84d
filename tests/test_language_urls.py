"""Issue 14: addresses that carry the language. `/fr/…` is French for whoever opens it (its
links, fragments and exports stay French); an address without a language follows the person
(kept choice, cookie, browser); `/en/…` is English for everyone; the language menu sends the
person to the same page in the chosen language; the stream, the clock, the API and the admin
have one address for every language."""

import datetime
import re
import zoneinfo

import pytest
import tablib
from django.conf import settings
from django.urls import reverse
from icalendar import Calendar

from agenda.speakers import services
from agenda.speakers.speeches import speaker_call_next
from delegations.models import Category, Delegation
from tests.factories import (
    AgendaItemFactory,
    DelegationFactory,
    FocalPointFactory,
    MeetingFactory,
    ParticipationFactory,
    SittingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SLUG = "ccm-lang"


@pytest.fixture
def room():
    """A meeting whose item 2(c) is under discussion: Chile has the floor, France waits."""
    meeting = MeetingFactory(slug=SLUG, status="in_session")
    parent = AgendaItemFactory(meeting=meeting, label="2", title="General status")
    item = AgendaItemFactory(meeting=meeting, parent=parent, label="c", title="Clearance")
    chair = UserFactory(username="president")
    meeting.presiding_officers.add(chair)
    for code, name in (("CHL", "Chile"), ("FRA", "France")):
        delegation = DelegationFactory(code=code, name=name)
        ParticipationFactory(meeting=meeting, delegation=delegation, category=Category.STATE_PARTY)
        services.floor_request_create(
            item=item, delegation=delegation, kind="statement", user=chair
        )
    services.agenda_item_take_up(item=item, user=chair)
    speaker_call_next(item=item, user=chair)
    return item


def lang(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html)[1]


def attribute(html: str, name: str, element_id: str) -> str:
    tag = re.search(rf'<[^>]* id="{element_id}"[^>]*>', html)[0]
    return re.search(rf' {name}="([^"]*)"', tag)[1]


# --- an address with a language ------------------------------------------------------------------


def test_a_french_room_screen_is_french_whatever_the_browser_and_the_cookie_say(client, room):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    answer = client.get(f"/fr/meetings/{SLUG}/room/", HTTP_ACCEPT_LANGUAGE="ru")
    html = answer.content.decode()
    assert answer.status_code == 200
    assert lang(html) == "fr"
    assert "A la parole" in html
    assert "Orateurs suivants" in html
    # Its live region fetches itself at its French address; the stream and the clock are the
    # same for every language.
    assert attribute(html, "hx-get", "screen") == f"/fr/meetings/{SLUG}/room/?fragment=screen"
    assert attribute(html, "sse-connect", "live").startswith(f"/api/v1/meetings/{SLUG}/stream?")
    assert attribute(html, "data-time-url", "live") == "/api/v1/time"

    fragment = client.get(attribute(html, "hx-get", "screen"), HTTP_ACCEPT_LANGUAGE="ru")
    assert fragment.status_code == 200
    assert "A la parole" in fragment.content.decode()
    assert "Orateurs suivants" in fragment.content.decode()


def test_each_screen_opens_in_each_language_with_its_options(client, room):
    for code in ("ar", "zh-hans", "fr", "ru", "es"):
        for path in (
            f"/{code}/meetings/{SLUG}/room/",
            f"/{code}/meetings/{SLUG}/room/banner/?countdown=off",
        ):
            answer = client.get(path)
            assert (answer.status_code, lang(answer.content.decode())) == (200, code), path
    banner = client.get(f"/fr/meetings/{SLUG}/room/banner/?countdown=off").content.decode()
    assert attribute(banner, "hx-get", "banner") == (
        f"/fr/meetings/{SLUG}/room/banner/?fragment=banner&amp;countdown=off"
    )
    client.force_login(room.meeting.presiding_officers.get())
    booth = client.get(f"/ar/meetings/{SLUG}/interpreters/?show=10").content.decode()
    assert lang(booth) == "ar"
    assert attribute(booth, "hx-get", "booth") == (
        f"/ar/meetings/{SLUG}/interpreters/?fragment=booth&amp;show=10"
    )


def test_the_console_and_my_delegation_act_and_refresh_at_their_french_address(client, room):
    chair = room.meeting.presiding_officers.get()
    client.force_login(chair)
    console = client.get(f"/fr/meetings/{SLUG}/chair/items/{room.pk}/").content.decode()
    assert lang(console) == "fr"
    addresses = re.findall(r' hx-(?:get|post)="([^"]*)"', console)
    assert len(addresses) > 5
    assert [a for a in addresses if not a.startswith(f"/fr/meetings/{SLUG}/chair/")] == []

    focal = FocalPointFactory(
        user=UserFactory(username="focal-chl"), delegation=Delegation.objects.get(code="CHL")
    ).user
    client.force_login(focal)
    desk = client.get(f"/fr/meetings/{SLUG}/my-delegation/CHL/").content.decode()
    assert lang(desk) == "fr"
    addresses = re.findall(r' (?:hx-get|hx-post|action)="([^"]*)"', desk)
    assert addresses
    assert [a for a in addresses if not a.startswith(("/fr/", "/i18n/setlang/"))] == []


def test_the_links_of_a_french_page_stay_french(client, room):
    html = client.get(f"/fr/meetings/{SLUG}/").content.decode()
    assert f'href="/fr/meetings/{SLUG}/items/{room.pk}/"' in html
    assert f'href="/fr/meetings/{SLUG}/record/"' in html
    assert 'href="/meetings/' not in html


def test_a_french_page_that_needs_a_sign_in_sends_to_the_french_sign_in(client, room):
    answer = client.get(f"/fr/meetings/{SLUG}/chair/")
    assert answer.status_code == 302
    assert answer["Location"] == f"/fr/accounts/login/?next=/fr/meetings/{SLUG}/chair/"
    assert lang(client.get(answer["Location"]).content.decode()) == "fr"


# --- an address without a language ---------------------------------------------------------------


def test_without_a_language_the_kept_choice_then_the_cookie_then_the_browser(client, room):
    path = f"/meetings/{SLUG}/room/"
    assert lang(client.get(path, HTTP_ACCEPT_LANGUAGE="es").content.decode()) == "es"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    assert lang(client.get(path, HTTP_ACCEPT_LANGUAGE="es").content.decode()) == "ru"
    user = UserFactory(username="focal-z")
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "ar", "next": "/"})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    html = client.get(path, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert lang(html) == "ar"
    # The page is found in any language, and its links carry the language it is in.
    assert attribute(html, "hx-get", "screen") == f"/ar/meetings/{SLUG}/room/?fragment=screen"


def test_an_address_without_a_language_varies_with_the_cookie_and_the_browser(client, room):
    answer = client.get(f"/meetings/{SLUG}/room/")
    assert {"Accept-Language", "Cookie"} <= {part.strip() for part in answer["Vary"].split(",")}
    assert answer["Content-Language"] == "en"


# --- /en/ ----------------------------------------------------------------------------------------


def test_an_english_link_is_english_for_a_french_reader_and_its_links_stay_english(client, room):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    answer = client.get(f"/en/meetings/{SLUG}/room/", HTTP_ACCEPT_LANGUAGE="fr")
    html = answer.content.decode()
    assert (answer.status_code, lang(html)) == (200, "en")
    assert "Has the floor" in html
    assert attribute(html, "hx-get", "screen") == f"/en/meetings/{SLUG}/room/?fragment=screen"
    fragment = client.get(f"/en/meetings/{SLUG}/room/?fragment=screen").content.decode()
    assert "Has the floor" in fragment
    # Without /en/, the same reader reads French.
    assert lang(client.get(f"/meetings/{SLUG}/room/").content.decode()) == "fr"


# --- the language menu ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "language", "lands"),
    [
        ("/meetings/{S}/room/banner/?countdown=off", "fr", "/fr/meetings/{S}/room/banner/?countdown=off"),  # noqa: E501
        ("/fr/meetings/{S}/interpreters/?show=10", "es", "/es/meetings/{S}/interpreters/?show=10"),
        ("/fr/meetings/{S}/room/#now", "en", "/meetings/{S}/room/#now"),
        ("/en/meetings/{S}/room/", "zh-hans", "/zh-hans/meetings/{S}/room/"),
        ("/ru/start/", "ar", "/ar/start/"),
        ("/", "ru", "/ru/"),
        ("/admin/", "fr", "/admin/"),
        ("https://evil.example/fr/", "fr", "/fr/"),
        ("javascript:alert(1)", "fr", "/fr/"),
    ],
)  # fmt: skip
def test_the_menu_sends_to_the_same_page_in_the_chosen_language(
    client, room, page, language, lands
):
    answer = client.post(
        reverse("set_language"), {"language": language, "next": page.format(S=SLUG)}
    )
    assert answer.status_code == 302
    assert answer["Location"] == lands.format(S=SLUG)
    assert answer.cookies[settings.LANGUAGE_COOKIE_NAME].value == language


def test_the_menu_of_a_french_page_offers_its_own_address(client, room):
    html = client.get(f"/fr/meetings/{SLUG}/record/?q=Chile").content.decode()
    menu = html.split('class="language-menu')[1].split("</form>")[0]
    assert f'name="next" value="/fr/meetings/{SLUG}/record/?q=Chile"' in menu
    assert '<form method="post" action="/i18n/setlang/" class="language-menu' in html


# --- one address for every language --------------------------------------------------------------


def test_the_stream_the_clock_the_api_and_the_admin_have_no_language(client, room):
    assert client.get("/api/v1/time").status_code == 200
    assert client.get("/api/v1/meetings/").status_code == 200
    assert client.get("/admin/login/").status_code == 200
    for path in (
        "/fr/api/v1/time",
        "/fr/api/v1/meetings/",
        "/fr/admin/login/",
        "/fr/i18n/setlang/",
    ):
        assert client.get(path).status_code == 404, path
    assert reverse("meeting_stream", args=[SLUG]) == f"/api/v1/meetings/{SLUG}/stream"


def test_the_api_answers_in_the_callers_language_at_its_one_address(client, room):
    path = f"/api/v1/agenda-items/{room.pk}/next"
    assert client.get(path).json()["detail"] == "This address takes POST only."
    french = client.get(path, HTTP_ACCEPT_LANGUAGE="fr")
    assert french.json()["detail"] == "Cette adresse n'accepte que POST."
    assert french["Content-Language"] == "fr"
    room.title_fr = "Dépollution"
    room.save()
    agenda = f"/api/v1/meetings/{SLUG}/agenda/"
    titles = [
        [item["title"] for item in client.get(agenda, HTTP_ACCEPT_LANGUAGE=code).json()]
        for code in ("en", "fr")
    ]
    assert titles == [["General status", "Clearance"], ["General status", "Dépollution"]]


# --- the screens' addresses in each language -----------------------------------------------------


def test_the_list_of_screens_gives_the_room_screen_in_the_six_languages(client, room):
    client.force_login(UserFactory(username="staff", is_staff=True, is_superuser=True))
    html = client.get("/start/").content.decode()
    for code in ("ar", "zh-hans", "fr", "ru", "es", "en"):
        assert f'href="/{code}/meetings/{SLUG}/room/" lang="{code}"' in html, code
        assert f'href="/{code}/meetings/{SLUG}/interpreters/" lang="{code}"' in html, code
    assert f'href="/fr/meetings/{SLUG}/room/banner/" lang="fr"' in html


# --- exports and the calendar --------------------------------------------------------------------


def test_the_list_of_speakers_exported_from_a_french_address_has_french_headers(client, room):
    answer = client.get(f"/fr/meetings/{SLUG}/record/export/speakers.csv")
    assert answer.status_code == 200
    headers = tablib.Dataset().load(answer.content.decode("utf-8"), format="csv").headers
    assert [headers[i] for i in (0, 1, 3, 5, 6, 11, 13)] == [
        "réunion", "point", "numéro", "délégation", "catégorie", "orateur", "langue",
    ]  # fmt: skip
    english = client.get(f"/meetings/{SLUG}/record/export/speakers.csv").content.decode("utf-8")
    assert english.startswith("meeting,item,item title,number,delegation code,delegation,")


def test_the_calendar_from_a_french_address_is_in_french(client, room):
    meeting = room.meeting
    room.title_fr = "Dépollution"
    room.save()
    room.parent.title_fr = "État général"
    room.parent.save()
    named = SittingFactory(
        meeting=meeting, date=datetime.date(2025, 4, 7), title="Morning", title_fr="Matin"
    )
    unnamed = SittingFactory(
        meeting=meeting, date=datetime.date(2025, 4, 8), start_time=datetime.time(15),
        end_time=datetime.time(18),
    )  # fmt: skip
    room.sittings.add(named, unnamed)
    room.parent.sittings.add(named, unnamed)

    answer = client.get(f"/fr/meetings/{SLUG}/programme.ics", HTTP_ACCEPT_LANGUAGE="en")

    assert answer.status_code == 200
    events = Calendar.from_ical(answer.content).walk("VEVENT")
    assert str(events[0]["summary"]) == f"{meeting.short_title}: Matin"
    # A sitting without a title is named by its date, in French.
    assert str(events[1]["summary"]).startswith(f"{meeting.short_title}: ")
    assert str(events[1]["summary"]).endswith(" 8 avril 2025")
    assert [event["summary"].params["LANGUAGE"] for event in events] == ["fr", "fr"]
    assert str(events[0]["description"]) == "2 État général\n2(c) Dépollution"
    assert str(events[0]["url"]) == f"http://testserver/fr/meetings/{SLUG}/"
    geneva = zoneinfo.ZoneInfo("Europe/Zurich")
    assert events[1].decoded("dtstart") == datetime.datetime(2025, 4, 8, 15, tzinfo=geneva)
    # The same calendar at its address without a language, for an English reader.
    english = Calendar.from_ical(client.get(f"/meetings/{SLUG}/programme.ics").content)
    assert [str(event["summary"]) for event in english.walk("VEVENT")] == [
        f"{meeting.short_title}: Morning",
        f"{meeting.short_title}: Sitting of April 8, 2025",
    ]
