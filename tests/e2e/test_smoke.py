import pytest

from tests.factories import MeetingFactory


@pytest.mark.django_db(transaction=True)
def test_the_programme_opens_in_chromium_with_no_console_error(server, page):
    MeetingFactory(short_title="CCM Intersessional 2025", room="Room XXI")
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(server.url + "/")
    assert page.locator("h1").first.inner_text() != ""
    assert "Room XXI" in page.content()
    assert errors == []
