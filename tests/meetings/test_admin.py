"""Every admin page the secretariat uses opens for it, and is refused to a focal point."""

import pytest
from django.contrib import admin
from django.urls import reverse

from agenda.models import ApiToken
from tests.factories import DelegationFactory, FocalPointFactory, UserFactory

MODELS = sorted((model._meta.app_label, model._meta.model_name) for model in admin.site._registry)


# The list of speakers changes only through its services, and statements are handed in by
# their delegations: no add in the admin. Sign-in attempts and lockouts are recorded by
# django-axes when people sign in: the admin shows them (and deletes one to lift a lockout)
# but cannot add one.
READ_ONLY = {
    ("agenda", "floorrequest"),
    ("agenda", "listevent"),
    ("agenda", "statement"),
    # Notes and proposals are written on the record pages, through the services that audit
    # them (agenda/outcome); their audit trail is read-only.
    ("agenda", "recordnote"),
    ("agenda", "proposal"),
    ("agenda", "outcomeevent"),
    ("axes", "accessattempt"),
    ("axes", "accessfailurelog"),
    ("axes", "accesslog"),
}


@pytest.fixture
def secretariat(db):
    return UserFactory(username="secretariat", is_staff=True, is_superuser=True)


@pytest.fixture
def focal_point(db):
    return FocalPointFactory(
        user=UserFactory(username="focal-chl"), delegation=DelegationFactory(code="CHL")
    ).user


def test_the_secretariat_can_edit_every_part_of_a_meeting():
    assert {
        ("meetings", "meeting"),
        ("meetings", "sitting"),
        ("meetings", "document"),
        ("delegations", "delegation"),
        ("delegations", "participation"),
        ("delegations", "delegate"),
        ("delegations", "focalpoint"),
        ("agenda", "agendaitem"),
    } <= set(MODELS)


# The admin's view is called `view`, not `page`: `page` is the browser tests' fixture, and a
# parameter of that name would start a browser for these tests.
@pytest.mark.parametrize(("app_label", "model_name"), MODELS)
@pytest.mark.parametrize("view", ["changelist", "add"])
def test_admin_page_opens_for_the_secretariat(client, secretariat, app_label, model_name, view):
    client.force_login(secretariat)
    response = client.get(reverse(f"admin:{app_label}_{model_name}_{view}"))
    refused = view == "add" and (app_label, model_name) in READ_ONLY
    assert response.status_code == (403 if refused else 200)


@pytest.mark.parametrize(("app_label", "model_name"), MODELS)
@pytest.mark.parametrize("view", ["changelist", "add"])
def test_admin_page_is_refused_to_a_focal_point(client, focal_point, app_label, model_name, view):
    client.force_login(focal_point)
    url = reverse(f"admin:{app_label}_{model_name}_{view}")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_secretariat_issues_an_api_token_shown_once(client, secretariat):
    client.force_login(secretariat)
    response = client.post(
        reverse("admin:agenda_apitoken_add"),
        {"user": secretariat.pk, "name": "room screen"},
        follow=True,
    )
    token_row = ApiToken.objects.get()
    shown = [str(m) for m in response.context["messages"]]
    assert shown[0].startswith("The token for secretariat is ")
    assert shown[0].endswith(" — copy it now: it will not be shown again.")
    token = shown[0].split(" is ")[1].split(" ")[0]
    assert ApiToken.user_for(token) == secretariat
    assert token_row.digest != token
    assert token_row.prefix == token[:8]
