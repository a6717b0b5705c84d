"""`manage.py import delegations FILE` (or `delegates`, `groups`, `guests`): import a list, all
rows or none.

Takes precedence over django-import-export's own `import` command (our apps come first in
INSTALLED_APPS). The work is done by `delegations.imports.import_file`.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from delegations.imports import FORMATS, RESOURCES, import_file, resource_class
from meetings.models import Meeting


class Command(BaseCommand):
    help = (
        "Import a list of delegations, delegates, groups or speakers without a delegation "
        "(guests) from a CSV (UTF-8) or XLSX file. A file with any bad row imports nothing; "
        "each problem is printed with its row and column."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "resource",
            help=f"What the file lists: {' or '.join(RESOURCES)} (or a resource's dotted path).",
        )
        parser.add_argument("file", help="The .csv or .xlsx file.")
        parser.add_argument(
            "-n",
            "--dry-run",
            action="store_true",
            help="Check the file and report, without writing anything.",
        )
        parser.add_argument(
            "--format",
            choices=FORMATS,
            type=str.lower,
            help="The file's format, when its extension does not say.",
        )
        parser.add_argument(
            "--meeting",
            metavar="SLUG",
            help="The meeting for rows without one (default: the current meeting).",
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Accepted for compatibility: this command never asks.",
        )

    def handle(self, *args, **options):
        try:
            resource_class(options["resource"])
        except LookupError as error:
            raise CommandError(error) from error
        meeting = None
        if options["meeting"]:
            meeting = Meeting.objects.filter(slug=options["meeting"]).first()
            if meeting is None:
                raise CommandError(_('"%(slug)s" is not a meeting.') % {"slug": options["meeting"]})
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s")
                % {"file": path, "error": error.strerror or error}
            ) from error

        report = import_file(
            options["resource"],
            data,
            file_name=path.name,
            meeting=meeting,
            dry_run=options["dry_run"],
            format=options["format"],
        )
        if not report.ok:
            for problem in report.errors:
                self.stderr.write(problem)
            self.stderr.write(self.style.ERROR(report.summary()))
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS(report.summary()))
