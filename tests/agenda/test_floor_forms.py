"""The request-the-floor form: every refusal says why, next to its field; a double click
never makes two requests; no input gives a 500."""

import html as html_lib
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agenda.models import AgendaItem, FloorRequest, ListEvent
from agenda.speakers.services import floor_request_create, speakers_list_set_open
from agenda.speakers.speeches import speaker_call_next
from meetings.models import Meeting
from tests.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def request_url(floor, code="CHL", item=None):
    item = item or floor.item
    return reverse("floor_request", args=[floor.meeting.slug, code, item.pk])


def page_url(floor, code="CHL"):
    return reverse("delegation_floor", args=[floor.meeting.slug, code])


def post(client, floor, code="CHL", item=None, **fields):
    item = item or floor.item
    data = {"kind": "statement", "language": "en", **fields}
    return client.post(
        request_url(floor, code, item), {f"item-{item.pk}-{k}": v for k, v in data.items()}
    )


def form_of(response, item):
    return next(panel.form for panel in response.context["panels"] if panel.item.pk == item.pk)


def refusal(response, item, field=None):
    """The errors shown for `field` (None: the form's own) of the item's form."""
    assert response.status_code == 400
    form = form_of(response, item)
    return form.non_field_errors() if field is None else form.errors.get(field, [])


def entries():
    return list(FloorRequest.objects.values_list("delegation__code", "kind", "status"))


# --- accepted ---------------------------------------------------------------------------------


def test_a_request_redirects_to_the_page_which_shows_the_place(chile, floor):
    response = post(chile, floor, speaker_name="  Camila Rojas ", language="es", note="Short")

    assert response.status_code == 302
    assert response["Location"] == f"{page_url(floor)}#item-{floor.item.pk}"
    entry = FloorRequest.objects.get()
    assert (entry.delegation.code, entry.kind, entry.speaker_name, entry.language, entry.note) == (
        "CHL",
        "statement",
        "Camila Rojas",
        "es",
        "Short",
    )
    assert (entry.requested_by, entry.added_by_chair) == (floor.user("CHL"), False)
    page = chile.get(response["Location"]).content.decode()
    assert "Your delegation is on the list of 2(c): place 1 of 1." in page


def test_a_designated_delegation_requests_its_extension_request(chile, floor):
    assert post(chile, floor, kind="extension_request").status_code == 302
    assert entries() == [("CHL", "extension_request", "waiting")]


def test_a_right_of_reply_is_possible_when_the_list_is_closed(chile, floor):
    speakers_list_set_open(item=floor.item, is_open=False, user=floor.chair)
    assert post(chile, floor, kind="right_of_reply").status_code == 302
    assert entries() == [("CHL", "right_of_reply", "waiting")]


# --- every refusal, next to its field ---------------------------------------------------------


def test_the_list_is_closed(chile, floor):
    speakers_list_set_open(item=floor.item, is_open=False, user=floor.chair)
    response = post(chile, floor)
    assert refusal(response, floor.item) == ["The list of speakers is closed."]
    assert entries() == []


def test_the_window_has_not_opened(chile, floor):
    opens = timezone.now() + timedelta(hours=2)
    AgendaItem.objects.filter(pk=floor.item.pk).update(list_opens_at=opens)
    local = timezone.localtime(opens, floor.meeting.tzinfo)
    response = post(chile, floor)
    assert refusal(response, floor.item) == [
        f"The list of speakers opens at {local.day} {local:%B %Y, %H:%M}."
    ]
    assert entries() == []


def test_the_window_has_closed(chile, floor):
    AgendaItem.objects.filter(pk=floor.item.pk).update(
        list_closes_at=timezone.now() - timedelta(minutes=1)
    )
    assert refusal(post(chile, floor), floor.item) == ["The list of speakers is closed."]


def test_the_delegation_is_already_on_this_list(chile, floor):
    floor_request_create(
        item=floor.item, delegation=floor.d["FRA"], kind="statement", user=floor.user("FRA")
    )
    assert post(chile, floor).status_code == 302
    response = post(chile, floor)
    assert refusal(response, floor.item, "kind") == [
        "Your delegation is already on this list (place 2)."
    ]
    assert entries() == [("FRA", "statement", "waiting"), ("CHL", "statement", "waiting")]


