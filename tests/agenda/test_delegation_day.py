"""A delegation's day (agenda.web.delegation_day): the page follows the live stream (its regions
and the notice "You are next" / "You have the floor"), a withdrawal is undone from the phone,
and the request form starts from sensible defaults."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agenda.models import AgendaItem, FloorRequest, ListEvent
from agenda.speakers.services import floor_request_withdraw
from agenda.speakers.speeches import speaker_call_next
from agenda.speakers.undo import UNDO_SECONDS
from agenda.statements.services import statement_create
from delegations.models import Participation
from tests.documents import pdf_bytes
from tests.factories import AgendaItemFactory
from tests.helpers import ask, text

pytestmark = pytest.mark.django_db


def page_url(floor, code="CHL"):
    return reverse("delegation_floor", args=[floor.meeting.slug, code])


def fragment_url(floor, item=None, code="CHL"):
    item = item or floor.item
    return f"{page_url(floor, code)}?fragment=item&item={item.pk}"


def undo_url(floor, entry, code="CHL"):
    return reverse("floor_undo", args=[floor.meeting.slug, code, entry.pk])


def selected(html, item, field):
    """The value chosen beforehand in the item's request form, for `field`."""
    select = re.search(rf'<select name="item-{item.pk}-{field}".*?</select>', html, re.S)[0]
    return re.findall(r'<option value="([a-z_]*)"[^>]*selected', select)[0]


def under_discussion(floor):
    AgendaItem.objects.filter(pk=floor.item.pk).update(under_discussion=True)


# --- sensible defaults ----------------------------------------------------------------------


def test_a_designated_presenter_is_offered_its_leading_kind_first_and_chosen(client, floor):
    client.force_login(floor.user("CHL"))
    html = client.get(page_url(floor)).content.decode()
    assert selected(html, floor.item, "kind") == "extension_request"

    client.force_login(floor.user("FRA"))  # not a presenter: a statement, as before
    html = client.get(page_url(floor, "FRA")).content.decode()
    assert selected(html, floor.item, "kind") == "statement"


def test_the_language_is_the_delegations_usual_one(client, floor):
    Participation.objects.filter(delegation=floor.d["CHL"]).update(language="es")
    ask(floor, "CHL", language="fr")  # its usual language wins over its last request
    client.force_login(floor.user("CHL"))
    html = client.get(page_url(floor)).content.decode()
    assert selected(html, floor.item.parent, "language") == "es"


def test_else_the_language_of_its_last_request_at_the_meeting(client, floor):
    other = AgendaItemFactory(meeting=floor.meeting, parent=floor.item.parent, label="d")
    ask(floor, "CHL", language="es", item=other)
    ask(floor, "CHL", language="fr")  # the later one
    client.force_login(floor.user("CHL"))
    html = client.get(page_url(floor)).content.decode()
    assert selected(html, other, "language") == "fr"


def test_else_no_language_is_chosen_and_the_form_asks_for_one(client, floor):
    client.force_login(floor.user("CHL"))
    html = client.get(page_url(floor)).content.decode()
    assert selected(html, floor.item, "language") == ""
    assert '<option value="" selected>Choose a language</option>' in html

    response = client.post(
        reverse("floor_request", args=[floor.meeting.slug, "CHL", floor.item.pk]),
        {f"item-{floor.item.pk}-kind": "statement"},
    )
    assert response.status_code == 400
    assert "Choose the language the statement is delivered in." in text(response)
    assert not FloorRequest.objects.exists()


# --- the page follows the stream -------------------------------------------------------------


def test_the_page_listens_to_the_stream_and_says_its_time_zone(client, floor):
    client.force_login(floor.user("CHL"))
    response = client.get(page_url(floor))
    html = response.content.decode()
    assert f'sse-connect="/api/v1/meetings/{floor.meeting.slug}/stream?after=' in html
    assert f'hx-trigger="sse:list-{floor.item.pk}, resync"' in html
    assert 'hx-trigger="sse:agenda, resync"' in html
    assert '<div id="floor-notice" class="floor-notice-region" role="status"' in html
    assert "Reload the page to see the latest" not in html
    assert re.search(
        r"Times are in the meeting's time zone, Europe/Zurich \(CES?T\)\.", text(response)
    )


