# ruff: noqa: E501  (the table reads one route a line)
"""Who gets what: every address of the site × the seven roles (machinery: tests/authorization.py).

Reading the table: anonymous visitors see public pages only and are sent to sign in elsewhere;
a focal point acts for their own delegation (A) and is refused another's (403); what someone
may not even know exists (a draft meeting, an unpublished statement, another delegation's
request) is 404; the coordinator chairs item 2(j) only; the President chairs every item but
acts for no delegation; the interpreter follows the booths; the secretariat may do everything
and is the only one let into the admin. The API answers 401 without a token.

Each route is one line: label, method, address, answers (anonymous, A, B, coordinator,
President, interpreter, secretariat), the URL it covers; `post` routes are writes, checked for
what they changed. Every HTML answer of every cell holds the strict Content Security Policy
(`tests.pages`). `test_every_address_is_in_the_table` fails when an address of the project, or
an operation of the API, is in no route.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from agenda.api.endpoints import api
from agenda.errors import NotAllowed
from agenda.outcome import services as outcome_services
from agenda.speakers import services, speeches
from agenda.statements.services import statement_create, statement_update
from agenda.web import chair
from delegations.accounts import invitation_path
from delegations.models import Guest
from meetings.models import Document, Meeting
from tests.authorization import (
    ADMIN_LOGIN,
    LOGIN,
    Route,
    answers,
    cases,
    check,
    everyone,
    uncovered,
    url_patterns,
    world,
    world_rows,
)
from tests.documents import pdf_bytes
from tests.pages import inline_code

__all__ = ["world", "world_rows"]  # the fixtures

PUBLIC = everyone(200)
DRAFT = answers(404, 404, 404, 404, 404, 404, 200)  # a draft exists for the secretariat only
SIGN_IN_THEN_DRAFT = answers(LOGIN, 404, 404, 404, 404, 404, 200)
A_PAGE = answers(LOGIN, 200, 403, 403, 403, 403, 200)  # delegation A's own pages
A_WRITE = answers(LOGIN, 302, 403, 403, 403, 403, 302)
NOT_A_S = answers(LOGIN, 404, 403, 403, 403, 403, 404)  # B's object through A's address
CHAIRS_C = answers(LOGIN, 403, 403, 403, 200, 403, 200)  # who chairs 2(c)
CHAIRS_J = answers(LOGIN, 403, 403, 200, 200, 403, 200)  # who chairs 2(j)
ACTS_C = answers(LOGIN, 403, 403, 403, 302, 403, 302)
ACTS_J = answers(LOGIN, 403, 403, 302, 302, 403, 302)
FIGURES = answers(LOGIN, 403, 403, 200, 200, 403, 200)  # the secretariat, chairs, coordinators
BOOTHS = answers(LOGIN, 403, 403, 200, 200, 200, 200)  # interpreters and whoever chairs
ADMIN = answers(*[ADMIN_LOGIN] * 6, 200)
API_WRITE_A = answers(401, 201, 403, 403, 201, 403, 201)
API_CHAIR_C = answers(401, 403, 403, 403, 200, 403, 200)
API_CHAIR_J = answers(401, 403, 403, 200, 200, 403, 200)
DRAFTS = answers(LOGIN, 403, 403, 403, 200, 403, 200)  # the President's team's drafts


def get(label, url, expect, covers, **options) -> Route:
    return Route(label, "GET", url, expect, covers, **options)


def post(label, url, expect, covers, writes=True, **options) -> Route:
    return Route(label, "POST", url, expect, covers, writes=writes, **options)


def api_get(label, url, expect, covers, **options) -> Route:
    return Route(label, "GET", url, expect, covers, api=True, **options)


def api_post(label, url, expect, covers, **options) -> Route:
    return Route(label, "POST", url, expect, covers, api=True, writes=True, **options)


# --- addresses and bodies --------------------------------------------------------------------


def on(w, name, *args, meeting=None):
    """An address of a meeting (the meeting in session unless another is given)."""
    return reverse(name, args=[(meeting or w.meeting).slug, *args])


def desk(w, name, *args):
    """An address of delegation A's pages."""
    return on(w, name, "CHL", *args)


def act(w, action, item=None, make=None):
    """A chair's action on an item (2(c) unless another is given); `make(w)` first makes the
    entry it acts on."""
    if make is not None:
        w.made["entry"] = make(w)
    return on(w, "chair_act", (item or w.item).pk, action)


def entry(w):
    return {"entry": w.made["entry"].pk}


def move(w):
    return {"entry": w.made["entry"].pk, "position": 1, "reason": "At the chair's discretion"}


def note(w):
    """A note on A's delivered entry on 2(j), written by the coordinator."""
    return outcome_services.note_create(
        entry=w.spoken(w.chaired), text="A key point", user=w.users["coordinator"]
    )


def spoken_j(w):
    w.made["spoken_j"] = w.spoken(w.chaired)
    return w


def proposal(w):
    return outcome_services.proposal_create(
        item=w.chaired, text="A way forward", raised_by=[w.spoken(w.chaired)],
        user=w.users["coordinator"],
    )  # fmt: skip


def first_file(statement):
    return statement.files.order_by("language").first()


def download(w, statement_file):
    return reverse("statement_file_download", args=[statement_file.pk])


def delivered_and_published(w):
    statement = w.statement(published=True)
    w.speaking()
    return first_file(statement)


def handed_in_under_discussion(w):
    """A's unpublished statement on 2(c), under discussion, A on its list: the interpreters'
    view lists it."""
    w.take_up()
    statement = w.statement()
    w.request()
    return first_file(statement)


def request_fields(w):
    return {f"item-{w.item.pk}-kind": "statement", f"item-{w.item.pk}-language": "en"}


