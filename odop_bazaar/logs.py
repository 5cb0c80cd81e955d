"""Logs: one JSON object a line on stderr, each record of a request carrying its request id.

The request id is the caller's `X-Request-ID` when it is a sane token (at most 64 of
A-Z a-z 0-9 . _ -; anything else could forge or break log lines) or a fresh uuid4; it is on
every record logged during the request and in the answer's `X-Request-ID`, which gunicorn's
access log prints (gunicorn.conf.py), so an access line and the app's own lines join up.
LOG_LEVEL (INFO by default) sets the level. Request bodies, tokens and passwords are never
logged: nothing here logs a request, and the access log has the path without the query string.
"""

import contextvars
import logging
import re
import sys
import uuid

from flask import Flask, has_request_context, request
from pythonjsonlogger.json import JsonFormatter

ENVIRON_REQUEST_ID = "odop.request_id"
REQUEST_ID_HEADER = "X-Request-ID"
_SANE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# A path segment this long is a token (/reset-password/<token>, /verify-email/<token>): a log
# line saying which page failed (Flask's "Exception on /path", errors.py) must not carry it.
TOKEN_SEGMENT = re.compile(r"/[^/\s]{32,}")


def without_tokens(text: str) -> str:
    """The text with every path segment long enough to be a token replaced by /[token]."""
    return TOKEN_SEGMENT.sub("/[token]", text)
_current_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id",
                                                                         default=None)


def request_id_from(value: str | None) -> str:
    """The caller's id when it is a sane token, else a new one."""
    if value and _SANE_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    """The id of the request being answered, if any."""
    if has_request_context():
        return request.environ.get(ENVIRON_REQUEST_ID)
    return _current_id.get()


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on each record (None outside a request); cuts tokens."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        message = record.getMessage()
        if TOKEN_SEGMENT.search(message):
            record.msg, record.args = without_tokens(message), None
        return True


class RequestId:
    """WSGI middleware: takes or makes the request id and returns it in the answer."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        request_id = request_id_from(environ.get("HTTP_X_REQUEST_ID"))
        environ[ENVIRON_REQUEST_ID] = request_id

        def start_with_id(status, headers, exc_info=None):
            headers = [(name, value) for name, value in headers
                       if name.lower() != "x-request-id"]
            headers.append((REQUEST_ID_HEADER, request_id))
            return start_response(status, headers, exc_info)

        token = _current_id.set(request_id)
        try:
            return self.wsgi_app(environ, start_with_id)
        finally:
            _current_id.reset(token)


class _StderrHandler(logging.StreamHandler):
    # Whatever sys.stderr is when a record is written (a test's capture, gunicorn's), not the
    # one there was when logging was set up.
    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value):
        pass


def configure_logging(level: str) -> None:
    """JSON lines on stderr from the root logger, at `level`; replaces an earlier set-up of ours."""
    handler = _StderrHandler()
    handler.odop_json = True
    handler.setFormatter(JsonFormatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        datefmt="%Y-%m-%dT%H:%M:%S%z"))
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "odop_json", False)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)


def init_app(app: Flask) -> None:
    """Set up JSON logging at LOG_LEVEL, and the request id on every request and answer."""
    configure_logging(app.config["LOG_LEVEL"])
    app.wsgi_app = RequestId(app.wsgi_app)
