"""The addresses of the site.

The pages (agenda.web.urls, delegations.urls and the accounts) carry their language:
`/fr/meetings/…` is French for whoever opens it; English, the default, has no prefix
(`/meetings/…`), and an address without one is in the person's own language
(delegations.languages). `/en/…` is English too, with the URLconf of `config.urls_english`.
The admin, the JSON API, the live stream and the clock, the language menu's view and the
secretariat's documents are the same address in every language.
"""

from django.conf import settings
from django.contrib import admin
from django.urls import URLResolver, include, path

from agenda.api.endpoints import api
from delegations.languages import LanguagePrefix, set_language
from meetings.views import document_file

admin.site.site_header = "Intersessional"
admin.site.site_title = "Intersessional secretariat"
admin.site.index_title = "Secretariat"

LANGUAGE_NEUTRAL = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    # The live stream and the server's clock, under api/v1/: tried after the API's routes.
    path("", include("agenda.web.live_urls")),
    # The language menu posts here: the choice in a cookie, and kept with a signed-in account.
    path("i18n/setlang/", set_language, name="set_language"),
    # The secretariat's documents, in development and production alike, as downloads no browser
    # runs (attachment, nosniff, a sandboxing CSP). Statements are served by the application,
    # to whom may read them; nothing else under MEDIA_ROOT is served.
    path(
        f"{settings.MEDIA_URL.lstrip('/')}documents/<path:name>",
        document_file,
        name="document_file",
    ),
]


def pages(*, prefix_english: bool) -> URLResolver:
    """The pages, exports and calendar, under their language's prefix (`fr/`, none for
    English unless `prefix_english`), as `i18n_patterns` makes them."""
    return URLResolver(
        LanguagePrefix(prefix_default_language=prefix_english),
        [path("", include("agenda.web.urls")), path("", include("delegations.urls"))],
    )


urlpatterns = [*LANGUAGE_NEUTRAL, pages(prefix_english=False)]
english_urlpatterns = [*LANGUAGE_NEUTRAL, pages(prefix_english=True)]
