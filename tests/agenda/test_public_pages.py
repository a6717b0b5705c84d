"""The public pages: what a visitor looks for, who may see what, and a query count that does not
grow with the rows shown."""

import datetime
import re

import pytest

from agenda.models import MandateReference
from delegations.models import Category, Delegation
from meetings.models import Meeting
from tests.factories import (
    AgendaItemFactory,
    DelegationFactory,
    DocumentFactory,
    MeetingFactory,
    ParticipationFactory,
    SittingFactory,
    UserFactory,
)
from tests.helpers import text

pytestmark = pytest.mark.django_db


def page(client, url, status=200):
    """The page's HTML. (That every page holds the strict Content Security Policy is the
    authorisation matrix's to check: tests/test_authorization.py.)"""
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


# --- What a visitor looks for, on the demo meeting (shared: tests/conftest.py) ----------------


def test_home_shows_the_current_meeting(client, demo):
    html = page(client, "/")
    assert "Convention on Cluster Munitions Intersessional Meeting 2025" in html
    assert "7–8 April 2025" in html


def test_meeting_page(client, demo):
    html = page(client, "/meetings/ccm-intersessional-2025/")
    seen = text(html)
    assert "<h1" in html and html.count("<h1") == 1
    assert "7–8 April 2025" in seen
    assert "Palais des Nations, Room XXI, Geneva" in seen
    assert "Philippines, Presidency of the 13th Meeting of States Parties" in seen
    assert "Ambassador Carlos D. Sorreta" in seen
    assert "Lausanne Action Plan" in seen  # the description
    # The programme, sitting by sitting.
    assert "Monday 7 April 2025" in seen
    assert "Tuesday 8 April 2025" in seen
    assert seen.count("10:00–13:00") == 2
    assert seen.count("15:00–18:00") == 2
    # The agenda with its subitems, coordinators and format.
    assert "2 General status and operation of the Convention" in seen
    for code in "abcdefghij":
        assert f"2({code})" in seen
    assert "Coordinators: Malawi, Peru" in seen
    assert "Coordinators: Austria, Panama" in seen
    assert "Coordinators: Italy, Norway" in seen
    assert "Coordinators: Austria, Germany" in seen
    assert "Format: Introductory remarks by the coordinators" in seen
    # Documents and participants.
    assert "CCM/MSP/2024/11" in seen
    assert "CCM/CONF/2021/6" in seen
    assert "CCM/MSP/2024/WP.3" in seen
    assert "137 participating delegations" in seen
    assert 'href="/meetings/ccm-intersessional-2025/delegations/"' in html


def test_agenda_item_page(client, demo):
    item = demo.agenda_items.get(parent__label="2", label="c")
    html = page(client, f"/meetings/ccm-intersessional-2025/items/{item.pk}/")
    seen = text(html)
    assert "2(c) Clearance and destruction of cluster munition remnants" in seen
    assert "Italy Norway" in seen  # coordinators, one per line
    assert "Article 4" in seen
    assert "CCM/CONF/2021/6, paragraph 84 (iii) (b)" in seen
    assert 'href="https://www.clusterconvention.org/second-review-conference/"' in html
    assert "Monday 7 April 2025, 15:00–18:00" in seen
    assert "Previous: 2(b) Victim assistance" in seen
    assert "Next: 2(d) Risk education" in seen


def test_agenda_item_page_of_an_item_with_subitems(client, demo):
    item = demo.agenda_items.get(parent=None, label="2")
    seen = text(page(client, item.get_absolute_url()))
    assert "Subitems" in seen
    assert "2(j) Concerns and challenges raised at the 12th Meeting of States Parties" in seen
    assert "CCM/MSP/2024/11, paragraph 87" in seen
    assert "Next: 2(a) Universalization" in seen
    assert "Previous:" not in seen


def test_item_j_shows_its_topics_and_mandates(client, demo):
    item = demo.agenda_items.get(parent__label="2", label="j")
    seen = text(page(client, item.get_absolute_url()))
    assert "Austria Germany" in seen
    assert "emerging challenges to the norm prohibiting cluster munitions" in seen
    assert "One or two presentations by invited stakeholders" in seen
    for paragraph in ("78", "79", "80"):
        assert f"CCM/MSP/2024/11, paragraph {paragraph}" in seen
    assert "CCM/CONF/2021/6, paragraph 133, annex III, IX, D, 2" in seen
    assert "Tuesday 8 April 2025, 15:00–18:00" in seen
    assert "Next:" not in seen


def test_participant_list(client, demo):
    seen = text(page(client, "/meetings/ccm-intersessional-2025/delegations/"))
    assert "137 delegations at the Convention on Cluster Munitions Intersessional" in seen
    headings = re.findall(
        r"<h2[^>]*>([^<]+)</h2>", page(client, "/meetings/ccm-intersessional-2025/delegations/")
    )
    assert headings == [
        "States Parties (111)",
        "Signatory States (12)",
        "Observer States (2)",  # Poland among them
        "International organizations (4)",  # the European Union among them
        "Red Cross and Red Crescent (2)",
        "Geneva International Centre for Humanitarian Demining (1)",  # rule 1.2
        "Cluster Munition Coalition (1)",
        "Non-governmental organizations (4)",
    ]
    assert "Vanuatu VUT" in seen
    assert "Humanity &amp; Inclusion HI" in seen or "Humanity & Inclusion HI" in seen


# --- Who may see what -------------------------------------------------------------------------


def test_home_without_a_meeting_is_a_friendly_page(client):
    MeetingFactory(status=Meeting.Status.DRAFT, title="Not yet")
    html = page(client, "/")
    assert "No meeting has been published yet" in html
    assert "Not yet" not in html


