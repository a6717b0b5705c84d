"""The "My delegation" page: every item of the current meeting, whether its list is open, the
delegation's place and roughly when it speaks, and the way in for each kind of account."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agenda.models import AgendaItem, FloorRequest, Statement, StatementFile
from agenda.speakers.services import speakers_list_set_open
from agenda.speakers.speeches import speaker_call_next
from meetings.models import Meeting
from tests.factories import (
    AgendaItemFactory,
    DelegateFactory,
    FocalPointFactory,
    MeetingFactory,
    UserFactory,
)
from tests.helpers import ask, text

pytestmark = pytest.mark.django_db


def page_url(floor, code="CHL"):
    return reverse("delegation_floor", kwargs={"slug": floor.meeting.slug, "code": code})


def section(response, item) -> str:
    """The text of one item's panel."""
    html = response.content.decode()
    start = html.index(f'<section id="item-{item.pk}"')
    end = html.index("</section>", start)
    return text(html[start:end])


# --- the way in -------------------------------------------------------------------------------


def test_a_focal_point_goes_straight_to_their_delegation(client, floor):
    client.force_login(floor.user("CHL"))
    response = client.get("/my-delegation/")
    assert response.status_code == 302
    assert response["Location"] == page_url(floor)


def test_a_focal_point_of_two_delegations_chooses(client, floor):
    user = floor.user("AUT")
    FocalPointFactory(user=user, delegation=floor.d["ITA"])
    client.force_login(user)

    response = client.get("/my-delegation/")
    assert response.status_code == 200
    seen = text(response)
    assert "Which delegation do you act for now?" in seen
    assert "Austria State Party Italy State Party" in seen
    assert f'href="{page_url(floor, "ITA")}"' in response.content.decode()

    page = client.get(page_url(floor, "AUT"))
    assert "You also act for: Italy" in text(page)


def test_the_secretariat_chooses_any_delegation(client, floor):
    client.force_login(floor.secretariat)
    response = client.get("/my-delegation/")
    assert response.status_code == 200
    assert '<option value="HRW">Human Rights Watch (HRW)</option>' in response.content.decode()
    assert client.get("/my-delegation/?delegation=hrw")["Location"] == page_url(floor, "HRW")
    refused = client.get("/my-delegation/?delegation=XYZ")
    assert refused.status_code == 400
    assert "“XYZ” is not a delegation you can act for at this meeting." in text(refused)


def test_an_account_that_acts_for_no_delegation_is_told_so(client, floor):
    client.force_login(floor.chair)
    response = client.get("/my-delegation/")
    assert response.status_code == 403
    assert (
        "Your account does not act for a delegation. If it should, ask the secretariat to add "
        "it as a focal point." in text(response)
    )


def test_anonymous_visitors_are_asked_to_sign_in(client, floor):
    assert client.get("/my-delegation/")["Location"] == "/accounts/login/?next=/my-delegation/"
    url = page_url(floor)
    assert client.get(url)["Location"] == f"/accounts/login/?next={url}"


def test_another_delegations_page_is_forbidden(client, floor):
    client.force_login(floor.user("FRA"))
    response = client.get(page_url(floor, "CHL"))
    assert response.status_code == 403
    assert "Your account does not act for Chile." in text(response)


def test_without_a_current_meeting_the_page_says_so(client, db):
    client.force_login(FocalPointFactory().user)
    response = client.get("/my-delegation/")
    assert response.status_code == 200
    assert response.templates[0].name == "meetings/no_meeting.html"


def test_the_nav_links_to_my_delegation_for_those_who_have_one(client, floor):
    client.force_login(floor.user("CHL"))
    assert ">My delegation</a>" in client.get("/").content.decode()
    client.force_login(floor.chair)
    assert ">My delegation</a>" not in client.get("/").content.decode()


# --- what the page shows ----------------------------------------------------------------------