def test_the_fragment_the_stream_refreshes_says_you_are_next_then_you_have_the_floor(client, floor):
    under_discussion(floor)
    ask(floor, "FRA")
    ask(floor, "CHL")
    speaker_call_next(item=floor.item, user=floor.chair)  # France speaks, Chile is next
    client.force_login(floor.user("CHL"))

    response = client.get(fragment_url(floor))
    assert response.status_code == 200
    html = response.content.decode()
    # The region first (its item and version, for the page's ordering), then its badges and
    # the notice, swapped in place.
    assert html.lstrip().startswith(f'<div id="item-{floor.item.pk}-live"')
    assert f'data-item="{floor.item.pk}" data-version="3"' in html
    assert f'<span id="item-{floor.item.pk}-badges" class="floor-badges" hx-swap-oob="true">' in (
        html
    )
    assert '<div id="floor-notice" hx-swap-oob="innerHTML">' in html
    seen = text(response)
    assert "You are next 2(c), Statement" in seen
    assert "Statement: place 1 of 1. You are next." in seen
    assert "Place 1" in seen

    speaker_call_next(item=floor.item, user=floor.chair)
    seen = text(client.get(fragment_url(floor)))
    assert "You have the floor 2(c), Statement" in seen
    assert "Statement: your delegation has the floor." in seen
    assert "You are next" not in seen


def test_no_notice_for_a_list_not_under_discussion(client, floor):
    ask(floor, "CHL")
    client.force_login(floor.user("CHL"))
    html = client.get(fragment_url(floor)).content.decode()
    assert "Statement: place 1 of 1. You speak next." in text(html)
    assert 'data-notice="' not in html


def test_the_page_itself_shows_the_notice(client, floor):
    under_discussion(floor)
    ask(floor, "CHL")
    speaker_call_next(item=floor.item, user=floor.chair)
    client.force_login(floor.user("CHL"))
    html = client.get(page_url(floor)).content.decode()
    notice = re.search(r'<div id="floor-notice".*?</div>', html, re.S)[0]
    assert "You have the floor" in text(notice)
    assert 'class="floor-notice floor-notice-floor"' in notice


def test_the_list_closed_reaches_the_region(client, floor):
    client.force_login(floor.user("CHL"))
    AgendaItem.objects.filter(pk=floor.item.pk).update(list_is_open=False)
    seen = text(client.get(fragment_url(floor)))
    assert "List closed" in seen
    assert "The list of speakers is closed." in seen


def test_when_another_item_is_taken_up_every_region_comes_along(client, floor):
    under_discussion(floor)
    ask(floor, "CHL")
    client.force_login(floor.user("CHL"))
    response = client.get(f"{page_url(floor)}?fragment=now")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="floor-now"')
    assert "Under discussion now: 2(c) Clearance" in text(response)
    for item in (floor.item, floor.item.parent):
        assert f'id="item-{item.pk}-live"' in html
    assert html.count('hx-swap-oob="true"') == 4  # two regions, two sets of badges
    assert "You are next" in text(response)


@pytest.mark.parametrize(
    "query", ["?fragment=board", "?fragment=item", "?fragment=item&item=999999", "?fragment="]
)
def test_an_unknown_fragment_is_not_found(client, floor, query):
    client.force_login(floor.user("CHL"))
    assert client.get(page_url(floor) + query).status_code == 404


def test_a_region_for_another_delegation_is_forbidden(client, floor):
    client.force_login(floor.user("FRA"))
    assert client.get(fragment_url(floor)).status_code == 403


def test_the_fragment_runs_a_fixed_number_of_queries(client, floor, django_assert_num_queries):
    client.force_login(floor.user("CHL"))
    ask(floor, "CHL")
    client.get(fragment_url(floor))  # warm up
    with CaptureQueriesContext(connection) as first:
        client.get(fragment_url(floor))
    for n in range(6):
        item = AgendaItemFactory(meeting=floor.meeting, parent=floor.item.parent, label=f"x{n}")
        for code in ("FRA", "CHL"):
            ask(floor, code, item=item)
    with django_assert_num_queries(len(first.captured_queries)):
        assert client.get(fragment_url(floor)).status_code == 200


