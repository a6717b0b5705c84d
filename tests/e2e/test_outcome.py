"""A coordinator notes two key points during a speech on 2(j), from the record page, and finds
them in the draft LAP inputs downloaded from the record (read back with python-docx)."""

import docx
import pytest
from axes.utils import reset as reset_lockouts
from django.contrib.auth import get_user_model

from agenda.demo.load import demo_load
from agenda.models import AgendaItem, FloorRequest, LapAction
from agenda.record.services import lap_tags_set
from agenda.speakers import services, speeches
from delegations.models import Delegation

SLUG = "ccm-intersessional-2025"


@pytest.fixture(autouse=True)
def _no_lockouts(transactional_db):
    reset_lockouts()
    yield
    reset_lockouts()


def test_a_coordinator_notes_two_key_points_during_a_speech_and_finds_them_in_the_draft(
    server, page, login, transactional_db
):
    demo_load(password="correct horse battery")
    users = get_user_model().objects
    item = AgendaItem.objects.get(meeting__slug=SLUG, parent__label="2", label="j")
    services.floor_request_create(
        item=item,
        delegation=Delegation.objects.get(code="ITA"),
        kind="statement",
        user=users.get(username="secretariat"),
    )
    speeches.speaker_call_next(item=item, user=users.get(username="coordinator"))
    speaking = FloorRequest.objects.get(item=item, status="speaking")

    login(page, "coordinator")
    page.goto(f"{server.url}/meetings/{SLUG}/record/items/{item.pk}/")
    for text in ("Italy doubled its victim assistance budget", "Italy will host a workshop"):
        section = page.locator("#speaking")
        section.get_by_label("Note").fill(text)
        section.get_by_role("button", name="Add note").click()
        page.wait_for_selector("text=The note is saved.")

    speeches.speaker_end(entry=speaking, user=users.get(username="coordinator"))
    speaking.refresh_from_db()
    lap_tags_set(
        entry=speaking,
        actions=[LapAction.objects.get(number=33)],
        user=users.get(username="coordinator"),
    )
    page.goto(f"{server.url}/meetings/{SLUG}/record/lap/victim-assistance/inputs/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Draft (Word)").click()
    text = "\n".join(p.text for p in docx.Document(download.value.path()).paragraphs)
    assert "Italy doubled its victim assistance budget" in text
    assert "Italy will host a workshop" in text
