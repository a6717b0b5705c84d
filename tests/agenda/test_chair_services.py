"""The chair's composite actions are services, each one transaction: giving the floor to a
point of order the chair puts on the list, and taking up the next item.

Before, the console ran the point of order as two transactions (put on the list, then given
the floor), so the screens heard of a point of order waiting that was never meant to wait,
and another writer could act in between; and it worked out "the next item" itself.
"""

import pytest
from django.urls import reverse

from agenda.errors import FloorError, StaleAgenda
from agenda.models import AgendaItem, FloorRequest, ListEvent
from agenda.speakers import changes, services, speeches
from agenda.speakers.selectors import speakers_list
from tests.factories import AgendaItemFactory


@pytest.mark.django_db(transaction=True)
def test_a_point_of_order_is_put_on_the_list_and_given_the_floor_in_one_change(client, floor):
    services.floor_request_create(
        item=floor.item, delegation=floor.d["CHL"], kind="statement", user=floor.user("CHL")
    )
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    heard = []  # what a screen reads when it hears of each change, once it is committed

    def screen(change):
        state = speakers_list(AgendaItem.objects.select_related("meeting").get(pk=change.item))
        heard.append((change.action, state.current.delegation.code, len(state.waiting)))

    stop = changes.subscribe(screen)
    try:
        client.force_login(floor.chair)
        client.post(
            reverse("chair_act", args=[floor.meeting.slug, floor.item.pk, "point-of-order"]),
            {"delegation": "France"},
        )
    finally:
        stop()

    # Both changes are heard after the one commit: France has the floor, nobody waits.
    assert heard == [("requested", "FRA", 0), ("started", "FRA", 0)]
    events = ListEvent.objects.filter(item=floor.item).order_by("version")
    assert [(e.action, e.version) for e in events][-2:] == [("requested", 3), ("started", 4)]


@pytest.mark.django_db
def test_a_point_of_order_that_cannot_have_the_floor_waits_first_in_line(floor):
    services.floor_request_create(
        item=floor.item, delegation=floor.d["CHL"], kind="statement", user=floor.user("CHL")
    )
    speeches.speaker_call_next(item=floor.item, user=floor.chair)
    first = services.point_of_order_give_floor(
        item=floor.item, delegation=floor.d["FRA"], user=floor.chair
    )

    second = services.point_of_order_give_floor(
        item=floor.item, delegation=floor.d["AUT"], user=floor.chair
    )

    assert (first.status, second.status, second.position) == ("speaking", "waiting", 1)
    state = speakers_list(floor.item)
    assert (state.current.pk, state.interrupted.delegation.code) == (first.pk, "CHL")
    assert [entry.pk for entry in state.waiting] == [second.pk]


@pytest.mark.django_db
def test_only_the_chair_gives_the_floor_to_a_point_of_order(floor):
    with pytest.raises(FloorError) as error:
        services.point_of_order_give_floor(
            item=floor.item, delegation=floor.d["FRA"], user=floor.user("FRA")
        )
    assert (error.value.status_code, error.value.message) == (
        403,
        "Only the chair of this item may do this.",
    )
    assert FloorRequest.objects.count() == 0


@pytest.fixture
def agenda(floor):
    """Items 2, 2(c) (the floor's), 2(j), 3 in agenda order."""
    two, c = floor.item.parent, floor.item
    AgendaItem.objects.filter(pk__in=[two.pk, c.pk]).update(order=1)
    j = AgendaItemFactory(meeting=floor.meeting, parent=two, label="j", order=2)
    three = AgendaItemFactory(meeting=floor.meeting, label="3", order=2)
    return two, c, j, three


def under_discussion(floor):
    return list(
        AgendaItem.objects.filter(meeting=floor.meeting, under_discussion=True).values_list(
            "pk", flat=True
        )
    )


@pytest.mark.django_db
def test_the_next_item_follows_the_one_under_discussion(floor, agenda):
    two, c, j, three = agenda
    services.agenda_item_take_up(item=c, user=floor.chair)

    taken_up = services.agenda_next_item(item=two, user=floor.chair, current=c.pk)

    assert (taken_up.pk, under_discussion(floor)) == (j.pk, [j.pk])
    assert services.agenda_next_item(item=two, user=floor.chair).pk == three.pk
    with pytest.raises(FloorError) as error:
        services.agenda_next_item(item=two, user=floor.chair)
    assert error.value.message == "This is the last item of the agenda."
    assert under_discussion(floor) == [three.pk]


@pytest.mark.django_db
def test_with_nothing_under_discussion_the_next_item_follows_the_one_in_hand(floor, agenda):
    _two, c, j, _three = agenda
    assert services.agenda_next_item(item=c, user=floor.chair, current=None).pk == j.pk


@pytest.mark.django_db
def test_the_next_item_of_a_stale_console_changes_nothing(floor, agenda):
    two, c, j, _three = agenda
    services.agenda_item_take_up(item=c, user=floor.chair)
    version = AgendaItem.objects.get(pk=j.pk).list_version

    with pytest.raises(StaleAgenda):
        services.agenda_next_item(item=two, user=floor.chair, current=two.pk)

    assert under_discussion(floor) == [c.pk]
    assert AgendaItem.objects.get(pk=j.pk).list_version == version
