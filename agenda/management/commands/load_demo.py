from django.core.management.base import BaseCommand, CommandError

from agenda.demo.load import DemoLoadError, demo_load
from delegations.models import ParticipantCategory


class Command(BaseCommand):
    help = (
        "Load the demo meeting (CCM Intersessional Meeting 2025): sittings, agenda, documents, "
        "delegations, groups, speakers without a delegation and demo accounts. Safe to run "
        "again: it creates what is missing and leaves what exists as it is (edits, deactivated "
        "accounts, passwords)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help=(
                "Give the demo accounts created now this password (without it they get an "
                "unusable one). Accounts that exist keep theirs."
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
        self.stdout.write(
            f"  {summary.groups} groups, {summary.guests} speakers without a delegation"
        )
        total = sum(summary.delegations.values())
        self.stdout.write(f"  {total} delegations:")
        for category in ParticipantCategory.table():
            if category.code in summary.delegations:
                count = summary.delegations[category.code]
                self.stdout.write(f"    {count:>4}  {category.label}")
        if summary.accounts_created:
            password = (
                "with the given password"
                if summary.password_set
                else "without a password: they cannot sign in until given one"
            )
            created = ", ".join(summary.accounts_created)
            self.stdout.write(f"  accounts created ({password}): {created}")
        if summary.accounts_kept:
            kept = ", ".join(summary.accounts_kept)
            self.stdout.write(f"  accounts kept as they are (password, active or not): {kept}")
