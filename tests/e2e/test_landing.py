"""Issue 13: each role signs in on the demo and lands where it works, in the browser; the
console's time panel names the meeting's zone. (The error pages are the site's own when DEBUG
is off: tests/agenda/test_start.py; this server runs with DEBUG on.)"""

import pytest
from axes.utils import reset as reset_lockouts
from playwright.sync_api import expect

from agenda.demo.load import demo_load

SLUG = "ccm-intersessional-2025"


@pytest.fixture
def demo(transactional_db):
    reset_lockouts()
    demo_load(password="correct horse battery")
    yield
    reset_lockouts()


@pytest.mark.parametrize(
    ("username", "lands", "heading"),
    [
        ("president", f"/meetings/{SLUG}/chair/items/", "Has the floor"),
        ("focal-chl", f"/meetings/{SLUG}/my-delegation/CHL/", "Chile"),
        ("interpreter", f"/meetings/{SLUG}/interpreters/", None),
        ("secretariat", "/start/", "Your screens"),
    ],
)
def test_each_role_lands_where_it_works(server, page, login, demo, username, lands, heading):
    login(page, username)
    page.wait_for_load_state()
    assert page.url.startswith(server.url + lands), page.url
    if heading:
        expect(page.get_by_text(heading).first).to_be_visible()
    assert "Not for this account" not in page.content()


def test_the_console_names_the_meetings_time_zone(server, page, login, demo):
    login(page, "president")
    page.wait_for_load_state()
    panel = page.locator("[data-clock]").first
    expect(panel).to_be_visible()
    assert "CET" in page.content() or "CEST" in page.content()
