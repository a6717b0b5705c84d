"""API tokens: issued once by `manage.py create_api_token`, stored as a digest, used as bearer."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from agenda.models import ApiToken, FloorRequest
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def create_api_token(*args):
    out, err = StringIO(), StringIO()
    call_command("create_api_token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_prints_the_token_once_and_stores_only_its_digest(db):
    user = UserFactory(username="president")
    out, err = create_api_token("president", "--name", " Chair's laptop ")
    token = out.strip()
    assert out == f"{token}\n"
    assert err == (
        "API token issued for president (Chair's laptop). "
        "Keep it now: it is not stored and cannot be shown again.\n"
    )
    row = ApiToken.objects.get()
    assert (row.user, row.name, row.prefix, row.digest) == (
        user, "Chair's laptop", token[:8], ApiToken.hash(token),
    )  # fmt: skip
    assert token not in (row.name, row.prefix, row.digest)
    assert len(token) >= 40
    assert ApiToken.user_for(token) == user


def test_each_run_issues_a_new_token(db):
    UserFactory(username="screen")
    first, err = create_api_token("screen")
    second, _err = create_api_token("screen")
    assert first != second
    assert err == (
        "API token issued for screen. Keep it now: it is not stored and cannot be shown again.\n"
    )
    assert list(ApiToken.objects.values_list("name", flat=True)) == ["", ""]


def test_an_unknown_user_is_a_clear_error(db):
    with pytest.raises(CommandError) as error:
        create_api_token("nobody")
    assert str(error.value) == "There is no user “nobody”."
    assert ApiToken.objects.count() == 0


def test_an_inactive_user_gets_no_token(db):
    UserFactory(username="gone", is_active=False)
    with pytest.raises(CommandError) as error:
        create_api_token("gone")
    assert str(error.value) == "The account “gone” is inactive: a token for it would be refused."
    assert ApiToken.objects.count() == 0


def test_a_name_that_is_too_long_is_refused(db):
    UserFactory(username="president")
    with pytest.raises(CommandError) as error:
        create_api_token("president", "--name", "x" * 101)
    assert str(error.value) == "The name is too long (at most 100 characters)."
    assert ApiToken.objects.count() == 0


def test_using_a_token_records_when_it_was_last_used(client, floor):
    row, token = ApiToken.issue(floor.chair, name="console")
    assert row.last_used_at is None
    before = timezone.now()
    response = client.post(
        f"/api/v1/agenda-items/{floor.item.pk}/close",
        "",
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert (response.status_code, response.json()["is_open"]) == (200, False)
    row.refresh_from_db()
    assert before <= row.last_used_at <= timezone.now()
    first_use = row.last_used_at
    client.get(
        f"/api/v1/agenda-items/{floor.item.pk}/speakers/",
        headers={"Authorization": f"Bearer {token}"},
    )
    row.refresh_from_db()
    assert row.last_used_at == first_use  # noted to the nearest five minutes, not every time
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=first_use - timedelta(minutes=6))
    client.get(
        f"/api/v1/agenda-items/{floor.item.pk}/speakers/",
        headers={"Authorization": f"Bearer {token}"},
    )
    row.refresh_from_db()
    assert first_use < row.last_used_at <= timezone.now()  # a read with a token counts too


def test_a_deleted_token_no_longer_works(client, floor):
    row, token = ApiToken.issue(floor.chair)
    row.delete()
    response = client.post(
        f"/api/v1/agenda-items/{floor.item.pk}/close",
        "",
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert (response.status_code, response.json()) == (
        401,
        {
            "detail": "This API token is not valid: it is unknown or revoked, or its account is "
            "inactive.",
            "field": None,
        },
    )
    floor.item.refresh_from_db()
    assert floor.item.list_is_open is True


def test_a_token_issued_by_the_command_works_on_the_api(client, floor):
    out, _err = create_api_token("focal-chl")
    response = client.post(
        f"/api/v1/agenda-items/{floor.item.pk}/speakers/",
        {"delegation": "CHL", "kind": "statement"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {out.strip()}"},
    )
    data = response.json()
    assert (response.status_code, data["delegation"], data["position"], data["version"]) == (
        201, {"code": "CHL", "name": "Chile"}, 1, 1,
    )  # fmt: skip
    assert (data["id"], data["added_by_chair"]) == (FloorRequest.objects.get().pk, False)