def new_statement(w):
    return {"new-file": SimpleUploadedFile("s.pdf", pdf_bytes()), "new-language": "en"}


def made_statement(w):
    w.made["statement"] = w.statement()
    return w.made["statement"].pk


def version_fields(w):
    prefix = f"version-{w.made['statement'].pk}"
    return {f"{prefix}-file": SimpleUploadedFile("fr.pdf", pdf_bytes()), f"{prefix}-language": "fr"}


def settings_fields(w):
    return {f"settings-{w.made['statement'].pk}-is_published": "on"}


def withdrawn(w, delegation=None):
    """A request of A (or `delegation`) its focal point has just withdrawn: it may be undone."""
    entry = w.request(delegation)
    user = w.users["focal_b"] if delegation == w.b else w.users["focal_a"]
    services.floor_request_withdraw(entry=entry, user=user)
    return entry


def b_statement(w):
    return statement_create(
        item=w.item,
        delegation=w.b,
        user=w.users["focal_b"],
        language="en",
        file=SimpleUploadedFile("s.pdf", pdf_bytes()),
    )


def paused(w):
    speaking = w.speaking()
    speeches.speaker_pause(entry=speaking, user=w.users["president"])
    return speaking


def absent(w):
    waiting = w.request()
    speeches.speaker_mark_absent(entry=waiting, user=w.users["president"])
    return waiting


def two_waiting(w):
    """B, then A: A waits second (moving it to the first place changes the list)."""
    w.request(w.b)
    return w.request()


def closed_list(w):
    services.speakers_list_set_open(item=w.item, is_open=False, user=w.users["president"])
    return w.item


def move_form(w):
    w.made["entry"] = two_waiting(w)
    return on(w, "chair_move", w.item.pk)


def spoken(w):
    """A spoke on 2(c): the record has an entry."""
    w.spoken()
    return w


def live(w):
    """2(c) under discussion: A speaks, with its statement handed in; B waits."""
    w.take_up()
    w.statement()
    w.speaking()
    w.request(w.b)
    return w


def draft_spoken(w):
    """A spoke on the draft meeting's item (the secretariat ran its list)."""
    secretariat = w.users["secretariat"]
    spoke = services.floor_request_create(
        item=w.draft_item, delegation=w.a, kind="statement", user=secretariat
    )
    speeches.speaker_call_next(item=w.draft_item, user=secretariat)
    speeches.speaker_end(entry=spoke, user=secretariat)
    return spoke


def draft_statement(w):
    """A's published statement on the draft meeting's item, delivered (the secretariat handed
    it in for A)."""
    statement = statement_create(
        item=w.draft_item,
        delegation=w.a,
        user=w.users["secretariat"],
        language="en",
        file=SimpleUploadedFile("s.pdf", pdf_bytes()),
        is_published=True,
    )
    draft_spoken(w)
    return first_file(statement)


def document_file(w):
    """The file of the document 2(c) cites, a PDF the secretariat uploaded."""
    document = Document.objects.get(symbol="CCM/MSP/2024/11")
    document.file.save("annex.pdf", ContentFile(pdf_bytes()))
    return document.link


def guest_on_the_list(w):
    """The meeting's speaker without a delegation, giving an invited presentation."""
    return {"guest": Guest.objects.get(meeting=w.meeting).pk, "kind": "invited_presentation"}


WRONG_PASSWORD = {"username": "focal-a", "password": "not the password"}
NEW_PASSWORD = {"new_password1": "a long new passphrase", "new_password2": "a long new passphrase"}


def failed_sign_ins(w, count):
    """The sign-in page's address, after `count` failed sign-ins as focal-a from this address."""
    for _ in range(count):
        w.client.post(reverse("login"), WRONG_PASSWORD)
    return reverse("login")


def reset_path(w):
    """A's link to reset its password."""
    user = w.users["focal_a"]
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(user)])


def opened(w, link):
    """The page an account link leads to once opened (its token is kept in the session)."""
    return w.client.get(link)["Location"]


# --- the site ----------------------------------------------------------------------------------

