# ruff: noqa: E501  (the table reads one route a line)
"""Who may open the chair's console, the screens and the stream: every view × every role.

Roles: anonymous, the focal point of delegation A (Chile), of delegation B (France), the
coordinator chairing another item (2(j)), the chair (the President), the secretariat.
"""

import pytest
from django.urls import reverse

from agenda.speakers import services
from meetings.models import Meeting
from tests.factories import AgendaItemFactory, UserFactory

ROLES = ("anonymous", "focal_a", "focal_b", "coordinator", "president", "secretariat")
LOGIN = 302  # anonymous: sent to sign in


def answers(*statuses):
    return dict(zip(ROLES, statuses, strict=True))


@pytest.fixture
def world(floor):
    other = AgendaItemFactory(meeting=floor.meeting, parent=floor.item.parent, label="j")
    coordinator = UserFactory(username="coordinator")
    other.facilitators.add(coordinator)
    waiting = services.floor_request_create(
        item=floor.item, delegation=floor.d["CHL"], kind="statement", user=floor.user("CHL")
    )
    users = {
        "anonymous": None,
        "focal_a": floor.user("CHL"),
        "focal_b": floor.user("FRA"),
        "coordinator": coordinator,
        "president": floor.chair,
        "secretariat": floor.secretariat,
    }
    return {"floor": floor, "other": other, "waiting": waiting, "users": users}


def url(name, floor, **kwargs):
    return reverse(name, kwargs={"slug": floor.meeting.slug, **kwargs})


ROUTES = [
    ("chair home", "GET", lambda w: url("chair_home", w["floor"]), answers(LOGIN, 403, 403, 302, 302, 302)),
    ("console 2(c)", "GET", lambda w: url("chair_console", w["floor"], pk=w["floor"].item.pk), answers(LOGIN, 403, 403, 403, 200, 200)),
    ("console 2(j)", "GET", lambda w: url("chair_console", w["floor"], pk=w["other"].pk), answers(LOGIN, 403, 403, 200, 200, 200)),
    ("board 2(c)", "GET", lambda w: url("chair_console", w["floor"], pk=w["floor"].item.pk) + "?fragment=board", answers(LOGIN, 403, 403, 403, 200, 200)),
    ("agenda nav 2(j)", "GET", lambda w: url("chair_console", w["floor"], pk=w["other"].pk) + "?fragment=agenda", answers(LOGIN, 403, 403, 200, 200, 200)),
    ("next 2(c)", "POST", lambda w: url("chair_act", w["floor"], pk=w["floor"].item.pk, action="next"), answers(LOGIN, 403, 403, 403, 302, 302)),
    ("withdraw 2(c)", "POST", lambda w: url("chair_act", w["floor"], pk=w["floor"].item.pk, action="withdraw"), answers(LOGIN, 403, 403, 403, 302, 302)),
    ("take up 2(j)", "POST", lambda w: url("chair_act", w["floor"], pk=w["other"].pk, action="take-up"), answers(LOGIN, 403, 403, 302, 302, 302)),
    ("move form 2(c)", "GET", lambda w: url("chair_move", w["floor"], pk=w["floor"].item.pk) + f"?entry={w['waiting'].pk}", answers(LOGIN, 403, 403, 403, 200, 200)),
    ("room screen", "GET", lambda w: url("room_screen", w["floor"]), answers(200, 200, 200, 200, 200, 200)),
    ("room fragment", "GET", lambda w: url("room_screen", w["floor"]) + "?fragment=screen", answers(200, 200, 200, 200, 200, 200)),
    ("banner", "GET", lambda w: url("room_banner", w["floor"]), answers(200, 200, 200, 200, 200, 200)),
    ("interpreters", "GET", lambda w: url("interpreters", w["floor"]), answers(LOGIN, 403, 403, 200, 200, 200)),
    ("server time", "GET", lambda w: reverse("server_time"), answers(200, 200, 200, 200, 200, 200)),
]  # fmt: skip


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route[0])
@pytest.mark.parametrize("role", ROLES)
def test_matrix(client, world, route, role):
    _name, method, address, expected = route
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    data = {"entry": world["waiting"].pk} if method == "POST" else None
    response = getattr(client, method.lower())(address(world), data)
    assert response.status_code == expected[role]
    if role == "anonymous" and expected[role] == LOGIN:
        assert "login" in response["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_a_refused_action_changes_nothing(client, world, role):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    floor = world["floor"]
    floor.item.refresh_from_db()
    before = floor.item.list_version
    client.post(url("chair_act", floor, pk=floor.item.pk, action="next"), {})
    floor.item.refresh_from_db()
    chairs = role in ("president", "secretariat")
    assert floor.item.list_version == before + (1 if chairs else 0)


DRAFT = answers(404, 404, 404, 404, 404, 200)


@pytest.mark.parametrize(
    "name", ["room_screen", "room_banner", "interpreters", "chair_home"], ids=str
)
@pytest.mark.parametrize("role", ROLES)
def test_a_draft_meeting_exists_for_the_secretariat_only(client, world, name, role):
    floor = world["floor"]
    Meeting.objects.filter(pk=floor.meeting.pk).update(status=Meeting.Status.DRAFT)
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    response = client.get(url(name, floor))
    expected = DRAFT[role]
    if role == "anonymous" and name in ("interpreters", "chair_home"):
        expected = LOGIN  # signing in comes first; it tells nothing of the meeting
    if role == "secretariat" and name == "chair_home":
        expected = 302
    assert response.status_code == expected
