"""Each person's language: chosen in the language menu, remembered for the account.

- `set_language`: the language menu's view. Django's (a cookie, and the page again at an
  address that carries the language), and for a signed-in person the choice is kept with the
  account (`LanguageChoice`).
- On signing in, the account's language is put in the session; `PersonLanguageMiddleware`
  makes it the request's language where the address does not name one, before the browser's
  cookie and its Accept-Language (the first guess for everyone else).
- `language_of(user)`: the language to write to a person in (invitations, reset links).
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import get_language_from_path
from django.views.i18n import set_language as django_set_language

from .models import LanguageChoice

SESSION_KEY = "language"
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def language_of(user) -> str:
    choice = LanguageChoice.objects.filter(user=user).values_list("language", flat=True).first()
    return choice if choice in LANGUAGE_CODES else settings.LANGUAGE_CODE


def set_language(request):
    answer = django_set_language(request)
    code = request.POST.get("language")
    if request.method == "POST" and code in LANGUAGE_CODES and request.user.is_authenticated:
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


class PersonLanguageMiddleware:
    """After `LocaleMiddleware`: a signed-in person's chosen language, unless the address
    names one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        code = session.get(SESSION_KEY) if session is not None else None
        if code in LANGUAGE_CODES and not get_language_from_path(request.path_info):
            translation.activate(code)
            request.LANGUAGE_CODE = code
        return self.get_response(request)
