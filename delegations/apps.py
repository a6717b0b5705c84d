from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DelegationsConfig(AppConfig):
    name = "delegations"
    verbose_name = _("Delegations")

    def ready(self) -> None:
        from .categories import seed_shipped  # noqa: PLC0415 (the app registry is ready now)

        post_migrate.connect(seed_shipped, sender=self)
        from . import languages  # noqa: F401, PLC0415 (connects the sign-in signal)
