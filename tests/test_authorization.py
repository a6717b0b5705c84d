"""Who gets what: the public pages, the accounts pages, the delegations' pages, statements, the
admin and the JSON API, for each of the six roles (see tests/authorization.py).

Reading the table: anonymous visitors see public pages only and are sent to sign in
elsewhere (302); a focal point acts for their own delegation (A) and is refused another's
(403); what someone may not even know exists (a draft meeting, an unpublished statement) is
404; the coordinator chairs item 2(j) only; the President chairs every item but acts for no
delegation; the secretariat may do everything. The API answers 401 without a token.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agenda.api.endpoints import api
from agenda.errors import NotAllowed
from agenda.speakers import services
from agenda.statements.services import statement_update
from tests.authorization import ROLES, Route, answers, check, everyone, uncovered, world
from tests.documents import pdf_bytes

__all__ = ["world"]  # the fixture

A_PAGE = answers(302, 200, 403, 403, 403, 200)
A_WRITE = answers(302, 302, 403, 403, 403, 302)
SECRETARIAT_ONLY_PAGE = answers(302, 302, 302, 302, 302, 200)  # the admin
DRAFT = answers(404, 404, 404, 404, 404, 200)
API_WRITE_A = answers(401, 201, 403, 403, 201, 201)
API_CHAIR = answers(401, 403, 403, 403, 200, 200)
API_CHAIR_J = answers(401, 403, 403, 200, 200, 200)


def desk(w, name, **kwargs):
    return reverse(name, kwargs={"slug": w.slug, "code": w.a.code, **kwargs})


def first_file(statement):
    return statement.files.order_by("language").first()


def delivered_and_published(w):
    statement = w.statement(published=True)
    w.speaking()
    return first_file(statement)


def request_fields(w, kind="statement"):
    return {f"item-{w.item.pk}-kind": kind, f"item-{w.item.pk}-language": "en"}


def new_statement(w):
    return {"new-file": SimpleUploadedFile("s.pdf", pdf_bytes()), "new-language": "en"}


def new_version(w):
    statement = w.statement()
    w._statement = statement
    return statement


def version_fields(w):
    prefix = f"version-{w._statement.pk}"
    return {f"{prefix}-file": SimpleUploadedFile("fr.pdf", pdf_bytes()), f"{prefix}-language": "fr"}


def settings_fields(w):
    return {f"settings-{w._statement.pk}-is_published": "on"}


def paused(w):
    entry = w.speaking()
    services.speaker_pause(entry=entry, user=w.users["president"])
    return entry


def absent(w):
    entry = w.request()
    services.speaker_mark_absent(entry=entry, user=w.users["president"])
    return entry


def two_waiting(w):
    w.request(w.b)
    return w.request()


def closed_list(w):
    services.speakers_list_set_open(item=w.item, is_open=False, user=w.users["president"])
    return w.item


ROUTES = [
    # --- public pages -------------------------------------------------------------------------
    Route("home", "GET", lambda w: "/", everyone(200), covers="home"),
    Route("meeting", "GET", lambda w: f"/meetings/{w.slug}/", everyone(200), "meeting_detail"),
    Route("draft meeting", "GET", lambda w: f"/meetings/{w.draft.slug}/", DRAFT, "meeting_detail"),
    Route(
        "agenda item",
        "GET",
        lambda w: w.item.get_absolute_url(),
        everyone(200),
        covers="agenda_item_detail",
    ),
    Route(
        "participants",
        "GET",
        lambda w: f"/meetings/{w.slug}/delegations/",
        everyone(200),
        covers="participant_list",
    ),
    Route(
        "public statements",
        "GET",
        lambda w: reverse("statement_list", args=[w.slug]),
        everyone(200),
        covers="statement_list",
    ),
    Route(
        "statements of a draft meeting",
        "GET",
        lambda w: reverse("statement_list", args=[w.draft.slug]),
        DRAFT,
        covers="statement_list",
    ),
    # --- accounts -----------------------------------------------------------------------------
    Route("sign-in page", "GET", lambda w: "/accounts/login/", everyone(200), covers="login"),
    Route("sign out", "POST", lambda w: "/accounts/logout/", everyone(302), covers="logout"),
    Route(
        "password reset",
        "GET",
        lambda w: "/accounts/password-reset/",
        everyone(200),
        covers="password_reset",
    ),
    Route(
        "password reset sent",
        "GET",
        lambda w: "/accounts/password-reset/sent/",
        everyone(200),
        covers="password_reset_done",
    ),
    Route(
        "password reset link (not valid)",
        "GET",
        lambda w: "/accounts/password-reset/MQ/bad-token/",
        everyone(200),
        covers="password_reset_confirm",
    ),
    Route(
        "password reset complete",
        "GET",
        lambda w: "/accounts/password-reset/complete/",
        everyone(200),
        covers="password_reset_complete",
    ),
    Route(
        "invitation link (not valid)",
        "GET",
        lambda w: "/accounts/invitation/MQ/bad-token/",
        everyone(200),
        covers="invitation",
    ),
    # --- my delegation ------------------------------------------------------------------------
    Route(
        "my delegation",
        "GET",
        lambda w: "/my-delegation/",
        answers(302, 302, 302, 302, 403, 200),
        covers="my_delegation",
    ),
    Route(
        "delegation A's page",
        "GET",
        lambda w: desk(w, "delegation_floor"),
        A_PAGE,
        covers="delegation_floor",
    ),
    Route(
        "delegation A's page, draft meeting",
        "GET",
        lambda w: reverse("delegation_floor", args=[w.draft.slug, w.a.code]),
        answers(302, 404, 404, 404, 404, 404),
        covers="delegation_floor",
    ),
    Route(
        "request the floor for A",
        "POST",
        lambda w: desk(w, "floor_request", item_id=w.item.pk),
        A_WRITE,
        covers="floor_request",
        data=request_fields,
        writes=True,
    ),
    Route(
        "withdraw A's request",
        "POST",
        lambda w: desk(w, "floor_withdraw", request_id=w.request().pk),
        A_WRITE,
        covers="floor_withdraw",
        writes=True,
    ),
    Route(
        "A's statements on an item",
        "GET",
        lambda w: desk(w, "delegation_statements", item_id=w.item.pk),
        A_PAGE,
        covers="delegation_statements",
    ),
    Route(
        "hand in A's statement",
        "POST",
        lambda w: desk(w, "delegation_statements", item_id=w.item.pk),
        A_WRITE,
        covers="delegation_statements",
        data=new_statement,
        writes=True,
    ),
    Route(
        "change A's statement settings",
        "POST",
        lambda w: desk(w, "statement_settings", statement_id=new_version(w).pk),
        A_WRITE,
        covers="statement_settings",
        data=settings_fields,
        writes=True,
    ),
    Route(
        "add a version to A's statement",
        "POST",
        lambda w: desk(w, "statement_file_add", statement_id=new_version(w).pk),
        A_WRITE,
        covers="statement_file_add",
        data=version_fields,
        writes=True,
    ),
    Route(
        "delete a version of A's statement",
        "POST",
        lambda w: desk(
            w,
            "statement_file_delete",
            file_id=first_file(w.statement(languages=("en", "fr"))).pk,
        ),
        A_WRITE,
        covers="statement_file_delete",
        writes=True,
    ),
    Route(
        "delete A's statement",
        "POST",
        lambda w: desk(w, "statement_delete", statement_id=w.statement().pk),
        A_WRITE,
        covers="statement_delete",
        writes=True,
    ),
    Route(
        "download A's unpublished statement on 2(c)",
        "GET",
        lambda w: reverse("statement_file_download", args=[first_file(w.statement()).pk]),
        answers(404, 200, 404, 404, 200, 200),
        covers="statement_file_download",
    ),
    Route(
        "download A's unpublished statement on 2(j), which the coordinator chairs",
        "GET",
        lambda w: reverse(
            "statement_file_download", args=[first_file(w.statement(item=w.chaired)).pk]
        ),
        answers(404, 200, 404, 200, 200, 200),
        covers="statement_file_download",
    ),
    Route(
        "download A's published statement before it is delivered",
        "GET",
        lambda w: reverse(
            "statement_file_download", args=[first_file(w.statement(published=True)).pk]
        ),
        answers(404, 200, 404, 404, 200, 200),
        covers="statement_file_download",
    ),
    Route(
        "download A's published, delivered statement",
        "GET",
        lambda w: reverse("statement_file_download", args=[delivered_and_published(w).pk]),
        everyone(200),
        covers="statement_file_download",
    ),
    # --- the admin ----------------------------------------------------------------------------
    Route("admin", "GET", lambda w: "/admin/", SECRETARIAT_ONLY_PAGE, covers="admin:index"),
    Route(
        "focal points in the admin",
        "GET",
        lambda w: "/admin/delegations/focalpoint/",
        SECRETARIAT_ONLY_PAGE,
        covers="admin:delegations_focalpoint_changelist",
    ),
    Route(
        "import focal points",
        "GET",
        lambda w: "/admin/delegations/focalpoint/import/",
        SECRETARIAT_ONLY_PAGE,
        covers="admin:delegations_focalpoint_import",
    ),
    Route(
        "invite focal points",
        "POST",
        lambda w: "/admin/delegations/focalpoint/",
        everyone(302),
        covers="admin:delegations_focalpoint_changelist",
        data=lambda w: {
            "action": "invite",
            "_selected_action": [w.users["focal_a"].focal_points.get().pk],
        },
        writes=True,
    ),
    # --- the API ------------------------------------------------------------------------------
    Route(
        "API: meetings",
        "GET",
        lambda w: "/api/v1/meetings/",
        everyone(200),
        covers="GET /api/v1/meetings/",
        api=True,
    ),
    Route(
        "API: agenda",
        "GET",
        lambda w: f"/api/v1/meetings/{w.slug}/agenda/",
        everyone(200),
        covers="GET /api/v1/meetings/{slug}/agenda/",
        api=True,
    ),
    Route(
        "API: agenda of a draft meeting",
        "GET",
        lambda w: f"/api/v1/meetings/{w.draft.slug}/agenda/",
        DRAFT,
        covers="GET /api/v1/meetings/{slug}/agenda/",
        api=True,
    ),
    Route(
        "API: list of speakers",
        "GET",
        lambda w: f"/api/v1/agenda-items/{w.item.pk}/speakers/",
        everyone(200),
        covers="GET /api/v1/agenda-items/{item_id}/speakers/",
        api=True,
    ),
    Route(
        "API: request the floor for A",
        "POST",
        lambda w: f"/api/v1/agenda-items/{w.item.pk}/speakers/",
        API_WRITE_A,
        covers="POST /api/v1/agenda-items/{item_id}/speakers/",
        data=lambda w: {"delegation": "CHL", "kind": "statement"},
        api=True,
        writes=True,
    ),
    Route(
        "API: withdraw A's request",
        "POST",
        lambda w: f"/api/v1/speakers/{w.request().pk}/withdraw",
        answers(401, 200, 403, 403, 200, 200),
        covers="POST /api/v1/speakers/{entry_id}/withdraw",
        api=True,
        writes=True,
    ),
]

CHAIR_ACTIONS = [
    ("start", lambda w: w.request()),
    ("pause", lambda w: w.speaking()),
    ("resume", paused),
    ("end", lambda w: w.speaking()),
    ("absent", lambda w: w.request()),
    ("readd", absent),
]
for action, make in CHAIR_ACTIONS:
    ROUTES.append(
        Route(
            f"API: {action} on 2(c)",
            "POST",
            lambda w, make=make, action=action: f"/api/v1/speakers/{make(w).pk}/{action}",
            API_CHAIR,
            covers=f"POST /api/v1/speakers/{{entry_id}}/{action}",
            api=True,
            writes=True,
        )
    )
ROUTES += [
    Route(
        "API: start on 2(j), which the coordinator chairs",
        "POST",
        lambda w: f"/api/v1/speakers/{w.request(item=w.chaired).pk}/start",
        API_CHAIR_J,
        covers="POST /api/v1/speakers/{entry_id}/start",
        api=True,
        writes=True,
    ),
    Route(
        "API: move on 2(c)",
        "POST",
        lambda w: f"/api/v1/speakers/{two_waiting(w).pk}/move",
        API_CHAIR,
        covers="POST /api/v1/speakers/{entry_id}/move",
        data=lambda w: {"position": 1, "reason": "Requested by the chair"},
        api=True,
        writes=True,
    ),
    Route(
        "API: next on 2(c)",
        "POST",
        lambda w: f"/api/v1/agenda-items/{w.request().item_id}/next",
        API_CHAIR,
        covers="POST /api/v1/agenda-items/{item_id}/next",
        api=True,
        writes=True,
    ),
    Route(
        "API: next on 2(j)",
        "POST",
        lambda w: f"/api/v1/agenda-items/{w.request(item=w.chaired).item_id}/next",
        API_CHAIR_J,
        covers="POST /api/v1/agenda-items/{item_id}/next",
        api=True,
        writes=True,
    ),
    Route(
        "API: open the list of 2(c)",
        "POST",
        lambda w: f"/api/v1/agenda-items/{closed_list(w).pk}/open",
        API_CHAIR,
        covers="POST /api/v1/agenda-items/{item_id}/open",
        api=True,
        writes=True,
    ),
    Route(
        "API: close the list of 2(c)",
        "POST",
        lambda w: f"/api/v1/agenda-items/{w.item.pk}/close",
        API_CHAIR,
        covers="POST /api/v1/agenda-items/{item_id}/close",
        api=True,
        writes=True,
    ),
]


@pytest.mark.parametrize("route", ROUTES, ids=str)
@pytest.mark.parametrize("role", ROLES)
def test_matrix(client, world, route, role):
    check(client, world, route, role)


MODULES = {
    "agenda.views",
    "agenda.floor_views",
    "delegations.views",
    "delegations.account_views",
}


def test_every_address_of_these_pages_and_of_the_api_is_in_the_table():
    assert uncovered(ROUTES, modules=MODULES, api=api) == []


def test_the_secretariat_acting_for_a_delegation_is_recorded_as_the_chair(client, world):
    check(client, world, ROUTES[[r.label for r in ROUTES].index("request the floor for A")],
          "secretariat")  # fmt: skip
    entry = world.a.floor_requests.get()
    assert (entry.on_behalf, entry.requested_by) == (True, world.users["secretariat"])


def test_a_refused_statement_service_call_changes_nothing(world):
    statement = world.statement()
    with pytest.raises(NotAllowed):
        statement_update(
            statement=statement,
            user=world.users["president"],
            check_against_delivery=False,
            is_published=True,
        )
    statement.refresh_from_db()
    assert (statement.check_against_delivery, statement.is_published) == (True, False)
