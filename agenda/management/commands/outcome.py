"""`manage.py outcome`: the draft outcome documents of a meeting, as Word files.

    manage.py outcome summary --meeting ccm-intersessional-2025 -o summary.docx
    manage.py outcome lap --meeting ccm-intersessional-2025 --area victim-assistance -o va.docx

`summary`: the President's summary (published notes only). `lap`: a coordinators' area's inputs
to the Lausanne Action Plan progress report, with every note (the command is the
secretariat's). `--symbol` sets the document symbol printed at the top (default DRAFT).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agenda.models import LapArea
from agenda.outcome import documents
from meetings.models import Meeting


class Command(BaseCommand):
    help = "Write a draft outcome document of a meeting (summary, lap) as a Word file."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["summary", "lap"])
        parser.add_argument("--meeting", metavar="SLUG", required=True)
        parser.add_argument("--area", metavar="SLUG", help="lap: the area of the plan.")
        parser.add_argument("--symbol", default=documents.DRAFT_SYMBOL)
        parser.add_argument("-o", "--output", metavar="FILE", required=True)

    def handle(self, *args, what, meeting, area, symbol, output, **options):
        found = Meeting.objects.filter(slug=meeting).first()
        if found is None:
            raise CommandError(f"No meeting {meeting!r}.")
        if what == "summary":
            data = documents.summary(found, symbol=symbol)
        else:
            if not area:
                known = ", ".join(LapArea.objects.values_list("slug", flat=True))
                raise CommandError(f"Say which area with --area (one of: {known}).")
            chosen = LapArea.objects.filter(slug=area).first()
            if chosen is None:
                known = ", ".join(LapArea.objects.values_list("slug", flat=True))
                raise CommandError(f"No area {area!r} (one of: {known}).")
            data = documents.lap(found, chosen, private=True, symbol=symbol)
        try:
            Path(output).write_bytes(data)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}.") from None
        self.stdout.write(f"Wrote {output} ({len(data)} bytes).")
