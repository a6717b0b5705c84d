"""Who runs the room and when the lists stop (issue 11, finding 11): taking up an item is the
President's or the secretariat's, not a coordinator's; a closed meeting's lists take no action
but the secretariat's audited corrections of the record."""

from datetime import timedelta

import pytest
from django.urls import reverse

from agenda.errors import FloorError, NotAllowed
from agenda.models import AgendaItem, FloorRequest, ListEvent
from agenda.record.services import lap_tags_set, record_correct
from agenda.speakers import limits, services, speeches
from meetings.models import Meeting
from tests.factories import AgendaItemFactory, UserFactory
from tests.helpers import ask, version

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinated(floor):
    """2(j), chaired by a coordinator's account."""
    item = AgendaItemFactory(meeting=floor.meeting, parent=floor.item.parent, label="j")
    coordinator = UserFactory(username="coordinator-j")
    item.facilitators.add(coordinator)
    return item, coordinator


def under_discussion(floor):
    return list(
        AgendaItem.objects.filter(meeting=floor.meeting, under_discussion=True).values_list(
            "pk", flat=True
        )
    )


def test_a_coordinator_does_not_take_up_their_item_the_president_does(floor, coordinated):
    item, coordinator = coordinated
    services.agenda_item_take_up(item=floor.item, user=floor.chair)

    with pytest.raises(NotAllowed) as error:
        services.agenda_item_take_up(item=item, user=coordinator)
    with pytest.raises(NotAllowed):
        services.agenda_next_item(item=floor.item, user=coordinator)

    assert error.value.message == (
        "Only the President or the secretariat takes up an item: the room follows it."
    )
    assert under_discussion(floor) == [floor.item.pk]
    services.agenda_item_take_up(item=item, user=floor.secretariat)
    assert under_discussion(floor) == [item.pk]


def test_the_coordinators_console_offers_no_take_up_and_refuses_one(client, floor, coordinated):
    item, coordinator = coordinated
    services.agenda_item_take_up(item=floor.item, user=floor.chair)
    client.force_login(coordinator)

    page = client.get(reverse("chair_console", args=[floor.meeting.slug, item.pk])).content
    response = client.post(
        reverse("chair_act", args=[floor.meeting.slug, item.pk, "take-up"]),
        {"current": floor.item.pk},
    )

    assert b"The President takes up the items" in page
    assert b"Take up" not in page
    assert response.status_code == 403
    assert under_discussion(floor) == [floor.item.pk]


@pytest.fixture
def closed(floor):
    chile = ask(floor, "CHL")
    france = ask(floor, "FRA")
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    Meeting.objects.filter(pk=floor.meeting.pk).update(status=Meeting.Status.CLOSED)
    floor.item.refresh_from_db()
    return chile, france


def test_a_closed_meetings_lists_take_no_action_of_the_chair(floor, closed):
    _chile, france = closed
    before = (version(floor), FloorRequest.objects.filter(status="spoken").count())
    for action in (
        lambda: speeches.speaker_call_next(item=floor.item, user=floor.chair),
        lambda: speeches.speaker_end(entry=france, user=floor.chair),
        lambda: speeches.speaker_move(entry=france, position=1, reason="x", user=floor.chair),
        lambda: services.speakers_list_set_open(item=floor.item, is_open=False, user=floor.chair),
        lambda: limits.time_limit_set(
            item=floor.item, kind="statement", seconds=120, user=floor.chair
        ),
        lambda: services.floor_request_create(
            item=floor.item, delegation=floor.d["AUT"], kind="statement", user=floor.chair
        ),
    ):
        with pytest.raises(FloorError) as error:
            action()
        assert error.value.message == "The meeting is closed."
    assert (version(floor), FloorRequest.objects.filter(status="spoken").count()) == before


def test_the_console_says_the_meeting_is_closed(client, floor, closed):
    client.force_login(floor.chair)
    client.post(
        reverse("chair_act", args=[floor.meeting.slug, floor.item.pk, "next"]),
        {"version": version(floor)},
    )
    page = client.get(reverse("chair_console", args=[floor.meeting.slug, floor.item.pk]))
    assert b"The meeting is closed." in page.content
    assert ListEvent.objects.filter(item=floor.item, action="next").count() == 2


def test_the_secretariat_still_corrects_the_record_of_a_closed_meeting(floor, closed):
    chile, _france = closed
    chile.refresh_from_db()

    record_correct(
        entry=chile,
        corrections={"speaker_name": "Ms. Soto", "ended_at": chile.started_at + timedelta(1)},
        user=floor.secretariat,
        reason="From the recording",
    )
    lap_tags_set(entry=chile, actions=[], user=floor.secretariat)

    chile.refresh_from_db()
    assert chile.speaker_name == "Ms. Soto"
    assert ListEvent.objects.filter(item=floor.item, action="corrected").count() == 1
    assert Meeting.objects.get(pk=floor.meeting.pk).status == Meeting.Status.CLOSED
