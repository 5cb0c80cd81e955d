"""Keyset paging: a page of items and an opaque cursor for the next, so a listing added or sold
while a phone pages through a list neither repeats nor skips rows (an offset would).

The cursor is the sort key of the last item, base64url-encoded JSON; the client sends it back
as `after`. It is not signed: a forged cursor only moves where the next page starts.
"""

import base64
import binascii
import json
from dataclasses import dataclass
from typing import NoReturn
from urllib.parse import urlencode

from flask import request
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from odop_bazaar.hardening import MAX_ID
from odop_bazaar.services.errors import FieldErrors

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


class PageArgs(Schema):
    """The query parameters of every list."""

    after = fields.String(load_default=None, validate=validate.Length(max=500),
                          metadata={"description": "The `next` cursor of the previous page"})
    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(1, MAX_LIMIT))


def page_schema(item_schema, name: str):
    """A schema for a page of `item_schema`: {"items": [...], "next": cursor or null}."""
    return type(name, (Schema,), {
        "items": fields.List(fields.Nested(item_schema), required=True),
        "next": fields.String(allow_none=True, required=True, metadata={
            "description": "Pass as `after` for the next page; null on the last page"}),
        "__doc__": f"A page of {item_schema.__name__.removesuffix('Schema')} items",
    })


def encode_cursor(values: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, separators=(",", ":")).encode()).decode()


def decode_cursor(cursor: str | None, length: int) -> list | None:
    """The sort key a cursor names, or None for the first page.

    Raises:
        FieldErrors: a cursor this API did not make (a 422 naming `after` in its `errors`).
    """
    if cursor is None:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode() + b"==="))
    except (ValueError, binascii.Error, UnicodeError):
        values = None
    if not isinstance(values, list) or len(values) != length or not all(
            isinstance(v, (int, str, float)) and not isinstance(v, bool) for v in values):
        refuse_cursor()
    return values


def refuse_cursor() -> NoReturn:
    """Refuse the request's `after`: a 422 naming it, whatever was wrong with it."""
    raise FieldErrors({"after": _l("This `after` cursor is not one we gave. Start again "
                                   "from the first page.")})


def id_cursor(cursor: str | None) -> int | None:
    """The row id a list sorted by id continues after, or None for the first page.

    Raises:
        FieldErrors: a cursor this API did not make, or an id beyond the database's integers.
    """
    values = decode_cursor(cursor, 1)
    if values is None:
        return None
    if not isinstance(values[0], int) or not 0 < values[0] <= MAX_ID:
        refuse_cursor()
    return values[0]


@dataclass(frozen=True)
class Page:
    items: list
    next: str | None

    def as_json(self) -> dict:
        return {"items": self.items, "next": self.next}


def page_of(rows: list, limit: int, sort_key) -> Page:
    """A page from `limit + 1` rows read in sort order; `sort_key(row)` is the cursor's list."""
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, encode_cursor(sort_key(rows[-1])) if more and rows else None)


def link_header(page: Page) -> dict:
    """RFC 8288 Link to the next page, for clients that follow links."""
    if page.next is None:
        return {}
    query = urlencode(request.args.to_dict() | {"after": page.next})
    return {"Link": f"<{request.base_url}?{query}>; rel=\"next\""}
