"""The JSON API's object, and its answers to what it refuses: every refusal is JSON in one
shape, `{"detail": <why, in plain words>, "field": <the field it concerns, or null>}`, whoever
refuses (a service: `FloorError` 400, `NotAllowed` 403; the API itself: an unknown object 404,
a bad token 401; ninja: a body that is not JSON 400, or does not fit the schema 422, a method
the address does not take 405; Django: a body over DATA_UPLOAD_MAX_MEMORY_SIZE 413)."""

import functools
import inspect

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from agenda.errors import FloorError

from .auth import ApiError
from .docs import EndpointList
from .schemas import NOT_TEXT


class Api(NinjaAPI):
    """The API, whose every answer is JSON: ninja's own 405 (a method an address does not
    take) is plain text, so each of its views answers that one in the API's shape."""

    def _get_urls(self):
        urls = super()._get_urls()
        for pattern in urls:
            if getattr(pattern, "callback", None) is not None:
                pattern.callback = _json_405(pattern.callback)
        return urls


def _json_405(view):
    """`view`, with its 405 answered in the API's shape (and its `Allow` kept)."""

    def in_json(request, response):
        if response.status_code != 405 or "json" in response.get("Content-Type", ""):
            return response
        allowed = response["Allow"]
        methods = ", ".join(sorted(method.strip() for method in allowed.split(",")))
        message = _("This address takes %(methods)s only.") % {"methods": methods}
        answer = error_answer(request, 405, message)
        answer["Allow"] = allowed
        return answer

    if inspect.iscoroutinefunction(view):

        @functools.wraps(view)  # keeps ninja's marks: csrf_exempt, the module, the name
        async def async_wrapper(request, *args, **kwargs):
            return in_json(request, await view(request, *args, **kwargs))

        return async_wrapper

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        return in_json(request, view(request, *args, **kwargs))

    return wrapper


api = Api(
    title="Intersessional API",
    version="1",
    description=(
        "The agenda and the lists of speakers of Convention on Cluster Munitions meetings. "
        "Reads are public; writes need an API token (Authorization: Bearer <token>)."
    ),
    urls_namespace="api-v1",
    docs=EndpointList(),
    docs_url="/docs",
)


def error_answer(request, status: int, message: str, field: str | None = None, **extra):
    return api.create_response(request, {"detail": message, "field": field, **extra}, status=status)


@api.exception_handler(ApiError)
def _apierror_answer(request, exc: ApiError):
    response = error_answer(request, exc.status_code, exc.message, exc.field)
    if exc.status_code == 401:
        response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(FloorError)
def _floorerror_answer(request, exc: FloorError):
    return error_answer(request, exc.status_code, exc.message, exc.field)


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    messages, fields = [], []
    for error in exc.errors:
        message, field = _validation_message(error)
        messages.append(message)
        fields.append(field)
    return error_answer(request, 422, " ".join(messages), fields[0] if fields else None)


def _validation_message(error: dict) -> tuple[str, str | None]:
    """One validation error in plain words, with the field it is about (None: the body)."""
    source, *path = [str(part) for part in error.get("loc", ())] or ["body"]
    if source == "body" and path:
        path = path[1:]  # the name of the endpoint's body parameter, not a field
    field = ".".join(path) or None
    kind = error.get("type", "")
    if field is None:
        if kind == "missing":
            return _("This request needs a JSON object as its body."), None
        return _("The request body must be a JSON object."), None
    if kind == "missing":
        return _("“%(field)s” is required.") % {"field": field}, field
    if kind == "extra_forbidden":
        return _("“%(field)s” is not a field of this request.") % {"field": field}, field
    if kind.startswith("int"):
        return _("“%(field)s” must be a whole number.") % {"field": field}, field
    limit = error.get("ctx", {}).get("max_length")
    if kind == "string_too_long":
        return _("“%(field)s” is too long (at most %(max)s characters).") % {
            "field": field,
            "max": limit,
        }, field
    if kind == "too_long":
        return _("“%(field)s” names too many (at most %(max)s).") % {
            "field": field,
            "max": limit,
        }, field
    if kind == "list_type":
        return _("“%(field)s” must be a list.") % {"field": field}, field
    # A lone surrogate: caught by our check (NOT_TEXT), or by pydantic's own where a string
    # has a length limit ("string_unicode").
    if kind in (NOT_TEXT, "string_unicode"):
        return _(
            "“%(field)s” holds characters that are not text (a NUL character or an unpaired "
            "surrogate)."
        ) % {"field": field}, field
    if kind.startswith("string"):
        return _("“%(field)s” must be text.") % {"field": field}, field
    return _("“%(field)s”: %(problem)s.") % {"field": field, "problem": error.get("msg")}, field


@api.exception_handler(HttpError)
def _httperror_answer(request, exc: HttpError):
    if isinstance(exc.__cause__, ValueError):  # the body is not JSON (ninja says 400)
        message = _("The request body is not valid JSON: %(error)s.") % {"error": exc.__cause__}
        return error_answer(request, 400, message)
    return error_answer(request, exc.status_code, str(exc))


@api.exception_handler(RequestDataTooBig)
def _too_big(request, exc: RequestDataTooBig):
    message = _("The request body is too large: at most %(limit)s.") % {
        "limit": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    }
    return error_answer(request, 413, message)


@api.exception_handler(Http404)
def _http_404(request, exc: Http404):
    return error_answer(request, 404, _("Not found."))
