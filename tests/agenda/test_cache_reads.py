"""What a request for the floor reads, and what it keeps (issue 15): the token checked in one
plain query and never kept (a revoked token, an account made inactive, is refused on the very
next call), and the categories of participant kept per process for as long as their rows are
unchanged (a change shows on the very next request, whoever made it)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agenda.models import ApiToken
from delegations.models import ParticipantCategory

pytestmark = pytest.mark.django_db


def call(client, token, floor, code="CHL", kind="statement"):
    return client.post(
        f"/api/v1/agenda-items/{floor.item.pk}/speakers/",
        {"delegation": code, "kind": kind},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def read(client, token):
    return client.get("/api/v1/meetings/", headers={"Authorization": f"Bearer {token}"})


def test_a_revoked_token_is_refused_on_the_next_call(client, floor):
    row, token = ApiToken.issue(floor.user("CHL"))
    assert read(client, token).status_code == 200
    row.delete()
    assert read(client, token).status_code == 401
    assert call(client, token, floor).status_code == 401


def test_an_account_made_inactive_is_refused_on_the_next_call(client, floor):
    user = floor.user("CHL")
    token = ApiToken.issue(user)[1]
    assert read(client, token).status_code == 200
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    assert read(client, token).status_code == 401
    assert call(client, token, floor).status_code == 401


def test_a_new_password_revokes_at_once(client, floor):
    user = floor.user("CHL")
    token = ApiToken.issue(user)[1]
    assert read(client, token).status_code == 200
    user.set_password("a new and long passphrase")
    user.save()
    assert read(client, token).status_code == 401


def test_the_token_is_one_query_and_gives_the_whole_account(client, floor):
    user = floor.user("CHL")
    token = ApiToken.issue(user)[1]
    assert read(client, token).status_code == 200  # the first use is noted
    with CaptureQueriesContext(connection) as queries:
        found = ApiToken.user_for(token)
    assert len(queries) == 1
    assert found == user
    assert (found.username, found.is_active, found.is_staff) == (user.username, True, False)
    assert found.date_joined == user.date_joined  # an aware datetime on every database
    assert found.date_joined.tzinfo is not None
    assert ApiToken.user_for(token + "x") is None


def categories_read(queries) -> int:
    table = ParticipantCategory._meta.db_table
    return sum(
        f'FROM "{table}"' in query["sql"] and "string_agg" not in query["sql"]
        for query in queries.captured_queries
    )


@pytest.mark.postgres
def test_a_request_for_the_floor_keeps_the_categories_while_they_are_unchanged(client, floor):
    tokens = {code: ApiToken.issue(floor.user(code))[1] for code in ("CHL", "FRA", "AUT")}
    assert call(client, tokens["CHL"], floor, "CHL").status_code == 201
    with CaptureQueriesContext(connection) as queries:
        assert call(client, tokens["FRA"], floor, "FRA").status_code == 201
    assert categories_read(queries) == 0
    ParticipantCategory.objects.filter(code="ngo").update(name="NGO")
    with CaptureQueriesContext(connection) as queries:
        assert call(client, tokens["AUT"], floor, "AUT").status_code == 201
    assert categories_read(queries) == 1


@pytest.mark.postgres
def test_a_change_of_the_categories_orders_the_next_request_at_once(client, floor):
    """ICRC (red cross) waits before CMC (the coalition) while red cross ranks first; once the
    coalition ranks first, CMC's next request is placed before ICRC at once."""
    tokens = {code: ApiToken.issue(floor.user(code))[1] for code in ("ICRC", "CMC", "HRW")}
    assert call(client, tokens["ICRC"], floor, "ICRC").json()["position"] == 1
    assert call(client, tokens["CMC"], floor, "CMC").json()["position"] == 2
    ranks = dict(ParticipantCategory.objects.values_list("code", "rank"))
    ParticipantCategory.objects.filter(code="cmc").update(rank=ranks["red_cross"] - 1)
    answer = call(client, tokens["HRW"], floor, "HRW").json()
    assert answer["position"] == 3
    order = client.get(f"/api/v1/agenda-items/{floor.item.pk}/speakers/").json()["waiting"]
    assert [entry["delegation"]["code"] for entry in order] == ["CMC", "ICRC", "HRW"]
