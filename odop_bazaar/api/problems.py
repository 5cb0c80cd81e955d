"""Errors as RFC 9457 problem details: `application/problem+json` with type, title, status,
detail and, for refused input, `errors` naming each field with the messages the forms show.

Every error under /api/ is answered this way, whichever layer raised it: routing (404, 405),
webargs' validation of the request (422), the token check (401, 403), a service's refusal
(DomainError) and the limiter (429). A 500 says nothing about its cause.
"""

from contextlib import contextmanager
from http import HTTPStatus

from flask import Response, current_app, json, request
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException

from odop_bazaar.services.errors import (
    AlreadyChanged,
    DomainError,
    FieldErrors,
    InvalidTransition,
)

API_PREFIX = "/api/"
MEDIA_TYPE = "application/problem+json"
# Where the problem types are described (the API's own documentation page).
TYPE_BASE = "/api/v1/docs#problem-"

DETAILS = {
    400: _l("The request could not be read. Check its JSON and parameters."),
    401: _l("Send a valid personal access token: Authorization: Bearer <token>."),
    403: _l("Your token or account may not do this."),
    404: _l("There is nothing at this address, or it is not yours to see."),
    405: _l("This address does not take that method."),
    409: _l("Someone else changed this first. Fetch it again and retry."),
    413: _l("The request is too large."),
    415: _l("Send the body as application/json (or multipart/form-data for photos)."),
    422: _l("Some answers need correcting."),
    429: _l("Too many requests. Wait a little and try again."),
    500: _l("Sorry, something went wrong on our side. Nothing was saved."),
}


class ProblemSchema(Schema):
    """RFC 9457 problem details, with `errors` for refused fields."""

    type = fields.String(required=True, metadata={"example": "about:blank"})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String()
    instance = fields.String()
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()),
                         metadata={"description": "Messages by field name"})


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX)


def problem(status: int, detail=None, *, kind: str | None = None, errors=None,
            headers=None) -> Response:
    """A problem-details response."""
    body = {
        "type": f"{TYPE_BASE}{kind}" if kind else "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": str(detail if detail is not None else DETAILS.get(status, "")),
        "instance": request.path,
    }
    if errors:
        body["errors"] = {name: [str(m) for m in messages] for name, messages in errors.items()}
    response = current_app.response_class(json.dumps(body, separators=(",", ":")), status=status,
                                          mimetype=MEDIA_TYPE)
    response.headers["Content-Language"] = str(request.accept_languages.best_match(
        current_app.config["LANGUAGES"]) or "en")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _flatten(messages, prefix: str = "") -> dict[str, list[str]]:
    """webargs' {"json": {"price": ["..."]}} or nested schemas as {"price": [...]}."""
    flat: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for name, value in messages.items():
            key = name if not prefix else f"{prefix}.{name}"
            if isinstance(value, dict):
                flat.update(_flatten(value, key))
            else:
                flat.setdefault(key, []).extend(str(m) for m in (
                    value if isinstance(value, list) else [value]))
    elif messages:
        flat[prefix or "_request"] = [str(messages)]
    return flat


def from_http_exception(error: HTTPException) -> Response:
    """A werkzeug/webargs error as a problem (webargs' 422 keeps its messages by field)."""
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    if status == 422 and "messages" in data:
        errors = {}
        for location_messages in data["messages"].values():  # json, query, form, files ...
            errors.update(_flatten(location_messages))
        return problem(422, kind="invalid-fields", errors=errors)
    headers = {}
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="odop-bazaar"'
    if status == 405 and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    detail = data.get("message") or (error.description if status == 429 or getattr(
        error, "problem_detail", False) else None)
    return problem(status, detail, headers=headers)


def from_domain_error(error: DomainError) -> Response:
    """A service's refusal: 422 with field messages, 409 when someone else acted first."""
    if isinstance(error, FieldErrors):
        return problem(422, kind="invalid-fields",
                       errors={name: [message] for name, message in error.errors.items()})
    if isinstance(error, AlreadyChanged):
        return problem(409, str(error), kind="changed-meanwhile")
    if isinstance(error, InvalidTransition):
        return problem(409, str(error), kind="not-allowed-now")
    return problem(422, str(error), kind="refused")


class ApiProblem(HTTPException):
    """Raised by API views for an answer that is not a service's refusal."""

    problem_detail = True

    def __init__(self, status: int, detail=None):
        self.code = status
        super().__init__(description=str(detail or DETAILS.get(status, "")))


@contextmanager
def fields_named(names: dict[str, str]):
    """A service's FieldErrors raised inside, under the names the API's body gives those
    fields where the forms call them otherwise (the API's `tracking_number` is `tracking`)."""
    try:
        yield
    except FieldErrors as error:
        raise FieldErrors({names.get(name, name): message
                           for name, message in error.errors.items()}) from error