def test_unknown_meeting_is_404(client):
    page(client, "/meetings/no-such-meeting/", status=404)
    page(client, "/meetings/no-such-meeting/delegations/", status=404)
    page(client, "/meetings/no-such-meeting/items/1/", status=404)


def test_draft_meeting_is_404_to_the_public(client):
    meeting = MeetingFactory(status=Meeting.Status.DRAFT)
    item = AgendaItemFactory(meeting=meeting)
    page(client, meeting.get_absolute_url(), status=404)
    page(client, item.get_absolute_url(), status=404)
    page(client, f"/meetings/{meeting.slug}/delegations/", status=404)


def test_draft_meeting_is_404_to_a_signed_in_delegate(client):
    meeting = MeetingFactory(status=Meeting.Status.DRAFT)
    client.force_login(UserFactory())
    page(client, meeting.get_absolute_url(), status=404)


def test_the_secretariat_sees_a_draft_with_a_badge(client):
    meeting = MeetingFactory(status=Meeting.Status.DRAFT)
    item = AgendaItemFactory(meeting=meeting)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    badge = "Draft — visible to the secretariat only"
    assert badge in page(client, meeting.get_absolute_url())
    assert badge in page(client, item.get_absolute_url())
    assert badge in page(client, f"/meetings/{meeting.slug}/delegations/")


def test_published_meeting_has_no_draft_badge(client):
    meeting = MeetingFactory()
    assert "Draft" not in page(client, meeting.get_absolute_url())


def test_item_of_another_meeting_is_404(client):
    meeting, other = MeetingFactory(), MeetingFactory()
    item = AgendaItemFactory(meeting=other)
    page(client, f"/meetings/{meeting.slug}/items/{item.pk}/", status=404)
    page(client, f"/meetings/{other.slug}/items/{item.pk}/")


# --- Query counts: the same for 1 row and for many --------------------------------------------


def populate(meeting, n):
    """n sittings, an item with n subitems, n delegations (coordinators, one category each),
    n mandate references."""
    categories = list(Category)
    sittings = [
        SittingFactory(
            meeting=meeting,
            date=meeting.start_date + datetime.timedelta(days=i % 2),
            start_time=datetime.time(8 + i, 0),
            end_time=datetime.time(9 + i, 0),
        )
        for i in range(n)
    ]
    item = AgendaItemFactory(meeting=meeting, label="2", order=2)
    item.sittings.set(sittings)
    for i in range(n):
        delegation = DelegationFactory(
            kind=Delegation.Kind.ORGANIZATION if i % 2 else Delegation.Kind.STATE
        )
        ParticipationFactory(
            meeting=meeting, delegation=delegation, category=categories[i % len(categories)]
        )
        subitem = AgendaItemFactory(meeting=meeting, parent=item, label=chr(97 + i), order=i)
        subitem.coordinators.add(delegation)
        subitem.sittings.add(sittings[i])
        item.coordinators.add(delegation)
        document = DocumentFactory(url=f"https://example.org/{i}" if i % 2 else "")
        MandateReference.objects.create(item=item, document=document, paragraph=str(i))
        MandateReference.objects.create(item=subitem, document=document, paragraph=str(i))
    return item


MANY = 12


@pytest.mark.parametrize("n", [1, MANY])
def test_meeting_page_queries(client, django_assert_num_queries, n):
    meeting = MeetingFactory()
    populate(meeting, n)
    # meeting, items, coordinators, sittings, sittings' items, documents, participant count
    with django_assert_num_queries(7):
        page(client, meeting.get_absolute_url())


@pytest.mark.parametrize("n", [1, MANY])
def test_home_queries(client, django_assert_num_queries, n):
    meeting = MeetingFactory()
    populate(meeting, n)
    # the current meeting (none in session, then the published one), then as the meeting page
    with django_assert_num_queries(2 + 6):
        page(client, "/")


@pytest.mark.parametrize("n", [1, MANY])
def test_item_page_queries(client, django_assert_num_queries, n):
    meeting = MeetingFactory()
    item = populate(meeting, n)
    # meeting, items, coordinators, the list of speakers (its requests, the speaking rules, the
    # categories of participant), the presenters, the stream's latest change, mandate
    # references, sittings
    with django_assert_num_queries(10):
        page(client, item.get_absolute_url())
    subitem_url = item.subitems.get(label="a").get_absolute_url()
    with django_assert_num_queries(10):
        page(client, subitem_url)


@pytest.mark.parametrize("n", [1, 30])
def test_participant_list_queries(client, django_assert_num_queries, n):
    meeting = MeetingFactory()
    for i in range(n):
        ParticipationFactory(meeting=meeting, category=list(Category)[i % len(Category)])
    # meeting, participations with their delegations
    with django_assert_num_queries(2):
        page(client, f"/meetings/{meeting.slug}/delegations/")


@pytest.mark.parametrize("n", [1, MANY])
def test_secretariat_queries_do_not_grow_either(client, django_assert_num_queries, n):
    meeting = MeetingFactory(status=Meeting.Status.DRAFT)
    item = populate(meeting, n)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    # session and user, the roles for the navigation's screens, then as for the public
    with django_assert_num_queries(3 + 7):
        page(client, meeting.get_absolute_url())
    with django_assert_num_queries(3 + 10):
        page(client, item.get_absolute_url())
    with django_assert_num_queries(3 + 2):
        page(client, f"/meetings/{meeting.slug}/delegations/")


def test_every_meeting_page_links_to_the_record(client):
    meeting = MeetingFactory()
    html = page(client, meeting.get_absolute_url())
    assert f'href="/meetings/{meeting.slug}/record/"' in html
