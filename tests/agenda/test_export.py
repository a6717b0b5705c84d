"""Exports of the record (XLSX, CSV) from the pages, the admin and `manage.py export`, opened
again and checked cell by cell; the programme as an iCalendar file, parsed back."""

import datetime
import io
import zoneinfo

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from agenda.models import FloorRequest, Statement
from agenda.record.resources import SpeakerResource
from agenda.statements.services import statement_file_add
from tests.documents import docx_bytes
from tests.factories import SittingFactory
from tests.helpers import hand_in, many, spoken

pytestmark = pytest.mark.django_db

HEADERS = [
    "meeting",
    "item",
    "item title",
    "number",
    "delegation code",
    "delegation",
    "category",
    "on behalf of",
    "on behalf of (name)",
    "co-sponsors",
    "kind",
    "speaker",
    "presence",
    "language",
    "began",
    "ended",
    "paused (s)",
    "duration (s)",
    "duration",
    "time limit (s)",
    "extension (s)",
    "overtime (s)",
    "statement languages",
    "check against delivery",
    "LAP actions",
]


def load(data: bytes, fmt: str) -> tablib.Dataset:
    if fmt == "csv":
        return tablib.Dataset().load(data.decode("utf-8"), format="csv")
    return tablib.Dataset().load(data, format="xlsx")


@pytest.fixture
def two_entries(floor):
    italy = spoken(floor.item, floor.d["ITA"], minute=0, seconds=300, paused=20, speaker="Anna")
    chile = spoken(floor.item, floor.d["CHL"], minute=10, seconds=65, language="es")
    statement = hand_in(floor, "CHL", language="es")
    statement_file_add(
        statement=statement,
        user=floor.user("CHL"),
        language="en",
        file=SimpleUploadedFile("s.docx", docx_bytes()),
    )
    return italy, chile, statement


def expected_rows(floor, statement):
    title = floor.item.title
    return [
        [
            "ccm-2025", "2(c)", title, "1", "ITA", "Italy", "state_party", "", "", "",
            "statement", "Anna", "room", "en", "2025-04-07T10:00:00+02:00",
            "2025-04-07T10:05:20+02:00", "20", "300", "5:00", "300", "0", "0", "", "", "",
        ],
        [
            "ccm-2025", "2(c)", title, "2", "CHL", "Chile", "state_party", "", "", "",
            "statement", "", "room", "es", "2025-04-07T10:10:00+02:00",
            "2025-04-07T10:11:05+02:00", "0", "65", "1:05", "300", "0", "0", "en, es", "yes", "",
        ],
    ]  # fmt: skip


def cells(dataset: tablib.Dataset) -> list[list[str]]:
    return [["" if value is None else str(value) for value in row] for row in dataset]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_list_of_speakers_from_the_record_page(client, floor, two_entries, fmt):
    _italy, _chile, statement = two_entries

    response = client.get(
        reverse("record_export", args=[floor.meeting.slug, "speakers", fmt]),
        {"item": floor.item.pk},
    )

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="ccm-2025-speakers-2c.{fmt}"'
    dataset = load(response.content, fmt)
    assert dataset.headers == HEADERS
    assert cells(dataset) == expected_rows(floor, statement)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_statements_from_the_command(floor, two_entries, tmp_path, fmt):
    _italy, _chile, statement = two_entries
    hand_in(floor, "ITA", published=False)  # the secretariat's export lists it too
    out = tmp_path / f"statements.{fmt}"

    call_command(
        "export", fmt, "statements", "--meeting", "ccm-2025", "-o", str(out), stdout=io.StringIO()
    )

    dataset = load(out.read_bytes(), fmt)
    assert dataset.headers == [
        "meeting", "item", "item title", "delegation code", "delegation", "on behalf of",
        "co-sponsors", "speaker", "began", "language", "check against delivery", "published",
        "file", "link",
    ]  # fmt: skip
    files = {row.language: row.pk for row in statement.files.all()}
    italy_file = Statement.objects.get(delegation=floor.d["ITA"]).files.get()
    title = floor.item.title
    assert cells(dataset) == [
        [
            "ccm-2025", "2(c)", title, "ITA", "Italy", "", "", "Anna", "2025-04-07T10:00:00+02:00",
            "en", "yes", "no", "ITA-2c-statement-en.pdf", f"/statements/{italy_file.pk}/download/",
        ],
        [
            "ccm-2025", "2(c)", title, "CHL", "Chile", "", "", "", "2025-04-07T10:10:00+02:00",
            "en", "yes", "yes", "CHL-2c-statement-en.docx", f"/statements/{files['en']}/download/",
        ],
        [
            "ccm-2025", "2(c)", title, "CHL", "Chile", "", "", "", "2025-04-07T10:10:00+02:00",
            "es", "yes", "yes", "CHL-2c-statement-es.pdf", f"/statements/{files['es']}/download/",
        ],
    ]  # fmt: skip


