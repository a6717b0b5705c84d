"""Lausanne Action Plan tags: the item's coordinators and the secretariat tag delivered entries
with the actions they speak to; an export per area lists, for each action, those entries."""

import io

import pytest
import tablib
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from agenda.demo import lap as demo_lap
from agenda.errors import FloorError, NotAllowed
from agenda.models import LapAction, LapArea, LapTag, ListEvent
from agenda.record.services import lap_tags_set
from tests.helpers import ask, hand_in, spoken

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(db):
    demo_lap.write()
    return {action.number: action for action in LapAction.objects.all()}


def test_the_plan_has_the_verified_ranges_and_loads_twice_the_same(plan):
    demo_lap.write()

    assert [(a.slug, a.first_action, a.last_action) for a in LapArea.objects.all()] == [
        ("universalization", 10, 11),
        ("stockpile-destruction", 12, 17),
        ("clearance-risk-education", 18, 30),
        ("victim-assistance", 31, 37),
    ]
    assert sorted(plan) == list(range(10, 38))
    assert LapAction.objects.count() == 28
    assert str(plan[31]) == "Action 31"
    assert plan[31].area.slug == "victim-assistance"


def test_a_coordinator_tags_an_entry_and_the_audit_trail_says_so(floor, plan):
    entry = spoken(floor.item, floor.d["CHL"], minute=0, seconds=60)
    coordinator = floor.user("ITA")  # Italy coordinates 2(c)

    lap_tags_set(entry=entry, actions=[plan[19], plan[18]], user=coordinator)
    lap_tags_set(entry=entry, actions=[plan[18], plan[31]], user=coordinator)

    assert sorted(entry.lap_tags.values_list("action__number", flat=True)) == [18, 31]
    events = ListEvent.objects.filter(action="tagged").order_by("version")
    assert [(e.before, e.after, e.user) for e in events] == [
        ({"lap_actions": []}, {"lap_actions": [18, 19]}, coordinator),
        ({"lap_actions": [18, 19]}, {"lap_actions": [18, 31]}, coordinator),
    ]


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("focal-ita", True),  # coordinator of the item
        ("focal-nor", True),  # coordinator of the item
        ("focal-chl", False),  # the entry's own delegation, not a coordinator
        ("president", True),
        ("secretariat", True),
    ],
)
def test_who_may_tag(floor, plan, who, allowed):
    user = get_user_model().objects.get(username=who)
    entry = spoken(floor.item, floor.d["CHL"], minute=0, seconds=60)

    if allowed:
        lap_tags_set(entry=entry, actions=[plan[20]], user=user)
        assert entry.lap_tags.count() == 1
    else:
        with pytest.raises(NotAllowed):
            lap_tags_set(entry=entry, actions=[plan[20]], user=user)
        assert not LapTag.objects.exists()


def test_an_entry_not_delivered_cannot_be_tagged(floor, plan):
    waiting = ask(floor, "CHL")

    with pytest.raises(FloorError) as refused:
        lap_tags_set(entry=waiting, actions=[plan[20]], user=floor.secretariat)

    assert refused.value.message == "Only a delivered entry of the record can be tagged."


def test_tagging_from_the_record_page(client, floor, plan):
    entry = spoken(floor.item, floor.d["CHL"], minute=0, seconds=60)
    url = reverse("record_item", args=[floor.meeting.slug, floor.item.pk])
    tag_url = reverse("record_tag", args=[floor.meeting.slug, entry.pk])

    assert 'name="actions"' not in client.get(url).content.decode()
    client.force_login(floor.user("ITA"))
    assert 'name="actions"' in client.get(url).content.decode()

    response = client.post(tag_url, {"actions": [plan[21].pk, plan[22].pk]})

    assert response.status_code == 302
    assert response["Location"] == f"{url}#entry-{entry.pk}"
    assert sorted(entry.lap_tags.values_list("action__number", flat=True)) == [21, 22]
    client.force_login(floor.user("CHL"))
    assert client.post(tag_url, {"actions": []}).status_code == 403
    assert entry.lap_tags.count() == 2


def test_the_export_of_an_area_lists_each_action_with_its_entries(client, floor, plan):
    austria = spoken(floor.item, floor.d["AUT"], minute=0, seconds=125, speaker="Katrin")
    chile = spoken(floor.item, floor.d["CHL"], minute=5, seconds=60)
    statement = hand_in(floor, "AUT")
    hand_in(floor, "CHL", published=False)
    lap_tags_set(entry=austria, actions=[plan[31], plan[33]], user=floor.secretariat)
    lap_tags_set(entry=chile, actions=[plan[33], plan[12]], user=floor.secretariat)
    client.force_login(floor.user("ITA"))

    response = client.get(
        reverse("record_lap_export", args=[floor.meeting.slug, "victim-assistance", "csv"])
    )

    dataset = tablib.Dataset().load(response.content.decode(), format="csv")
    assert dataset.headers == [
        "area", "action", "action title", "meeting", "item", "delegation code", "delegation",
        "category", "on behalf of", "kind", "speaker", "began", "duration", "statements",
    ]  # fmt: skip
    link = f"en:/statements/{statement.files.get().pk}/download/"
    aut = ["ccm-2025", "2(c)", "AUT", "Austria", "state_party", "", "statement", "Katrin"]
    chl = ["ccm-2025", "2(c)", "CHL", "Chile", "state_party", "", "statement", ""]
    none = [""] * 11
    va = "Victim assistance"
    assert [list(row) for row in dataset] == [
        [va, "31", "", *aut, "2025-04-07T10:00:00+02:00", "2:05", link],
        [va, "32", "", *none],
        [va, "33", "", *aut, "2025-04-07T10:00:00+02:00", "2:05", link],
        [va, "33", "", *chl, "2025-04-07T10:05:00+02:00", "1:00", ""],  # unpublished: no link
        [va, "34", "", *none],
        [va, "35", "", *none],
        [va, "36", "", *none],
        [va, "37", "", *none],
    ]


def test_the_lap_page_shows_each_action_with_its_entries(client, floor, plan):
    austria = spoken(floor.item, floor.d["AUT"], minute=0, seconds=125)
    lap_tags_set(entry=austria, actions=[plan[31]], user=floor.secretariat)
    client.force_login(floor.user("NOR"))

    response = client.get(reverse("record_lap", args=[floor.meeting.slug]))

    areas = response.context["areas"]
    shown = {a.number: [e.delegation.code for e in a.entries] for x in areas for a in x.action_list}
    assert shown[31] == ["AUT"]
    assert shown[32] == []
    assert f"#entry-{austria.pk}" in response.content.decode()


def test_the_command_exports_an_area(floor, plan, tmp_path):
    austria = spoken(floor.item, floor.d["AUT"], minute=0, seconds=125)
    lap_tags_set(entry=austria, actions=[plan[11]], user=floor.secretariat)
    out = tmp_path / "lap.xlsx"

    call_command(
        "export", "xlsx", "lap", "--meeting", "ccm-2025", "--area", "universalization",
        "-o", str(out), stdout=io.StringIO(),
    )  # fmt: skip

    dataset = tablib.Dataset().load(out.read_bytes(), format="xlsx")
    assert [(row[1], row[5]) for row in dataset] == [(10, None), (11, "AUT")]