# fmt: off
ROUTES = [
    # The public pages.
    get("home", lambda w: "/", PUBLIC, "home"),
    get("meeting", lambda w: on(w, "meeting_detail"), PUBLIC, "meeting_detail"),
    get("meeting, draft", lambda w: on(w, "meeting_detail", meeting=w.draft), DRAFT, "meeting_detail"),
    get("agenda item", lambda w: w.item.get_absolute_url(), PUBLIC, "agenda_item_detail"),
    get("agenda item, draft meeting", lambda w: w.draft_item.get_absolute_url(), DRAFT, "agenda_item_detail"),
    get("participants", lambda w: on(w, "participant_list"), PUBLIC, "participant_list"),
    get("participants, draft meeting", lambda w: on(w, "participant_list", meeting=w.draft), DRAFT, "participant_list"),
    get("public statements", lambda w: on(w, "statement_list"), PUBLIC, "statement_list"),
    get("public statements, draft meeting", lambda w: on(w, "statement_list", meeting=w.draft), DRAFT, "statement_list"),
    # Statements, downloaded.
    get("download A's unpublished statement on 2(c)", lambda w: download(w, first_file(w.statement())), answers(404, 200, 404, 404, 200, 200, 200), "statement_file_download"),
    get("download A's unpublished statement on 2(j), which the coordinator chairs", lambda w: download(w, first_file(w.statement(item=w.chaired))), answers(404, 200, 404, 200, 200, 200, 200), "statement_file_download"),
    get("download A's published statement before it is delivered", lambda w: download(w, first_file(w.statement(published=True))), answers(404, 200, 404, 404, 200, 200, 200), "statement_file_download"),
    get("download A's published, delivered statement", lambda w: download(w, delivered_and_published(w)), PUBLIC, "statement_file_download"),
    get("download A's published, delivered statement at the draft meeting", lambda w: download(w, draft_statement(w)), answers(404, 200, 404, 404, 404, 404, 200), "statement_file_download"),
    get("download a text the interpreters' view lists (A's, on 2(c) under discussion)", lambda w: download(w, handed_in_under_discussion(w)), answers(404, 200, 404, 404, 200, 200, 200), "statement_file_download"),
    # The secretariat's documents, downloaded.
    get("download a document of the secretariat", document_file, PUBLIC, "document_file"),
    get("download a file of no document", lambda w: "/media/documents/orphan.pdf", everyone(404), "document_file"),
    # Accounts.
    get("sign-in page", lambda w: reverse("login"), PUBLIC, "login"),
    post("sign in with a wrong password", lambda w: reverse("login"), PUBLIC, "login", data=lambda w: WRONG_PASSWORD, writes=False),
    post("sign in after four failures: locked out", lambda w: failed_sign_ins(w, 4), everyone(429), "login", data=lambda w: WRONG_PASSWORD, writes=False),
    post("sign out", lambda w: reverse("logout"), everyone(302), "logout", writes=False),
    get("sign out by GET", lambda w: reverse("logout"), everyone(405), "logout"),
    get("password reset", lambda w: reverse("password_reset"), PUBLIC, "password_reset"),
    post("ask for a password reset link", lambda w: reverse("password_reset"), everyone(302), "password_reset", data=lambda w: {"email": "focal-a@example.org"}),
    get("password reset sent", lambda w: reverse("password_reset_done"), PUBLIC, "password_reset_done"),
    get("password reset link, not valid", lambda w: reverse("password_reset_confirm", args=["MQ", "bad-token"]), PUBLIC, "password_reset_confirm"),
    get("password reset link", reset_path, everyone(302), "password_reset_confirm"),
    get("password reset: choose a password", lambda w: opened(w, reset_path(w)), PUBLIC, "password_reset_confirm"),
    post("password reset: set the password", lambda w: opened(w, reset_path(w)), everyone(302), "password_reset_confirm", data=lambda w: NEW_PASSWORD),
    get("password reset complete", lambda w: reverse("password_reset_complete"), PUBLIC, "password_reset_complete"),
    get("invitation link, not valid", lambda w: reverse("invitation", args=["MQ", "bad-token"]), PUBLIC, "invitation"),
    get("invitation link", lambda w: invitation_path(w.users["focal_a"]), everyone(302), "invitation"),
    get("invitation: choose a password", lambda w: opened(w, invitation_path(w.users["focal_a"])), PUBLIC, "invitation"),
    post("invitation: set the password", lambda w: opened(w, invitation_path(w.users["focal_a"])), everyone(302), "invitation", data=lambda w: NEW_PASSWORD),
    get("start: where each person lands after signing in", lambda w: reverse("start"), answers(LOGIN, 302, 302, 302, 302, 302, 200), "start"),
    post("choose a language: anyone, the choice kept for an account", lambda w: reverse("set_language"), answers(302, 302, 302, 302, 302, 302, 302), "set_language", writes=False, data=lambda w: {"language": "fr", "next": "/"}),
    # My delegation.
    get("my delegation", lambda w: reverse("my_delegation"), answers(LOGIN, 302, 302, 302, 403, 403, 200), "my_delegation"),
    get("A's page", lambda w: desk(w, "delegation_floor"), A_PAGE, "delegation_floor"),
    get("A's page, draft meeting", lambda w: reverse("delegation_floor", args=[w.draft.slug, "CHL"]), SIGN_IN_THEN_DRAFT, "delegation_floor"),
    post("request the floor for A", lambda w: desk(w, "floor_request", w.item.pk), A_WRITE, "floor_request", data=request_fields),
    post("request the floor for A, draft meeting", lambda w: reverse("floor_request", args=[w.draft.slug, "CHL", w.draft_item.pk]), answers(LOGIN, 404, 404, 404, 404, 404, 302), "floor_request",
         data=lambda w: {f"item-{w.draft_item.pk}-kind": "statement", f"item-{w.draft_item.pk}-language": "en"}),
    post("request the floor for A on 2(c) at the draft meeting's address", lambda w: reverse("floor_request", args=[w.draft.slug, "CHL", w.item.pk]), answers(LOGIN, 404, 404, 404, 404, 404, 404), "floor_request", data=request_fields),
    post("withdraw A's request", lambda w: desk(w, "floor_withdraw", w.request().pk), A_WRITE, "floor_withdraw"),
    post("withdraw B's request through A's address", lambda w: desk(w, "floor_withdraw", w.request(w.b).pk), NOT_A_S, "floor_withdraw"),
    post("undo A's withdrawal", lambda w: desk(w, "floor_undo", withdrawn(w).pk), A_WRITE, "floor_undo"),
    post("undo B's withdrawal through A's address", lambda w: desk(w, "floor_undo", withdrawn(w, w.b).pk), NOT_A_S, "floor_undo"),
    get("A's page, the region the stream refreshes", lambda w: desk(w, "delegation_floor") + f"?fragment=item&item={w.item.pk}", A_PAGE, "delegation_floor"),
    get("A's statements on 2(c)", lambda w: desk(w, "delegation_statements", w.item.pk), A_PAGE, "delegation_statements"),
    post("hand in A's statement", lambda w: desk(w, "delegation_statements", w.item.pk), A_WRITE, "delegation_statements", data=new_statement),
    post("change A's statement's settings", lambda w: desk(w, "statement_settings", made_statement(w)), A_WRITE, "statement_settings", data=settings_fields),
    post("add a version to A's statement", lambda w: desk(w, "statement_file_add", made_statement(w)), A_WRITE, "statement_file_add", data=version_fields),
    post("delete a version of A's statement", lambda w: desk(w, "statement_file_delete", first_file(w.statement(languages=("en", "fr"))).pk), A_WRITE, "statement_file_delete"),
    post("delete A's statement", lambda w: desk(w, "statement_delete", w.statement().pk), A_WRITE, "statement_delete"),
    post("delete B's statement through A's address", lambda w: desk(w, "statement_delete", b_statement(w).pk), NOT_A_S, "statement_delete"),
    # The chair's console.
    get("chair home", lambda w: on(w, "chair_home"), answers(LOGIN, 403, 403, 302, 302, 403, 302), "chair_home"),
    get("chair home, draft meeting", lambda w: on(w, "chair_home", meeting=w.draft), answers(LOGIN, 404, 404, 404, 404, 404, 302), "chair_home"),
    get("console 2(c)", lambda w: on(live(w), "chair_console", w.item.pk), CHAIRS_C, "chair_console"),
    get("console 2(j)", lambda w: on(w, "chair_console", w.chaired.pk), CHAIRS_J, "chair_console"),
    get("console 2(c), the board alone", lambda w: on(live(w), "chair_console", w.item.pk) + "?fragment=board", CHAIRS_C, "chair_console"),
    get("console 2(j), the agenda alone", lambda w: on(w, "chair_console", w.chaired.pk) + "?fragment=agenda", CHAIRS_J, "chair_console"),
    get("console, draft meeting", lambda w: on(w, "chair_console", w.draft_item.pk, meeting=w.draft), SIGN_IN_THEN_DRAFT, "chair_console"),
    get("console of 2(c) at the draft meeting's address", lambda w: on(w, "chair_console", w.item.pk, meeting=w.draft), answers(LOGIN, 404, 404, 404, 404, 404, 404), "chair_console"),
    get("move form 2(c)", lambda w: on(w, "chair_move", w.item.pk) + f"?entry={two_waiting(w).pk}", CHAIRS_C, "chair_move"),
    post("move on 2(c), by the move form", move_form, ACTS_C, "chair_move", data=move),
]