def test_every_item_with_the_one_under_discussion_first(client, floor):
    AgendaItem.objects.filter(pk=floor.item.pk).update(under_discussion=True)
    client.force_login(floor.user("CHL"))
    response = client.get(page_url(floor))

    assert response.status_code == 200
    seen = text(response)
    assert "Chile My delegation · State Party" in seen
    assert "Under discussion now: 2(c) Clearance" in seen
    html = response.content.decode()
    assert html.index(f'id="item-{floor.item.pk}"') < html.index(
        f'id="item-{floor.item.parent_id}"'
    )
    assert 'class="floor-item card mb-3 floor-item-current"' in html
    current = section(response, floor.item)
    assert "Under discussion List open" in current
    assert "The list of speakers is open. 0 speakers waiting." in current
    # Open (expanded) without JavaScript: a <details> element.
    assert f'<section id="item-{floor.item.pk}"' in html
    assert re.search(rf'id="item-{floor.item.pk}"[^>]*>\s*<details open>', html)
    assert re.search(rf'id="item-{floor.item.parent_id}"[^>]*>\s*<details>', html)


def test_the_kinds_offered_depend_on_the_delegation(client, floor):
    def kinds(code):
        client.force_login(floor.user(code))
        html = client.get(page_url(floor, code)).content.decode()
        select = re.search(rf'<select name="item-{floor.item.pk}-kind".*?</select>', html, re.S)[0]
        return re.findall(r'<option value="([a-z_]+)"', select)

    assert kinds("FRA") == ["statement", "right_of_reply"]
    assert kinds("CHL") == ["extension_request", "statement", "response", "right_of_reply"]
    assert kinds("ITA") == [
        "coordinator_remarks", "statement", "right_of_reply", "closing_remarks",
    ]  # fmt: skip
    assert kinds("HRW") == ["statement"]  # rights of reply are for States, by default


def test_the_speakers_name_can_be_one_of_the_delegates(client, floor):
    participation = floor.d["CHL"].participations.get()
    DelegateFactory(participation=participation, name="Camila Rojas", title="Minister Counsellor")
    client.force_login(floor.user("CHL"))
    html = client.get(page_url(floor)).content.decode()
    assert (
        '<datalist id="delegates"><option value="Camila Rojas">Minister Counsellor, Member' in html
    )
    assert f'name="item-{floor.item.pk}-speaker_name"' in html
    assert 'list="delegates"' in html


def test_the_place_and_the_estimate(client, floor):
    ask(floor, "FRA")  # a State Party that asked first
    ask(floor, "CHL", speaker_name="Camila Rojas", language="es")
    client.force_login(floor.user("CHL"))

    panel = section(client.get(page_url(floor)), floor.item)
    assert "Place 2" in panel
    assert "Statement: place 2 of 2." in panel
    assert "About 5 minutes of speaking time ahead of you." in panel  # France's 5 minutes
    assert "Speaker: Camila Rojas · Spanish · requested at" in panel
    assert "(around" not in panel  # not under discussion: no clock time


def test_the_estimate_counts_what_is_left_of_the_current_speech(client, floor):
    AgendaItem.objects.filter(pk=floor.item.pk).update(under_discussion=True)
    ask(floor, "NOR")
    ask(floor, "FRA")
    ask(floor, "CHL")
    speaker_call_next(item=floor.item, user=floor.chair)  # Norway has the floor
    FloorRequest.objects.filter(delegation=floor.d["NOR"]).update(
        started_at=timezone.now() - timedelta(seconds=180)
    )
    client.force_login(floor.user("CHL"))

    panel = section(client.get(page_url(floor)), floor.item)
    # 2 of Norway's 5 minutes left, then France's 5 minutes.
    assert "Statement: place 2 of 2. About 7 minutes of speaking time ahead of you (around" in panel
    around = re.search(r"\(around (\d\d:\d\d)\)", panel)[1]
    expected = {
        timezone.localtime(timezone.now() + timedelta(seconds=s), floor.meeting.tzinfo).strftime(
            "%H:%M"
        )
        for s in (400, 420)
    }
    assert around in expected


def test_first_in_line_and_on_the_floor(client, floor):
    ask(floor, "CHL")
    client.force_login(floor.user("CHL"))
    assert "Statement: place 1 of 1. You speak next." in section(
        client.get(page_url(floor)), floor.item
    )

    speaker_call_next(item=floor.item, user=floor.chair)
    panel = section(client.get(page_url(floor)), floor.item)
    assert "You have the floor" in panel
    assert "Statement: your delegation has the floor." in panel
    assert "Withdraw" not in panel


