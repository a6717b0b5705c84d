"""The record on the public pages: each item's list of speakers as delivered, each delegation's
statements, the search; unpublished statements never shown; query counts flat."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agenda.errors import FloorError, NotAllowed
from agenda.models import FloorRequest, ListEvent, Statement
from agenda.record.selectors import delivered, search
from agenda.record.services import record_correct
from agenda.speakers import services
from agenda.statements.services import (
    statement_file_add,
    statement_file_text_read,
)
from delegations.models import Participation
from meetings.words import document_text
from tests.documents import docx_bytes, odt_bytes, pdf_bytes
from tests.factories import AgendaItemFactory, DelegateFactory
from tests.helpers import BASE, hand_in, many, spoken

pytestmark = pytest.mark.django_db


def test_an_items_list_as_delivered_in_the_order_spoken_with_durations(client, floor):
    spoken(floor.item, floor.d["NOR"], minute=10, seconds=245, speaker="Ola Nordmann")
    spoken(floor.item, floor.d["ITA"], minute=0, seconds=300, paused=20, speaker="Anna Rossi")
    waiting = services.floor_request_create(
        item=floor.item, delegation=floor.d["CHL"], kind="statement", user=floor.user("CHL")
    )

    response = client.get(reverse("record_item", args=[floor.meeting.slug, floor.item.pk]))

    assert response.status_code == 200
    entries = response.context["entries"]
    assert [
        (e.number, e.delegation.code, e.floor_request.speaker_name, e.duration) for e in entries
    ] == [
        (1, "ITA", "Anna Rossi", "5:00"),
        (2, "NOR", "Ola Nordmann", "4:05"),
    ]
    assert response.context["total"] == "9:05"
    html = response.content.decode()
    assert "Anna Rossi" in html
    assert "Sun" not in html  # local time: Monday 7 April
    assert "Mon 7 Apr 10:00:00" in html  # 08:00 UTC is 10:00 in Geneva
    assert waiting.delegation.name not in html.split("<tbody>")[1]


def test_a_published_statement_is_shown_with_its_languages_and_check_against_delivery(
    client, floor
):
    entry = spoken(floor.item, floor.d["CHL"], minute=0, seconds=120)
    statement = hand_in(floor, "CHL", language="es")
    statement_file_add(
        statement=statement,
        user=floor.user("CHL"),
        language="en",
        file=SimpleUploadedFile("s.docx", docx_bytes()),
    )

    response = client.get(reverse("record_item", args=[floor.meeting.slug, floor.item.pk]))

    [shown] = response.context["entries"]
    assert shown.floor_request == entry
    assert [f.language for f in shown.files] == ["en", "es"]
    html = response.content.decode()
    for row in statement.files.all():
        assert reverse("statement_file_download", args=[row.pk]) in html
    assert "check against delivery" in html


def test_unpublished_statements_never_appear_publicly(client, floor):
    spoken(floor.item, floor.d["CHL"], minute=0, seconds=120)
    secret = hand_in(floor, "CHL", published=False, data=docx_bytes("Secret words of Chile"))
    statement_file_text_read(statement_file=secret.files.get())
    hidden_link = reverse("statement_file_download", args=[secret.files.get().pk])
    slug = floor.meeting.slug
    pages = [
        reverse("record", args=[slug]),
        reverse("record", args=[slug]) + "?q=Secret",
        reverse("record_item", args=[slug, floor.item.pk]),
        reverse("record_item_print", args=[slug, floor.item.pk]),
        reverse("record_delegation", args=[slug, "CHL"]),
    ]
    for url in pages:
        assert hidden_link not in client.get(url).content.decode(), url
    assert search(floor.meeting, "Secret") == []
    for what in ("speakers", "statements"):
        data = client.get(reverse("record_export", args=[slug, what, "csv"])).content.decode()
        assert hidden_link not in data
        assert "Secret" not in data
    assert client.get(hidden_link).status_code == 404


def test_a_statement_not_yet_delivered_is_not_shown(client, floor):
    hand_in(floor, "CHL")

    response = client.get(reverse("record_delegation", args=[floor.meeting.slug, "CHL"]))

    assert response.context["entries"] == []


def test_a_delegations_page_lists_everything_it_said(client, floor):
    other = AgendaItemFactory(meeting=floor.meeting, parent=floor.item.parent, label="j")
    spoken(other, floor.d["AUT"], minute=90, seconds=200)
    spoken(floor.item, floor.d["AUT"], minute=5, seconds=100, kind="right_of_reply")
    spoken(floor.item, floor.d["NOR"], minute=0, seconds=100)

    response = client.get(reverse("record_delegation", args=[floor.meeting.slug, "AUT"]))

    assert [
        (e.item.code, e.floor_request.kind, e.duration) for e in response.context["entries"]
    ] == [
        ("2(c)", "right_of_reply", "1:40"),
        ("2(j)", "statement", "3:20"),
    ]
    assert response.context["total"] == "5:00"


def test_the_index_counts_entries_per_item_and_delegation(client, floor):
    spoken(floor.item, floor.d["AUT"], minute=5, seconds=100)
    spoken(floor.item, floor.d["AUT"], minute=9, seconds=100, kind="right_of_reply")
    spoken(floor.item, floor.d["NOR"], minute=0, seconds=100)

    response = client.get(reverse("record", args=[floor.meeting.slug]))

    assert [(i.code, i.delivered_count) for i in response.context["items"]] == [
        ("2", 0),
        ("2(c)", 3),
    ]
    assert [(d.code, d.count) for d in response.context["delegations"]] == [
        ("AUT", 2),
        ("NOR", 1),
    ]


def test_search_by_item_title_delegation_and_statement_text(client, floor):
    other = AgendaItemFactory(
        meeting=floor.meeting, parent=floor.item.parent, label="b", title="Victim assistance"
    )
    chile = spoken(floor.item, floor.d["CHL"], minute=0, seconds=60)
    austria = spoken(other, floor.d["AUT"], minute=30, seconds=60)
    france = spoken(other, floor.d["FRA"], minute=40, seconds=60)
    docx = hand_in(
        floor, "FRA", item=other, name="s.docx", data=docx_bytes("Survivors need rehabilitation")
    )
    odt = hand_in(
        floor, "CHL", name="s.odt", data=odt_bytes("Déclaration sur le déminage"), language="fr"
    )
    for statement in (docx, odt):
        statement_file_text_read(statement_file=statement.files.get())

    assert search(floor.meeting, "victim") == [austria.pk, france.pk]
    assert search(floor.meeting, "Austria") == [austria.pk]
    assert search(floor.meeting, "rehabilitation") == [france.pk]
    assert search(floor.meeting, "déminage") == [chile.pk]
    assert search(floor.meeting, "nothing like this") == []
    response = client.get(reverse("record", args=[floor.meeting.slug]), {"q": "rehabilitation"})
    assert [e.floor_request for e in response.context["results"]] == [france]


def test_the_words_of_docx_and_odt_are_read_and_pdf_gives_none():
    assert document_text(docx_bytes("Statement of Chile")) == "Statement of Chile"
    assert document_text(odt_bytes("Déclaration du Chili")) == "Déclaration du Chili"
    assert document_text(pdf_bytes()) == ""
    assert document_text(b"PK\x03\x04 broken") == ""


def test_gender_is_the_named_delegates_and_not_stated_otherwise(floor):
    participation = Participation.objects.get(meeting=floor.meeting, delegation=floor.d["AUT"])
    DelegateFactory(participation=participation, name="Katrin Steiner", gender="woman")
    DelegateFactory(participation=participation, name="Lukas Berger", gender="")
    spoken(floor.item, floor.d["AUT"], minute=0, seconds=60, speaker="  katrin   STEINER ")
    spoken(floor.item, floor.d["AUT"], minute=1, seconds=60, speaker="Lukas Berger")
    spoken(floor.item, floor.d["AUT"], minute=2, seconds=60, speaker="Someone Else")
    spoken(floor.item, floor.d["NOR"], minute=3, seconds=60, speaker="Katrin Steiner")

    assert [e.gender for e in delivered(floor.meeting)] == ["woman", "", "", ""]


def test_record_pages_run_a_fixed_number_of_queries(client, floor, django_assert_num_queries):
    slug = floor.meeting.slug
    urls = [
        reverse("record", args=[slug]),
        reverse("record", args=[slug]) + "?q=Speaker",
        reverse("record_item", args=[slug, floor.item.pk]),
        reverse("record_item_print", args=[slug, floor.item.pk]),
        reverse("record_delegation", args=[slug, "ITA"]),
        reverse("record_export", args=[slug, "speakers", "xlsx"]),
        reverse("record_export", args=[slug, "statements", "csv"]),
    ]
    many(floor, 1)
    assert FloorRequest.objects.count() == 1
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        counts[url] = len(context.captured_queries)
    FloorRequest.objects.all().delete()
    Statement.objects.all().delete()
    many(floor, 200)
    for url in urls:
        with django_assert_num_queries(counts[url]):
            assert client.get(url).status_code == 200


def test_the_secretariat_corrects_the_record_and_the_audit_trail_says_so(floor):
    entry = spoken(floor.item, floor.d["CHL"], minute=0, seconds=120, speaker="Camila Rojs")

    record_correct(
        entry=entry,
        corrections={
            "speaker_name": "Camila Rojas",
            "language": "es",
            "paused_total": timedelta(0),
        },
        user=floor.secretariat,
        reason="Name misspelt; spoke in Spanish",
    )

    entry.refresh_from_db()
    assert (entry.speaker_name, entry.language) == ("Camila Rojas", "es")
    event = ListEvent.objects.get(action="corrected")
    assert event.before == {"speaker_name": "Camila Rojs", "language": "en"}
    assert event.after == {"speaker_name": "Camila Rojas", "language": "es"}
    assert event.reason == "Name misspelt; spoke in Spanish"
    assert event.user == floor.secretariat


@pytest.mark.parametrize(
    ("changes", "reason", "message"),
    [
        ({"speaker_name": "X"}, "", "Say why the record is corrected."),
        ({"speaker_name": "Camila"}, "typo", "Nothing was changed: the record stays as it was."),
        (
            {"ended_at": BASE - timedelta(seconds=1)},
            "clock",
            "A statement cannot end before it began.",
        ),
        (
            {"paused_total": timedelta(seconds=500)},
            "clock",
            "The time paused cannot be longer than the statement.",
        ),
        ({"category": "planet"}, "typo", "Choose one of the categories."),
        ({"status": "waiting"}, "typo", "Only the record's fields can be corrected."),
    ],
)
def test_a_correction_is_refused_with_a_reason(floor, changes, reason, message):
    entry = spoken(floor.item, floor.d["CHL"], minute=0, seconds=120, speaker="Camila")

    with pytest.raises(FloorError) as refused:
        record_correct(entry=entry, corrections=changes, user=floor.secretariat, reason=reason)

    assert refused.value.message == message
    assert not ListEvent.objects.filter(action="corrected").exists()


def test_only_the_secretariat_corrects_the_record(floor):
    entry = spoken(floor.item, floor.d["CHL"], minute=0, seconds=120)

    for user in (floor.chair, floor.user("CHL")):
        with pytest.raises(NotAllowed):
            record_correct(entry=entry, corrections={"speaker_name": "X"}, user=user, reason="why")


def test_the_admin_form_corrects_through_the_service(client, floor):
    entry = spoken(floor.item, floor.d["CHL"], minute=0, seconds=120, speaker="Camila Rojs")
    client.force_login(floor.secretariat)
    url = reverse("admin:agenda_floorrequest_change", args=[entry.pk])
    form = {
        "speaker_name": "Camila Rojas",
        "language": "en",
        "started_at_0": "2025-04-07",
        "started_at_1": "08:00:00",
        "ended_at_0": "2025-04-07",
        "ended_at_1": "08:02:00",
        "paused_total": "00:00:00",
        "category": "state_party",
        "reason": "",
    }

    refused = client.post(url, form)
    assert refused.status_code == 200
    assert "This field is required." in refused.content.decode()

    accepted = client.post(url, {**form, "reason": "Name misspelt"})

    assert accepted.status_code == 302
    entry.refresh_from_db()
    assert entry.speaker_name == "Camila Rojas"
    assert ListEvent.objects.get(action="corrected").reason == "Name misspelt"


def test_the_admin_change_form_is_read_only_for_waiting_entries(client, floor):
    waiting = services.floor_request_create(
        item=floor.item, delegation=floor.d["CHL"], kind="statement", user=floor.user("CHL")
    )
    client.force_login(floor.secretariat)

    response = client.get(reverse("admin:agenda_floorrequest_change", args=[waiting.pk]))

    assert response.status_code == 200
    assert 'name="reason"' not in response.content.decode()


def test_the_admin_reads_the_words_of_the_chosen_entries_statements(client, floor):
    entry = spoken(floor.item, floor.d["CHL"], minute=0, seconds=60)
    statement = hand_in(floor, "CHL", name="s.odt", data=odt_bytes("Palabras de Chile"))
    client.force_login(floor.secretariat)

    response = client.post(
        reverse("admin:agenda_floorrequest_changelist"),
        {"action": "read_texts", "_selected_action": [entry.pk]},
    )

    assert response.status_code == 302
    assert statement.files.get().text == "Palabras de Chile"
    assert search(floor.meeting, "palabras") == [entry.pk]
