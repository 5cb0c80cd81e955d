"""Request-level guards that keep bad input a clear 4xx, never a 500."""

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter

# PostgreSQL integers stop here; a longer number in a URL is simply a page that does not exist.
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<id:name>`: a positive integer that fits the database's integer columns."""

    def __init__(self, url_map):
        super().__init__(url_map, min=0, max=MAX_ID)


def _refuse_nul_bytes():
    # A NUL byte cannot be stored in PostgreSQL text and has no place in any field.
    for values in (request.args, request.form):
        for value in values.values():
            if "\x00" in value:
                abort(400)
    if "\x00" in request.path:
        abort(400)


def init_app(app: Flask) -> None:
    app.url_map.converters["id"] = IdConverter
    app.before_request(_refuse_nul_bytes)
