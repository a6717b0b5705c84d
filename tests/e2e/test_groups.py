"""Speaking on behalf of a group, in Chromium: Austria's focal point, on a phone in the room,
asks to speak for the European Union; the room screen, already open, says so at once and again
when Austria has the floor."""

import httpx
import pytest
from playwright.sync_api import expect

from agenda.models import ApiToken, FloorRequest
from agenda.speakers import services
from delegations.models import Category, Delegation
from tests.factories import (
    AgendaItemFactory,
    DelegationFactory,
    FocalPointFactory,
    GroupFactory,
    MeetingFactory,
    ParticipationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def session():
    """2(c) under discussion at a meeting in session, with the European Union (its own
    delegation; Austria and Italy its members) and Chile, in no group, already on the list."""
    meeting = MeetingFactory(slug="ccm-groups", status="in_session", room="Room XXI")
    parent = AgendaItemFactory(meeting=meeting, label="2", title="General status")
    item = AgendaItemFactory(meeting=meeting, parent=parent, label="c", title="Clearance")
    chair = UserFactory(username="president")
    meeting.presiding_officers.add(chair)
    delegations = {}
    for code, name, category in (
        ("AUT", "Austria", Category.STATE_PARTY),
        ("ITA", "Italy", Category.STATE_PARTY),
        ("CHL", "Chile", Category.STATE_PARTY),
        ("EU", "European Union", Category.INTERNATIONAL_ORGANIZATION),
    ):
        kind = Delegation.Kind.ORGANIZATION if code == "EU" else Delegation.Kind.STATE
        delegations[code] = DelegationFactory(code=code, name=name, kind=kind)
        ParticipationFactory(meeting=meeting, delegation=delegations[code], category=category)
    GroupFactory(
        meeting=meeting,
        code="EU",
        name="the European Union",
        delegation=delegations["EU"],
        members=[delegations["AUT"], delegations["ITA"]],
    )
    focal = FocalPointFactory(user=UserFactory(username="focal-aut"), delegation=delegations["AUT"])
    services.agenda_item_take_up(item=item, user=chair)
    services.floor_request_create(
        item=item, delegation=delegations["CHL"], kind="statement", user=chair
    )
    return meeting, item, chair, focal.user


def test_a_member_asks_from_a_phone_to_speak_for_the_union_and_the_room_screen_says_so(
    browser, server, session, sign_in_with_session
):
    meeting, item, chair, user = session
    room = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    room.goto(f"{server.url}/meetings/{meeting.slug}/room/")
    expect(room.locator("[data-live-status]")).to_have_text("Live")
    expect(room.locator("[data-following] li")).to_have_text(["Chile"])

    phone = browser.new_context(viewport=PHONE)
    sign_in_with_session(phone, user)
    page = phone.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(f"{server.url}/meetings/{meeting.slug}/my-delegation/AUT/")
    panel = page.locator(f"#item-{item.pk}")
    choice = panel.get_by_label("On behalf of")
    expect(choice.locator("option")).to_have_text(
        ["Austria, in its own name", "The European Union"]
    )
    choice.select_option(label="The European Union")
    panel.get_by_label("Language of delivery").select_option("en")  # no usual language yet
    panel.get_by_role("button", name="Request the floor").click()

    panel = page.locator(f"#item-{item.pk}")
    expect(panel.get_by_role("status")).to_have_text(
        "Your delegation is on the list of 2(c), on behalf of the European Union: place 1 of 2."
    )
    expect(panel.locator(".floor-capacity")).to_have_text(
        "Austria, on behalf of the European Union"
    )
    # The Union's statement comes first among the statements; the room screen follows live.
    expect(room.locator("[data-following] li")).to_have_text(
        ["Austria, on behalf of the European Union", "Chile"], timeout=3000
    )

    # The chair calls the next speaker, through the server (which tells its screens).
    _row, token = ApiToken.issue(chair)
    response = httpx.post(
        f"{server.url}/api/v1/agenda-items/{item.pk}/next",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200
    expect(room.locator("[data-current]")).to_have_text(
        "Austria, on behalf of the European Union", timeout=3000
    )
    entry = FloorRequest.objects.get(delegation__code="AUT")
    assert entry.on_behalf_of.code == "EU"
    assert errors == []


def test_the_chair_adds_a_panellist_by_keyboard_and_marks_them_remote(
    browser, server, session, sign_in_with_session
):
    meeting, item, chair, _user = session
    context = browser.new_context()
    sign_in_with_session(context, chair)
    console = context.new_page()
    console.goto(f"{server.url}/meetings/{meeting.slug}/chair/items/{item.pk}/")
    expect(console.locator("[data-live-status]")).to_have_text("Live")
    room = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    room.goto(f"{server.url}/meetings/{meeting.slug}/room/")
    expect(room.locator("[data-live-status]")).to_have_text("Live")

    console.keyboard.press("g")
    expect(console.get_by_label("Name", exact=True)).to_be_focused()
    console.keyboard.type("Dr Ana Reyes")
    console.get_by_label("Title (optional)").fill("Panellist")
    console.get_by_label("Organisation (optional)").fill("Survivor network")
    console.locator("[data-guest-form]").get_by_role("button", name="Add to the list").click()

    rows = console.locator("#board tr[data-entry]")
    expect(rows).to_have_count(2)
    panellist = rows.nth(1)
    expect(panellist).to_have_attribute("data-name", "Dr Ana Reyes")
    expect(panellist).to_contain_text("Panellist, Survivor network")
    panellist.get_by_label("Where Dr Ana Reyes delivers from").select_option("remote")
    panellist.get_by_role("button", name="Set where Dr Ana Reyes delivers from").click()

    expect(
        console.locator("#board tr[data-entry]").nth(1).locator("[data-presence]")
    ).to_have_attribute("data-presence", "remote")
    expect(room.locator("[data-following] li").nth(1)).to_have_text(
        "Dr Ana Reyes Panellist, Survivor network Remote", timeout=3000
    )
