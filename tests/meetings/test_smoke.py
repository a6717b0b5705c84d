import pytest

from tests.factories import MeetingFactory


@pytest.mark.django_db
def test_home_shows_the_current_published_meeting(client):
    meeting = MeetingFactory(short_title="CCM Intersessional 2025")
    response = client.get("/")
    assert response.status_code == 200
    assert meeting.short_title in response.content.decode()
