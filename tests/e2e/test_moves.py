"""The chair moves speakers on the console, in Chromium: with two points of order waiting, ↑, ↓
and the move dialog put an entry exactly at the place the chair sees and asks for (issue 10,
finding 2: a move used to land two places too low, and ↑ from the first place wrote a move).
"""

import pytest
from playwright.sync_api import expect

from agenda.models import ListEvent
from agenda.speakers import services
from delegations.models import Category
from tests.factories import (
    AgendaItemFactory,
    DelegationFactory,
    MeetingFactory,
    ParticipationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

SPEAKERS = [("FRA", "France"), ("CHL", "Chile"), ("LBN", "Lebanon"), ("AFG", "Afghanistan")]
POINTS = [("NOR", "Norway"), ("ITA", "Italy")]


@pytest.fixture
def console(browser, server, sign_in_with_session):
    meeting = MeetingFactory(slug="ccm-moves", status="in_session")
    parent = AgendaItemFactory(meeting=meeting, label="2", title="General status")
    item = AgendaItemFactory(meeting=meeting, parent=parent, label="c", title="Clearance")
    chair = UserFactory(username="president")
    meeting.presiding_officers.add(chair)
    for code, name in SPEAKERS + POINTS:
        delegation = DelegationFactory(code=code, name=name)
        ParticipationFactory(meeting=meeting, delegation=delegation, category=Category.STATE_PARTY)
        kind = "point_of_order" if (code, name) in POINTS else "statement"
        services.floor_request_create(item=item, delegation=delegation, kind=kind, user=chair)
    context = browser.new_context()
    sign_in_with_session(context, chair)
    page = context.new_page()
    page.goto(f"{server.url}/meetings/{meeting.slug}/chair/items/{item.pk}/")
    expect(page.locator("[data-live-status]")).to_have_text("Live")
    page.item = item
    yield page
    # The console stops asking the server before the database is emptied for the next test.
    context.close()


def row(page, name):
    return page.locator("#board tr[data-entry]", has_text=name)


def names(page) -> list[str]:
    rows = page.locator("#board tr[data-entry]")
    return [rows.nth(index).get_attribute("data-name") for index in range(rows.count())]


def test_up_down_and_the_dialog_put_a_speaker_exactly_where_the_chair_asks(console):
    page = console
    expect(row(page, "Lebanon").locator("td").first).to_have_text("5")
    assert names(page)[:2] == ["Norway", "Italy"]  # the points of order, places 1 and 2

    row(page, "Lebanon").get_by_role("link", name="Move Lebanon up").click()
    page.get_by_label("Reason (recorded)").fill("Minister")
    page.get_by_role("button", name="Move", exact=True).click()
    expect(row(page, "Lebanon").locator("td").first).to_have_text("4")

    row(page, "Lebanon").get_by_role("link", name="Move Lebanon down").click()
    page.get_by_label("Reason (recorded)").fill("Back")
    page.get_by_role("button", name="Move", exact=True).click()
    expect(row(page, "Lebanon").locator("td").first).to_have_text("5")

    row(page, "Afghanistan").get_by_role("link", name="Move…").click()
    page.get_by_label("To place").fill("3")
    page.get_by_label("Reason (recorded)").fill("Chair's decision")
    page.get_by_role("button", name="Move", exact=True).click()
    expect(row(page, "Afghanistan").locator("td").first).to_have_text("3")
    assert names(page) == ["Norway", "Italy", "Afghanistan", "France", "Chile", "Lebanon"]
    expect(row(page, "Afghanistan").locator(".badge", has_text="moved")).to_be_visible()

    moves = ListEvent.objects.filter(item=page.item, action="moved").count()
    row(page, "Afghanistan").get_by_role("link", name="Move Afghanistan up").click()
    page.get_by_label("Reason (recorded)").fill("Nowhere to go")
    page.get_by_role("button", name="Move", exact=True).click()
    expect(row(page, "Afghanistan").locator("td").first).to_have_text("3")
    assert ListEvent.objects.filter(item=page.item, action="moved").count() == moves
