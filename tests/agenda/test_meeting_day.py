"""Issue 13, the rough edges: names found without their accents, sorted as a reader expects,
the record found by an item's code, and the chair's refusals naming the delegation."""

import re

import pytest
from django.urls import reverse

from agenda.record.selectors import search
from meetings.collation import folded, sort_key
from tests.factories import AgendaItemFactory, DelegationFactory, ParticipationFactory
from tests.helpers import ask, spoken, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def ivory_coast(floor):
    delegation = DelegationFactory(code="CIV", name="Côte d'Ivoire")
    ParticipationFactory(meeting=floor.meeting, delegation=delegation, category="state_party")
    czechia = DelegationFactory(code="CZE", name="Czechia")
    ParticipationFactory(meeting=floor.meeting, delegation=czechia, category="state_party")
    floor.d["CIV"], floor.d["CZE"] = delegation, czechia
    return delegation


def test_names_are_folded_and_sorted_as_read():
    assert folded("Côte d'Ivoire") == "cote d'ivoire"
    assert sorted(["Czechia", "Côte d'Ivoire", "Cuba", "Zimbabwe"], key=sort_key) == [
        "Côte d'Ivoire",
        "Cuba",
        "Czechia",
        "Zimbabwe",
    ]


def test_the_record_is_found_by_an_items_code_and_names_without_accents(floor, ivory_coast):
    other = AgendaItemFactory(meeting=floor.meeting, parent=floor.item.parent, label="b")
    ivorian = spoken(floor.item, ivory_coast, minute=0, seconds=60)
    chile = spoken(other, floor.d["CHL"], minute=5, seconds=60)

    assert search(floor.meeting, "2(c)") == [ivorian.pk]
    assert search(floor.meeting, "2(b)") == [chile.pk]
    assert search(floor.meeting, "cote") == [ivorian.pk]
    assert search(floor.meeting, "COTE D'IVOIRE") == [ivorian.pk]
    assert search(floor.meeting, "2(c) cote") == [ivorian.pk]
    assert search(floor.meeting, "2(b) cote") == []


def test_lists_of_delegations_sort_cote_divoire_before_czechia(client, floor, ivory_coast):
    spoken(floor.item, ivory_coast, minute=0, seconds=60)
    spoken(floor.item, floor.d["CZE"], minute=5, seconds=60)
    html = client.get(reverse("participant_list", args=[floor.meeting.slug])).content.decode()
    assert html.index("Côte d&#x27;Ivoire") < html.index("Czechia")
    record = client.get(reverse("record", args=[floor.meeting.slug])).content.decode()
    assert record.index("Côte d&#x27;Ivoire") < record.index("Czechia")


def test_the_chair_adding_a_delegation_twice_is_told_which_and_where(client, floor, ivory_coast):
    ask(floor, "FRA")
    client.force_login(floor.chair)
    url = reverse("chair_act", args=[floor.meeting.slug, floor.item.pk, "add"])
    client.post(url, {"delegation": "cote", "kind": "statement"})
    answer = client.post(url, {"delegation": "cote", "kind": "statement"}, follow=True)
    said = text(answer.content.decode())
    assert "Côte d'Ivoire is already on this list (place 2)." in said
    assert not re.search("Your delegation", said)
