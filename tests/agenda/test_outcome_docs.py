"""The draft outcome documents, opened and read back with python-docx: the President's summary
(its layout, who took the floor with counts, the published notes only, the ways forward, the
annex's figures equal to the statistics page's) and a coordinator's LAP inputs; both open in
LibreOffice."""

import io
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from django.core.management import call_command
from django.urls import reverse

from agenda.models import LapArea, RecordNote
from agenda.outcome import documents
from meetings.models import Meeting
from tests.agenda.outcome_helpers import SLUG, account
from tests.conftest import skip_or_fail

pytestmark = pytest.mark.django_db


def paragraphs(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


def test_the_summary_in_un_layout(demo):
    text = paragraphs(documents.summary(Meeting.objects.get(slug=SLUG), symbol="CCM/MSP/2025/X"))
    assert text[0] == "CCM/MSP/2025/X"
    assert "Original: English" in text[:5]
    assert "President's summary" in text
    numbered = [line for line in text if line[:1].isdigit() and ".\t" in line[:5]]
    assert [int(line.split(".")[0]) for line in numbered] == list(range(1, len(numbered) + 1))
    assert any(line.startswith("2(c) ") for line in text)
    assert any(line.startswith("2(j) ") for line in text)


def test_who_took_the_floor_with_counts_and_published_notes_only(demo):
    text = "\n".join(paragraphs(documents.summary(Meeting.objects.get(slug=SLUG))))
    assert (
        "4 statements were made from the floor: States Parties (4): Norway, Chile, Lebanon, France"
        in text
    )
    assert "Chile: 2.1 km² released in 2024" in text
    assert "France offered technical support" not in text  # not published
    assert "Retained for the 13MSP" in text and "raised by France" in text


def test_the_annex_equals_the_statistics_page(client, demo):
    client.force_login(account("secretariat"))
    stats = client.get(reverse("record_statistics", args=[SLUG])).context["figures"]
    document = docx.Document(io.BytesIO(documents.summary(Meeting.objects.get(slug=SLUG))))
    tables = document.tables
    for table, key in zip(tables, ("category", "gender", "item"), strict=True):
        rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
        expected = stats.table(key).rows
        assert [(r[0], int(r[1]), r[2]) for r in rows] == [
            (line.label, line.total.count, line.total.duration) for line in expected
        ]


def test_the_lap_inputs_say_which_states_reported_what(demo):
    area = LapArea.objects.get(slug="clearance-risk-education")
    text = paragraphs(documents.lap(Meeting.objects.get(slug=SLUG), area, private=False))
    assert "Action 21" in text
    assert any(line.endswith("Chile, under 2(c): Chile: 2.1 km² released in 2024. Chile expects "
                             "to complete clearance by 2026.") for line in text)  # fmt: skip
    assert not any("France offered" in line for line in text)


def test_downloads_from_the_record(client, demo):
    client.force_login(account("secretariat"))
    response = client.get(reverse("outcome_summary_docx", args=[SLUG]))
    assert response.status_code == 200
    assert "President's summary" in paragraphs(response.content)
    client.force_login(account("coordinator"))
    assert client.get(reverse("outcome_summary_docx", args=[SLUG])).status_code == 403
    response = client.get(reverse("outcome_lap_docx", args=[SLUG, "victim-assistance"]))
    assert response.status_code == 200
    assert (
        client.get(reverse("outcome_lap_docx", args=[SLUG, "universalization"])).status_code == 403
    )


def test_the_command_writes_both(demo, tmp_path):
    call_command("outcome", "summary", "--meeting", SLUG, "-o", str(tmp_path / "s.docx"))
    call_command("outcome", "lap", "--meeting", SLUG, "--area", "victim-assistance",
                 "-o", str(tmp_path / "l.docx"))  # fmt: skip
    assert "President's summary" in paragraphs((tmp_path / "s.docx").read_bytes())
    assert "Action 33" in paragraphs((tmp_path / "l.docx").read_bytes())


def test_a_note_written_now_reaches_the_draft_once_published(demo):
    note = RecordNote.objects.filter(published_at__isnull=True).first()
    meeting = Meeting.objects.get(slug=SLUG)
    assert note.text not in "\n".join(paragraphs(documents.summary(meeting)))


def test_libreoffice_opens_the_drafts(demo, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        skip_or_fail("LibreOffice (soffice) is not installed")
    meeting = Meeting.objects.get(slug=SLUG)
    area = LapArea.objects.get(slug="victim-assistance")
    for name, data in (("summary", documents.summary(meeting)),
                       ("lap", documents.lap(meeting, area))):  # fmt: skip
        (tmp_path / f"{name}.docx").write_bytes(data)
        result = subprocess.run(
            [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
             "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / f"{name}.docx")],
            capture_output=True, timeout=180, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert Path(tmp_path / f"{name}.pdf").read_bytes().startswith(b"%PDF")


def test_the_lap_inputs_page_and_export_are_formula_safe(client, demo):
    note = RecordNote.objects.filter(entry__lap_tags__action__number=33).first()
    RecordNote.objects.filter(pk=note.pk).update(text='=HYPERLINK("http://evil.example","x")')
    client.force_login(account("coordinator"))
    page = client.get(reverse("record_lap_inputs", args=[SLUG, "victim-assistance"]))
    assert page.status_code == 200 and "Action 33" in page.text
    csv = client.get(reverse("record_lap_inputs_export", args=[SLUG, "victim-assistance", "csv"]))
    assert csv.status_code == 200
    assert "'=HYPERLINK" in csv.content.decode()
    assert "\n=HYPERLINK" not in csv.content.decode() and ",=HYPERLINK" not in csv.content.decode()