# Every action of agenda.web.chair.chair_act on 2(c): what it acts on, and a body that succeeds
# for a chair. (Moving is posted to the move form's address, chair_move, above.)
CHAIR_ACTIONS = {
    "next": (lambda w: w.request(), None),
    "start": (lambda w: w.request(), entry),
    "pause": (lambda w: w.speaking(), entry),
    "resume": (paused, entry),
    "end": (lambda w: w.speaking(), entry),
    "absent": (lambda w: w.request(), entry),
    "readd": (absent, entry),
    "undo": (absent, entry),
    "withdraw": (lambda w: w.request(), entry),
    "open": (closed_list, None),
    "close": (None, None),
    "add": (None, lambda w: {"delegation": "France", "kind": "statement"}),
    "point-of-order": (None, lambda w: {"delegation": "FRA"}),
    "take-up": (None, None),
    "next-item": (lambda w: w.take_up(), None),
    "limit": (None, lambda w: {"kind": "statement", "minutes": "3"}),
    "extend": (lambda w: w.speaking(), lambda w: {**entry(w), "minutes": "1"}),
}
ROUTES += [
    post(f"{action} on 2(c)", lambda w, action=action, make=make: act(w, action, make=make), ACTS_C, "chair_act", data=body)
    for action, (make, body) in CHAIR_ACTIONS.items()
]
ROUTES += [
    post("next on 2(c), by htmx", lambda w: act(w, "next", make=lambda w: w.request()), CHAIRS_C, "chair_act", headers={"HX-Request": "true"}),
    post("an action that does not exist, on 2(c)", lambda w: act(w, "adjourn", make=lambda w: w.request()), answers(LOGIN, 403, 403, 403, 404, 403, 404), "chair_act", data=entry),
    post("next on 2(j)", lambda w: act(w, "next", w.chaired, make=lambda w: w.request(item=w.chaired)), ACTS_J, "chair_act"),
    post("take up 2(j)", lambda w: act(w, "take-up", w.chaired, make=lambda w: w.take_up()), ACTS_C, "chair_act"),  # the President's, not the coordinator's
    post("a time limit on 2(j)", lambda w: act(w, "limit", w.chaired), ACTS_J, "chair_act", data=lambda w: {"kind": "statement", "seconds": "90"}),
    post("extend on 2(j)", lambda w: act(w, "extend", w.chaired, make=lambda w: w.speaking(w.chaired)), ACTS_J, "chair_act", data=lambda w: {**entry(w), "seconds": "30"}),
    post("start a speaker of 2(c) through 2(j)'s console", lambda w: act(w, "start", w.chaired, make=lambda w: w.request()), ACTS_J, "chair_act", data=entry,
         changes=()),  # "This request is not on the list any more."
    # The screens, the clock and the stream.
    get("room screen", lambda w: on(live(w), "room_screen"), PUBLIC, "room_screen"),
    get("room screen, the screen alone", lambda w: on(live(w), "room_screen") + "?fragment=screen", PUBLIC, "room_screen"),
    get("room screen, draft meeting", lambda w: on(w, "room_screen", meeting=w.draft), DRAFT, "room_screen"),
    get("banner", lambda w: on(live(w), "room_banner"), PUBLIC, "room_banner"),
    get("banner on green", lambda w: on(live(w), "room_banner") + "?background=green", PUBLIC, "room_banner"),
    get("banner, the banner alone", lambda w: on(live(w), "room_banner") + "?fragment=banner", PUBLIC, "room_banner"),
    get("banner, draft meeting", lambda w: on(w, "room_banner", meeting=w.draft), DRAFT, "room_banner"),
    get("interpreters", lambda w: on(live(w), "interpreters"), BOOTHS, "interpreters"),
    get("interpreters, the booth alone", lambda w: on(live(w), "interpreters") + "?fragment=booth", BOOTHS, "interpreters"),
    get("interpreters, draft meeting", lambda w: on(w, "interpreters", meeting=w.draft), SIGN_IN_THEN_DRAFT, "interpreters"),
    get("server clock", lambda w: reverse("server_time"), PUBLIC, "server_time"),
    get("live stream", lambda w: on(w, "meeting_stream"), PUBLIC, "meeting_stream"),
    get("live stream, draft meeting", lambda w: on(w, "meeting_stream", meeting=w.draft), DRAFT, "meeting_stream"),
    # The record.
    get("record", lambda w: on(spoken(w), "record"), PUBLIC, "record"),
    get("record, draft meeting", lambda w: on(w, "record", meeting=w.draft), DRAFT, "record"),
    get("record of 2(c)", lambda w: on(w, "record_item", w.spoken().item_id), PUBLIC, "record_item"),
    get("record of an item, draft meeting", lambda w: on(w, "record_item", w.draft_item.pk, meeting=w.draft), DRAFT, "record_item"),
    get("record of 2(c) at the draft meeting's address", lambda w: on(w, "record_item", w.spoken().item_id, meeting=w.draft), answers(404, 404, 404, 404, 404, 404, 404), "record_item"),
    get("record of 2(c), to print", lambda w: on(w, "record_item_print", w.spoken().item_id), PUBLIC, "record_item_print"),
    get("record of an item to print, draft meeting", lambda w: on(w, "record_item_print", w.draft_item.pk, meeting=w.draft), DRAFT, "record_item_print"),
    get("record of A", lambda w: on(w, "record_delegation", w.spoken().delegation.code), PUBLIC, "record_delegation"),
    get("record of A, draft meeting", lambda w: on(w, "record_delegation", "CHL", meeting=w.draft), DRAFT, "record_delegation"),
    post("tag A's delivered entry on 2(c)", lambda w: on(w, "record_tag", w.spoken().pk), ACTS_C, "record_tag", data=lambda w: {"actions": [w.action.pk]}),
    post("tag A's delivered entry on 2(j), which the coordinator's delegation coordinates", lambda w: on(w, "record_tag", w.spoken(w.chaired).pk), ACTS_J, "record_tag", data=lambda w: {"actions": [w.action.pk]}),
    post("tag A's delivered entry, draft meeting", lambda w: on(w, "record_tag", draft_spoken(w).pk, meeting=w.draft), answers(404, 404, 404, 404, 404, 404, 302), "record_tag", data=lambda w: {"actions": [w.action.pk]}),
    post("tag A's delivered entry on 2(c) at the draft meeting's address", lambda w: on(w, "record_tag", w.spoken().pk, meeting=w.draft), everyone(404), "record_tag", data=lambda w: {"actions": [w.action.pk]}),
    get("export of the speakers, CSV", lambda w: on(spoken(w), "record_export", "speakers", "csv"), PUBLIC, "record_export"),
    get("export of the statements, XLSX", lambda w: on(w, "record_export", "statements", "xlsx"), PUBLIC, "record_export"),
    get("export of the speakers, draft meeting", lambda w: on(w, "record_export", "speakers", "csv", meeting=w.draft), DRAFT, "record_export"),
    get("export of the statements, draft meeting", lambda w: on(w, "record_export", "statements", "xlsx", meeting=w.draft), DRAFT, "record_export"),
    get("statistics", lambda w: on(spoken(w), "record_statistics"), FIGURES, "record_statistics"),
    get("statistics, draft meeting", lambda w: on(w, "record_statistics", meeting=w.draft), DRAFT, "record_statistics"),
    get("statistics, CSV", lambda w: on(w, "record_statistics_export", "csv"), FIGURES, "record_statistics_export"),
    get("Lausanne Action Plan", lambda w: on(spoken(w), "record_lap"), FIGURES, "record_lap"),
    get("Lausanne Action Plan, an area in XLSX", lambda w: on(w, "record_lap_export", "victim-assistance", "xlsx"), FIGURES, "record_lap_export"),
    # What the meeting produced: notes, proposals, LAP inputs, drafts, feeds (agenda/outcome).
    post("note on A's delivered entry on 2(c)", lambda w: on(w, "record_note_add", w.spoken().pk), ACTS_C, "record_note_add", data=lambda w: {"text": "A key point"}),
    post("note on A's delivered entry on 2(j)", lambda w: on(w, "record_note_add", w.spoken(w.chaired).pk), ACTS_J, "record_note_add", data=lambda w: {"text": "A key point"}),
    post("publish a note on 2(j)", lambda w: on(w, "record_note_change", note(w).pk, "publish"), answers(LOGIN, 403, 403, 403, 403, 403, 302), "record_note_change"),
    post("edit a note on 2(j)", lambda w: on(w, "record_note_change", note(w).pk, "edit"), ACTS_J, "record_note_change", data=lambda w: {"text": "Changed"}),
    post("delete a note on 2(j)", lambda w: on(w, "record_note_change", note(w).pk, "delete"), ACTS_J, "record_note_change"),
    post("a note on 2(j), draft meeting's address", lambda w: on(w, "record_note_change", note(w).pk, "publish", meeting=w.draft), everyone(404), "record_note_change"),
    post("proposal on 2(j)", lambda w: on(spoken_j(w), "record_proposal_add", w.chaired.pk), ACTS_J, "record_proposal_add", data=lambda w: {"text": "A way forward", "raised": [w.made["spoken_j"].pk]}),
    post("status of a proposal on 2(j)", lambda w: on(w, "record_proposal_status", proposal(w).pk), answers(LOGIN, 403, 403, 403, 302, 403, 302), "record_proposal_status", data=lambda w: {"status": "retained"}),
    get("LAP inputs of an area", lambda w: on(w, "record_lap_inputs", "victim-assistance"), DRAFTS, "record_lap_inputs"),
    get("LAP inputs of an area, CSV", lambda w: on(w, "record_lap_inputs_export", "victim-assistance", "csv"), DRAFTS, "record_lap_inputs_export"),
    get("LAP inputs of an area, Word", lambda w: on(w, "outcome_lap_docx", "victim-assistance"), DRAFTS, "outcome_lap_docx"),
    get("President's summary, Word", lambda w: on(spoken(w), "outcome_summary_docx"), DRAFTS, "outcome_summary_docx"),
    get("feed of the record", lambda w: on(spoken(w), "feed_record"), PUBLIC, "feed_record"),
    get("feed of the record, draft meeting", lambda w: on(w, "feed_record", meeting=w.draft), DRAFT, "feed_record"),
    get("feed of the statements", lambda w: on(w, "feed_statements"), PUBLIC, "feed_statements"),
    get("programme calendar", lambda w: on(w, "programme_ics"), PUBLIC, "programme_ics"),
    get("programme calendar, draft meeting", lambda w: on(w, "programme_ics", meeting=w.draft), DRAFT, "programme_ics"),
]
# fmt: on


