from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from agenda.api.endpoints import api
from delegations.languages import set_language
from meetings.views import document_file

admin.site.site_header = "Intersessional"
admin.site.site_title = "Intersessional secretariat"
admin.site.index_title = "Secretariat"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    # The language menu posts here: the choice in a cookie, and kept with a signed-in account.
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("agenda.web.urls")),
    path("", include("delegations.urls")),
    # The secretariat's documents, in development and production alike, as downloads no browser
    # runs (attachment, nosniff, a sandboxing CSP). Statements are served by the application,
    # to whom may read them; nothing else under MEDIA_ROOT is served.
    path(
        f"{settings.MEDIA_URL.lstrip('/')}documents/<path:name>",
        document_file,
        name="document_file",
    ),
]
