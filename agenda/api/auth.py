"""Who calls the API: the bearer token of a write, the reader of a read, and the API's own
refusals (an unknown object, no token), which have the same shape as a service's."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from agenda.models import ApiToken


class ApiError(Exception):
    """A refusal made by the API itself (unknown object, no token): same shape as a service's."""

    def __init__(self, status_code: int, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.message = message
        self.field = field


def unknown(message: str, field: str | None = None) -> ApiError:
    return ApiError(404, message, field=field)


# --- authentication --------------------------------------------------------------------------


def token_user(request: HttpRequest):
    """The user of the bearer token sent with the request; 401 when it is missing or bad."""
    header = request.headers.get("Authorization", "").strip()
    if not header:
        raise ApiError(
            401, _("This needs an API token: send the header “Authorization: Bearer <token>”.")
        )
    scheme, _space, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise ApiError(401, _("The Authorization header must read “Bearer <token>”."))
    user = ApiToken.user_for(token)
    if user is None:
        raise ApiError(
            401,
            _("This API token is not valid: it is unknown or revoked, or its account is inactive."),
        )
    return user


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`, and nothing else: a session cookie is not enough."""

    def __call__(self, request: HttpRequest):
        return token_user(request)

    def authenticate(self, request: HttpRequest, token: str):  # pragma: no cover - see __call__
        return ApiToken.user_for(token)


def reader(request: HttpRequest):
    """Who reads: the token's user when a token is sent, else the signed-in user (if any)."""
    if "Authorization" in request.headers:
        return token_user(request)
    return request.user
