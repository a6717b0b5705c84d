"""Issue 14: Arabic reads right to left, and the layout holds in it as in English — the public
pages, My delegation, the chair's console and the room screen, at a desktop and a phone size.

The layout checks of the other browser tests, for Arabic too: nothing makes the page scroll
sideways, nothing visible sticks out of the window, the console shows the speaker and "Next
speaker" on its first screen at 200 % zoom. Arabic pages are mirrored (the product's name on the
right, spacing and borders on the side where a line starts), and codes and countdowns such as
"2(c)" and "+0:12" read left to right inside Arabic text."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from agenda.models import FloorRequest
from tests.e2e.test_accessibility import SIZES, SLUG, meeting_in_session

ROOT = Path(__file__).resolve().parents[2]
ROOM = {"width": 1920, "height": 1080}

# Every visible element that sticks out of the window sideways, unless it sits in a box that
# scrolls or clips it and is itself in the window (a wide table in .table-responsive).
STICKING_OUT = """() => {
  const width = document.documentElement.clientWidth;
  const clipped = (element) => {
    for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
      if (getComputedStyle(box).overflowX === 'visible') continue;
      const own = box.getBoundingClientRect();  // a box that scrolls, itself in the window
      return own.left >= -1 && own.right <= width + 1;
    }
    return false;
  };
  const found = [];
  for (const element of document.body.querySelectorAll('*')) {
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    if (box.width <= 1 || box.height <= 1 || style.visibility === 'hidden') continue;
    if (style.clip !== 'auto' || style.clipPath !== 'none') continue;  // visually hidden
    if ((box.left < -1 || box.right > width + 1) && !clipped(element)) {
      const name = element.tagName.toLowerCase() + (element.id ? '#' + element.id : '')
        + (element.className && typeof element.className === 'string'
           ? '.' + element.className.trim().split(/\\s+/).join('.') : '');
      found.push(`${name} [${Math.round(box.left)}, ${Math.round(box.right)}]`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, found: found.slice(0, 8)};
}"""


# The characters of an element's text, in the order they appear from left to right on screen.
def seen_and_written(element) -> tuple[str, str]:
    """`element`'s text as seen from left to right, and as written, both taken at the same
    instant (a countdown ticks between two separate reads)."""
    seen, written = element.evaluate(f"(e) => [({SEEN_LEFT_TO_RIGHT})(e), e.textContent]")
    return seen, written


SEEN_LEFT_TO_RIGHT = """(element) => {
  const seen = [];
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.length; i++) {
      if (!node.data[i].trim()) continue;
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      seen.push([range.getBoundingClientRect().left, node.data[i]]);
    }
  }
  return seen.sort((a, b) => a[0] - b[0]).map(([, c]) => c).join('');
}"""


@pytest.fixture
def meeting_day(transactional_db):
    """The demo in session, 2(c) under discussion, Chile speaking, three waiting."""
    return meeting_in_session()


def pages_of(item) -> dict[str | None, list[str]]:
    meeting = f"/meetings/{SLUG}"
    return {
        None: [
            "/",
            f"{meeting}/",
            f"{meeting}/items/{item.pk}/",
            f"{meeting}/delegations/",
            f"{meeting}/statements/",
            f"{meeting}/record/",
            f"{meeting}/record/items/{item.pk}/",
        ],
        "focal-pol": [f"{meeting}/my-delegation/POL/"],
        "president": [f"{meeting}/chair/items/{item.pk}/"],
    }


def open_page(browser, server, sign_in, username, language, viewport):
    context = browser.new_context(viewport=viewport)
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": server.url}]
    )
    if username:
        sign_in(context, get_user_model().objects.get(username=username))
    return context.new_page()


def layout_faults(page, path: str, language: str, answer) -> list[str]:
    if answer.status != 200:
        return [f"{path}: answered {answer.status}"]
    html = page.locator("html")
    expected = ("ar", "rtl") if language == "ar" else (language, "ltr")
    found = (html.get_attribute("lang"), html.get_attribute("dir"))
    faults = [] if found == expected else [f"{path}: lang and dir are {found}"]
    result = page.evaluate(STICKING_OUT)
    if result["scrollWidth"] > result["width"]:
        faults.append(f"{path}: scrolls sideways ({result['scrollWidth']} > {result['width']})")
    faults += [f"{path}: sticks out: {element}" for element in result["found"]]
    return faults


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("size", list(SIZES))
def test_the_pages_hold_their_layout_in_arabic_as_in_english(
    browser, server, sign_in_with_session, meeting_day, language, size
):
    faults = []
    for username, paths in pages_of(meeting_day).items():
        page = open_page(browser, server, sign_in_with_session, username, language, SIZES[size])
        for path in paths:
            faults += layout_faults(page, path, language, page.goto(server.url + path))
        page.context.close()
    page = open_page(browser, server, sign_in_with_session, None, language, ROOM)
    answer = page.goto(f"{server.url}/meetings/{SLUG}/room/")
    faults += layout_faults(page, "room screen", language, answer)
    assert faults == [], "\n".join(faults)


def test_arabic_pages_are_mirrored(browser, server, sign_in_with_session, meeting_day):
    """The product's name at the right, the language menu at the left; the speaker's place
    marked on the side where Arabic lines start (the right)."""
    page = open_page(browser, server, sign_in_with_session, None, "ar", SIZES["desktop"])
    page.goto(f"{server.url}/meetings/{SLUG}/")
    width = SIZES["desktop"]["width"]
    brand = page.locator(".navbar-brand").bounding_box()
    menu = page.locator(".language-menu").bounding_box()
    assert brand["x"] > width / 2 > menu["x"] + menu["width"]

    page = open_page(browser, server, sign_in_with_session, "focal-pol", "ar", SIZES["phone"])
    page.goto(f"{server.url}/meetings/{SLUG}/my-delegation/POL/")
    place = page.locator(".floor-place").first
    expect(place).to_be_visible()
    borders = place.evaluate(
        "(e) => [getComputedStyle(e).borderRightWidth, getComputedStyle(e).borderLeftWidth]"
    )
    assert borders == ["4px", "0px"]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_at_200_percent_zoom_the_console_shows_the_speaker_and_next(
    browser, server, sign_in_with_session, meeting_day, language
):
    page = open_page(
        browser, server, sign_in_with_session, "president", language, {"width": 640, "height": 800}
    )
    page.goto(f"{server.url}/meetings/{SLUG}/chair/items/{meeting_day.pk}/")
    with translation.override(language):
        next_speaker = gettext("Next speaker")
    height = page.viewport_size["height"]
    for locator in (
        page.locator("#board [data-current]"),
        page.get_by_role("button", name=re.compile(re.escape(next_speaker))),
    ):
        expect(locator).to_be_visible()
        box = locator.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= height, box
        assert box["x"] >= 0 and box["x"] + box["width"] <= 640, box
    assert page.evaluate("window.scrollY") == 0


def test_codes_and_countdowns_read_left_to_right_in_arabic(
    browser, server, sign_in_with_session, meeting_day
):
    """Chile far over its limit: the Arabic room screen, the banner, the console and the
    interpreters' view show "2(c)" and the countdown ("+55:00") as written, not turned around
    by the right-to-left text around them."""
    FloorRequest.objects.filter(item=meeting_day, status="speaking").update(
        started_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=60 * 60),
    )
    room = open_page(browser, server, sign_in_with_session, None, "ar", ROOM)
    room.goto(f"{server.url}/meetings/{SLUG}/room/")
    code = room.locator(".room-code")
    assert code.evaluate(SEEN_LEFT_TO_RIGHT) == "2(c)"
    assert code.evaluate("(e) => getComputedStyle(e).direction") == "ltr"
    # At the right of the title, with its gap on the title's side (the left).
    title = room.locator(".room-item").bounding_box()
    box = code.bounding_box()
    assert title["x"] + title["width"] - (box["x"] + box["width"]) < 2
    margins = code.evaluate(
        "(e) => [getComputedStyle(e).marginLeft, getComputedStyle(e).marginRight]"
    )
    assert margins[1] == "0px" and margins[0] != "0px"
    countdown = room.locator("[data-countdown]")
    expect(countdown).to_have_text(re.compile(r"^\+\d+:\d\d$"))
    seen, written = seen_and_written(countdown)
    assert seen == written

    banner = open_page(browser, server, sign_in_with_session, None, "ar", ROOM)
    banner.goto(f"{server.url}/meetings/{SLUG}/room/banner/")
    assert banner.locator(".lower-third-detail bdi").evaluate(SEEN_LEFT_TO_RIGHT) == "2(c)"

    console = open_page(browser, server, sign_in_with_session, "president", "ar", ROOM)
    console.goto(f"{server.url}/meetings/{SLUG}/chair/items/{meeting_day.pk}/")
    code = console.locator("#board-heading .agenda-code bdi")
    assert code.get_attribute("dir") == "ltr"
    assert code.evaluate(SEEN_LEFT_TO_RIGHT) == "2(c)"
    move_on = console.locator('button[data-shortcut="i"] bdi')  # "Move to item 2(d)", in Arabic
    assert move_on.evaluate(SEEN_LEFT_TO_RIGHT) == "2(d)"
    countdown = console.locator("#board [data-countdown]")
    expect(countdown).to_have_text(re.compile(r"^\+\d+:\d\d$"))
    seen, written = seen_and_written(countdown)
    assert seen == written

    booth = open_page(browser, server, sign_in_with_session, "interpreter", "ar", ROOM)
    booth.goto(f"{server.url}/meetings/{SLUG}/interpreters/")
    assert booth.locator("h1 .agenda-code").evaluate(SEEN_LEFT_TO_RIGHT) == "2(c)"
    countdown = booth.locator("[data-countdown]").first
    seen, written = seen_and_written(countdown)
    assert seen == written

    desk = open_page(browser, server, sign_in_with_session, "focal-pol", "ar", SIZES["phone"])
    desk.goto(f"{server.url}/meetings/{SLUG}/my-delegation/POL/")
    assert desk.locator(".floor-now bdi").evaluate(SEEN_LEFT_TO_RIGHT) == "2(c)"
    desk.goto(f"{server.url}/meetings/{SLUG}/my-delegation/POL/items/{meeting_day.pk}/statements/")
    assert desk.locator("h1 bdi").evaluate(SEEN_LEFT_TO_RIGHT) == "2(c)"

    public = open_page(browser, server, sign_in_with_session, None, "ar", SIZES["phone"])
    public.goto(f"{server.url}/meetings/{SLUG}/")
    codes = public.locator(".agenda-code")
    assert [codes.nth(i).evaluate(SEEN_LEFT_TO_RIGHT) for i in range(codes.count())][:3] == [
        "2",
        "2(a)",
        "2(b)",
    ]


def test_the_style_sheets_say_start_and_end_not_left_and_right():
    """Margins, paddings, borders, alignment and positions follow the direction of the text
    (margin-inline-start…), so that Arabic pages are mirrored by the same rules."""
    physical = re.compile(
        r"(margin|padding|border)-(left|right)|text-align:\s*(left|right)|[;{\s](left|right):"
    )
    found = [
        f"{sheet.name}:{number}: {line.strip()}"
        for sheet in sorted((ROOT / "static" / "css").glob("*.css"))
        for number, line in enumerate(sheet.read_text().splitlines(), 1)
        if physical.search(line)
    ]
    assert found == [], "\n".join(found)