def test_the_public_statements_export_leaves_out_unpublished_ones(client, floor, two_entries):
    hand_in(floor, "ITA", published=False)

    response = client.get(reverse("record_export", args=["ccm-2025", "statements", "csv"]))

    assert [row[3] for row in load(response.content, "csv")] == ["CHL", "CHL"]


def test_the_command_exports_one_item_by_its_code(floor, two_entries, tmp_path):
    out = tmp_path / "2c.xlsx"

    call_command(
        "export", "xlsx", "speakers", "--meeting", "ccm-2025", "--item", "2(c)", "-o", str(out),
        stdout=io.StringIO(),
    )  # fmt: skip

    assert cells(load(out.read_bytes(), "xlsx")) == expected_rows(floor, two_entries[2])


def test_the_command_says_what_is_wrong(floor):
    with pytest.raises(CommandError, match=r'"9\(z\)" is not an item of the meeting'):
        call_command("export", "csv", "speakers", "--meeting", "ccm-2025", "--item", "9(z)")
    with pytest.raises(CommandError, match=r'"nope" is not a meeting\.'):
        call_command("export", "csv", "speakers", "--meeting", "nope")
    with pytest.raises(CommandError, match=r"The format is csv or xlsx, not ods\."):
        call_command("export", "ods", "speakers", "--meeting", "ccm-2025")


def test_the_librarys_interface_still_works_for_our_resources(floor, two_entries):
    out = io.TextIOWrapper(io.BytesIO())

    call_command("export", "CSV", "agenda.record.resources.SpeakerResource", stdout=out)

    out.flush()
    dataset = load(out.buffer.getvalue(), "csv")
    assert cells(dataset) == expected_rows(floor, two_entries[2])


def test_the_admin_exports_the_delivered_entries(client, floor, two_entries):
    services_waiting = FloorRequest.objects.create(
        item=floor.item,
        delegation=floor.d["FRA"],
        category="state_party",
        requested_at=datetime.datetime(2025, 4, 7, 7, tzinfo=datetime.UTC),
    )
    client.force_login(floor.secretariat)

    response = client.post(
        reverse("admin:agenda_floorrequest_export"),
        {
            "format": "1",
            "resource": "0",
            **{f"speakerresource_{name}": "on" for name in SpeakerResource().fields},
        },
    )

    assert response.status_code == 200
    dataset = load(response.content, "csv")
    assert services_waiting.delegation.code not in [row[4] for row in dataset]
    assert cells(dataset) == expected_rows(floor, two_entries[2])


def test_exports_of_200_entries_run_a_fixed_number_of_queries(client, floor):
    url = reverse("record_export", args=["ccm-2025", "speakers", "xlsx"])
    many(floor, 1)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    FloorRequest.objects.all().delete()
    Statement.objects.all().delete()
    many(floor, 200)
    with CaptureQueriesContext(connection) as lots:
        response = client.get(url)

    assert len(lots) == len(one)
    dataset = load(response.content, "xlsx")
    assert len(dataset) == 200
    assert [row[3] for row in dataset][:3] == [1, 2, 3]
    assert dataset[199][3] == 200


def test_the_programme_as_a_calendar(client, floor):
    meeting = floor.meeting
    monday = SittingFactory(
        meeting=meeting,
        date=datetime.date(2025, 4, 7),
        start_time=datetime.time(15),
        end_time=datetime.time(18),
        title="Second sitting",
    )
    floor.item.sittings.add(monday)
    floor.item.parent.sittings.add(monday)

    response = client.get(reverse("programme_ics", args=[meeting.slug]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    [event] = calendar.walk("VEVENT")
    geneva = zoneinfo.ZoneInfo("Europe/Zurich")
    assert event.decoded("dtstart") == datetime.datetime(2025, 4, 7, 15, tzinfo=geneva)
    assert event.decoded("dtend") == datetime.datetime(2025, 4, 7, 18, tzinfo=geneva)
    assert event["dtstart"].params["TZID"] == "Europe/Zurich"
    assert str(event["summary"]) == f"{meeting.short_title}: Second sitting"
    assert str(event["description"]) == "2 General status\n2(c) Clearance"
    assert str(event["location"]) == "Room XXI, Palais des Nations, Geneva"
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Zurich"]


def test_the_meeting_page_links_the_calendar(client, floor):
    SittingFactory(meeting=floor.meeting)

    response = client.get(floor.meeting.get_absolute_url())

    assert reverse("programme_ics", args=[floor.meeting.slug]) in response.content.decode()
