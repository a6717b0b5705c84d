"""The machinery of the authorisation matrix (tests/test_authorization.py): the roles, the world
they act in, a route of the table, the check of one route for one role, and the guard that
finds the addresses no route covers.

A route says how to build its address (and body) in a fresh `World`, and what each role gets:
a status, or `LOGIN` / `ADMIN_LOGIN` (302 to the sign-in page, or the admin's, with `next=` the
address asked for). `check()` signs the role in (a session for pages, a bearer token for the
API), sends the request and compares the answer; every HTML answer must hold the strict Content
Security Policy (`tests.pages`); for a write it compares the database and the outbox before and
after: a refused write changed nothing, an accepted one changed something.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

import pytest
from asgiref.sync import sync_to_async
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.http import QueryDict
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from agenda.live import stream
from agenda.models import (
    AgendaItem,
    ApiToken,
    LapAction,
    LapArea,
    MandateReference,
    Presenter,
    Statement,
)
from agenda.roles import INTERPRETERS_GROUP
from agenda.speakers import services, speeches
from agenda.statements.services import statement_create, statement_file_add
from delegations.models import Category, Delegation
from meetings.models import Meeting
from meetings.roles import SECRETARIAT_GROUP
from tests.documents import pdf_bytes
from tests.factories import (
    AgendaItemFactory,
    DelegateFactory,
    DelegationFactory,
    DocumentFactory,
    FocalPointFactory,
    GroupFactory,
    GuestFactory,
    MeetingFactory,
    ParticipationFactory,
    SittingFactory,
    UserFactory,
)
from tests.pages import assert_strict_page, is_html

ROLES = (
    "anonymous",
    "focal_a",
    "focal_b",
    "coordinator",
    "president",
    "interpreter",
    "secretariat",
)
LOGIN = "302 to sign in"  # the site's sign-in page, next= the address asked for
ADMIN_LOGIN = "302 to the admin's sign-in"

Answer = int | str


def answers(
    anonymous: Answer,
    focal_a: Answer,
    focal_b: Answer,
    coordinator: Answer,
    president: Answer,
    interpreter: Answer,
    secretariat: Answer,
) -> dict[str, Answer]:
    """What each role gets, in the order of ROLES."""
    given = (anonymous, focal_a, focal_b, coordinator, president, interpreter, secretariat)
    return dict(zip(ROLES, given, strict=True))


def everyone(answer: Answer) -> dict[str, Answer]:
    return dict.fromkeys(ROLES, answer)


# --- the world ---------------------------------------------------------------------------------


@dataclass
class World:
    """A meeting in session with items 2, 2(c) and 2(j), and a draft meeting; delegations A
    (Chile), B (France) and the coordinator's (Austria); one account per role, each with an API
    token. 2(c) is taken up in a sitting, cites a document, and A presents an extension
    request on it; A has a delegate, and takes part in the draft meeting too. The meeting has
    a group, GRULAC, of which A is the only member, and a speaker without a delegation.

    - focal_a acts for Chile, focal_b for France;
    - coordinator acts for Austria, which coordinates 2(j), and chairs 2(j), not 2(c);
    - president is the meeting's presiding officer (chairs every item);
    - interpreter is in the Interpreters group (agenda.roles.INTERPRETERS_GROUP);
    - secretariat is staff in the Secretariat group, with the model permissions of our apps
      (as agenda/demo/load.py gives them).

    `client` is the test's client: a route whose page needs a step in the session first (an
    invitation link opened) takes it. `made` keeps what a route's address made, for its body.
    """

    meeting: Meeting
    draft: Meeting
    item: AgendaItem  # 2(c): nobody but the President and the secretariat chairs it
    chaired: AgendaItem  # 2(j): chaired by the coordinator
    draft_item: AgendaItem  # item 1 of the draft meeting
    a: Delegation
    b: Delegation
    action: LapAction  # action 33 of the Lausanne Action Plan, in area "victim-assistance"
    users: dict
    client: object
    tokens: dict[str, str] = field(default_factory=dict)
    made: dict = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return self.meeting.slug

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
        speeches.speaker_call_next(item=item, user=self.users["president"])
        entry.refresh_from_db()
        return entry

    def spoken(self, item=None):
        """A delivered entry of the record: A spoke."""
        entry = self.speaking(item)
        speeches.speaker_end(entry=entry, user=self.users["president"])
        entry.refresh_from_db()
        return entry

    def take_up(self, item=None):
        services.agenda_item_take_up(item=item or self.item, user=self.users["president"])
        return item or self.item

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


def _make_world() -> World:
    meeting = MeetingFactory(slug="ccm-2025", status=Meeting.Status.IN_SESSION)
    draft = MeetingFactory(slug="ccm-draft", status=Meeting.Status.DRAFT)
    parent = AgendaItemFactory(meeting=meeting, label="2", title="General status")
    item = AgendaItemFactory(meeting=meeting, parent=parent, label="c", title="Clearance")
    chaired = AgendaItemFactory(meeting=meeting, parent=parent, label="j", title="Concerns")
    draft_item = AgendaItemFactory(meeting=draft, label="1", title="Draft item")
    a = DelegationFactory(code="CHL", name="Chile")
    b = DelegationFactory(code="FRA", name="France")
    c = DelegationFactory(code="AUT", name="Austria")
    for delegation in (a, b, c):
        ParticipationFactory(meeting=meeting, delegation=delegation, category=Category.STATE_PARTY)
    ParticipationFactory(meeting=draft, delegation=a, category=Category.STATE_PARTY)
    DelegateFactory(participation=a.participations.get(meeting=meeting), name="Ana Soto",
                    gender="woman")  # fmt: skip
    chaired.coordinators.add(c)
    GroupFactory(meeting=meeting, code="GRULAC", name="GRULAC", members=[a])
    GuestFactory(meeting=meeting, name="Dr Ana Reyes", title="Panellist")
    Presenter.objects.create(item=item, delegation=a, kind="extension_request")
    item.sittings.add(SittingFactory(meeting=meeting))
    MandateReference.objects.create(
        item=item,
        document=DocumentFactory(symbol="CCM/MSP/2024/11", meeting=meeting),
        paragraph="87",
    )
    area = LapArea.objects.create(
        slug="victim-assistance", title="Victim assistance", first_action=31, last_action=37
    )
    action = LapAction.objects.create(area=area, number=33, title="Victims' needs")

    users = {
        "focal_a": FocalPointFactory(user=UserFactory(username="focal-a"), delegation=a).user,
        "focal_b": FocalPointFactory(user=UserFactory(username="focal-b"), delegation=b).user,
        "coordinator": FocalPointFactory(
            user=UserFactory(username="coordinator"), delegation=c
        ).user,
        "president": UserFactory(username="president"),
        "interpreter": UserFactory(username="interpreter"),
        "secretariat": UserFactory(username="secretariat", is_staff=True),
    }
    chaired.facilitators.add(users["coordinator"])
    meeting.presiding_officers.add(users["president"])
    users["interpreter"].groups.add(Group.objects.create(name=INTERPRETERS_GROUP))
    secretariat = Group.objects.create(name=SECRETARIAT_GROUP)
    secretariat.permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["meetings", "delegations", "agenda", "auth"]
        )
    )
    users["secretariat"].groups.add(secretariat)
    tokens = {role: ApiToken.issue(user)[1] for role, user in users.items()}
    return World(
        meeting, draft, item, chaired, draft_item, a, b, action, users, client=None, tokens=tokens
    )


@pytest.fixture(scope="module")
def world_rows(django_db_setup, django_db_blocker) -> World:
    """The world's rows, written once for a module of tests and rolled back after it. Each
    test runs in a savepoint of its own (the `db` fixture), rolled back after the test: every
    test starts from these rows exactly, as with Django's `TestCase.setUpTestData`."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            rows = _make_world()
        except BaseException:
            _roll_back(atomic)
            raise
    yield rows
    with django_db_blocker.unblock():
        _roll_back(atomic)


