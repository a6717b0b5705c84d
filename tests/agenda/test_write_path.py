"""The lean write of a request for the floor (issue 15): under the item's lock only the lock,
the list, one write and the commit; the same audit trail and answer as before; a cost that
does not grow with the list; and a call of the API with a bearer token that carries no session.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agenda.models import ApiToken, FloorRequest, ListEvent
from tests.helpers import ask

FILLERS = ["FRA", "AUT", "NOR", "ITA", "AFG", "LBN", "ICRC", "CMC"]


def request_floor(client, floor, code="CHL", **body):
    token = ApiToken.issue(floor.user(code))[1]
    return client.post(
        f"/api/v1/agenda-items/{floor.item.pk}/speakers/",
        {"delegation": code, "kind": "statement", **body},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


@pytest.mark.django_db
def test_the_answer_and_the_audit_event_say_the_same_place_and_version(client, floor):
    ask(floor, "FRA")
    ask(floor, "AUT")
    response = request_floor(client, floor)
    assert response.status_code == 201
    answer = response.json()
    event = ListEvent.objects.get(item=floor.item, version=3)
    assert event.action == "requested"
    assert event.entry_id == answer["id"]
    assert event.after == {
        "delegation": "CHL",
        "kind": "statement",
        "status": "waiting",
        "anchor": "",
        "position": answer["position"],
    }
    assert answer["version"] == 3
    floor.item.refresh_from_db()
    assert floor.item.list_version == 3
    assert answer["co_sponsors"] == []
    assert answer["time_limit_seconds"] > 0


@pytest.mark.django_db
def test_a_request_costs_the_same_queries_whatever_the_list_holds(client, floor):
    ask(floor, "FRA")
    with CaptureQueriesContext(connection) as short:
        assert request_floor(client, floor, "CHL").status_code == 201
    for code in FILLERS[1:]:
        ask(floor, code)
    with CaptureQueriesContext(connection) as long:
        assert request_floor(client, floor, "VUT").status_code == 201
    assert FloorRequest.objects.filter(item=floor.item).count() == len(FILLERS) + 2
    assert len(long) == len(short)


@pytest.mark.django_db
def test_a_duplicate_is_refused_with_its_place_and_nothing_is_written(client, floor):
    ask(floor, "FRA")
    ask(floor, "CHL")
    response = request_floor(client, floor)
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Your delegation is already on this list (place 2).",
        "field": "kind",
    }
    assert ListEvent.objects.filter(item=floor.item).count() == 2
    floor.item.refresh_from_db()
    assert floor.item.list_version == 2


@pytest.mark.postgres
@pytest.mark.django_db
def test_under_the_lock_a_request_reads_the_list_and_writes_once(client, floor):
    ask(floor, "FRA")
    with CaptureQueriesContext(connection) as queries:
        assert request_floor(client, floor).status_code == 201
    statements = [query["sql"] for query in queries]
    locked = next(n for n, sql in enumerate(statements) if "FOR NO KEY UPDATE" in sql)
    # The lock and the list go in one round trip; after it, one statement for the entry, the
    # version, the audit event and the notification (sent with the COMMIT when the request
    # is its own transaction), then the answer needs nothing more from the database.
    # (In a test, the transaction is a savepoint: its release stands for the commit.)
    assert '"agenda_floorrequest"' in statements[locked].split("FOR NO KEY UPDATE", 1)[1]
    after_lock = [
        sql for sql in statements[locked + 1 :] if not sql.startswith(("COMMIT", "RELEASE"))
    ]
    assert len(after_lock) == 1, after_lock
    assert "pg_notify" in after_lock[0]


@pytest.mark.django_db
def test_a_call_with_a_token_gets_no_session_and_no_cookie(client, floor):
    response = request_floor(client, floor)
    assert response.status_code == 201
    assert not response.cookies
    assert not hasattr(response.wsgi_request, "session")
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_a_signed_in_page_keeps_its_session(client, floor):
    client.force_login(floor.chair)
    response = client.get(f"/api/v1/agenda-items/{floor.item.pk}/speakers/")
    assert response.status_code == 200
    assert response.wsgi_request.user == floor.chair
