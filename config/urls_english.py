"""The URLconf of a page opened at `/en/…` (delegations.languages.PersonLanguageMiddleware):
the same addresses, the pages' English ones with `/en/`, so that the links of a shared
English page stay English whatever the reader's own language."""

from config.urls import english_urlpatterns as urlpatterns

__all__ = ["urlpatterns"]
