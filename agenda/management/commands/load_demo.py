from django.core.management.base import BaseCommand, CommandError

from agenda.demo.load import DemoLoadError, demo_load
from delegations.models import ParticipantCategory


class Command(BaseCommand):
    help = (
        "Load the demo meeting (CCM Intersessional Meeting 2025): sittings, agenda, documents, "
        "delegations and demo accounts. Safe to run again: it updates rows in place."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help=(
                "Give every demo account this password. Without it, new accounts get an "
                "unusable password and existing passwords are left alone."
            ),
        )

    def handle(self, *args, password=None, **options):
        try:
            summary = demo_load(password=password)
        except DemoLoadError as error:
            raise CommandError(str(error)) from error

        meeting = summary.meeting
        self.stdout.write(self.style.SUCCESS(f"Loaded {meeting} ({meeting.slug})."))
        self.stdout.write(
            f"  {summary.sittings} sittings, {summary.items} agenda items, "
            f"{summary.documents} documents"
        )
        total = sum(summary.delegations.values())
        self.stdout.write(f"  {total} delegations:")
        for category in ParticipantCategory.table():
            if category.code in summary.delegations:
                count = summary.delegations[category.code]
                self.stdout.write(f"    {count:>4}  {category.label}")
        passwords = (
            "all with the given password"
            if summary.password_set
            else "passwords unchanged; new accounts cannot sign in until given one"
        )
        self.stdout.write(f"  accounts ({passwords}): {', '.join(summary.accounts)}")
