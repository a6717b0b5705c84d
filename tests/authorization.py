"""The authorisation matrix, as a table: every address × the six roles → the expected answer.

A table is a list of `Route`s. Each route says how to build its address (and body) in a fresh
`World`, and what each role gets. `check()` signs the role in (a session for pages, a bearer
token for the API), sends the request, compares the status, and for a write checks that a
refusal changed nothing in the database or the outbox (and that an accepted write did change
something).

To add a table (e.g. the chair's screens), write `tests/test_authorization_<part>.py`:

    from tests.authorization import ROLES, Route, answers, check, uncovered, world  # noqa: F401

    ROUTES = [Route("chair console", "GET", lambda w: ..., answers(302, 403, 403, 200, 200, 200),
                    covers="chair_console"), ...]

    @pytest.mark.parametrize("route", ROUTES, ids=str)
    @pytest.mark.parametrize("role", ROLES)
    def test_matrix(client, world, route, role):
        check(client, world, route, role)

    def test_every_address_is_in_the_table():
        assert uncovered(ROUTES, modules={"agenda.chair_views"}) == []
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from agenda.models import (
    AgendaItem,
    ApiToken,
    FloorRequest,
    ListEvent,
    Presenter,
    Statement,
    StatementFile,
)
from agenda.speakers import services
from agenda.statements.services import statement_create, statement_file_add
from delegations.models import Category, Delegation, FocalPoint
from meetings.models import Meeting
from meetings.roles import SECRETARIAT_GROUP
from tests.documents import pdf_bytes
from tests.factories import (
    AgendaItemFactory,
    DelegationFactory,
    FocalPointFactory,
    MeetingFactory,
    ParticipationFactory,
    UserFactory,
)

ROLES = ("anonymous", "focal_a", "focal_b", "coordinator", "president", "secretariat")


def answers(
    anonymous: int, focal_a: int, focal_b: int, coordinator: int, president: int, secretariat: int
) -> dict[str, int]:
    """The status each role gets, in the order of ROLES."""
    return dict(
        zip(ROLES, (anonymous, focal_a, focal_b, coordinator, president, secretariat), strict=True)
    )


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


@dataclass
class World:
    """A published meeting with two items and a draft meeting; delegation A (Chile), B (France)
    and the coordinator's (Austria); one account per role, each with an API token.

    - focal_a acts for Chile, focal_b for France;
    - coordinator acts for Austria and chairs item 2(j), not 2(c);
    - president is the meeting's presiding officer (chairs every item);
    - secretariat is staff in the Secretariat group, with the model permissions of the admin.
    """

    meeting: Meeting
    draft: Meeting
    item: AgendaItem  # 2(c): nobody but the President and the secretariat chairs it
    chaired: AgendaItem  # 2(j): chaired by the coordinator
    a: Delegation
    b: Delegation
    users: dict
    tokens: dict[str, str] = field(default_factory=dict)

    def request(self, delegation: Delegation | None = None, item=None, kind="statement"):
        """A waiting request for the floor (made by the delegation's focal point)."""
        delegation = delegation or self.a
        user = self.users["focal_a"] if delegation == self.a else self.users["secretariat"]
        return services.floor_request_create(
            item=item or self.item, delegation=delegation, kind=kind, user=user
        )

    def speaking(self, item=None):
        """A request that has the floor."""
        item = item or self.item
        entry = self.request(item=item)
        services.speaker_call_next(item=item, user=self.users["president"])
        entry.refresh_from_db()
        return entry

    def statement(self, *, item=None, languages=("en",), published=False) -> Statement:
        """Chile's statement on an item, with a PDF per language."""
        user = self.users["focal_a"]
        first, *others = languages
        statement = statement_create(
            item=item or self.item,
            delegation=self.a,
            user=user,
            language=first,
            file=SimpleUploadedFile("s.pdf", pdf_bytes()),
            is_published=published,
        )
        for language in others:
            statement_file_add(
                statement=statement,
                user=user,
                language=language,
                file=SimpleUploadedFile("s.pdf", pdf_bytes()),
            )
        return statement

    @property
    def slug(self) -> str:
        return self.meeting.slug


@pytest.fixture
def world(db) -> World:
    meeting = MeetingFactory(slug="ccm-2025", status=Meeting.Status.IN_SESSION)
    draft = MeetingFactory(slug="ccm-draft", status=Meeting.Status.DRAFT)
    parent = AgendaItemFactory(meeting=meeting, label="2", title="General status")
    item = AgendaItemFactory(meeting=meeting, parent=parent, label="c", title="Clearance")
    chaired = AgendaItemFactory(meeting=meeting, parent=parent, label="j", title="Concerns")
    AgendaItemFactory(meeting=draft, label="1", title="Draft item")
    a = DelegationFactory(code="CHL", name="Chile")
    b = DelegationFactory(code="FRA", name="France")
    c = DelegationFactory(code="AUT", name="Austria")
    for delegation in (a, b, c):
        ParticipationFactory(meeting=meeting, delegation=delegation, category=Category.STATE_PARTY)
    Presenter.objects.create(item=item, delegation=a, kind="extension_request")
    chaired.coordinators.add(c)

    users = {
        "focal_a": FocalPointFactory(user=UserFactory(username="focal-a"), delegation=a).user,
        "focal_b": FocalPointFactory(user=UserFactory(username="focal-b"), delegation=b).user,
        "coordinator": FocalPointFactory(
            user=UserFactory(username="coordinator"), delegation=c
        ).user,
        "president": UserFactory(username="president"),
        "secretariat": UserFactory(username="secretariat", is_staff=True),
    }
    chaired.facilitators.add(users["coordinator"])
    meeting.presiding_officers.add(users["president"])
    group, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["meetings", "delegations", "agenda", "auth"]
        )
    )
    users["secretariat"].groups.add(group)
    for user in users.values():
        user.email = f"{user.username}@example.org"
        user.save()
    tokens = {role: ApiToken.issue(user)[1] for role, user in users.items()}
    return World(meeting, draft, item, chaired, a, b, users, tokens)


