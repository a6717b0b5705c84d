"""Each person's language: in the address, chosen in the language menu, remembered for the
account.

- The pages' addresses carry their language (`/fr/meetings/…`), except English, the default:
  `/meetings/…` (`LanguagePrefix`, config/urls.py). A page at an address with a language is in
  that language, whoever opens it, so it can be shared. An English page can be shared too: at
  `/en/…` it is in English and its links keep `/en/` (`ENGLISH_ADDRESSES`).
- At an address without a language, the page is in the signed-in person's kept choice, else
  the language menu's cookie, else the browser's Accept-Language (the first guess), else
  English (`PersonLanguageMiddleware`). The admin, the JSON API, the live stream and the clock
  have no prefix and follow the same order.
- `set_language`: the language menu's view. Django's (a cookie), then the same page at its
  address in the chosen language, the query string kept; for a signed-in person the choice is
  kept with the account (`LanguageChoice`).
- `language_of(user)`: the language to write to a person in (invitations, reset links).
"""

from urllib.parse import unquote, urlsplit, urlunsplit

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.urls import LocalePrefixPattern, NoReverseMatch, Resolver404, resolve, reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language_from_path
from django.views.i18n import set_language as django_set_language

from .models import LanguageChoice

SESSION_KEY = "language"
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}
ENGLISH_ADDRESSES = "config.urls_english"
"""The URLconf of a request at `/en/…`: the same addresses, English ones with `/en/`."""


def language_of(user) -> str:
    choice = LanguageChoice.objects.filter(user=user).values_list("language", flat=True).first()
    return choice if choice in LANGUAGE_CODES else settings.LANGUAGE_CODE


class LanguagePrefix(LocalePrefixPattern):
    """The language at the start of a page's address (`fr/`), or none.

    Django's pattern only matches the active language's prefix, so an address without one
    would not be found once a person's French is active; this one also matches any address
    that does not start with a language, whatever the active language."""

    def match(self, path: str):
        prefix = self.language_prefix
        if prefix and path.startswith(prefix):
            return path.removeprefix(prefix), (), {}
        if get_language_from_path(f"/{path}") is None:
            return path, (), {}
        return None


def address_in(url: str, code: str, *, prefix_english: bool = False) -> str:
    """The same page at its address in language `code` (query string and fragment kept), or
    `url` as it is when it is not one of our pages. English has no prefix unless
    `prefix_english` (`/en/…`: English whoever opens it)."""
    parts = urlsplit(url)
    named = get_language_from_path(parts.path)
    urlconf = ENGLISH_ADDRESSES if named == settings.LANGUAGE_CODE else settings.ROOT_URLCONF
    try:
        with translation.override(named or code):
            match = resolve(unquote(parts.path), urlconf=urlconf)
        with translation.override(code):
            english = prefix_english and code == settings.LANGUAGE_CODE
            path = reverse(
                match.view_name,
                args=match.args,
                kwargs=match.kwargs,
                urlconf=ENGLISH_ADDRESSES if english else settings.ROOT_URLCONF,
            )
    except (Resolver404, NoReverseMatch):
        return url
    return urlunsplit(parts._replace(path=path))


def set_language(request):
    answer = django_set_language(request)
    code = request.POST.get("language")
    if request.method == "POST" and code in LANGUAGE_CODES:
        # Django's view has refused an unsafe or off-site `next` (the page itself, or "/").
        if answer.status_code == 302:
            answer["Location"] = address_in(answer["Location"], code)
        if request.user.is_authenticated:
            LanguageChoice.objects.update_or_create(user=request.user, defaults={"language": code})
            request.session[SESSION_KEY] = code
    return answer


@receiver(user_logged_in)
def _remember_on_sign_in(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    code = LanguageChoice.objects.filter(user=user).values_list("language", flat=True).first()
    if code in LANGUAGE_CODES:
        request.session[SESSION_KEY] = code


def chosen_language(request) -> str:
    """The language of a request whose address names none: the signed-in person's kept
    choice, the cookie, the browser's Accept-Language, English."""
    session = getattr(request, "session", None)
    code = session.get(SESSION_KEY) if session is not None else None
    if code in LANGUAGE_CODES:
        return code
    return translation.get_language_from_request(request)


class PersonLanguageMiddleware:
    """After `LocaleMiddleware` (which, the pages having language prefixes, takes English for
    every address without one): the language of such a request is `chosen_language`. A
    request at `/en/…` gets the URLconf whose English links keep `/en/`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        named = get_language_from_path(request.path_info)
        if named is None:
            code = chosen_language(request)
            translation.activate(code)
            request.LANGUAGE_CODE = code
        elif named == settings.LANGUAGE_CODE:
            request.urlconf = ENGLISH_ADDRESSES
        response = self.get_response(request)
        if named is None:
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response