def _roll_back(atomic) -> None:
    transaction.set_rollback(True)
    atomic.__exit__(None, None, None)


INSTANCES = ("meeting", "draft", "item", "chaired", "draft_item", "a", "b", "action")


@pytest.fixture
def world(world_rows, db, client) -> World:
    """A fresh World for each test: fresh copies of the objects over the same rows."""
    w = world_rows
    return replace(
        w,
        **{name: copy.copy(getattr(w, name)) for name in INSTANCES},
        users={role: copy.copy(user) for role, user in w.users.items()},
        client=client,
        made={},
    )


# --- a route of the table ----------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """One address of the site, what it takes, and what each role gets.

    `covers`: the URL name (with its namespace: "admin:index"), the route of an unnamed URL
    pattern, or "METHOD /api/v1/path" for an operation of the JSON API (`api=True`: a JSON body,
    signed in with the role's bearer token, or with a session only if `session`; other routes
    are signed in with a session and send a form). A `writes` route is checked for
    what it changed: by default a role whose answer is not a refusal changed something;
    `changes` names the roles that do when that is not so (a chair told "this request is not
    on the list" is sent back to the console, changing nothing). `holes` marks the cells whose
    expected answer the site does not give yet: role → why (the test is an expected failure).
    """

    label: str
    method: str
    url: Callable[[World], str]
    expect: dict[str, Answer]
    covers: str
    data: Callable[[World], dict] | None = None
    api: bool = False
    session: bool = False
    writes: bool = False
    changes: tuple[str, ...] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    holes: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.label


def cases(routes: list[Route]) -> list:
    """The matrix's cells, route × role, those of `holes` marked as expected failures."""
    return [
        pytest.param(
            route,
            role,
            id=f"{route}-{role}",
            marks=[pytest.mark.xfail(strict=True, reason=route.holes[role])]
            if role in route.holes
            else [],
        )
        for route in routes
        for role in ROLES
    ]


# --- what a write could change -----------------------------------------------------------------

# Volatile fields that reading or signing in writes: the matrix signs in before the snapshot,
# and the API notes when a token was last used even when it refuses the request.
VOLATILE = {"auth.user": {"last_login"}, "agenda.apitoken": {"last_used_at"}}
SNAPSHOT_APPS = ("meetings", "delegations", "agenda", "auth")
# What no address of the site writes (the permissions come with the migrations).
UNCHANGING = {"auth.permission", "auth.group_permissions"}


def snapshot() -> dict:
    """Every row of our apps and of the accounts (every field but the volatile ones), and the
    outbox: everything a write of the site could change. Read with plain SQL: the matrix takes
    two snapshots for every write it sends."""
    rows = {}
    with connection.cursor() as cursor:
        for label, table, columns, pk in _snapshot_tables():
            cursor.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {pk}")  # noqa: S608
            rows[label] = cursor.fetchall()
    rows["mail"] = [(m.subject, m.to) for m in getattr(mail, "outbox", [])]
    return rows


@functools.cache
def _snapshot_tables() -> list[tuple[str, str, list[str], str]]:
    quote = connection.ops.quote_name
    tables = []
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if model._meta.app_label not in SNAPSHOT_APPS or label in UNCHANGING:
            continue
        columns = [
            quote(f.column)
            for f in model._meta.concrete_fields
            if f.attname not in VOLATILE.get(label, ())
        ]
        tables.append((label, quote(model._meta.db_table), columns, quote(model._meta.pk.column)))
    return tables


def difference(before: dict, after: dict) -> dict:
    return {key: (before[key], after[key]) for key in before if before[key] != after[key]}


# --- checking one route for one role -------------------------------------------------------------


def login_url(login: str, path: str) -> str:
    """Where `redirect_to_login` sends a visitor who asked for `path`."""
    query = QueryDict(mutable=True)
    query["next"] = path
    return f"{login}?{query.urlencode(safe='/')}"


async def _in_this_thread(function, *args):
    return await sync_to_async(function)(*args)


def _send(client, world: World, route: Route, role: str, url: str, data: dict):
    if route.api:
        headers = dict(route.headers)
        if role != "anonymous" and not route.session:
            headers["Authorization"] = f"Bearer {world.tokens[role]}"
        if route.method == "GET":
            return client.get(url, headers=headers)
        return client.generic(
            route.method, url, json.dumps(data), content_type="application/json", headers=headers
        )
    # The live stream reads the database on threads of its own, with connections of their
    # own that would not see this test's transaction: here it reads in the test's thread.
    original, stream.database.run = stream.database.run, _in_this_thread
    try:
        if route.method == "GET":
            return client.get(url, headers=route.headers)
        return client.post(url, data, headers=route.headers)
    finally:
        stream.database.run = original


def check(client, world: World, route: Route, role: str):
    """Send the route's request as `role`; compare the answer; for a write, what changed."""
    if role != "anonymous" and (route.session or not route.api):
        client.force_login(world.users[role])
    url = route.url(world)
    assert covered_by(url, route), f"{route.label}: {url} is not an address of {route.covers}"
    data = route.data(world) if route.data else {}
    before = snapshot() if route.writes else None
    response = _send(client, world, route, role, url, data)
    if response.streaming and not response.is_async:
        response.getvalue()  # read to the end, which closes it as a server would

    expected = route.expect[role]
    where = f"{route.label} as {role}"
    location = response.get("Location", "")
    if expected in (LOGIN, ADMIN_LOGIN):
        login = reverse("login") if expected == LOGIN else reverse("admin:login")
        assert (response.status_code, location) == (302, login_url(login, url)), where
    else:
        assert response.status_code == expected, (
            f"{where}: {response.status_code}, expected {expected}"
        )
        if expected == 302:
            assert not location.startswith(("/accounts/login/", "/admin/login/")), where
    if is_html(response) and response.content:
        assert_strict_page(response, where)

    if route.writes:
        after = snapshot()
        refused = expected in (LOGIN, ADMIN_LOGIN) or expected >= 400
        changes = (not refused) if route.changes is None else role in route.changes
        if changes:
            assert after != before, f"{where} was accepted but changed nothing"
        else:
            assert difference(before, after) == {}, f"{where} changed something"
    return response


def covered_by(url: str, route: Route) -> bool:
    """Whether `url` is an address of what the route says it covers."""
    path = urlsplit(url).path
    if route.api:
        method, template = route.covers.split(" ", 1)
        pattern = re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(template))
        return method == route.method and re.fullmatch(pattern, path) is not None
    match = resolve(path)
    return (match.view_name if match.url_name else match.route) == route.covers


