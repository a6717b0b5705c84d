"""A focal point in Room XXI, on a phone: signs in, requests the floor, sees their place,
hands in a statement, withdraws. Once with JavaScript, once without."""

import re

import pytest
from axes.utils import reset as reset_lockouts
from playwright.sync_api import expect

from agenda.demo.load import demo_load
from agenda.models import AgendaItem, FloorRequest, Statement
from tests.documents import pdf_bytes

PHONE = {"width": 390, "height": 844}
SLUG = "ccm-intersessional-2025"


@pytest.fixture(autouse=True)
def _no_lockouts(transactional_db):
    """Failed sign-ins of one test never lock another out."""
    reset_lockouts()
    yield
    reset_lockouts()


@pytest.fixture
def demo(transactional_db):
    """Item 2(c) of the demo meeting, under discussion. Not the shared demo of tests/conftest.py
    (rolled back, never committed): the server the browser talks to must see it."""
    demo_load(password="correct horse battery")
    item = AgendaItem.objects.get(meeting__slug=SLUG, parent__label="2", label="c")
    AgendaItem.objects.filter(pk=item.pk).update(under_discussion=True)  # the chair took it up
    return item


def asked(code):
    """The requests the test made (the demo's delivered session has spoken entries of its
    own): those not delivered."""
    return FloorRequest.objects.filter(delegation__code=code, started_at=None)


def test_a_focal_point_requests_the_floor_hands_in_a_statement_and_withdraws(
    server, page, login, demo, tmp_path
):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.set_viewport_size(PHONE)

    login(page, "focal-chl")
    expect(page).to_have_url(f"{server.url}/meetings/{SLUG}/my-delegation/CHL/")
    expect(page.get_by_role("heading", name="Chile", level=1)).to_be_visible()
    expect(page.locator(".floor-now")).to_contain_text("Under discussion now: 2(c)")

    item = page.locator(f"#item-{demo.pk}")
    item.get_by_label("Kind of request").select_option("statement")
    item.get_by_label("Speaker's name").fill("Camila Rojas")
    item.get_by_label("Language of delivery").select_option("es")
    item.get_by_role("button", name="Request the floor").dblclick()  # in a hurry

    item = page.locator(f"#item-{demo.pk}")
    expect(item).to_contain_text("Statement: place 1 of 1. You speak next.")
    expect(item).to_contain_text("Speaker: Camila Rojas · Spanish")
    assert asked("CHL").count() == 1
    page.screenshot(path=str(tmp_path.parent / "focal-point-phone.png"), full_page=True)

    # Asking again offers only what Chile may still ask for on 2(c): a statement only on
    # behalf of its group (GRULAC, in the demo), not a second one in its own name; not its
    # extension request, presented already in the demo's session. (The page again: which of
    # the double click's two answers the browser shows is a race.)
    page.goto(f"{server.url}/meetings/{SLUG}/my-delegation/CHL/")
    item = page.locator(f"#item-{demo.pk}")
    item.get_by_text("Request the floor again, for another kind").click()
    expect(item.get_by_label("Kind of request").locator("option")).to_have_text(
        ["Statement", "Response", "Right of reply"]
    )
    item.get_by_label("Kind of request").select_option("statement")
    item.get_by_role("button", name="Request the floor").click()
    item = page.locator(f"#item-{demo.pk}")
    expect(item).to_contain_text("Your delegation is already on this list (place 1).")
    assert asked("CHL").count() == 1

    # The statement, as a PDF.
    item.get_by_role("link", name=re.compile("Hand in your statement")).click()
    statement = tmp_path / "Chile 2(c).pdf"
    statement.write_bytes(pdf_bytes())
    page.get_by_label("File").set_input_files(str(statement))
    page.get_by_label("Language of this version").select_option("es")
    page.get_by_role("button", name="Hand in the statement").click()
    expect(page.get_by_role("status")).to_have_text("Your statement on 2(c) is handed in.")
    with page.expect_download() as download:
        page.get_by_role("link", name="Spanish").click()
    assert download.value.suggested_filename == "CHL-2c-statement-es.pdf"
    assert download.value.path().read_bytes() == pdf_bytes()

    # Back to the list, and withdraw.
    page.get_by_role("link", name="Back to the list of speakers").click()
    item = page.locator(f"#item-{demo.pk}")
    item.get_by_role("button", name=re.compile("^Withdraw")).click()
    item = page.locator(f"#item-{demo.pk}")
    expect(item.get_by_role("status")).to_contain_text("Withdrawn: your request on 2(c).")
    expect(
        item.get_by_role("status").get_by_role("button", name=re.compile("^Undo"))
    ).to_be_visible()
    expect(item).to_contain_text("Statement: withdrawn")

    entry = asked("CHL").get()
    assert (entry.status, entry.speaker_name, entry.language) == ("withdrawn", "Camila Rojas", "es")
    assert Statement.objects.get().files.get().language == "es"
    # The browser notes the refused requests' answers (400 Bad Request), and nothing else.
    assert set(errors) <= {
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    }


def test_the_essentials_work_without_javascript(server, browser, demo):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(f"{server.url}/accounts/login/")
    page.get_by_label("Username").fill("focal-fra")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{server.url}/meetings/{SLUG}/my-delegation/FRA/")

    item = page.locator(f"#item-{demo.pk}")
    item.get_by_role("button", name="Request the floor").click()
    item = page.locator(f"#item-{demo.pk}")
    expect(item).to_contain_text("Statement: place 1 of 1.")
    item.get_by_role("button", name=re.compile("^Withdraw")).click()
    expect(page.locator(f"#item-{demo.pk}")).to_contain_text("Withdrawn: your request on 2(c).")
    assert asked("FRA").get().status == "withdrawn"
    context.close()


def test_a_wrong_password_five_times_locks_the_sign_in_with_a_reason(server, page, demo):
    page.goto(f"{server.url}/accounts/login/")
    for _ in range(5):
        page.get_by_label("Username").fill("focal-aut")
        page.get_by_label("Password").fill("not the password")
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Too many failed sign-ins for this username from your address."
    )
    expect(page.get_by_role("alert")).to_be_focused()