def test_a_double_click_makes_one_request(chile, floor):
    first = post(chile, floor)
    second = post(chile, floor)  # the same form, sent again before the redirect
    assert first.status_code == 302
    assert second.status_code == 400
    assert entries() == [("CHL", "statement", "waiting")]
    assert ListEvent.objects.filter(action="requested").count() == 1


def test_a_kind_not_open_to_the_delegation(client, floor):
    client.force_login(floor.user("FRA"))
    response = post(client, floor, "FRA", kind="extension_request")
    assert refusal(response, floor.item, "kind") == [
        "The secretariat has not designated your delegation for this on this item."
    ]
    response = post(client, floor, "FRA", kind="coordinator_remarks")
    assert refusal(response, floor.item, "kind") == [
        "Only the coordinators of this item may give coordinators' remarks."
    ]
    assert entries() == []


def test_the_refused_kind_comes_back_with_the_kinds_offered(client, floor):
    client.force_login(floor.user("FRA"))
    html = post(client, floor, "FRA", kind="extension_request").content.decode()
    select = re.search(rf'<select name="item-{floor.item.pk}-kind".*?</select>', html, re.S)[0]
    assert re.findall(r'<option value="([a-z_]+)"', select) == ["statement", "right_of_reply"]


def test_the_cap_on_rights_of_reply(chile, floor):
    for _ in range(2):
        assert post(chile, floor, kind="right_of_reply").status_code == 302
        speaker_call_next(item=floor.item, user=floor.chair)  # Chile has the floor
        speaker_call_next(item=floor.item, user=floor.chair)  # and has spoken
    response = post(chile, floor, kind="right_of_reply")
    assert refusal(response, floor.item, "kind") == [
        "Your delegation has used its 2 rights of reply on this item."
    ]


def test_a_closed_meeting(chile, floor):
    Meeting.objects.filter(pk=floor.meeting.pk).update(status=Meeting.Status.CLOSED)
    assert refusal(post(chile, floor), floor.item) == ["The meeting is closed."]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"kind": "banana"}, "kind", "Unknown kind of request."),
        ({"kind": ""}, "kind", "Choose what you ask the floor for."),
        ({"language": "de"}, "language", "Choose one of the six languages of the meeting."),
        ({"language": ""}, "language", "Choose the language the statement is delivered in."),
        (
            {"speaker_name": "x" * 201},
            "speaker_name",
            "The speaker's name is too long (at most 200 characters).",
        ),
        ({"note": "x" * 501}, "note", "The note is too long (at most 500 characters)."),
        ({"speaker_name": "Camila\x00Rojas"}, "speaker_name", "Null characters are not allowed."),
    ],
    ids=["unknown-kind", "no-kind", "unknown-language", "no-language", "long-name", "long-note",
         "null-character"],
)  # fmt: skip
def test_wrong_input_is_refused_next_to_its_field(chile, floor, fields, field, message):
    response = post(chile, floor, **fields)
    assert refusal(response, floor.item, field) == [message]
    assert entries() == []


def test_the_first_field_in_error_takes_the_focus_and_is_tied_to_its_error(chile, floor):
    html = post(chile, floor, kind="banana", language="de").content.decode()
    prefix = f"id_item-{floor.item.pk}"
    kind = re.search(rf'<select [^>]*id="{prefix}-kind"[^>]*>', html)[0]
    assert " autofocus" in kind
    assert 'aria-invalid="true"' in kind
    assert f'aria-describedby="{prefix}-kind_error"' in kind
    assert f'<div id="{prefix}-kind_error" class="invalid-feedback">' in html
    assert html.count(" autofocus") == 1


def test_a_refusal_for_the_whole_form_takes_the_focus(chile, floor):
    speakers_list_set_open(item=floor.item, is_open=False, user=floor.chair)
    html = html_lib.unescape(post(chile, floor).content.decode())
    assert (
        f'<div id="item-{floor.item.pk}-errors" class="alert alert-danger form-errors" '
        'role="alert" tabindex="-1" autofocus>' in html
    )
    assert html.count(" autofocus") == 1


