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
"""

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