# --- the admin ---------------------------------------------------------------------------------

# The Secretariat group holds the permissions of our apps and of the accounts (as the demo gives
# them), not django-axes's: its admins refuse the secretariat. Read-only admins (the list of
# speakers changes only through its services) refuse adding.
NOT_THE_SECRETARIATS = {"axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}
READ_ONLY = {"agenda.listevent", "agenda.floorrequest", "agenda.recordnote", "agenda.proposal",
             "agenda.outcomeevent"}  # fmt: skip


def admin_routes() -> list[Route]:
    """For every ModelAdmin registered: its changelist and its add form."""
    routes = []
    for model in admin.site._registry:
        opts = model._meta
        for view in ("changelist", "add"):
            name = f"admin:{opts.app_label}_{opts.model_name}_{view}"
            refused = opts.label_lower in NOT_THE_SECRETARIATS or (
                view == "add" and opts.label_lower in READ_ONLY
            )
            expect = answers(*[ADMIN_LOGIN] * 6, 403 if refused else 200)
            routes.append(
                get(f"admin: {opts.label_lower} {view}", lambda w, n=name: reverse(n), expect, name)
            )
    return routes


def admin_page(label, name, *args, expect=ADMIN, **options) -> Route:
    return get(label, lambda w: reverse(name, args=args), expect, name, **options)


def meeting_type() -> int:
    return ContentType.objects.get_for_model(Meeting).pk


# django-import-export's export form has style attributes and an onchange attribute: the
# strict policy blocks them, so its "Select all" box does nothing.
INVITE = {"action": "invite"}

# fmt: off
ROUTES += admin_routes()
ROUTES += [
    admin_page("admin", "admin:index"),
    admin_page("admin: our app's page", "admin:app_list", "agenda"),
    admin_page("admin: sign-in page", "admin:login", expect=answers(*[200] * 6, 302)),
    post("admin: sign out", lambda w: reverse("admin:logout"), everyone(302), "admin:logout", writes=False),  # home; not staff: the admin's index
    admin_page("admin: change my password", "admin:password_change"),
    admin_page("admin: password changed", "admin:password_change_done"),
    admin_page("admin: translations", "admin:jsi18n"),
    admin_page("admin: autocomplete, without a field", "admin:autocomplete", expect=answers(*[ADMIN_LOGIN] * 6, 403)),
    get("admin: the draft meeting on the site", lambda w: reverse("admin:view_on_site", args=[meeting_type(), w.draft.pk]), answers(*[ADMIN_LOGIN] * 6, 302), "admin:view_on_site"),
    get("admin: an address that does not exist", lambda w: "/admin/no-such-page/", answers(*[ADMIN_LOGIN] * 6, 404), "admin/(?P<url>.*)$"),
    get("admin: correct a delivered entry of the record", lambda w: reverse("admin:agenda_floorrequest_change", args=[w.spoken().pk]), ADMIN, "admin:agenda_floorrequest_change"),
    admin_page("admin: export the list of speakers", "admin:agenda_floorrequest_export"),
    post("admin: invite A's focal point", lambda w: reverse("admin:delegations_focalpoint_changelist"), answers(*[ADMIN_LOGIN] * 6, 302), "admin:delegations_focalpoint_changelist",
         data=lambda w: {**INVITE, "_selected_action": [w.users["focal_a"].focal_points.get().pk]}),
]
for model in ("delegation", "participation", "delegate", "focalpoint", "group", "guest"):
    ROUTES += [
        admin_page(f"admin: import {model}s", f"admin:delegations_{model}_import"),
        admin_page(f"admin: export {model}s", f"admin:delegations_{model}_export"),
        post(f"admin: confirm an import of {model}s without its file", lambda w, m=model: reverse(f"admin:delegations_{m}_process_import"), ADMIN, f"admin:delegations_{model}_process_import", changes=()),
    ]

# --- the JSON API --------------------------------------------------------------------------------

ROUTES += [
    get("API: documentation", lambda w: "/api/v1/docs", PUBLIC, "api-v1:openapi-view"),
    get("API: OpenAPI schema", lambda w: "/api/v1/openapi.json", PUBLIC, "api-v1:openapi-json"),
    get("API: its root", lambda w: "/api/v1/", everyone(404), "api-v1:api-root"),
    api_get("API: meetings", lambda w: "/api/v1/meetings/", PUBLIC, "GET /api/v1/meetings/"),
    api_get("API: agenda", lambda w: f"/api/v1/meetings/{w.slug}/agenda/", PUBLIC, "GET /api/v1/meetings/{slug}/agenda/"),
    api_get("API: agenda, draft meeting", lambda w: f"/api/v1/meetings/{w.draft.slug}/agenda/", DRAFT, "GET /api/v1/meetings/{slug}/agenda/"),
    api_get("API: agenda, draft meeting, signed in without a token", lambda w: f"/api/v1/meetings/{w.draft.slug}/agenda/", DRAFT, "GET /api/v1/meetings/{slug}/agenda/", session=True),
    api_get("API: list of speakers", lambda w: f"/api/v1/agenda-items/{w.item.pk}/speakers/", PUBLIC, "GET /api/v1/agenda-items/{item_id}/speakers/"),
    api_get("API: list of speakers, draft meeting", lambda w: f"/api/v1/agenda-items/{w.draft_item.pk}/speakers/", DRAFT, "GET /api/v1/agenda-items/{item_id}/speakers/"),
    api_post("API: request the floor for A", lambda w: f"/api/v1/agenda-items/{w.item.pk}/speakers/", API_WRITE_A, "POST /api/v1/agenda-items/{item_id}/speakers/", data=lambda w: {"delegation": "CHL", "kind": "statement"}),
    api_post("API: request the floor for A, draft meeting", lambda w: f"/api/v1/agenda-items/{w.draft_item.pk}/speakers/", answers(401, 404, 404, 404, 404, 404, 201), "POST /api/v1/agenda-items/{item_id}/speakers/", data=lambda w: {"delegation": "CHL", "kind": "statement"}),
    api_post("API: request the floor for A, signed in without a token", lambda w: f"/api/v1/agenda-items/{w.item.pk}/speakers/", everyone(401), "POST /api/v1/agenda-items/{item_id}/speakers/", data=lambda w: {"delegation": "CHL", "kind": "statement"}, session=True),
    api_post("API: withdraw A's request", lambda w: f"/api/v1/speakers/{w.request().pk}/withdraw", answers(401, 200, 403, 403, 200, 403, 200), "POST /api/v1/speakers/{entry_id}/withdraw"),
    api_post("API: start on 2(j), which the coordinator chairs", lambda w: f"/api/v1/speakers/{w.request(item=w.chaired).pk}/start", API_CHAIR_J, "POST /api/v1/speakers/{entry_id}/start"),
    api_post("API: move on 2(c)", lambda w: f"/api/v1/speakers/{two_waiting(w).pk}/move", API_CHAIR_C, "POST /api/v1/speakers/{entry_id}/move", data=lambda w: {"position": 1, "reason": "Requested by the chair"}),
    api_post("API: next on 2(c)", lambda w: f"/api/v1/agenda-items/{w.request().item_id}/next", API_CHAIR_C, "POST /api/v1/agenda-items/{item_id}/next"),
    api_post("API: next on 2(j)", lambda w: f"/api/v1/agenda-items/{w.request(item=w.chaired).item_id}/next", API_CHAIR_J, "POST /api/v1/agenda-items/{item_id}/next"),
    api_post("API: open the list of 2(c)", lambda w: f"/api/v1/agenda-items/{closed_list(w).pk}/open", API_CHAIR_C, "POST /api/v1/agenda-items/{item_id}/open"),
    api_post("API: close the list of 2(c)", lambda w: f"/api/v1/agenda-items/{w.item.pk}/close", API_CHAIR_C, "POST /api/v1/agenda-items/{item_id}/close"),
    api_post("API: a time limit of 2(c)", lambda w: f"/api/v1/agenda-items/{w.item.pk}/time-limits", API_CHAIR_C, "POST /api/v1/agenda-items/{item_id}/time-limits", data=lambda w: {"kind": "statement", "seconds": 180}),
    api_post("API: a time limit of 2(j), which the coordinator chairs", lambda w: f"/api/v1/agenda-items/{w.chaired.pk}/time-limits", API_CHAIR_J, "POST /api/v1/agenda-items/{item_id}/time-limits", data=lambda w: {"kind": "statement", "seconds": 180}),
    api_post("API: a time limit, draft meeting", lambda w: f"/api/v1/agenda-items/{w.draft_item.pk}/time-limits", answers(401, 404, 404, 404, 404, 404, 200), "POST /api/v1/agenda-items/{item_id}/time-limits", data=lambda w: {"kind": "statement", "seconds": 180}),
    api_post("API: extend on 2(c)", lambda w: f"/api/v1/speakers/{w.speaking().pk}/extend", API_CHAIR_C, "POST /api/v1/speakers/{entry_id}/extend", data=lambda w: {"seconds": 60}),
    api_post("API: extend on 2(j), which the coordinator chairs", lambda w: f"/api/v1/speakers/{w.speaking(w.chaired).pk}/extend", API_CHAIR_J, "POST /api/v1/speakers/{entry_id}/extend", data=lambda w: {"seconds": 60}),
]
ROUTES += [
    *[api_get(f"API: {what}", lambda w, what=what: f"/api/v1/meetings/{w.slug}/{what}/", PUBLIC, f"GET /api/v1/meetings/{{slug}}/{what}/") for what in ("groups", "guests")],
    *[api_get(f"API: {what}, draft meeting", lambda w, what=what: f"/api/v1/meetings/{w.draft.slug}/{what}/", DRAFT, f"GET /api/v1/meetings/{{slug}}/{what}/") for what in ("groups", "guests")],
    api_post("API: request the floor for A on behalf of its group", lambda w: f"/api/v1/agenda-items/{w.item.pk}/speakers/", API_WRITE_A, "POST /api/v1/agenda-items/{item_id}/speakers/", data=lambda w: {"delegation": "CHL", "kind": "statement", "on_behalf_of": "GRULAC"}),
    api_post("API: request the floor for B on behalf of A's group", lambda w: f"/api/v1/agenda-items/{w.item.pk}/speakers/", answers(401, 403, 400, 403, 400, 403, 400), "POST /api/v1/agenda-items/{item_id}/speakers/", data=lambda w: {"delegation": "FRA", "kind": "statement", "on_behalf_of": "GRULAC"}),
    api_post("API: a joint statement read by A, with B", lambda w: f"/api/v1/agenda-items/{w.item.pk}/speakers/", API_WRITE_A, "POST /api/v1/agenda-items/{item_id}/speakers/", data=lambda w: {"delegation": "CHL", "kind": "statement", "co_sponsors": ["FRA"]}),
    api_post("API: put a speaker without a delegation on 2(c)", lambda w: f"/api/v1/agenda-items/{w.item.pk}/speakers/", answers(401, 403, 403, 403, 201, 403, 201), "POST /api/v1/agenda-items/{item_id}/speakers/", data=guest_on_the_list),
    api_post("API: put a speaker without a delegation on 2(j), which the coordinator chairs", lambda w: f"/api/v1/agenda-items/{w.chaired.pk}/speakers/", answers(401, 403, 403, 201, 201, 403, 201), "POST /api/v1/agenda-items/{item_id}/speakers/", data=guest_on_the_list),
    api_post("API: presence on 2(c)", lambda w: f"/api/v1/speakers/{w.request().pk}/presence", API_CHAIR_C, "POST /api/v1/speakers/{entry_id}/presence", data=lambda w: {"presence": "remote"}),
    api_post("API: presence on 2(j), which the coordinator chairs", lambda w: f"/api/v1/speakers/{w.request(item=w.chaired).pk}/presence", API_CHAIR_J, "POST /api/v1/speakers/{entry_id}/presence", data=lambda w: {"presence": "recorded"}),
]
API_CHAIR_ACTIONS = {"start": lambda w: w.request(), "pause": lambda w: w.speaking(), "resume": paused,
                     "end": lambda w: w.speaking(), "absent": lambda w: w.request(), "readd": absent}
ROUTES += [
    api_post(f"API: {action} on 2(c)", lambda w, m=make, a=action: f"/api/v1/speakers/{m(w).pk}/{a}", API_CHAIR_C, f"POST /api/v1/speakers/{{entry_id}}/{action}")
    for action, make in API_CHAIR_ACTIONS.items()
]
# fmt: on


@pytest.mark.parametrize(("route", "role"), cases(ROUTES))
def test_matrix(client, world, route, role):
    check(client, world, route, role)


# --- the guard -----------------------------------------------------------------------------------

# Admin addresses of one given object that no route opens, each with why. "{model}" stands for
# each registered ModelAdmin's "<app>_<model>", "{path}" for its "<app>/<model>".
NOT_IN_THE_TABLE = {
    "admin:{model}_change": "an object's form: behind admin_view and the model's permissions, "
    "like the changelist and add form in the table (the record's correction is in the table)",
    "admin:{model}_delete": "an object's deletion: behind admin_view and the delete permission",
    "admin:{model}_history": "an object's history: behind admin_view and the view permission",
    "admin/{path}/<path:object_id>/": "Django's redirect of an object's old address to its form",
    "admin:auth_user_password_change": "Django's form setting a user's password: behind "
    "admin_view and the auth.change_user permission",
}


def not_in_the_table() -> dict[str, str]:
    exempt = {}
    for model in admin.site._registry:
        opts = model._meta
        names = {"model": f"{opts.app_label}_{opts.model_name}"}
        names["path"] = f"{opts.app_label}/{opts.model_name}"
        for key, reason in NOT_IN_THE_TABLE.items():
            exempt[key.format(**names)] = reason
    return exempt


def test_every_address_is_in_the_table():
    assert uncovered(ROUTES, api=api, exempt=not_in_the_table()) == []


def test_what_the_guard_lets_through_is_an_address_of_the_project():
    keys = {name or route for route, name, _pattern in url_patterns()}
    assert sorted(set(not_in_the_table()) - keys) == []


def test_every_action_of_the_chair_is_in_the_table():
    known = {*chair.ENTRY_ACTIONS, "next", "move", "open", "close", "add", "point-of-order",
             "take-up", "next-item", "limit", "extend"}  # fmt: skip
    assert {*CHAIR_ACTIONS, "move"} == known


def test_the_page_check_finds_every_kind_of_inline_code():
    html = """<html><head><style>p {}</style>
<script>alert(1)</script><script src="/static/js/live.js"></script>
<script src="/static/js/x.js">alert(2)</script></head>
<body onload="go()"><p style="color: red">
<a href="javascript:go()">Go</a><button hx-on:click="go()">Go</button>
<div hx-vals='js:{a: 1}'></div></body></html>"""
    assert inline_code(html) == [
        "line 1: <style> element",
        "line 2: <script> without src",
        "line 3: <script src> with a body: alert(2)",
        'line 4: <body onload="go()">',
        'line 4: <p style="color: red">',
        'line 5: <a href="javascript:go()">',
        'line 5: <button hx-on:click="go()">',
        'line 6: <div hx-vals="js:{a: 1}">',
    ]


# --- what the table cannot say -------------------------------------------------------------------


def test_the_secretariat_acting_for_a_delegation_is_recorded_as_the_chair(client, world):
    route = next(route for route in ROUTES if route.label == "request the floor for A")
    check(client, world, route, "secretariat")
    entry = world.a.floor_requests.get()
    assert (entry.added_by_chair, entry.requested_by) == (True, world.users["secretariat"])


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