def test_a_closed_list_and_a_window(client, floor):
    speakers_list_set_open(item=floor.item, is_open=False, user=floor.chair)
    client.force_login(floor.user("CHL"))
    panel = section(client.get(page_url(floor)), floor.item)
    assert "List closed" in panel
    assert "The list of speakers is closed. Rights of reply may still be requested." in panel

    speakers_list_set_open(item=floor.item, is_open=True, user=floor.chair)
    opens = timezone.now() + timedelta(days=1)
    AgendaItem.objects.filter(pk=floor.item.pk).update(list_opens_at=opens)
    panel = section(client.get(page_url(floor)), floor.item)
    local = timezone.localtime(opens, floor.meeting.tzinfo)
    assert f"The list of speakers opens on {local:%A} {local.day} {local:%B, %H:%M}." in panel


def test_a_closed_meeting_takes_no_requests(client, floor):
    Meeting.objects.filter(pk=floor.meeting.pk).update(status=Meeting.Status.CLOSED)
    client.force_login(floor.user("CHL"))
    response = client.get(page_url(floor))
    assert "The meeting is closed: its lists of speakers take no more requests." in text(response)
    assert "Request the floor" not in text(response)


def test_the_page_of_a_draft_meeting_is_not_found_but_for_the_secretariat(client, floor):
    Meeting.objects.filter(pk=floor.meeting.pk).update(status=Meeting.Status.DRAFT)
    client.force_login(floor.user("CHL"))
    assert client.get(page_url(floor)).status_code == 404
    client.force_login(floor.secretariat)
    assert client.get(page_url(floor)).status_code == 200


def test_unknown_delegations_and_delegations_not_taking_part_are_not_found(client, floor):
    client.force_login(floor.secretariat)
    assert client.get(page_url(floor, "XYZ")).status_code == 404
    other = MeetingFactory(slug="other")
    assert client.get(reverse("delegation_floor", args=[other.slug, "CHL"])).status_code == 404


def test_the_code_in_the_address_may_be_lower_case(client, floor):
    client.force_login(floor.user("CHL"))
    assert client.get(page_url(floor, "chl")).status_code == 200


def test_the_page_runs_a_fixed_number_of_queries(client, floor, django_assert_num_queries):
    user = floor.user("CHL")
    client.force_login(user)
    ask(floor, "CHL")
    Statement.objects.create(item=floor.item, delegation=floor.d["CHL"])
    url = page_url(floor)
    client.get(url)  # warm up: content types, sessions

    # 23: the categories of participant read once (whether the delegation is a State at the
    # meeting comes from its participation, read already); the co-sponsors of joint statements;
    # the groups it may speak for and the delegations that may join its statements; the
    # language it last asked in (its usual one is not known); the stream's last event.
    with django_assert_num_queries(23) as first:
        assert client.get(url).status_code == 200

    # Many more items, requests, statements and delegates: the same number of queries.
    for n in range(8):
        item = AgendaItemFactory(meeting=floor.meeting, parent=floor.item.parent, label=f"x{n}")
        item.coordinators.add(floor.d["ITA"])
        for code in ("FRA", "AUT", "CHL", "ITA"):
            ask(floor, code, item=item)
        statement = Statement.objects.create(item=item, delegation=floor.d["CHL"])
        StatementFile.objects.create(
            statement=statement, language="en", file="statements/x.pdf", content_type="x", size=1
        )
    participation = floor.d["CHL"].participations.get()
    for n in range(5):
        DelegateFactory(participation=participation, name=f"Delegate {n}")

    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count('class="floor-item card') == 10


def test_the_secretariat_acts_as_the_chair(client, floor):
    client.force_login(floor.secretariat)
    item = floor.item
    response = client.post(
        reverse("floor_request", args=[floor.meeting.slug, "HRW", item.pk]),
        {f"item-{item.pk}-kind": "statement", f"item-{item.pk}-language": "en"},
    )
    assert response.status_code == 302
    entry = FloorRequest.objects.get()
    assert (entry.delegation.code, entry.added_by_chair, entry.requested_by) == (
        "HRW",
        True,
        floor.secretariat,
    )
    assert "added by the chair" in section(client.get(page_url(floor, "HRW")), item)


def test_a_focal_point_account_of_another_meeting_sees_no_delegation(client, floor):
    user = UserFactory()
    client.force_login(user)
    assert client.get("/my-delegation/").status_code == 403
