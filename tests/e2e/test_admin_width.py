"""Issue 13: the admin pages we configure are usable at 1280 pixels: the audit trail shows who
made each change and why without scrolling sideways, long reasons wrapping in their cell."""

import datetime

import pytest

from agenda.models import ListEvent
from tests.factories import AgendaItemFactory, MeetingFactory, UserFactory

LONG = "Re-added after the delegation returned to the room; " * 5


@pytest.mark.django_db(transaction=True)
def test_the_audit_trail_fits_1280_pixels(browser, server, sign_in_with_session):
    meeting = MeetingFactory()
    item = AgendaItemFactory(
        meeting=meeting,
        title="Clearance and destruction of cluster munition remnants, including Article 4 "
        "extension requests",
    )
    secretariat = UserFactory(username="secretariat-1280", is_staff=True, is_superuser=True)
    for version in range(1, 6):
        ListEvent.objects.create(
            item=item,
            action="moved",
            at=datetime.datetime(2025, 4, 7, 8, version, tzinfo=datetime.UTC),
            version=version,
            user=secretariat,
            reason=LONG,
        )
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    sign_in_with_session(context, secretariat)
    page = context.new_page()
    page.goto(f"{server.url}/admin/agenda/listevent/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    for column in ("column-user", "column-reason"):
        box = page.locator(f"#result_list th.{column}").bounding_box()
        assert box is not None and box["x"] + box["width"] <= 1280, column
    assert page.get_by_text("secretariat-1280").first.is_visible()
