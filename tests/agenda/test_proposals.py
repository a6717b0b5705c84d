"""Ways forward: proposals with their topic and the delegations behind them; the President's
team sets their status, with history."""

import pytest
from django.urls import reverse

from agenda.errors import FloorError, NotAllowed
from agenda.models import OutcomeEvent, Proposal
from agenda.outcome import services
from tests.agenda.outcome_helpers import SLUG, account, entry, item

pytestmark = pytest.mark.django_db


def test_the_demo_has_two_proposals_under_the_four_topics_of_j(demo):
    j = item("j")
    assert j.topics.count() == 4
    assert Proposal.objects.filter(item=j).count() == 2


def test_the_coordinator_notes_a_proposal_and_the_president_retains_it(demo):
    j = item("j")
    proposal = services.proposal_create(
        item=j, text="A working group on risk education", topic=j.topics.last(),
        raised_by=[entry("j", "FRA")], supported_by=[entry("j", "CHL")],
        user=account("coordinator"),
    )  # fmt: skip
    assert [(s.delegation.code, s.role) for s in proposal.supports.order_by("role")] == [
        ("FRA", "raised"), ("CHL", "supported")
    ]  # fmt: skip
    with pytest.raises(NotAllowed):
        services.proposal_status_set(
            proposal=proposal, status="retained", user=account("coordinator")
        )
    services.proposal_status_set(proposal=proposal, status="retained", user=account("president"))
    history = OutcomeEvent.objects.filter(proposal=proposal).order_by("at", "id")
    assert [e.action for e in history] == ["proposal_created", "proposal_status"]
    assert history.last().before["status"] == "raised"
    assert history.last().after["status"] == "retained"


def test_refusals(demo):
    j = item("j")
    with pytest.raises(FloorError, match="raised"):
        services.proposal_create(item=j, text="x", user=account("coordinator"))
    with pytest.raises(FloorError):
        services.proposal_create(
            item=j, text="x", raised_by=[entry("c", "CHL")], user=account("coordinator")
        )
    with pytest.raises(NotAllowed):
        services.proposal_create(
            item=j, text="x", raised_by=[entry("j", "CHL")], user=account("focal-chl")
        )
    proposal = Proposal.objects.filter(item=j).first()
    with pytest.raises(FloorError):
        services.proposal_status_set(proposal=proposal, status="maybe", user=account("president"))


def test_the_record_page_shows_proposals_to_the_coordinator_only(client, demo):
    j = item("j")
    url = reverse("record_item", args=[SLUG, j.pk])
    assert "informal briefing" not in client.get(url).text
    client.force_login(account("coordinator"))
    page = client.get(url).text
    assert "informal briefing" in page and "Retained for the 13MSP" in page
    response = client.post(
        reverse("record_proposal_add", args=[SLUG, j.pk]),
        {"text": "Pool victim assistance funding", "raised": [entry("j", "AUT").pk],
         "topic": str(j.topics.all()[1].pk)},
    )  # fmt: skip
    assert response.status_code == 302
    assert Proposal.objects.filter(text="Pool victim assistance funding").exists()


def test_a_bad_entry_id_from_the_page_is_a_message(client, demo):
    j = item("j")
    client.force_login(account("coordinator"))
    response = client.post(
        reverse("record_proposal_add", args=[SLUG, j.pk]),
        {"text": "x", "raised": ["²"]},
        follow=True,
    )
    assert response.status_code == 200
    assert "took the floor" in response.text


def test_another_delegation_supports_a_proposal_once(demo):
    proposal = Proposal.objects.get(item=item("j"), status="discussed")
    services.proposal_support(
        proposal=proposal, entry=entry("j", "FRA"), user=account("coordinator")
    )
    assert proposal.supports.filter(delegation__code="FRA", role="supported").exists()
    with pytest.raises(FloorError, match="already"):
        services.proposal_support(
            proposal=proposal, entry=entry("j", "FRA"), user=account("coordinator")
        )
    assert OutcomeEvent.objects.filter(proposal=proposal, action="proposal_supported").count() == 1