# --- the guard -----------------------------------------------------------------------------------


def _join(prefix: str, route: str) -> str:
    return prefix + route.removeprefix("^") if prefix else route


def url_patterns(resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""):
    """Every URL pattern of the project, with its full route and its name with namespaces."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = _join(prefix, str(pattern.pattern))
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            yield route, (f"{namespace}{pattern.name}" if pattern.name else None), pattern


def _is_api_operation(pattern: URLPattern) -> bool:
    """A path of the JSON API (django-ninja): its operations are in the OpenAPI schema."""
    return pattern.callback.__module__ == "ninja.operation"


def api_operations(api) -> list[str]:
    schema = api.get_openapi_schema()
    return [
        f"{method.upper()} {path}"
        for path, methods in schema["paths"].items()
        for method in methods
    ]


def uncovered(routes: list[Route], *, api, exempt: dict[str, str]) -> list[str]:
    """The URL patterns of the project (all of them, every namespace) and the operations of the
    JSON API that no route covers, less `exempt` (key → why)."""
    covered = {route.covers for route in routes}
    api_paths = {key.split(" ", 1)[1] for key in covered if " " in key}
    missing = []
    for route, name, pattern in url_patterns():
        if _is_api_operation(pattern):
            path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
            if path not in api_paths:
                missing.append(f"{path} (the API)")
            continue
        key = name or route
        if key not in covered and key not in exempt:
            missing.append(key)
    missing += [operation for operation in api_operations(api) if operation not in covered]
    return missing
