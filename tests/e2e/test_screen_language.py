"""Issue 14: a room screen opened at its French address stays French when the list changes,
in a browser whose own language (Spanish) and cookie (Russian) say otherwise: the region it
fetches again after the live stream's news is fetched at its French address."""

import httpx
import pytest
from django.conf import settings
from playwright.sync_api import expect

from agenda.models import ApiToken
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


def test_the_french_room_screen_shows_french_after_a_live_change(browser, server):
    meeting = MeetingFactory(slug="ccm-fr", status="in_session")
    parent = AgendaItemFactory(meeting=meeting, label="2", title="General status")
    item = AgendaItemFactory(
        meeting=meeting, parent=parent, label="c", title="Clearance", title_fr="Dépollution"
    )
    chair = UserFactory(username="president")
    meeting.presiding_officers.add(chair)
    for code, name, french in (("DEU", "Germany", "Allemagne"), ("NOR", "Norway", "Norvège")):
        delegation = DelegationFactory(code=code, name=name, name_fr=french)
        ParticipationFactory(meeting=meeting, delegation=delegation, category=Category.STATE_PARTY)
        services.floor_request_create(
            item=item, delegation=delegation, kind="statement", user=chair
        )
    services.agenda_item_take_up(item=item, user=chair)

    context = browser.new_context(locale="es-ES", viewport={"width": 1920, "height": 1080})
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "ru", "url": server.url}])
    page = context.new_page()
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(f"{server.url}/fr/meetings/{meeting.slug}/room/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("[data-live-status]")).to_have_text("En direct")
    expect(page.locator(".room-item")).to_have_text("2(c) Dépollution")
    expect(page.locator("#room-current-label")).to_have_text("Le débat est ouvert")
    expect(page.locator("[data-following] li")).to_have_text(["Allemagne", "Norvège"])

    _row, token = ApiToken.issue(chair)
    answer = httpx.post(
        f"{server.url}/api/v1/agenda-items/{item.pk}/next",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 200

    expect(page.locator("[data-current]")).to_have_text("Allemagne", timeout=3000)
    expect(page.locator("#room-current-label")).to_have_text("A la parole")
    expect(page.locator("[data-following] li")).to_have_text(["Norvège"])
    expect(page.locator("[data-count]")).to_have_text("1 orateur en attente")
    fragments = [url for url in fetched if "fragment=" in url]
    assert fragments
    assert all(
        url.startswith(f"{server.url}/fr/meetings/{meeting.slug}/room/?fragment=screen")
        for url in fragments
    ), fragments
