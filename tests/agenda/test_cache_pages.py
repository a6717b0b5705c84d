"""The public item page and the programme page are kept for visitors (agenda.web.page_cache),
and whatever they show changes at once: a change of the list, of the agenda, of the meeting,
of who speaks; each language has its own page; a signed-in person never gets a visitor's.

On PostgreSQL only: elsewhere the pages are rendered each time."""

import re
import time

import pytest
from django.test import Client
from django.utils import translation

from agenda.models import AgendaItem, FloorRequest
from agenda.speakers import services, speeches
from delegations.models import Delegation
from meetings.models import Meeting
from tests.factories import DelegationFactory, ParticipationFactory
from tests.helpers import ask

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def html(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def waiting_names(page: str) -> list[str]:
    """The speakers waiting, as the item page lists them."""
    listed = re.search(r"<ol class=\"item-speakers-waiting\" data-waiting>(.*?)</ol>", page, re.S)
    if listed is None:
        return []
    return re.findall(r'<span class="speaker-name">([^<]*)</span>', listed.group(1))


def test_a_visitor_sees_a_new_speaker_at_once(client, floor):
    url = floor.item.get_absolute_url()
    assert waiting_names(html(client, url)) == []
    assert waiting_names(html(client, url)) == []  # now kept
    ask(floor, "ITA")
    assert waiting_names(html(client, url)) == ["Italy"]
    assert waiting_names(html(client, url + "?fragment=speakers")) == ["Italy"]
    ask(floor, "FRA")
    entry = FloorRequest.objects.get(item=floor.item, delegation=floor.d["ITA"])
    services.floor_request_withdraw(entry=entry, user=floor.user("ITA"))
    assert waiting_names(html(client, url)) == ["France"]
    assert waiting_names(html(client, url + "?fragment=speakers")) == ["France"]


def test_the_speaker_called_shows_at_once(client, floor):
    url = floor.item.get_absolute_url()
    ask(floor, "ITA")
    ask(floor, "FRA")
    assert "data-current" not in html(client, url)
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    page = html(client, url)
    assert re.search(r'data-current>.*?<span class="speaker-name">Italy</span>', page, re.S)
    assert waiting_names(page) == ["France"]


def test_a_renamed_delegation_shows_at_once(client, floor):
    url = floor.item.get_absolute_url()
    ask(floor, "ITA")
    assert waiting_names(html(client, url)) == ["Italy"]
    Delegation.objects.filter(code="ITA").update(name="Italian Republic")
    assert waiting_names(html(client, url)) == ["Italian Republic"]


def test_a_change_of_the_agenda_or_the_meeting_shows_at_once(client, floor):
    item_url = floor.item.get_absolute_url()
    programme = floor.meeting.get_absolute_url()
    assert "Clearance" in html(client, item_url)
    assert "Clearance" in html(client, programme)
    AgendaItem.objects.filter(pk=floor.item.pk).update(title="Clearance and destruction")
    assert "Clearance and destruction" in html(client, item_url)
    assert "Clearance and destruction" in html(client, programme)
    Meeting.objects.filter(pk=floor.meeting.pk).update(short_title="Thirteenth Meeting")
    assert "Thirteenth Meeting" in html(client, item_url)
    assert "Thirteenth Meeting" in html(client, programme)


def test_the_programme_counts_a_new_participant_at_once(client, floor):
    programme = floor.meeting.get_absolute_url()
    before = html(client, programme)
    count = floor.meeting.participations.count()
    assert str(count) in before
    ParticipationFactory(meeting=floor.meeting, delegation=DelegationFactory())
    assert html(client, programme) != before
    assert str(count + 1) in html(client, programme)


def test_each_language_has_its_own_page(client, floor):
    url = floor.item.get_absolute_url()
    english = html(client, url, accept_language="en")
    french = html(client, url, accept_language="fr")
    assert '<html lang="en"' in english
    assert '<html lang="fr"' in french
    with translation.override("fr"):
        assert translation.gettext("List of speakers") in french
    assert '<html lang="en"' in html(client, url, accept_language="en")


def test_each_answer_has_its_own_csrf_token_and_clock(floor):
    url = floor.item.get_absolute_url()
    first, second = Client(), Client()
    pages = [html(first, url), html(second, url)]
    tokens = [re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1] for page in pages]
    assert tokens[0] != tokens[1]
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    # The language menu's form works with the token the visitor got.
    checked = Client(enforce_csrf_checks=True)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html(checked, url))[1]
    response = checked.post("/i18n/setlang/", {"language": "fr", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    time.sleep(0.01)
    clocks = [int(re.search(r'data-server-now="(\d+)"', html(first, url))[1]) for _ in range(2)]
    now = int(time.time() * 1000)
    assert clocks[0] < clocks[1] <= now
    assert now - clocks[0] < 5000


def test_a_signed_in_person_never_gets_a_visitors_page(client, floor):
    url = floor.item.get_absolute_url()
    assert "Sign in" in html(client, url)
    client.force_login(floor.chair)
    page = html(client, url)
    assert "Sign out (president)" in page


@pytest.mark.parametrize("n", [1, 40])
def test_a_kept_page_costs_two_queries_whatever_its_list(
    client, floor, django_assert_num_queries, n
):
    for number in range(n):
        delegation = DelegationFactory(code=f"X{number:03d}")
        ParticipationFactory(meeting=floor.meeting, delegation=delegation)
        services.floor_request_create(
            item=floor.item, delegation=delegation, kind="statement", user=floor.chair
        )
    url = floor.item.get_absolute_url()
    html(client, url)
    html(client, floor.meeting.get_absolute_url())
    # the meeting, then the digest of what the page shows
    with django_assert_num_queries(2):
        assert len(waiting_names(html(client, url))) == n
    with django_assert_num_queries(2):
        html(client, floor.meeting.get_absolute_url())
