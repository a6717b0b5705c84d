"""`manage.py export FORMAT RESOURCE`: the record of a meeting, or any resource.

Takes precedence over django-import-export's own `export` command (our apps come first in
INSTALLED_APPS) and keeps its interface: `manage.py export CSV
delegations.resources.delegations.DelegationResource` writes that resource to standard output.
Short names export the record:

    manage.py export xlsx speakers --meeting ccm-intersessional-2025 --item "2(c)" -o 2c.xlsx
    manage.py export csv statements --meeting ccm-intersessional-2025
    manage.py export xlsx lap --meeting ccm-intersessional-2025 --area victim-assistance
    manage.py export csv statistics --meeting ccm-intersessional-2025

These exports are the secretariat's: every statement handed in, with whether it is published.
Each entry says who spoke and for whom: the delegation (empty for a speaker without one), the
group it spoke for, the co-sponsors of a joint statement, the speaker, where they delivered from
(`agenda.record.resources`). No cell of any export is a formula (`meetings.exports`).
"""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from import_export.management.commands import export as library

from agenda.items import agenda_outline
from agenda.models import AgendaItem, LapArea
from agenda.record.resources import RESOURCES
from meetings.exports import inert_dataset
from meetings.models import Meeting

FORMATS = {"csv": "CSV", "xlsx": "XLSX"}


class Command(library.Command):
    help = (
        "Export the record of a meeting (speakers, statements, lap, statistics) as CSV or XLSX, "
        "or any resource given by its dotted path."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--meeting", metavar="SLUG", help="The meeting (default: the current meeting)."
        )
        parser.add_argument("--item", metavar="CODE", help='One item only, e.g. "2(c)".')
        parser.add_argument(
            "--area", metavar="SLUG", help="lap: one area of the Lausanne Action Plan only."
        )
        parser.add_argument("-o", "--output", metavar="FILE", help="Write to FILE.")

    def handle(self, *args, **options):
        name = options["resource"]
        encoding = options.get("encoding")
        if name in RESOURCES:
            format_name = FORMATS.get(options["format"].lower())
            if format_name is None:
                raise CommandError(
                    _("The format is csv or xlsx, not %(format)s.") % {"format": options["format"]}
                )
            dataset = RESOURCES[name](**self.record_options(name, options)).export()
        else:
            # Any resource by its dotted path, or a model by its name, as the library's command
            # does; neutralised here as well, whether or not the resource is one of ours.
            format_name = options["format"]
            dataset = inert_dataset(library.get_resource_class(name)().export())
        format_class = library.get_format_class(format_name, None, encoding)
        data = format_class.export_data(dataset)
        if not format_class.is_binary():
            data = data.encode(encoding or "utf-8")
        if options["output"]:
            Path(options["output"]).write_bytes(data)
            self.stdout.write(
                _("Wrote %(count)s rows to %(file)s.")
                % {"count": len(dataset), "file": options["output"]}
            )
            return None
        if format_class.is_binary() and self.stdout.isatty():
            raise CommandError(
                _("%(format)s is a binary format: write it to a file with -o FILE.")
                % {"format": options["format"].upper()}
            )
        self.stdout.buffer.write(data)
        return None

    def record_options(self, name: str, options) -> dict:
        meeting = self.meeting(options["meeting"])
        kwargs = {"meeting": meeting, "item": self.item(meeting, options["item"])}
        if name == "lap" and options["area"]:
            area = LapArea.objects.filter(slug=options["area"]).first()
            if area is None:
                slugs = ", ".join(LapArea.objects.values_list("slug", flat=True))
                raise CommandError(
                    _('"%(slug)s" is not an area of the Lausanne Action Plan (one of: %(slugs)s).')
                    % {"slug": options["area"], "slugs": slugs}
                )
            kwargs["area"] = area
        return kwargs

    def meeting(self, slug: str | None) -> Meeting:
        meeting = Meeting.objects.filter(slug=slug).first() if slug else Meeting.objects.current()
        if meeting is None:
            raise CommandError(
                _('"%(slug)s" is not a meeting.') % {"slug": slug}
                if slug
                else _("There is no current meeting: say which with --meeting SLUG.")
            )
        return meeting

    def item(self, meeting: Meeting, code: str | None) -> AgendaItem | None:
        if not code:
            return None
        outline = agenda_outline(meeting)
        found = next((item for item in outline if item.code == code.strip()), None)
        if found is None:
            raise CommandError(
                _('"%(code)s" is not an item of the meeting (one of: %(codes)s).')
                % {"code": code, "codes": ", ".join(item.code for item in outline)}
            )
        return found
