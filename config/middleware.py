"""What is not text never ends in a 500.

A NUL character (`%00` in an address, a query string or a form) cannot be stored in
PostgreSQL, nor compared with anything there: a lookup made with it fails (`DataError`). An
unpaired surrogate cannot be encoded at all (`UnicodeEncodeError`). Where such text enters, the
code that reads it refuses it with the reason, next to its field: the JSON API's schemas (422),
the services (`agenda.speakers.checks`), Django's form fields, the record's search; an address
that holds it names nothing (404). This middleware is the net under them:

- a cookie that is not text is ignored (a session cookie holding a NUL is no session);
- a request carrying what is not text in its address, query string or form, whose view then
  failed because the database could not take it, is answered 400 with the reason, in the JSON
  API's shape under `/api/` and as plain text elsewhere, instead of a 500.

Below it, Django's sessions, CSRF protection, signed-in user and messages, skipped on a call of
the JSON API with a bearer token, which is authorised by its token alone (`token_call`).
"""

from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import DataError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from agenda.speakers.checks import storable

API_PREFIX = "/api/"


def readable(request: HttpRequest) -> bool:
    """Whether the address, the query string and the form of the request are all text."""
    texts = [request.path]
    for data in (request.GET, request.POST) if request.method == "POST" else (request.GET,):
        for key, values in data.lists():
            texts.append(key)
            texts.extend(value for value in values if isinstance(value, str))
    return all(storable(text) for text in texts)


class NotTextIsNoError:
    """Ignores cookies that are not text; answers 400, not 500, to a request whose text could
    not be stored or compared."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for name, value in list(request.COOKIES.items()):
            if not (storable(name) and storable(value)):
                del request.COOKIES[name]
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not isinstance(exception, DataError | UnicodeEncodeError) or readable(request):
            return None
        message = _(
            "The request holds characters that are not text (a NUL character or an unpaired "
            "surrogate)."
        )
        if request.path.startswith(API_PREFIX):
            return JsonResponse(
                {"detail": message, "field": None},
                status=400,
                content_type="application/json; charset=utf-8",
            )
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


# --- what a call of the JSON API with a bearer token does not need ----------------------------


def token_call(request: HttpRequest) -> bool:
    """A call of the JSON API that carries a bearer token: it is authorised by the token
    alone (agenda.api.auth), never by a session, so it needs no session, no CSRF token and no
    messages (docs/performance.md, "Requests for the floor at the speed of the stack")."""
    return request.path.startswith(API_PREFIX) and request.headers.get(
        "Authorization", ""
    ).lower().startswith("bearer ")


class NotForTokenCalls:
    """A middleware's work (`process_request`, `process_response`), skipped on a token call."""

    def process_request(self, request):
        if token_call(request):
            request.token_call = True
            return None
        return super().process_request(request)

    def process_response(self, request, response):
        if getattr(request, "token_call", False):
            return response
        return super().process_response(request, response)


class Sessions(NotForTokenCalls, SessionMiddleware):
    """Django's sessions, but for a token call."""


class Authentication(AuthenticationMiddleware):
    """Django's signed-in user; on a token call, no one: the token says who calls."""

    def process_request(self, request):
        if getattr(request, "token_call", False):
            request.user = AnonymousUser()
            return None
        return super().process_request(request)


class Messages(NotForTokenCalls, MessageMiddleware):
    """Django's messages, but for a token call."""
