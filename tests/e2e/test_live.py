"""Live screens in Chromium, against uvicorn on the test database.

The chair's console, the room screen and a delegation follow the same stream: a request for the
floor shows on the console without a reload, the room screen follows the chair's key, two chair
windows acting on the same version are told apart, and the screens come back by themselves
when the server dies and returns.
"""

import re
import time

import httpx
import pytest
from playwright.sync_api import expect

from agenda.models import ApiToken
from agenda.speakers import services
from delegations.models import Category
from tests.factories import (
    AgendaItemFactory,
    DelegationFactory,
    FocalPointFactory,
    MeetingFactory,
    ParticipationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


class Hall:
    def __init__(self):
        self.meeting = MeetingFactory(slug="ccm-live", status="in_session", room="Room XXI")
        parent = AgendaItemFactory(meeting=self.meeting, label="2", title="General status")
        self.item = AgendaItemFactory(
            meeting=self.meeting, parent=parent, label="c", title="Clearance"
        )
        self.chair = UserFactory(username="president")
        self.meeting.presiding_officers.add(self.chair)
        self.delegations, self.focal = {}, {}
        for code, name in (("CHL", "Chile"), ("FRA", "France"), ("NOR", "Norway")):
            delegation = DelegationFactory(code=code, name=name)
            ParticipationFactory(
                meeting=self.meeting, delegation=delegation, category=Category.STATE_PARTY
            )
            self.delegations[code] = delegation
            self.focal[code] = FocalPointFactory(
                user=UserFactory(username=f"focal-{code.lower()}"), delegation=delegation
            ).user

    def ask(self, code):
        return services.floor_request_create(
            item=self.item, delegation=self.delegations[code], kind="statement", user=self.chair
        )

    def console(self, server):
        return f"{server.url}/meetings/{self.meeting.slug}/chair/items/{self.item.pk}/"

    def room(self, server):
        return f"{server.url}/meetings/{self.meeting.slug}/room/"


@pytest.fixture
def hall():
    return Hall()


@pytest.fixture
def chair_page(browser, server, hall, sign_in_with_session):
    def open_console():
        context = browser.new_context()
        sign_in_with_session(context, hall.chair)
        page = context.new_page()
        page.goto(hall.console(server))
        expect(page.locator("[data-live-status]")).to_have_text("Live")
        return page

    return open_console


def waiting(page):
    return page.locator("#board tr[data-entry]")


def test_a_request_for_the_floor_shows_on_the_chairs_console_within_a_second(
    server, hall, chair_page
):
    page = chair_page()
    expect(waiting(page)).to_have_count(0)
    _row, token = ApiToken.issue(hall.focal["CHL"])
    asked = time.monotonic()
    response = httpx.post(
        f"{server.url}/api/v1/agenda-items/{hall.item.pk}/speakers/",
        json={"delegation": "CHL", "kind": "statement"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201
    expect(waiting(page)).to_have_count(1, timeout=1000)
    assert time.monotonic() - asked < 1.0
    expect(waiting(page).first).to_contain_text("Chile")
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1


def seconds(text):
    minutes, seconds = text.lstrip("+").split(":")
    return int(minutes) * 60 + int(seconds)


def countdown(page):
    return page.locator("[data-countdown]").first


def test_the_chair_presses_next_and_the_room_screen_shows_the_speaker_and_a_running_countdown(
    browser, server, hall, chair_page
):
    services.agenda_item_take_up(item=hall.item, user=hall.chair)
    hall.ask("CHL")
    hall.ask("FRA")
    room = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    room.goto(hall.room(server))
    expect(room.locator("[data-current]")).to_have_text("—")
    expect(room.locator("[data-following] li")).to_have_text(["Chile", "France"])
    console = chair_page()
    expect(room.locator("[data-live-status]")).to_have_text("Live")

    console.keyboard.press("n")

    expect(room.locator("[data-current]")).to_have_text("Chile", timeout=2000)
    expect(room.locator("[data-following] li")).to_have_text(["France"])
    expect(countdown(room)).to_have_text(re.compile(r"^4:5\d|5:00$"))
    first = countdown(room).inner_text()
    expect(countdown(room)).not_to_have_text(first, timeout=2500)
    # The two screens count from the server's times and clock: the same second, give or take
    # the instant between reading one and the other.
    assert (
        abs(seconds(countdown(console).inner_text()) - seconds(countdown(room).inner_text())) <= 1
    )


def test_two_chair_windows_act_at_once_and_one_is_told_the_list_changed(hall, chair_page):
    hall.ask("CHL")
    hall.ask("FRA")
    first, second = chair_page(), chair_page()
    # The second window has not caught up when its chair presses the key (both press within
    # the same instant): its refresh from the stream is held back.
    second.route(re.compile(r".*fragment=board.*"), lambda route: route.abort())

    first.keyboard.press("n")
    expect(first.locator("[data-current]")).to_have_text("Chile")
    second.keyboard.press("n")

    alert = second.locator("#board [role=alert]")
    expect(alert).to_contain_text("The list changed since you loaded it")
    expect(second.locator("[data-current]")).to_have_text("Chile")
    expect(waiting(second)).to_have_count(1)
    expect(first.locator("#board [role=alert]")).to_have_count(0)
    hall.item.refresh_from_db()
    assert hall.item.list_version == 3


def test_the_server_dies_and_returns_and_the_screens_catch_up_without_a_reload(
    browser, server, hall, chair_page
):
    services.agenda_item_take_up(item=hall.item, user=hall.chair)
    room = browser.new_context().new_page()
    room.goto(hall.room(server))
    console = chair_page()
    expect(room.locator("[data-live-status]")).to_have_text("Live")
    for page in (room, console):
        page.evaluate("window.stillTheSamePage = true")

    server.kill()
    expect(console.locator("[data-live-status]")).to_have_text(
        "Connection lost: reconnecting…", timeout=10000
    )
    hall.ask("CHL")  # while the server is down
    server.start()

    expect(waiting(console)).to_have_count(1, timeout=20000)
    expect(room.locator("[data-following] li")).to_have_text(["Chile"], timeout=20000)
    expect(console.locator("[data-live-status]")).to_have_text("Live")
    _row, token = ApiToken.issue(hall.chair)  # and live again after, through the server
    response = httpx.post(
        f"{server.url}/api/v1/agenda-items/{hall.item.pk}/next",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200
    expect(room.locator("[data-current]")).to_have_text("Chile", timeout=5000)
    for page in (room, console):
        assert page.evaluate("window.stillTheSamePage") is True
