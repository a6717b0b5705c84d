"""The six official languages of the United Nations, in which statements are delivered and
meetings interpreted: one list for every field that names one."""

from django.utils.translation import gettext_lazy as _

UN_LANGUAGES = [
    ("ar", _("Arabic")),
    ("zh", _("Chinese")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
]