@dataclass(frozen=True)
class Route:
    """One address of the site, what it takes, and what each role gets."""

    label: str
    method: str
    url: Callable[[World], str]
    expect: dict[str, int]
    covers: str  # the URL name, or "METHOD /api/v1/path" for the API
    data: Callable[[World], dict] | None = None
    api: bool = False
    writes: bool = False

    def __str__(self) -> str:
        return self.label


def snapshot() -> dict:
    """Everything a write could change."""
    return {
        "requests": sorted(
            FloorRequest.objects.values_list("pk", "status", "pinned_position", "paused_at")
        ),
        "events": ListEvent.objects.count(),
        "items": sorted(AgendaItem.objects.values_list("pk", "list_is_open", "list_version")),
        "statements": sorted(
            Statement.objects.values_list("pk", "is_published", "check_against_delivery")
        ),
        "files": sorted(StatementFile.objects.values_list("pk", "language")),
        "focal_points": FocalPoint.objects.count(),
        "mail": len(getattr(mail, "outbox", [])),
    }


LOGIN_PAGES = ("/accounts/login/", "/admin/login/")


def refused(route: Route, response) -> bool:
    if response.status_code in (401, 403, 404, 405):
        return True
    location = response.get("Location", "")
    return response.status_code == 302 and location.startswith(LOGIN_PAGES)


def check(client, world: World, route: Route, role: str):
    """Send the route's request as `role`; compare the answer; for a write, check what changed."""
    url = route.url(world)
    data = route.data(world) if route.data else {}
    before = snapshot() if route.writes else None
    if route.api:
        headers = (
            {} if role == "anonymous" else {"HTTP_AUTHORIZATION": f"Bearer {world.tokens[role]}"}
        )
        if route.method == "GET":
            response = client.get(url, **headers)
        else:
            response = client.generic(
                route.method, url, json.dumps(data), content_type="application/json", **headers
            )
    else:
        if role != "anonymous":
            client.force_login(world.users[role])
        response = client.get(url) if route.method == "GET" else client.post(url, data)
    assert response.status_code == route.expect[role], (
        f"{route.label} as {role}: {response.status_code}, expected {route.expect[role]}"
    )
    if route.writes:
        after = snapshot()
        if refused(route, response):
            assert after == before, f"{route.label} as {role} was refused but changed {after}"
        else:
            assert after != before, f"{route.label} as {role} was accepted but changed nothing"
    return response


def _patterns(resolver: URLResolver, prefix: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def uncovered(routes: list[Route], *, modules: set[str], api=None) -> list[str]:
    """The addresses served by `modules` (and the API's operations, if `api` is given) that no
    route of `routes` covers."""
    covered = {route.covers for route in routes}
    missing = [
        f"{path} ({pattern.name})"
        for path, pattern in _patterns(get_resolver())
        if getattr(pattern.callback, "__module__", "") in modules and pattern.name not in covered
    ]
    if api is not None:
        schema = api.get_openapi_schema()
        missing += [
            f"{method.upper()} {path}"
            for path, methods in schema["paths"].items()
            for method in methods
            if f"{method.upper()} {path}" not in covered
        ]
    return missing