# --- withdraw, then undo ---------------------------------------------------------------------


def test_withdraw_then_undo_puts_the_request_back_in_its_place(client, floor):
    ask(floor, "FRA")
    entry = ask(floor, "CHL")
    ask(floor, "AUT")
    client.force_login(floor.user("CHL"))
    withdraw = reverse("floor_withdraw", args=[floor.meeting.slug, "CHL", entry.pk])
    page = client.post(withdraw, follow=True)
    html = page.content.decode()
    assert "Withdrawn: your request on 2(c). Undo the withdrawal on 2(c)" in text(page)
    until = int(re.search(r'data-undo-until="(\d+)"', html)[1])
    assert f'action="{undo_url(floor, entry)}"' in html
    assert 10_000 <= until - page.context["server_now"] <= 20_000  # offered for a few seconds

    response = client.post(undo_url(floor, entry))
    assert response.status_code == 302
    assert response["Location"] == f"{page_url(floor)}#item-{floor.item.pk}"
    entry.refresh_from_db()
    assert entry.status == "waiting"
    seen = text(client.get(response["Location"]))
    assert "Your request on 2(c) is back in its place: place 2." in seen
    assert "Statement: place 2 of 3." in seen


def test_another_delegation_may_not_undo_and_nothing_changes(client, floor):
    entry = ask(floor, "CHL")
    floor_request_withdraw(entry=entry, user=floor.user("CHL"))
    events = ListEvent.objects.count()

    client.force_login(floor.user("FRA"))
    response = client.post(undo_url(floor, entry))
    assert response.status_code == 403
    assert "Your account does not act for Chile." in text(response)
    # Through its own address: not found.
    assert client.post(undo_url(floor, entry, code="FRA")).status_code == 404
    entry.refresh_from_db()
    assert entry.status == "withdrawn"
    assert ListEvent.objects.count() == events


def test_too_late_to_undo_says_so_and_changes_nothing(client, floor):
    entry = ask(floor, "CHL")
    floor_request_withdraw(entry=entry, user=floor.user("CHL"))
    event = ListEvent.objects.filter(entry=entry).latest("version")
    event.at -= timedelta(seconds=UNDO_SECONDS + 1)
    event.save()
    events = ListEvent.objects.count()

    client.force_login(floor.user("CHL"))
    page = client.post(undo_url(floor, entry), follow=True)
    assert (
        f"It is too late to undo (more than {UNDO_SECONDS} seconds). Add Chile again instead."
        in text(page)
    )
    entry.refresh_from_db()
    assert entry.status == "withdrawn"
    assert ListEvent.objects.count() == events


def test_undo_twice_a_double_tap_says_there_is_nothing_more_to_undo(client, floor):
    entry = ask(floor, "CHL")
    floor_request_withdraw(entry=entry, user=floor.user("CHL"))
    client.force_login(floor.user("CHL"))
    assert client.post(undo_url(floor, entry)).status_code == 302
    events = ListEvent.objects.count()
    page = client.post(undo_url(floor, entry), follow=True)
    assert (
        "There is nothing to undo on 2(c): the last change of your request was not its "
        "withdrawal." in text(page)
    )
    entry.refresh_from_db()
    assert entry.status == "waiting"
    assert ListEvent.objects.count() == events


def test_undo_answers_only_post(client, floor):
    entry = ask(floor, "CHL")
    client.force_login(floor.user("CHL"))
    assert client.get(undo_url(floor, entry)).status_code == 405


def test_the_statements_page_says_its_time_zone_once(client, floor):
    statement_create(
        item=floor.item,
        delegation=floor.d["CHL"],
        user=floor.user("CHL"),
        language="es",
        file=SimpleUploadedFile("s.pdf", pdf_bytes()),
    )
    client.force_login(floor.user("CHL"))
    url = reverse("delegation_statements", args=[floor.meeting.slug, "CHL", floor.item.pk])
    zone = r"Times are in the meeting's time zone, Europe/Zurich \(CES?T\)\."
    assert len(re.findall(zone, text(client.get(url)))) == 1
