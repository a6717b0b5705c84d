from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from agenda.models import ApiToken


class Command(BaseCommand):
    help = (
        "Issue an API token for a user and print it once: only its digest is stored, so it "
        "cannot be shown again. The token acts with the user's rights (docs/api.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="The account the token acts for.")
        parser.add_argument("--name", default="", help="What the token is for, e.g. 'room screen'.")

    def handle(self, *args, username, name, **options):
        user_model = get_user_model()
        user = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).first()
        if user is None:
            raise CommandError(f"There is no user “{username}”.")
        if not user.is_active:
            raise CommandError(
                f"The account “{username}” is inactive: a token for it would be refused."
            )
        name = name.strip()
        max_length = ApiToken._meta.get_field("name").max_length
        if len(name) > max_length:
            raise CommandError(f"The name is too long (at most {max_length} characters).")
        _row, token = ApiToken.issue(user, name=name)
        # The token alone on stdout, so that scripts can capture it; the notice on stderr.
        self.stdout.write(token)
        self.stderr.write(
            f"API token issued for {username}"
            + (f" ({name})" if name else "")
            + ". Keep it now: it is not stored and cannot be shown again."
        )
