"""No 500 on bad input (issue 11, finding 8; and the console's malformed version, finding 14):
NUL characters and unpaired surrogates are refused with a 4xx and a reason wherever text
enters (addresses, the record's search, cookies, the API's JSON bodies, the services, the
chair's and the delegations' forms; config/middleware.py under them all); the API answers 405
and 413 in its JSON shape; tag ids are read strictly.

On PostgreSQL each NUL used to end in a 500 ("A string literal cannot contain NUL"); on SQLite
some were a 404 or were stored. Every test here failed on the code before the change.
"""

import json

import pytest
from django.db import DataError
from django.urls import reverse
from django.utils import timezone

from agenda.errors import FloorError
from agenda.models import ApiToken, FloorRequest, LapAction, LapArea, LapTag
from agenda.speakers import services, speeches
from config.middleware import NotTextIsNoError
from tests.authorization import difference, snapshot
from tests.helpers import ask, spoken, version

pytestmark = pytest.mark.django_db

NUL = "a\x00b"
SURROGATE = "a\ud800b"
NOT_TEXT = "holds characters that are not text (a NUL character or an unpaired surrogate)."


def api_post(client, path, body, token):
    """A JSON body as a client sends it: lone surrogates escaped, as JSON spells them."""
    return client.post(
        path,
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


@pytest.fixture
def chair_token(floor):
    return ApiToken.issue(floor.chair)[1]


# --- addresses, query strings, cookies ---------------------------------------------------------


@pytest.mark.parametrize("slug", ["%00", "ccm-2025%00"])
def test_an_api_address_with_a_nul_names_no_meeting(floor, client, slug):
    response = client.get(f"/api/v1/meetings/{slug}/agenda/")
    assert response.status_code == 404
    assert response.json() == {
        "detail": f"There is no meeting “{slug.replace('%00', chr(0))}”.",
        "field": None,
    }


@pytest.mark.parametrize(
    "path",
    ["/meetings/ccm-2025/record/delegations/%00/", "/meetings/ccm-2025/record/delegations/C%00/"],
)
def test_a_delegations_record_with_a_nul_in_its_code_is_not_found(floor, client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("query", ["%00", "a%00b"])
def test_a_search_of_the_record_with_a_nul_says_why_it_searched_nothing(floor, client, query):
    response = client.get(f"/meetings/ccm-2025/record/?q={query}")
    assert response.status_code == 400
    assert (
        "The search holds characters that are not text (a NUL character or an unpaired "
        "surrogate): nothing was searched." in response.content.decode()
    )
    assert response.context["results"] is None


def test_a_search_without_a_nul_still_answers(floor, client):
    assert client.get("/meetings/ccm-2025/record/?q=Chile").status_code == 200


def test_a_cookie_holding_a_nul_is_ignored(floor, client):
    # A quoted cookie may spell a NUL in octal, which Django decodes: no such session.
    response = client.get(
        "/meetings/ccm-2025/record/", headers={"Cookie": 'sessionid="\\000abcdefgh"'}
    )
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


def raises(error):
    def view(request):
        raise error

    return view


@pytest.mark.parametrize("error", [DataError("NUL"), UnicodeEncodeError("utf-8", "", 0, 1, "")])
def test_a_view_failing_on_what_is_not_text_answers_400_in_the_apis_shape(rf, error):
    """The net under every view: one that is not guarded and fails on a NUL (PostgreSQL's
    DataError) or a lone surrogate answers 400 with the reason."""
    middleware = NotTextIsNoError(raises(error))
    request = rf.post("/api/v1/anything/", {"name": "a\x00b"})
    response = middleware.process_exception(request, error)
    assert response.status_code == 400
    assert json.loads(response.content)["field"] is None


def test_a_view_failing_on_text_is_still_an_error(rf):
    middleware = NotTextIsNoError(raises(DataError("other")))
    request = rf.get("/meetings/", {"q": "plain"})
    assert middleware.process_exception(request, DataError("other")) is None
    assert middleware.process_exception(rf.get("/", {"q": "\x00"}), ValueError()) is None


# --- the API's JSON bodies -----------------------------------------------------------------------


@pytest.mark.parametrize("bad", [NUL, SURROGATE], ids=["nul", "surrogate"])
@pytest.mark.parametrize(
    "field",
    ["speaker_name", "note", "delegation", "kind", "language", "on_behalf_of", "presence"],
)
def test_a_request_for_the_floor_with_what_is_not_text_is_refused_with_422(
    floor, client, chair_token, bad, field
):
    body = {"delegation": "CHL", "kind": "statement", field: bad}
    before = snapshot()
    response = api_post(
        client, f"/api/v1/agenda-items/{floor.item.pk}/speakers/", body, chair_token
    )
    assert response.status_code == 422
    assert response.json() == {"detail": f"“{field}” {NOT_TEXT}", "field": field}
    assert difference(before, snapshot()) == {}


@pytest.mark.parametrize("bad", [NUL, SURROGATE], ids=["nul", "surrogate"])
def test_a_co_sponsor_that_is_not_text_is_refused_with_422_naming_it(
    floor, client, chair_token, bad
):
    body = {"delegation": "CHL", "kind": "statement", "co_sponsors": ["FRA", bad]}
    before = snapshot()
    response = api_post(
        client, f"/api/v1/agenda-items/{floor.item.pk}/speakers/", body, chair_token
    )
    assert response.status_code == 422
    assert response.json() == {"detail": f"“co_sponsors.1” {NOT_TEXT}", "field": "co_sponsors.1"}
    assert difference(before, snapshot()) == {}


@pytest.mark.parametrize("bad", [NUL, SURROGATE], ids=["nul", "surrogate"])
def test_a_presence_that_is_not_text_is_refused_with_422(floor, client, chair_token, bad):
    chile = ask(floor, "CHL")
    before = snapshot()
    response = api_post(
        client, f"/api/v1/speakers/{chile.pk}/presence", {"presence": bad}, chair_token
    )
    assert response.status_code == 422
    assert response.json() == {"detail": f"“presence” {NOT_TEXT}", "field": "presence"}
    assert difference(before, snapshot()) == {}


@pytest.mark.parametrize("bad", [NUL, SURROGATE], ids=["nul", "surrogate"])
def test_a_move_with_a_reason_that_is_not_text_is_refused_with_422(floor, client, chair_token, bad):
    ask(floor, "CHL")
    france = ask(floor, "FRA")
    before = snapshot()
    response = api_post(
        client, f"/api/v1/speakers/{france.pk}/move", {"position": 1, "reason": bad}, chair_token
    )
    assert response.status_code == 422
    assert response.json()["field"] == "reason"
    assert difference(before, snapshot()) == {}


@pytest.mark.parametrize("field", ["kind", "to"])
def test_other_strings_of_the_api_are_checked_too(floor, client, chair_token, field):
    france = ask(floor, "FRA")
    path, body = (
        (f"/api/v1/agenda-items/{floor.item.pk}/time-limits", {"kind": NUL, "seconds": 60})
        if field == "kind"
        else (f"/api/v1/speakers/{france.pk}/move", {"to": SURROGATE, "reason": "Late"})
    )
    response = api_post(client, path, body, chair_token)
    assert (response.status_code, response.json()["field"]) == (422, field)


def test_a_body_over_the_limit_answers_413_in_the_apis_shape(floor, client, chair_token, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # Django's default, 2.5 MB
    body = {"delegation": "CHL", "kind": "statement", "note": "x" * 2_700_000}
    response = api_post(
        client, f"/api/v1/agenda-items/{floor.item.pk}/speakers/", body, chair_token
    )
    assert response.status_code == 413
    assert response.json() == {
        "detail": "The request body is too large: at most 2.5\xa0MB.",
        "field": None,
    }
    assert FloorRequest.objects.count() == 0


def test_a_method_an_api_address_does_not_take_answers_405_in_the_apis_shape(floor, client):
    response = client.get(f"/api/v1/agenda-items/{floor.item.pk}/next")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response.json() == {"detail": "This address takes POST only.", "field": None}
    response = client.delete(f"/api/v1/agenda-items/{floor.item.pk}/speakers/")
    assert response.status_code == 405
    assert response.json()["detail"] == "This address takes GET, POST only."


# --- the services ------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [NUL, SURROGATE], ids=["nul", "surrogate"])
@pytest.mark.parametrize("field", ["speaker_name", "note"])
def test_the_service_refuses_a_speaker_name_or_note_that_is_not_text(floor, bad, field):
    with pytest.raises(FloorError) as refused:
        ask(floor, "CHL", **{field: bad})
    assert refused.value.field == field
    assert "not text" in refused.value.message
    assert FloorRequest.objects.count() == 0


@pytest.mark.parametrize("bad", [NUL, SURROGATE], ids=["nul", "surrogate"])
def test_the_service_refuses_a_move_reason_that_is_not_text(floor, bad):
    ask(floor, "CHL")
    france = ask(floor, "FRA")
    with pytest.raises(FloorError) as refused:
        speeches.speaker_move(entry=france, position=1, reason=bad, user=floor.chair)
    assert (refused.value.field, refused.value.message) == (
        "reason",
        "The reason holds characters that are not text (a NUL character or an unpaired surrogate).",
    )


# --- the chair's forms and the delegations' forms -------------------------------------------------


def chair_post(client, floor, action, **data):
    url = reverse("chair_act", args=[floor.meeting.slug, floor.item.pk, action])
    return client.post(url, data, headers={"HX-Request": "true"})


@pytest.mark.parametrize(
    ("action", "field"),
    [("move", "reason"), ("add", "speaker_name"), ("point-of-order", "speaker_name")],
)
def test_the_chairs_forms_refuse_a_nul_with_a_notice(floor, client, action, field):
    ask(floor, "CHL")
    france = ask(floor, "FRA")
    client.force_login(floor.chair)
    data = {"version": version(floor), "entry": france.pk, "position": 1, "reason": "Late"}
    data |= {"delegation": "Austria", field: NUL}
    before = snapshot()
    response = chair_post(client, floor, action, **data)
    assert response.status_code == 200
    assert "holds characters that are not text" in response.content.decode()
    assert difference(before, snapshot()) == {}


def test_the_delegations_form_refuses_a_nul_next_to_its_field(floor, chile):
    url = reverse("floor_request", args=[floor.meeting.slug, "CHL", floor.item.pk])
    prefix = f"item-{floor.item.pk}"
    before = snapshot()
    response = chile.post(
        url,
        {f"{prefix}-kind": "statement", f"{prefix}-language": "en", f"{prefix}-note": NUL},
    )
    assert response.status_code == 400
    panel = next(p for p in response.context["panels"] if p.item.pk == floor.item.pk)
    assert panel.form.errors["note"] == ["Null characters are not allowed."]
    assert difference(before, snapshot()) == {}


@pytest.mark.parametrize("field", ["kind", "language"])
def test_the_delegations_choices_with_a_nul_are_refused_next_to_their_field(floor, chile, field):
    url = reverse("floor_request", args=[floor.meeting.slug, "CHL", floor.item.pk])
    prefix = f"item-{floor.item.pk}"
    data = {"kind": "statement", "language": "en", field: NUL}
    response = chile.post(url, {f"{prefix}-{key}": value for key, value in data.items()})
    assert response.status_code == 400
    assert FloorRequest.objects.count() == 0


# --- finding 14: the console refuses a malformed version ---------------------------------------


@pytest.mark.parametrize("malformed", ["abc", "1.5", "-1", "²", "9" * 5000])
def test_the_console_refuses_a_malformed_version_with_a_notice(floor, client, malformed):
    ask(floor, "CHL")
    client.force_login(floor.chair)
    before = snapshot()
    response = chair_post(client, floor, "next", version=malformed)
    assert response.status_code == 200
    assert (
        "The version of the list sent with this action is not a whole number: nothing was "
        "done. Reload the console." in response.content.decode()
    )
    assert difference(before, snapshot()) == {}


def test_the_console_still_acts_without_a_version(floor, client):
    ask(floor, "CHL")
    client.force_login(floor.chair)
    chair_post(client, floor, "next", version="")
    assert version(floor) == 2


# --- tag ids are read strictly -----------------------------------------------------------------


@pytest.fixture
def tagged(floor):
    area = LapArea.objects.create(
        slug="va", title="Victim assistance", first_action=1, last_action=9
    )
    action = LapAction.objects.create(area=area, number=3, title="Needs")
    entry = spoken(floor.item, floor.d["CHL"], minute=1, seconds=60)
    LapTag.objects.create(entry=entry, action=action, tagged_at=timezone.now())
    return entry, action


@pytest.mark.parametrize("value", ["²", "٣", "1e3", "9" * 30])
def test_a_tag_that_is_not_an_id_is_refused_and_the_tags_stay(floor, client, tagged, value):
    entry, action = tagged
    client.force_login(floor.secretariat)
    url = reverse("record_tag", args=[floor.meeting.slug, entry.pk])
    response = client.post(url, {"actions": [str(action.pk), value]}, follow=True)
    assert response.status_code == 200
    assert "Choose the actions from the list: nothing was changed." in response.content.decode()
    assert list(LapTag.objects.values_list("entry", "action")) == [(entry.pk, action.pk)]


def test_an_export_of_an_item_that_is_not_an_id_answers_the_meetings(floor, client):
    response = client.get(
        reverse("record_export", args=[floor.meeting.slug, "speakers", "csv"]) + "?item=²"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="ccm-2025-speakers.csv"'


def test_the_service_still_takes_a_plain_name(floor):
    entry = services.floor_request_create(
        item=floor.item,
        delegation=floor.d["CHL"],
        kind="statement",
        user=floor.user("CHL"),
        speaker_name="Camila Rojas 😀",
    )
    assert entry.speaker_name == "Camila Rojas 😀"
