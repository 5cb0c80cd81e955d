"""Request-level guards that keep bad input a clear 4xx, never a 500."""

from flask import Flask, abort, current_app, request
from werkzeug.routing import IntegerConverter

# PostgreSQL integers stop here; a longer number in a URL is simply a page that does not exist.
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<id:name>`: a positive integer that fits the database's integer columns."""

    def __init__(self, url_map):
        super().__init__(url_map, min=0, max=MAX_ID)


def _limit_bodies_without_files():
    # Only uploads need MAX_CONTENT_LENGTH. Werkzeug holds multipart text parts to
    # MAX_FORM_MEMORY_SIZE but reads a urlencoded (or JSON) body whole and splits it into
    # fields, at a cost that grows with its size: 10 MB of tiny fields took 3.4 s of CPU.
    if request.mimetype != "multipart/form-data":
        limits = (current_app.config.get("MAX_CONTENT_LENGTH"),
                  current_app.config["MAX_FORM_BODY_LENGTH"])
        request.max_content_length = min(limit for limit in limits if limit)


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
    app.before_request(_limit_bodies_without_files)  # before anything reads the form
    app.before_request(_refuse_nul_bytes)
