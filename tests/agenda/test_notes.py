"""Notes on the record: written by the item's chairs and coordinators and the secretariat,
private until the secretariat publishes them, every change audited (`OutcomeEvent`)."""

import pytest
from django.urls import reverse

from agenda.errors import FloorError, NotAllowed
from agenda.models import FloorRequest, ListEvent, OutcomeEvent, RecordNote
from agenda.outcome import services
from agenda.speakers import services as speaker_services
from agenda.speakers import speeches
from delegations.models import Delegation
from tests.agenda.outcome_helpers import SLUG, account, entry, item

pytestmark = pytest.mark.django_db


def test_the_coordinator_writes_a_note_private_until_the_secretariat_publishes_it(client, demo):
    chile = entry("j", "CHL")
    note = services.note_create(
        entry=chile, text="Chile: 30 survivors assisted", kind="figure", user=account("coordinator")
    )
    url = reverse("record_item", args=[SLUG, chile.item_id])
    assert "30 survivors assisted" not in client.get(url).text
    client.force_login(account("coordinator"))
    assert "30 survivors assisted" in client.get(url).text
    services.note_publish(note=note, user=account("secretariat"))
    client.logout()
    assert "30 survivors assisted" in client.get(url).text


def test_every_change_is_audited_with_before_and_after(demo):
    chile = entry("j", "CHL")
    note = services.note_create(entry=chile, text="First", user=account("coordinator"))
    services.note_update(note=note, text="Second", user=account("coordinator"))
    services.note_publish(note=note, user=account("secretariat"))
    services.note_delete(note=note, user=account("secretariat"))
    events = list(OutcomeEvent.objects.filter(item=chile.item).order_by("at", "id"))[-4:]
    assert [e.action for e in events] == [
        "note_created", "note_edited", "note_published", "note_deleted"
    ]  # fmt: skip
    assert events[1].before["text"] == "First" and events[1].after["text"] == "Second"
    assert [e.user.username for e in events] == ["coordinator", "coordinator", "secretariat",
                                                 "secretariat"]  # fmt: skip
    assert not RecordNote.objects.filter(pk=note.pk).exists()


def test_a_note_does_not_change_the_list_of_speakers(demo):
    chile = entry("j", "CHL")
    versions = ListEvent.objects.count()
    services.note_create(entry=chile, text="A key point", user=account("coordinator"))
    assert ListEvent.objects.count() == versions


@pytest.mark.parametrize("username", ["focal-chl", "interpreter"])
def test_others_may_not_write_notes(demo, username):
    with pytest.raises(NotAllowed):
        services.note_create(entry=entry("j", "CHL"), text="x", user=account(username))


def test_a_coordinator_of_another_item_may_not_write_there(demo):
    with pytest.raises(NotAllowed):
        services.note_create(entry=entry("c", "CHL"), text="x", user=account("coordinator"))


def test_only_the_secretariat_publishes_and_a_published_note_is_its_to_change(demo):
    note = services.note_create(entry=entry("j", "CHL"), text="x", user=account("coordinator"))
    with pytest.raises(NotAllowed):
        services.note_publish(note=note, user=account("coordinator"))
    services.note_publish(note=note, user=account("secretariat"))
    with pytest.raises(NotAllowed):
        services.note_update(note=note, text="y", user=account("coordinator"))


@pytest.mark.parametrize(
    ("text", "kind", "message"),
    [("", "key_point", "empty"), ("x" * 1001, "key_point", "too long"),
     ("a\x00b", "key_point", "not text"), ("x", "gossip", "kind")],
)  # fmt: skip
def test_bad_notes_are_refused_with_a_message(demo, text, kind, message):
    count = RecordNote.objects.count()
    with pytest.raises(FloorError, match=message):
        services.note_create(
            entry=entry("j", "CHL"), text=text, kind=kind, user=account("coordinator")
        )
    assert RecordNote.objects.count() == count


def test_no_note_on_a_waiting_entry(demo):
    waiting = speaker_services.floor_request_create(
        item=item("j"), delegation=Delegation.objects.get(code="ITA"), kind="statement",
        user=account("secretariat"),
    )  # fmt: skip
    with pytest.raises(FloorError):
        services.note_create(entry=waiting, text="x", user=account("coordinator"))


def test_the_record_page_offers_a_note_on_the_speaking_entry(client, demo):
    j = item("j")
    speaker_services.floor_request_create(
        item=j, delegation=Delegation.objects.get(code="ITA"), kind="statement",
        user=account("secretariat"),
    )  # fmt: skip
    speeches.speaker_call_next(item=j, user=account("coordinator"))
    speaking = FloorRequest.objects.get(item=j, status="speaking")
    client.force_login(account("coordinator"))
    page = client.get(reverse("record_item", args=[SLUG, j.pk])).text
    assert "Now speaking" in page
    assert reverse("record_note_add", args=[SLUG, speaking.pk]) in page
    response = client.post(
        reverse("record_note_add", args=[SLUG, speaking.pk]),
        {"kind": "key_point", "text": "Budget halved since 2023"},
    )
    assert response.status_code == 302
    assert RecordNote.objects.filter(entry=speaking, text="Budget halved since 2023").exists()


def test_a_bad_note_from_the_page_is_a_message_not_an_error(client, demo):
    chile = entry("j", "CHL")
    client.force_login(account("coordinator"))
    response = client.post(
        reverse("record_note_add", args=[SLUG, chile.pk]), {"text": "a\x00b"}, follow=True
    )
    assert response.status_code == 200
    assert "not text" in response.text


def test_the_secretariat_publishes_edits_and_deletes_from_the_page(client, demo):
    chile = entry("j", "CHL")
    note = services.note_create(entry=chile, text="Draft point", user=account("coordinator"))
    client.force_login(account("secretariat"))
    change = lambda action: reverse("record_note_change", args=[SLUG, note.pk, action])  # noqa: E731
    assert client.post(change("publish")).status_code == 302
    note.refresh_from_db()
    assert note.is_published
    client.post(change("edit"), {"text": "Final point", "kind": "commitment"})
    note.refresh_from_db()
    assert (note.text, note.kind) == ("Final point", "commitment")
    assert client.post(change("delete")).status_code == 302
    assert not RecordNote.objects.filter(pk=note.pk).exists()


def test_an_unknown_action_on_a_note_is_not_found(client, demo):
    note = services.note_create(entry=entry("j", "CHL"), text="x", user=account("coordinator"))
    client.force_login(account("secretariat"))
    assert (
        client.post(reverse("record_note_change", args=[SLUG, note.pk, "shout"])).status_code == 404
    )


def test_a_note_deleted_meanwhile_is_a_message(demo):
    note = services.note_create(entry=entry("j", "CHL"), text="x", user=account("coordinator"))
    RecordNote.objects.filter(pk=note.pk).delete()
    with pytest.raises(FloorError, match="deleted meanwhile"):
        services.note_update(note=note, text="y", user=account("coordinator"))