def test_the_refused_panel_is_open_and_keeps_what_was_typed(chile, floor):
    speakers_list_set_open(item=floor.item, is_open=False, user=floor.chair)
    html = post(chile, floor, speaker_name="Diego Fuentes", note="Brief").content.decode()
    assert re.search(rf'id="item-{floor.item.pk}"[^>]*>\s*<details open>', html)
    assert 'value="Diego Fuentes"' in html
    assert re.search(r">\s*Brief</textarea>", html)


# --- withdrawing ------------------------------------------------------------------------------


def withdraw_url(floor, entry, code="CHL"):
    return reverse("floor_withdraw", args=[floor.meeting.slug, code, entry.pk])


def test_withdraw(chile, floor):
    post(chile, floor)
    entry = FloorRequest.objects.get()
    response = chile.post(withdraw_url(floor, entry))
    assert response.status_code == 302
    assert response["Location"] == f"{page_url(floor)}#item-{floor.item.pk}"
    assert entries() == [("CHL", "statement", "withdrawn")]
    page = chile.get(response["Location"]).content.decode()
    assert "Withdrawn: your request on 2(c)." in page
    assert page.count(">Undo<") == 1
    # Withdrawn twice (a double click): the second says why nothing happened.
    page = chile.post(withdraw_url(floor, entry), follow=True).content.decode()
    assert "Chile is withdrawn: it cannot be withdrawn." in page


def test_a_speech_under_way_cannot_be_withdrawn(chile, floor):
    post(chile, floor)
    speaker_call_next(item=floor.item, user=floor.chair)
    entry = FloorRequest.objects.get()
    response = chile.post(withdraw_url(floor, entry), follow=True)
    assert "Chile is speaking: it cannot be withdrawn." in response.content.decode()
    assert entries() == [("CHL", "statement", "speaking")]


def test_another_delegations_request_is_not_found_through_ones_own_page(chile, floor):
    other = floor_request_create(
        item=floor.item, delegation=floor.d["FRA"], kind="statement", user=floor.user("FRA")
    )
    assert chile.post(withdraw_url(floor, other, "CHL")).status_code == 404
    assert entries() == [("FRA", "statement", "waiting")]


# --- no input gives a 500 ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/meetings/ccm-2025/my-delegation/CHL/items/999999/request/",
        "/meetings/ccm-2025/my-delegation/NOPE/items/1/request/",
        "/meetings/nope/my-delegation/CHL/items/1/request/",
        "/meetings/ccm-2025/my-delegation/CHL/requests/999999/withdraw/",
        "/meetings/ccm-2025/my-delegation/CHL/items/99999999999999999999999/request/",
        "/meetings/ccm-2025/my-delegation/%00/items/1/request/",
    ],
)
def test_unknown_things_are_not_found(chile, floor, path):
    assert chile.post(path, {"item-1-kind": "statement"}).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/meetings/ccm-2025/my-delegation/%00/",
        "/meetings/ccm-2025/my-delegation/CHL%00/",
        "/meetings/ccm-2025/my-delegation/" + "X" * 5000 + "/",
    ],
)
def test_odd_addresses_are_not_found(chile, floor, path):
    assert chile.get(path).status_code == 404


def test_an_odd_choice_of_delegation_leads_to_ones_own(chile, floor):
    assert chile.get("/my-delegation/?delegation=%00")["Location"] == page_url(floor)


def test_an_item_of_another_meeting_is_not_found(chile, floor):
    other = AgendaItemFactory(meeting=MeetingFactory(slug="elsewhere"))
    assert post(chile, floor, item=other).status_code == 404


def test_the_write_addresses_take_only_post(chile, floor):
    assert chile.get(request_url(floor)).status_code == 405
    assert chile.post(page_url(floor)).status_code == 405


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"kind": ["statement", "right_of_reply"]},
        {"item-2-kind": "x" * 100_000},
        {"item-2-kind": "\x00", "item-2-language": "\x00"},
        {"item-2-kind": "statement", "item-2-language": "en", "item-2-note": "\u202e" * 50},
        {"csrfmiddlewaretoken": "x"},
    ],
)
def test_garbage_never_gives_a_500(chile, floor, data):
    response = chile.post(request_url(floor), data)
    assert response.status_code in (302, 400)
