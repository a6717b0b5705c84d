"""Two application servers, one PostgreSQL (docs/deploy.md, "Two application servers"): a
request for the floor made through one server reaches the live streams opened on the other,
within the live goal (a request for the floor shows on the chair's console within a second,
tests/e2e/test_live.py), and the other server's list shows it at once.

Two uvicorn processes on two ports stand in for two hosts; they share nothing but the database
(PostgreSQL's NOTIFY carries every committed change to every server process).
"""

import json
import time

import httpx
import pytest
from django.db import connections
from django.urls import reverse

from agenda.models import ApiToken, ListEvent
from tests.agenda.test_stream import Client
from tests.e2e.conftest import Server, database_url, free_port
from tests.factories import (
    AgendaItemFactory,
    DelegationFactory,
    FocalPointFactory,
    MeetingFactory,
    ParticipationFactory,
    UserFactory,
)

LIVE_GOAL_SECONDS = 1.0
"""A request for the floor shows on every screen within a second."""


@pytest.fixture(scope="module")
def two_servers(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        if connections["default"].vendor != "postgresql":
            pytest.skip("two servers share a PostgreSQL database")
        url = database_url()
    servers = [Server(url, free_port()), Server(url, free_port())]
    try:
        for server in servers:
            server.start()
        yield servers
    finally:
        for server in servers:
            server.stop()


@pytest.fixture
def meeting_with_chile(db):
    meeting = MeetingFactory(slug="two-servers")
    item = AgendaItemFactory(meeting=meeting, label="1", title="General debate")
    chile = DelegationFactory(code="CHL", name="Chile")
    ParticipationFactory(meeting=meeting, delegation=chile, category="state_party")
    focal = FocalPointFactory(user=UserFactory(username="focal-chl"), delegation=chile).user
    return item, ApiToken.issue(focal)[1]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_request_made_on_one_server_reaches_the_streams_of_the_other(
    two_servers, meeting_with_chile
):
    one, other = two_servers
    item, token = meeting_with_chile
    path = reverse("meeting_stream", kwargs={"slug": item.meeting.slug})
    speakers = f"/api/v1/agenda-items/{item.pk}/speakers/"
    for server in two_servers:  # each has served a request: its code is loaded
        assert httpx.get(f"{server.url}{speakers}", timeout=30).status_code == 200
    assert httpx.post(f"{one.url}{speakers}", json={}, timeout=30).status_code == 401
    streams = [Client(other, path), Client(other, path), Client(one, path)]
    try:
        time.sleep(0.3)  # the streams are subscribed
        asked = time.monotonic()
        response = httpx.post(
            f"{one.url}{speakers}",
            json={"delegation": "CHL", "kind": "statement"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        events = [stream.next_event(timeout=5) for stream in streams]
        elapsed = time.monotonic() - asked
    finally:
        for stream in streams:
            stream.close()
    assert response.status_code == 201, response.text
    row = ListEvent.objects.get(item=item)
    for event in events:
        assert event is not None
        assert event["id"] == str(row.pk)
        assert json.loads(event["data"]) == {
            "meeting": "two-servers",
            "item": item.pk,
            "version": 1,
            "action": "requested",
            "event": row.pk,
        }
    assert elapsed < LIVE_GOAL_SECONDS
    # The other server's list has it at once: they share the database, nothing else.
    listed = httpx.get(f"{other.url}{speakers}", timeout=10).json()
    assert [entry["delegation"]["code"] for entry in listed["waiting"]] == ["CHL"]
    assert listed["version"] == 1
