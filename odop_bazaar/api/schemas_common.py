"""Schemas and fields that more than one part of the API reads or answers with: an id in the
database's range, text that PostgreSQL can store, a photo's size, an order line, the content
fields of a listing version. One definition each, so that the seller's, the staff's and the
buyer's views of the same thing cannot drift apart; each part extends them with what only it
shows (their OpenAPI names stay those of the extending schemas)."""

from urllib.parse import urljoin

from flask import request
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate

from odop_bazaar.hardening import MAX_ID
from odop_bazaar.services.catalogue.images import FORMATS
from odop_bazaar.templating import photo_url

ID_RANGE = validate.Range(1, MAX_ID)


def absolute_photo_url(photo, size: int, extension: str) -> str:
    """A photo file's full address (an app has no page to resolve a relative one against);
    already absolute when photos are served from a bucket or CDN (MEDIA_URL)."""
    return urljoin(request.host_url, photo_url(photo, size, extension))


def no_nul(value: str) -> None:
    """Refuse a NUL character: PostgreSQL cannot store it in text (the pages refuse it in
    hardening.py, the API's blueprints before any view; this names the field as well)."""
    if "\x00" in value:
        raise ValidationError(_l("Remove the NUL character (\\u0000) from this text."))


class PhotoSize(Schema):
    """One file of a photo: its size and format, and where to fetch it."""

    size = fields.Integer(required=True, metadata={"description": "Longer side, in pixels"})
    format = fields.String(required=True, metadata={"enum": [f[0] for f in FORMATS]})
    url = fields.String(required=True)


class OrderLineSchema(Schema):
    """A line of an order: what was bought, how many, and its amounts with GST."""

    listing_id = fields.Integer(required=True)
    title = fields.String(required=True)
    quantity = fields.Integer(required=True)
    unit_price_paise = fields.Integer(required=True, metadata={"description": "With GST"})
    gst_rate = fields.Integer(required=True, metadata={"description": "Per cent"})
    taxable_paise = fields.Integer(required=True)
    gst_paise = fields.Integer(required=True)
    total_paise = fields.Integer(required=True)


class ContentFields(Schema):
    """The fields of a listing version that every reader sees the same way (the product, the
    quantity and the photos each reader shows its own way)."""

    title = fields.String(required=True)
    description = fields.String(required=True)
    # The seller's Hindi, if written: staff approve it with the rest of the version.
    title_hi = fields.String(required=True, allow_none=True,
                             metadata={"description": "The title in Hindi, if written"})
    description_hi = fields.String(required=True, allow_none=True,
                                   metadata={"description": "The description in Hindi, if written"})
    unit = fields.String(required=True)
    hsn_code = fields.String(required=True, allow_none=True)
    gst_rate = fields.Integer(required=True)
    weight_grams = fields.Integer(required=True, allow_none=True)
    length_cm = fields.Integer(required=True, allow_none=True)
    width_cm = fields.Integer(required=True, allow_none=True)
    height_cm = fields.Integer(required=True, allow_none=True)
    country_of_origin = fields.String(required=True)
    prepackaged = fields.Boolean(required=True)
    manufacturer_name = fields.String(required=True, allow_none=True)
    manufacturer_address = fields.String(required=True, allow_none=True)
    manufactured_month = fields.String(required=True, allow_none=True)
    consumer_care = fields.String(required=True, allow_none=True)
