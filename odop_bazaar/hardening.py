"""Request-level guards that keep bad input a clear 4xx, never a 500."""

import codecs
from urllib.parse import parse_qsl

from flask import Flask, Request, abort, current_app, request
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge
from werkzeug.formparser import FormDataParser, MultiPartParser
from werkzeug.routing import IntegerConverter

# PostgreSQL integers stop here; a longer number in a URL is simply a page that does not exist.
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<id:name>`: a positive integer that fits the database's integer columns."""

    def __init__(self, url_map):
        super().__init__(url_map, min=0, max=MAX_ID)


class UnreadableText(BadRequest):
    """A form sent text that is not UTF-8, so what the person typed cannot be known."""


# Werkzeug reads a form's text leniently, each way differently: a body that is not UTF-8 at
# all is dropped whole (so the CSRF token is "missing" and the page said the form had
# expired), %FF comes through as the three characters "%FF" and is stored, and a multipart
# field gets U+FFFD in place of what was typed. Our pages are UTF-8 and browsers send UTF-8,
# so text that is not is refused, with a page that says so, before anything reads it.
_STRICT_UTF_8 = "odop_strict_utf_8"


def _strict_utf_8(name: str) -> codecs.CodecInfo | None:
    # The multipart parser decodes each field with errors="replace" and takes only the
    # encoding's name from us: this codec ignores the errors it is asked for.
    if name != _STRICT_UTF_8:
        return None
    return codecs.CodecInfo(codecs.utf_8_encode,
                            lambda data, errors="strict": codecs.utf_8_decode(data, "strict", True),
                            name=_STRICT_UTF_8)


codecs.register(_strict_utf_8)


class _StrictMultiPartParser(MultiPartParser):
    def get_part_charset(self, headers) -> str:
        charset = super().get_part_charset(headers)
        return _STRICT_UTF_8 if charset == "utf-8" else charset


class StrictFormDataParser(FormDataParser):
    """Form data as Werkzeug parses it, but text that is not UTF-8 is an UnreadableText."""

    def _parse_urlencoded(self, stream, mimetype, content_length, options):
        if (self.max_form_memory_size is not None and content_length is not None
                and content_length > self.max_form_memory_size):
            raise RequestEntityTooLarge()  # as Werkzeug's own parser does
        try:
            items = parse_qsl(stream.read().decode(), keep_blank_values=True, errors="strict")
        except UnicodeDecodeError:
            raise UnreadableText() from None
        return stream, self.cls(items), self.cls()

    def _parse_multipart(self, stream, mimetype, content_length, options):
        boundary = options.get("boundary", "").encode("ascii")
        if not boundary:
            raise ValueError("Missing boundary")
        parser = _StrictMultiPartParser(
            stream_factory=self.stream_factory, max_form_memory_size=self.max_form_memory_size,
            max_form_parts=self.max_form_parts, cls=self.cls)
        try:
            form, files = parser.parse(stream, boundary, content_length)
        except UnicodeDecodeError:  # a field, or a part's headers (a file name)
            raise UnreadableText() from None
        return stream, form, files


class StrictRequest(Request):
    form_data_parser_class = StrictFormDataParser


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
    app.request_class = StrictRequest
    app.before_request(_limit_bodies_without_files)  # before anything reads the form
    app.before_request(_refuse_nul_bytes)
