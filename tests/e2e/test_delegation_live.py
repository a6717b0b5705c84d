"""A focal point's phone in the room follows the meeting without a reload (issue 13): it says
"You are next", then "You have the floor", when the chair calls the next speaker from another
place (through the server); a Withdraw tapped by mistake is undone and the request is back in
its place. The states the page then shows hold no accessibility violation."""

import re

import httpx
import pytest
from playwright.sync_api import expect

from agenda.models import ApiToken, FloorRequest
from agenda.speakers import services
from delegations.models import Category
from tests.e2e.test_accessibility import AXE, RUN_AXE
from tests.factories import (
    AgendaItemFactory,
    DelegationFactory,
    FocalPointFactory,
    MeetingFactory,
    ParticipationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
LIVE = "Live: this page follows the meeting."


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
        for code, name in (("FRA", "France"), ("CHL", "Chile"), ("NOR", "Norway")):
            delegation = DelegationFactory(code=code, name=name)
            ParticipationFactory(
                meeting=self.meeting, delegation=delegation, category=Category.STATE_PARTY
            )
            self.delegations[code] = delegation
            self.focal[code] = FocalPointFactory(
                user=UserFactory(username=f"focal-{code.lower()}"), delegation=delegation
            ).user
        services.agenda_item_take_up(item=self.item, user=self.chair)

    def ask(self, code):
        return services.floor_request_create(
            item=self.item, delegation=self.delegations[code], kind="statement", user=self.chair
        )

    def desk(self, server, code="CHL"):
        return f"{server.url}/meetings/{self.meeting.slug}/my-delegation/{code}/"


@pytest.fixture
def hall():
    return Hall()


@pytest.fixture
def phone(browser, server, hall, sign_in_with_session):
    """Chile's focal point's phone, on the delegation's page, following the stream (the
    context lets axe in: the page itself runs no inline script)."""
    context = browser.new_context(viewport=PHONE, bypass_csp=True)
    sign_in_with_session(context, hall.focal["CHL"])
    page = context.new_page()
    page.goto(hall.desk(server))
    expect(page.locator("[data-live-status]")).to_have_text(LIVE)
    page.evaluate("window.stillTheSamePage = true")
    return page


def no_violations(page):
    page.add_script_tag(path=str(AXE))
    assert page.evaluate(RUN_AXE) == []


def chair_calls_next(server, hall, token):
    response = httpx.post(
        f"{server.url}/api/v1/agenda-items/{hall.item.pk}/next",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200


def test_the_phone_says_you_are_next_then_you_have_the_floor_without_a_reload(
    server, hall, browser, sign_in_with_session, tmp_path
):
    hall.ask("FRA")
    hall.ask("CHL")
    context = browser.new_context(viewport=PHONE, bypass_csp=True)  # for axe alone
    sign_in_with_session(context, hall.focal["CHL"])
    page = context.new_page()
    page.goto(hall.desk(server))
    expect(page.locator("[data-live-status]")).to_have_text(LIVE)
    page.evaluate("window.stillTheSamePage = true")
    notice = page.locator("#floor-notice")
    region = page.locator(f"#item-{hall.item.pk}-live")
    expect(region).to_contain_text("Statement: place 2 of 2.")
    expect(notice).to_have_text("")
    # The sound and vibration: offered, off until the delegate switches them on.
    switch = page.get_by_role("switch", name="Sound and vibration when you are next")
    expect(switch).not_to_be_checked()

    _row, token = ApiToken.issue(hall.chair)
    chair_calls_next(server, hall, token)  # France has the floor: Chile is next

    expect(notice).to_contain_text("You are next", timeout=3000)
    expect(notice).to_have_attribute("role", "status")
    expect(region).to_contain_text("Statement: place 1 of 1. You are next.")
    expect(page.locator(f"#item-{hall.item.pk}-badges")).to_contain_text("Place 1")
    page.screenshot(path=str(tmp_path.parent / "delegation-next-phone.png"))
    no_violations(page)

    switch.check()
    chair_calls_next(server, hall, token)  # Chile has the floor

    expect(notice).to_contain_text("You have the floor", timeout=3000)
    expect(notice).not_to_contain_text("You are next")
    expect(region).to_contain_text("Statement: your delegation has the floor.")
    expect(region.get_by_role("button", name=re.compile("^Withdraw"))).to_have_count(0)
    page.screenshot(path=str(tmp_path.parent / "delegation-floor-phone.png"))
    no_violations(page)
    assert page.evaluate("window.stillTheSamePage") is True

    # The switch is remembered in this browser.
    page.reload()
    expect(page.get_by_role("switch", name="Sound and vibration when you are next")).to_be_checked()


def test_withdraw_then_undo_puts_the_request_back_in_its_place(server, hall, phone, tmp_path):
    hall.ask("FRA")
    hall.ask("CHL")
    hall.ask("NOR")
    phone.reload()
    item = phone.locator(f"#item-{hall.item.pk}")
    expect(item).to_contain_text("Statement: place 2 of 3.")

    item.get_by_role("button", name=re.compile("^Withdraw")).click()
    note = phone.locator(f"#item-{hall.item.pk} .floor-note")
    expect(note).to_contain_text("Withdrawn: your request on 2(c).")
    expect(item).to_contain_text("Statement: withdrawn")
    assert FloorRequest.objects.get(delegation__code="CHL").status == "withdrawn"

    phone.screenshot(path=str(tmp_path.parent / "delegation-undo-phone.png"))
    no_violations(phone)
    note.get_by_role("button", name=re.compile("^Undo")).click()
    item = phone.locator(f"#item-{hall.item.pk}")
    expect(item.locator(".floor-note")).to_have_text(
        "Your request on 2(c) is back in its place: place 2."
    )
    expect(item).to_contain_text("Statement: place 2 of 3.")
    assert FloorRequest.objects.get(delegation__code="CHL").status == "waiting"


def test_after_a_few_seconds_the_undo_says_it_is_too_late(server, hall, phone):
    hall.ask("CHL")
    phone.reload()
    item = phone.locator(f"#item-{hall.item.pk}")
    item.get_by_role("button", name=re.compile("^Withdraw")).click()
    note = phone.locator(f"#item-{hall.item.pk} .floor-note")
    expect(note.get_by_role("button", name=re.compile("^Undo"))).to_be_visible()
    # The offer's time is up (as it would be a few seconds later).
    phone.locator("form[data-undo-until]").evaluate("form => form.dataset.undoUntil = '1'")
    expect(note.get_by_role("button", name=re.compile("^Undo"))).to_have_count(0)
    expect(note).to_contain_text("Too late to undo: request the floor again if you wish.")
    no_violations(phone)


def test_undo_works_without_javascript(server, browser, hall, sign_in_with_session):
    hall.ask("FRA")
    hall.ask("CHL")
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    sign_in_with_session(context, hall.focal["CHL"])
    page = context.new_page()
    page.goto(hall.desk(server))
    item = page.locator(f"#item-{hall.item.pk}")
    item.get_by_role("button", name=re.compile("^Withdraw")).click()
    page.locator(f"#item-{hall.item.pk} .floor-note").get_by_role(
        "button", name=re.compile("^Undo")
    ).click()
    expect(page.locator(f"#item-{hall.item.pk}")).to_contain_text(
        "Your request on 2(c) is back in its place: place 2."
    )
    assert FloorRequest.objects.get(delegation__code="CHL").status == "waiting"
