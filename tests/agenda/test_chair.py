"""The chair's console: the list as the chair sees it, every action with and without htmx, the
stale version, the item under discussion, and query counts that do not grow with the list."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agenda.durations import countdown_text
from agenda.models import AgendaItem, FloorRequest, ListEvent
from agenda.speakers import services, speeches
from agenda.speakers.selectors import speakers_list
from tests.factories import AgendaItemFactory, DelegationFactory, ParticipationFactory
from tests.helpers import ask, text, version

pytestmark = pytest.mark.django_db


def console(floor, item=None):
    return reverse("chair_console", kwargs={"slug": "ccm-2025", "pk": (item or floor.item).pk})


def act(floor, action, item=None):
    return reverse(
        "chair_act", kwargs={"slug": "ccm-2025", "pk": (item or floor.item).pk, "action": action}
    )


def names(html, table="waiting"):
    """The delegations in a table of the console, in order."""
    body = html.split(f'class="table table-sm align-middle {table}"')[1].split("</table>")[0]
    return re.findall(r'data-name="([^"]+)"', body)


def current(html) -> str:
    """Who has the floor, as the console says it."""
    found = re.search(r'<div class="current-name[^>]*data-current[^>]*>(.*?)</div>', html, re.S)
    return text(found[1])


@pytest.fixture
def chair(client, floor):
    client.force_login(floor.chair)
    return client


def test_the_console_shows_who_speaks_who_waits_and_who_has_spoken(chair, floor):
    for code in ("FRA", "CHL", "HRW"):
        ask(floor, code)
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    html = chair.get(console(floor)).content.decode()
    assert names(html) == ["Human Rights Watch"]
    assert current(html) == "Chile"
    assert 'data-limit="300"' in html
    done = html.split('class="table table-sm done"')[1].split("</table>")[0]
    assert "France" in done
    assert '<input type="hidden" name="version" value="5">' in html
    assert "<kbd>N</kbd>" in html and 'data-shortcut="n"' in html
    board = text(html[html.index('<section id="board"') :].split('<nav id="agenda-nav"')[0])
    assert "limit 5:00" in board and "300 s" not in board
    assert "version" not in board


def test_the_chair_home_opens_the_item_under_discussion(chair, floor):
    services.agenda_item_take_up(item=floor.item, user=floor.chair)
    response = chair.get(reverse("chair_home", kwargs={"slug": "ccm-2025"}))
    assert response.status_code == 302
    assert response["Location"] == console(floor)


def test_next_speaker_without_javascript_redirects_back_to_the_console(chair, floor):
    ask(floor, "CHL")
    response = chair.post(act(floor, "next"), {"version": version(floor)})
    assert response.status_code == 302
    assert response["Location"] == console(floor)
    assert speakers_list(floor.item).current.delegation.code == "CHL"


def test_a_stale_version_without_javascript_says_the_list_changed_and_shows_it(chair, floor):
    ask(floor, "CHL")
    seen = version(floor)
    ask(floor, "FRA")
    response = chair.post(act(floor, "next"), {"version": seen}, follow=True)
    html = response.content.decode()
    assert "The list changed since you loaded it: nothing was done." in html
    board = text(html[html.index('<section id="board"') :].split('<nav id="agenda-nav"')[0])
    assert "version" not in board  # plain words, not the list's internal number
    assert names(html) == ["Chile", "France"]
    assert speakers_list(floor.item).current is None


def test_a_stale_version_with_htmx_answers_the_new_list_with_the_warning(chair, floor):
    ask(floor, "CHL")
    seen = version(floor)
    ask(floor, "FRA")
    response = chair.post(act(floor, "next"), {"version": seen}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="board"')
    assert '<div class="alert alert-warning" role="alert">The list changed' in html
    assert names(html) == ["Chile", "France"]
    assert 'data-version="2"' in html


def test_with_htmx_an_action_answers_the_refreshed_board(chair, floor):
    ask(floor, "CHL")
    ask(floor, "FRA")
    response = chair.post(act(floor, "next"), {"version": 2}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert current(html) == "Chile"
    assert names(html) == ["France"]
    assert "<html" not in html


def entry(floor, code):
    return FloorRequest.objects.get(item=floor.item, delegation=floor.d[code])


def test_pause_resume_end_absent_and_readd(chair, floor):
    ask(floor, "CHL")
    ask(floor, "FRA")
    chair.post(act(floor, "next"), {"version": 2})
    chile = entry(floor, "CHL")
    chair.post(act(floor, "pause"), {"version": 3, "entry": chile.pk})
    assert FloorRequest.objects.get(pk=chile.pk).paused_at is not None
    chair.post(act(floor, "resume"), {"version": 4, "entry": chile.pk})
    assert FloorRequest.objects.get(pk=chile.pk).paused_at is None
    chair.post(act(floor, "end"), {"version": 5, "entry": chile.pk})
    assert FloorRequest.objects.get(pk=chile.pk).status == "spoken"
    chair.post(act(floor, "next"), {"version": 6})
    france = entry(floor, "FRA")
    chair.post(act(floor, "absent"), {"version": 7, "entry": france.pk})
    assert FloorRequest.objects.get(pk=france.pk).status == "absent"
    chair.post(act(floor, "readd"), {"version": 8, "entry": france.pk})
    assert FloorRequest.objects.get(pk=france.pk).status == "absent"
    assert [e.delegation.code for e in speakers_list(floor.item).waiting] == ["FRA"]
    assert [e.action for e in ListEvent.objects.order_by("version")] == [
        "requested", "requested", "next", "paused", "resumed", "ended", "next", "absent",
        "readded",
    ]  # fmt: skip


def test_withdraw_and_move_with_a_reason(chair, floor):
    for code in ("CHL", "FRA", "AUT"):
        ask(floor, code)
    chair.post(act(floor, "withdraw"), {"version": 3, "entry": entry(floor, "CHL").pk})
    response = chair.post(
        act(floor, "move"),
        {"version": 4, "entry": entry(floor, "AUT").pk, "position": 1, "reason": "Minister"},
    )
    assert response.status_code == 302
    assert [r.delegation.code for r in speakers_list(floor.item).waiting] == ["AUT", "FRA"]
    assert ListEvent.objects.get(action="moved").reason == "Minister"


def test_a_move_without_a_reason_is_refused_with_the_reason_asked(chair, floor):
    ask(floor, "CHL")
    ask(floor, "FRA")
    response = chair.post(
        act(floor, "move"),
        {"version": 2, "entry": entry(floor, "FRA").pk, "position": 1, "reason": " "},
        follow=True,
    )
    assert "Say why the speaker is moved." in response.content.decode()
    assert [r.delegation.code for r in speakers_list(floor.item).waiting] == ["CHL", "FRA"]


def test_the_move_page_for_the_console_without_javascript(chair, floor):
    ask(floor, "CHL")
    ask(floor, "FRA")
    france = entry(floor, "FRA")
    url = reverse("chair_move", kwargs={"slug": "ccm-2025", "pk": floor.item.pk})
    html = chair.get(url, {"entry": france.pk, "position": 1}).content.decode()
    assert "Move France (now place 2)" in html
    assert 'name="position" type="number" min="1" max="2" value="1"' in html
    response = chair.post(
        url, {"entry": france.pk, "version": 2, "position": 1, "reason": "Point of order"}
    )
    assert response["Location"] == console(floor)
    assert [r.delegation.code for r in speakers_list(floor.item).waiting] == ["FRA", "CHL"]


def test_add_a_delegation_on_its_behalf_by_typing_part_of_its_name(chair, floor):
    chair.post(act(floor, "add"), {"delegation": "chi", "kind": "statement"})
    request = FloorRequest.objects.get()
    assert (request.delegation.code, request.added_by_chair) == ("CHL", True)


def test_add_says_which_names_match_when_several_do(chair, floor):
    chair.post(act(floor, "add"), {"delegation": "a", "kind": "statement"}, follow=True)
    ParticipationFactory(
        meeting=floor.meeting, delegation=DelegationFactory(code="CHN", name="China")
    )
    response = chair.post(act(floor, "add"), {"delegation": "chi"}, follow=True)
    assert "“chi” could be Chile, China: type more of the name." in response.content.decode()
    response = chair.post(act(floor, "add"), {"delegation": "Atlantis"}, follow=True)
    assert "No delegation taking part is called “Atlantis”." in response.content.decode()
    assert FloorRequest.objects.count() == 0


def test_a_point_of_order_gets_the_floor_at_once_and_the_speaker_waits(chair, floor):
    ask(floor, "CHL")
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    chair.post(act(floor, "point-of-order"), {"delegation": "France"})
    state = speakers_list(floor.item)
    assert state.current.delegation.code == "FRA"
    assert state.current.kind == "point_of_order"
    assert state.interrupted.delegation.code == "CHL"


def test_open_and_close_the_list(chair, floor):
    chair.post(act(floor, "close"), {"version": 0})
    floor.item.refresh_from_db()
    assert floor.item.list_is_open is False
    chair.post(act(floor, "open"), {"version": 1})
    floor.item.refresh_from_db()
    assert floor.item.list_is_open is True


def test_take_up_and_move_to_the_next_item(chair, floor):
    following = AgendaItemFactory(
        meeting=floor.meeting,
        parent=floor.item.parent,
        label="d",
        order=floor.item.order + 1,
        title="Risk",
    )
    chair.post(act(floor, "take-up"), {"current": "none"})
    floor.item.refresh_from_db()
    assert floor.item.under_discussion is True
    response = chair.post(act(floor, "next-item"), {"current": floor.item.pk})
    assert response["Location"] == console(floor, following)
    assert list(AgendaItem.objects.filter(under_discussion=True)) == [following]
    assert ListEvent.objects.filter(action="taken_up").count() == 2


def test_taking_up_an_item_when_another_was_taken_up_meanwhile_says_so(chair, floor):
    other = AgendaItemFactory(meeting=floor.meeting, label="3", title="Other")
    services.agenda_item_take_up(item=other, user=floor.chair)
    response = chair.post(act(floor, "take-up"), {"current": "none"}, follow=True)
    assert "The item under discussion changed since you loaded the page" in (
        response.content.decode()
    )
    assert list(AgendaItem.objects.filter(under_discussion=True)) == [other]


def test_the_htmx_next_item_answers_a_redirect_for_htmx(chair, floor):
    following = AgendaItemFactory(
        meeting=floor.meeting, label="3", order=floor.item.parent.order + 1, title="Next"
    )
    services.agenda_item_take_up(item=floor.item, user=floor.chair)
    response = chair.post(act(floor, "next-item"), {}, headers={"HX-Request": "true"})
    assert (response.status_code, response["HX-Redirect"]) == (204, console(floor, following))


def test_an_unknown_action_is_404(chair, floor):
    assert chair.post(act(floor, "explode"), {}).status_code == 404


def test_clock_text():
    assert [countdown_text(s) for s in (300, 61, 0, -1, -75)] == [
        "5:00",
        "1:01",
        "0:00",
        "+0:01",
        "+1:15",
    ]


def board_queries(client, floor):
    url = console(floor) + "?fragment=board"
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_board_runs_as_many_queries_for_one_entry_as_for_many(chair, floor):
    ask(floor, "CHL")
    one = board_queries(chair, floor)
    for code in ("FRA", "AUT", "ICRC", "CMC", "HRW", "VUT", "AGO"):
        ask(floor, code)
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    speeches.speaker_mark_absent(entry=speakers_list(floor.item).current, user=floor.chair)
    many = board_queries(chair, floor)
    assert one == many


def test_the_whole_console_runs_as_many_queries_for_one_entry_as_for_many(chair, floor):
    ask(floor, "CHL")
    with CaptureQueriesContext(connection) as one:
        chair.get(console(floor))
    for code in ("FRA", "AUT", "ICRC", "CMC", "HRW"):
        ask(floor, code)
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    with CaptureQueriesContext(connection) as many:
        chair.get(console(floor))
    assert len(one) == len(many)
