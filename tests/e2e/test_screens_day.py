"""Issue 13 in Chromium, against uvicorn on the test database: the item's public page follows
the chair without a reload, and the room screen warns in words before a speaker's limit."""

import re
from datetime import timedelta

import httpx
import pytest
from playwright.sync_api import expect

from agenda.models import ApiToken, FloorRequest
from agenda.speakers import limits, services, speeches
from delegations.models import Category
from tests.e2e.test_accessibility import SLUG, violations
from tests.e2e.test_accessibility import meeting_day as meeting_day
from tests.factories import (
    AgendaItemFactory,
    DelegationFactory,
    MeetingFactory,
    ParticipationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def day():
    meeting = MeetingFactory(slug="ccm-day", status="in_session", room="Room XIX")
    parent = AgendaItemFactory(meeting=meeting, label="2", title="General status")
    item = AgendaItemFactory(meeting=meeting, parent=parent, label="c", title="Clearance")
    chair = UserFactory(username="president")
    meeting.presiding_officers.add(chair)
    for code, name in (("CHL", "Chile"), ("FRA", "France"), ("NOR", "Norway")):
        delegation = DelegationFactory(code=code, name=name)
        ParticipationFactory(meeting=meeting, delegation=delegation, category=Category.STATE_PARTY)
        services.floor_request_create(
            item=item, delegation=delegation, kind="statement", user=chair
        )
    services.agenda_item_take_up(item=item, user=chair)
    return item, chair


def call_next(server, item, chair):
    """The chair calls the next speaker, through the server (as the console does)."""
    _row, token = ApiToken.issue(chair)
    response = httpx.post(
        f"{server.url}/api/v1/agenda-items/{item.pk}/next",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200


def test_the_public_item_page_follows_the_chair_without_a_reload(browser, server, day):
    item, chair = day
    page = browser.new_context().new_page()
    page.goto(server.url + item.get_absolute_url())
    expect(page.locator("[data-live-status]")).to_have_text("This list updates by itself.")
    expect(page.locator("[data-waiting] li")).to_have_text(["Chile", "France", "Norway"])
    expect(page.locator("[data-current]")).to_have_count(0)
    page.evaluate("window.stillTheSamePage = true")

    call_next(server, item, chair)

    expect(page.locator("[data-current]")).to_contain_text("Has the floor: Chile", timeout=3000)
    expect(page.locator("[data-waiting] li")).to_have_text(["France", "Norway"])
    expect(page.locator("[data-count]")).to_have_text("2 speakers waiting · List open")

    call_next(server, item, chair)
    expect(page.locator("[data-current]")).to_contain_text("France", timeout=3000)
    expect(page.locator("[data-done] li")).to_have_text(["Chile"])
    assert page.evaluate("window.stillTheSamePage") is True


def test_the_room_screen_warns_in_words_near_the_limit(browser, server, day):
    item, chair = day
    limits.time_limit_set(item=item, kind="statement", seconds=33, user=chair)
    room = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    room.goto(f"{server.url}/meetings/{item.meeting.slug}/room/")
    expect(room.locator("[data-live-status]")).to_have_text("Live")
    countdown = room.locator("[data-countdown]")
    word = room.locator("[data-clock-word]")

    call_next(server, item, chair)

    expect(countdown).to_have_text(re.compile(r"^0:3[0-3]$"), timeout=3000)
    # In the last 30 seconds the countdown is framed and says so in words.
    expect(word).to_have_text("Time almost up", timeout=6000)
    expect(countdown).to_have_class(re.compile(r"\bwarning\b"))

    speaking = FloorRequest.objects.get(item=item, status="speaking")
    _row, token = ApiToken.issue(chair)
    response = httpx.post(  # through the server, which announces it on any database
        f"{server.url}/api/v1/speakers/{speaking.pk}/pause",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200
    expect(word).to_have_text("Paused", timeout=3000)
    expect(countdown).not_to_have_class(re.compile(r"\bwarning\b"))


def test_the_new_states_of_the_screens_have_no_accessibility_violation(
    browser, server, sign_in_with_session, meeting_day
):
    """axe on what issue 13 adds: the count and "List closed", the booths' choice of how many
    they see and its notice, the banner without its countdown, the words beside the countdown
    (time almost up, then paused), the item page's designated presenters and live list."""
    item, chair = meeting_day, meeting_day.meeting.presiding_officers.get()
    services.speakers_list_set_open(item=item, is_open=False, user=chair)
    speaking = FloorRequest.objects.get(item=item, status="speaking")
    FloorRequest.objects.filter(pk=speaking.pk).update(
        started_at=speaking.started_at - timedelta(seconds=285)
    )
    meeting = f"/meetings/{SLUG}"
    public = [f"{meeting}/room/", f"{meeting}/room/banner/?countdown=off", item.get_absolute_url()]
    booths = [f"{meeting}/interpreters/?show=2", f"{meeting}/interpreters/?show=lots"]
    found = violations(browser, server, sign_in_with_session, None, public)
    found += violations(browser, server, sign_in_with_session, "president", booths)
    speeches.speaker_pause(entry=speaking, user=chair)
    found += violations(browser, server, sign_in_with_session, None, public[:1])
    assert found == [], "\n".join(found)
