"""The chair's console by keyboard alone and at 200 % zoom, in Chromium (issue 13): a short
session without a mouse — a request added by the chair, Next, a point of order, a move, a
withdrawal undone, End — with the focus on the row acted on or on "Next speaker" after each
action, never on the page's body; at 640 px wide (1280 px at 200 %) the speaker who has the floor
and "Next speaker" are on the first screen."""

import time
from datetime import timedelta

import pytest
from django.db.models import F
from playwright.sync_api import expect

from agenda.models import FloorRequest
from agenda.speakers import services, speeches
from agenda.speakers.selectors import speakers_list
from delegations.models import Category
from tests.e2e.test_accessibility import AXE, RUN_AXE
from tests.factories import (
    AgendaItemFactory,
    DelegationFactory,
    MeetingFactory,
    ParticipationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

DELEGATIONS = [("FRA", "France"), ("CHL", "Chile"), ("LBN", "Lebanon"), ("NOR", "Norway")]


@pytest.fixture
def meeting_item():
    meeting = MeetingFactory(slug="ccm-keys", status="in_session")
    parent = AgendaItemFactory(meeting=meeting, label="2", title="General status")
    item = AgendaItemFactory(meeting=meeting, parent=parent, label="c", title="Clearance")
    chair = UserFactory(username="president")
    meeting.presiding_officers.add(chair)
    delegations = {}
    for code, name in DELEGATIONS:
        delegations[code] = DelegationFactory(code=code, name=name)
        ParticipationFactory(
            meeting=meeting, delegation=delegations[code], category=Category.STATE_PARTY
        )
    for code in ("FRA", "CHL"):
        services.floor_request_create(
            item=item, delegation=delegations[code], kind="statement", user=chair
        )
    return meeting, item, chair


def open_console(browser, server, sign_in_with_session, meeting, item, chair, **context):
    browser_context = browser.new_context(**context)
    sign_in_with_session(browser_context, chair)
    page = browser_context.new_page()
    page.goto(f"{server.url}/meetings/{meeting.slug}/chair/items/{item.pk}/")
    expect(page.locator("[data-live-status]")).to_have_text("Live")
    return page


def focused(page) -> dict:
    """What has the focus: its tag, its text, the row it is in."""
    return page.evaluate(
        """() => {
          const element = document.activeElement;
          const row = element && element.closest("tr[data-entry]");
          return {
            tag: element ? element.tagName.toLowerCase() : null,
            id: element ? element.id : null,
            text: element ? element.textContent.replace(/\\s+/g, " ").trim() : "",
            row: row ? row.dataset.name : null,
            inControls: !!(element && element.closest("[data-controls]")),
          };
        }"""
    )


def expect_focus(page, **wanted) -> dict:
    """Wait (up to 5 s) for the focus to settle where `wanted` says; never on the body."""

    def matches(now) -> bool:
        return now["tag"] not in (None, "body") and all(
            value in now[key] if key == "text" else now[key] == value
            for key, value in wanted.items()
        )

    deadline = time.monotonic() + 5
    now = focused(page)
    while not matches(now) and time.monotonic() < deadline:
        page.wait_for_timeout(100)
        now = focused(page)
    assert matches(now), now
    return now


def waiting_names(page) -> list[str]:
    rows = page.locator("#board tr[data-entry]")
    return [rows.nth(index).get_attribute("data-name") for index in range(rows.count())]


def test_a_keyboard_only_session_keeps_the_focus_where_the_chair_works(
    browser, server, sign_in_with_session, meeting_item
):
    meeting, item, chair = meeting_item
    page = open_console(browser, server, sign_in_with_session, meeting, item, chair)
    keyboard = page.keyboard

    # The tab order starts with what the chair uses most: a skip link to the controls, Next.
    keyboard.press("Tab")
    expect_focus(page, text="Skip to main content")
    keyboard.press("Tab")
    expect_focus(page, text="Skip to the speaker's controls")
    keyboard.press("Enter")
    expect_focus(page, id="controls")
    keyboard.press("Tab")
    expect_focus(page, text="Next speaker", inControls=True)

    # The chair adds a request: "/" goes to the box; the box is ready for the next one after.
    keyboard.press("Escape")
    keyboard.press("/")
    expect_focus(page, id="add-delegation")
    keyboard.type("leb")
    keyboard.press("Enter")
    expect(page.locator("#board tr[data-entry]", has_text="Lebanon")).to_be_visible()
    expect(page.locator("#add-delegation")).to_have_value("")
    expect_focus(page, id="add-delegation")
    assert waiting_names(page) == ["France", "Chile", "Lebanon"]

    # Next: France has the floor, the focus on "Next speaker".
    page.evaluate("document.activeElement.blur()")
    keyboard.press("n")
    expect(page.locator("#board [data-current]")).to_contain_text("France")
    expect_focus(page, text="Next speaker", inControls=True)

    # A point of order from the add box: Norway has the floor at once.
    keyboard.press("/")
    keyboard.type("norw")
    for _ in range(12):
        keyboard.press("Tab")
        now = focused(page)
        if now["tag"] == "button" and now["text"].startswith("Point of order"):
            break
    keyboard.press("Enter")
    expect(page.locator("#board [data-current]")).to_contain_text("Norway")
    expect(page.locator("#add-delegation")).to_have_value("")
    expect_focus(page, id="add-delegation")

    # End the point of order by its key: the focus stays on the console's controls.
    page.evaluate("document.activeElement.blur()")
    keyboard.press("e")
    expect(page.locator("#board [data-current]")).not_to_contain_text("Norway")
    expect_focus(page, inControls=True)

    # A move: ↓ chooses Lebanon, M opens the dialog, the place and reason are typed.
    page.evaluate("document.activeElement.blur()")
    keyboard.press("ArrowDown")
    keyboard.press("m")
    expect_focus(page, id="move-reason")
    keyboard.type("Minister")
    keyboard.press("Shift+Tab")
    expect_focus(page, id="move-position")
    keyboard.press("Control+a")
    keyboard.type("1")
    keyboard.press("Enter")
    expect(page.locator("#board tr[data-entry]").first).to_have_attribute("data-name", "Lebanon")
    expect_focus(page, row="Lebanon")

    # Withdraw the one chosen (W): it leaves the list, the focus goes to Next; Z undoes it,
    # and the focus comes back to its row.
    keyboard.press("w")
    expect(page.locator("[data-undo]")).to_contain_text("Lebanon withdrawn — Undo")
    expect_focus(page, text="Next speaker", inControls=True)
    assert "Lebanon" not in waiting_names(page)
    keyboard.press("z")
    expect(page.locator("#board tr[data-entry]", has_text="Lebanon")).to_be_visible()
    expect_focus(page, row="Lebanon")
    assert waiting_names(page)[0] == "Lebanon"

    # Next, then End by their keys: the focus on "Next speaker" after each.
    page.evaluate("document.activeElement.blur()")
    keyboard.press("n")
    expect(page.locator("#board [data-current]")).not_to_have_text("Nobody has the floor.")
    expect_focus(page, text="Next speaker", inControls=True)
    speaking = speakers_list(item).current
    keyboard.press("e")
    expect(page.locator("#board [data-current]")).to_have_text("Nobody has the floor.")
    expect_focus(page, text="Next speaker", inControls=True)
    assert FloorRequest.objects.get(pk=speaking.pk).status == "spoken"


def test_at_200_percent_zoom_the_speaker_and_next_are_on_the_first_screen(
    browser, server, sign_in_with_session, meeting_item
):
    meeting, item, chair = meeting_item
    speeches.speaker_call_next(item=item, user=chair)
    page = open_console(
        browser,
        server,
        sign_in_with_session,
        meeting,
        item,
        chair,
        viewport={"width": 640, "height": 800},
    )
    height = page.viewport_size["height"]
    for locator in (
        page.get_by_role("heading", name="Has the floor"),
        page.locator("#board [data-current]"),
        page.get_by_role("button", name="Next speaker"),
    ):
        expect(locator).to_be_visible()
        box = locator.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= height, box
    assert page.evaluate("window.scrollY") == 0
    expect(page.locator("#board [data-current]")).to_contain_text("France")


@pytest.mark.parametrize(
    "viewport", [{"width": 640, "height": 800}, {"width": 1280, "height": 800}]
)
def test_the_undo_offer_and_the_word_before_the_limit_pass_axe(
    browser, server, sign_in_with_session, meeting_item, viewport
):
    meeting, item, chair = meeting_item
    speeches.speaker_call_next(item=item, user=chair)
    FloorRequest.objects.filter(item=item, status="speaking").update(
        started_at=F("started_at") - timedelta(seconds=280)
    )
    chile = speakers_list(item).waiting[0]
    services.floor_request_withdraw(entry=chile, user=chair)
    browser_context = browser.new_context(viewport=viewport, bypass_csp=True)
    sign_in_with_session(browser_context, chair)
    page = browser_context.new_page()
    page.goto(f"{server.url}/meetings/{meeting.slug}/chair/items/{item.pk}/?undo={chile.pk}")
    expect(page.locator("[data-undo]")).to_contain_text("Chile withdrawn — Undo")
    expect(page.locator("[data-limit-warning]")).to_have_text("Time almost up")
    page.add_script_tag(path=str(AXE))
    assert page.evaluate(RUN_AXE) == []
