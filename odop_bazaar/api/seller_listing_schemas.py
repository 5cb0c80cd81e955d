"""What the sellers' listing endpoints read and answer (api/seller_listings.py).

Inputs carry the answers the listing forms carry, in JSON types: amounts in whole paise
(`price_paise`, `mrp_paise`), counts as integers, the net quantity as text like "1.5" (as
typed on the form). Shape only: every rule, with its message, is the service's
(services/catalogue/checks.py), so most fields are optional here and a missing answer gets the
message the page would show.
"""

from marshmallow import Schema, fields, validate

from odop_bazaar.api.schemas_common import (
    ContentFields,
    PhotoSize,
    absolute_photo_url,
    no_nul,
)
from odop_bazaar.models.catalogue import GST_RATES, ListingStatus, PhotoStatus, Unit
from odop_bazaar.money import quantity_text
from odop_bazaar.services.catalogue.checks import submission_problems
from odop_bazaar.services.catalogue.images import FORMATS, SIZES


def Text(**options) -> fields.String:  # noqa: N802 (a field, named like one)
    """A text answer: may be null (a blank answer), never carries a NUL character."""
    return fields.String(allow_none=True, validate=no_nul, **options)


def Count(**options) -> fields.Integer:  # noqa: N802
    """A whole number, strictly: 1.5 and "3" are refused."""
    return fields.Integer(strict=True, **options)


class ContentInput(Schema):
    """The content answers: reviewed by staff before buyers see a change to a live listing."""

    odop_product_id = Count(allow_none=True, metadata={
        "description": "One of the ODOP products the seller registered for"})
    title = Text(metadata={"description": "Up to 120 characters"})
    description = Text(metadata={"description": "Up to 5000 characters"})
    title_hi = Text(metadata={
        "description": "The title in Hindi, up to 120 characters (optional: buyers reading "
                       "Hindi see it, else the English one); null or \"\" clears it"})
    description_hi = Text(metadata={
        "description": "The description in Hindi, up to 5000 characters (optional); null or "
                       "\"\" clears it"})
    unit = Text(metadata={"enum": [u.value for u in Unit], "description": "Unit of sale"})
    net_quantity = Text(metadata={"example": "1.5", "description": "In units, like 1, 500 or 1.5"})
    hsn_code = Text(metadata={"example": "5007", "description": "4, 6 or 8 digits"})
    gst_rate = Count(allow_none=True, metadata={"enum": list(GST_RATES)})
    weight_grams = Count(allow_none=True, metadata={"description": "Packed weight, 1 to 100000"})
    length_cm = Count(allow_none=True)
    width_cm = Count(allow_none=True)
    height_cm = Count(allow_none=True)
    country_of_origin = Text(metadata={"description": "Blank means India"})
    prepackaged = fields.Boolean(allow_none=True)
    manufacturer_name = Text()
    manufacturer_address = Text()
    manufactured_month = Text(metadata={"example": "2026-10"})
    consumer_care = Text()


class PriceInput(Schema):
    """Price, MRP, stock and availability: buyers see a change at once."""

    price_paise = Count(allow_none=True, metadata={"description": "Price with GST, in paise"})
    mrp_paise = Count(allow_none=True, metadata={"description": "MRP in paise"})
    stock = Count(allow_none=True)
    made_to_order = fields.Boolean(allow_none=True)
    lead_time_days = Count(allow_none=True, metadata={
        "description": "Days needed to make it, 1 to 180 (made to order)"})


class NewListingInput(ContentInput, PriceInput):
    """A new listing: its content and its price and stock."""


class ListingChanges(ContentInput, PriceInput):
    """Any answers to change; those left out keep their values."""

    stock_seen = Count(allow_none=True, metadata={
        "description": "The stock your app last showed: a stock change is refused if a sale "
                       "changed it since, instead of undoing the sale"})


def content_and_prices(answers: dict) -> tuple[dict, dict]:
    """A new listing's answers, split as the service takes them (amounts named in paise even
    when left out, so a missing one is refused under its own name)."""
    content = {name: answers[name] for name in ContentInput().fields if name in answers}
    return content, {"price_paise": None, "mrp_paise": None} | {
        name: value for name, value in answers.items() if name not in content}


class ListingArgs(Schema):
    """The filter of the seller's listing list."""

    status = fields.String(load_default=None,
                           validate=validate.OneOf([s.value for s in ListingStatus]))


# --- Answers --------------------------------------------------------------------------------

class ListingPhotoSchema(Schema):
    id = fields.Integer(required=True)
    position = fields.Integer(required=True, metadata={"description": "0 is the cover"})
    status = fields.String(required=True, metadata={"enum": [s.value for s in PhotoStatus]})
    failure = fields.String(required=True, allow_none=True,
                            metadata={"description": "Why it failed, as a code"})
    reason = fields.String(required=True, allow_none=True,
                           metadata={"description": "Why it failed, in words"})
    width = fields.Integer(required=True)
    height = fields.Integer(required=True)
    sizes = fields.List(fields.Nested(PhotoSize), required=True,
                        metadata={"description": "Every size, once the photo is ready"})


class PhotosSchema(Schema):
    photos = fields.List(fields.Nested(ListingPhotoSchema), required=True)


class ListingContentSchema(ContentFields):
    """One version of a listing's content."""

    odop_product_id = fields.Integer(required=True)
    odop_product = fields.String(required=True)
    net_quantity = fields.String(required=True)
    photos = fields.List(fields.Nested(ListingPhotoSchema), required=True)


class ListingSummarySchema(Schema):
    id = fields.Integer(required=True)
    status = fields.String(required=True, metadata={"enum": [s.value for s in ListingStatus]})
    title = fields.String(required=True, metadata={"description": "Of the seller's version"})
    price_paise = fields.Integer(required=True)
    mrp_paise = fields.Integer(required=True)
    stock = fields.Integer(required=True)
    made_to_order = fields.Boolean(required=True)
    has_unreviewed_changes = fields.Boolean(required=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class ListingSchema(ListingSummarySchema):
    """A listing as its seller sees it: the version they edit and the one buyers see."""

    status_label = fields.String(required=True)
    lead_time_days = fields.Integer(required=True, allow_none=True)
    working = fields.Nested(ListingContentSchema, required=True,
                            metadata={"description": "The seller's version"})
    live = fields.Nested(ListingContentSchema, required=True, allow_none=True,
                         metadata={"description": "The approved version buyers see"})
    content_editable = fields.Boolean(required=True)
    can_submit = fields.Boolean(required=True)
    can_unpublish = fields.Boolean(required=True)
    can_republish = fields.Boolean(required=True)
    submission_problems = fields.List(fields.String(), required=True, metadata={
        "description": "What to do before it can be submitted"})
    review_reasons = fields.List(fields.String(), required=True)
    review_note = fields.String(required=True, allow_none=True)
    submitted_at = fields.DateTime(required=True, allow_none=True)
    approved_at = fields.DateTime(required=True, allow_none=True)


def photo_json(photo) -> dict:
    failure = photo.failure_enum
    return {
        "id": photo.id, "position": photo.position, "status": photo.status,
        "failure": photo.failure, "reason": str(failure.label) if failure else None,
        "width": photo.width, "height": photo.height,
        "sizes": [{"size": size, "format": extension, "url": absolute_photo_url(photo, size, extension)}
                  for size in SIZES for extension, _, _ in FORMATS] if photo.is_ready else [],
    }


def content_json(content) -> dict | None:
    if content is None:
        return None
    names = ListingContentSchema().fields.keys() - {"odop_product", "net_quantity", "photos"}
    return {**{name: getattr(content, name) for name in names},
            "odop_product": content.odop_product.name,
            "net_quantity": quantity_text(content.net_quantity_milli),
            "photos": [photo_json(photo) for photo in content.photos]}


def summary_json(listing) -> dict:
    names = ListingSummarySchema().fields.keys() - {"title"}
    return {**{name: getattr(listing, name) for name in names},
            "title": listing.working_content.title}


def listing_json(listing) -> dict:
    staff_said = listing.has_staff_feedback
    return {
        **summary_json(listing), "status_label": str(listing.status_enum.label),
        "lead_time_days": listing.lead_time_days,
        "working": content_json(listing.working_content),
        "live": content_json(listing.live_content),
        "content_editable": listing.content_editable, "can_submit": listing.can_submit,
        "can_unpublish": listing.can_unpublish, "can_republish": listing.can_republish,
        "submission_problems": [str(problem) for problem in submission_problems(listing)],
        "review_reasons": [code.value for code in listing.reason_codes] if staff_said else [],
        "review_note": listing.review_note if staff_said else None,
        "submitted_at": listing.submitted_at, "approved_at": listing.approved_at,
    }


# --- The onboarding checklist ---------------------------------------------------------------

class ChecklistSection(Schema):
    key = fields.String(required=True)
    title = fields.String(required=True)
    summary = fields.String(required=True)
    status = fields.String(required=True, metadata={
        "enum": ["not_started", "in_progress", "submitted", "verified", "needs_changes"]})
    status_label = fields.String(required=True)
    required = fields.Boolean(required=True)
    complete = fields.Boolean(required=True)
    note = fields.String(required=True, allow_none=True,
                         metadata={"description": "What staff asked to change"})


class DueSchema(Schema):
    section = fields.String(required=True)
    message = fields.String(required=True)


class SellerProductSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    sector = fields.String(required=True)


class ChecklistSchema(Schema):
    """Where the seller's application stands, section by section."""

    seller_status = fields.String(required=True)
    seller_status_label = fields.String(required=True)
    can_publish = fields.Boolean(required=True, metadata={
        "description": "Approved: listings can be created and submitted"})
    can_edit_application = fields.Boolean(required=True)
    required_count = fields.Integer(required=True)
    done_count = fields.Integer(required=True)
    percent = fields.Integer(required=True)
    sections = fields.List(fields.Nested(ChecklistSection), required=True)
    due = fields.List(fields.Nested(DueSchema), required=True,
                      metadata={"description": "What is still to do before submitting"})
    decision_note = fields.String(required=True, allow_none=True,
                                  metadata={"description": "Staff's note on their decision"})
    products = fields.List(fields.Nested(SellerProductSchema), required=True, metadata={
        "description": "The ODOP products the seller registered for: a listing's "
                       "`odop_product_id` is one of these"})


def checklist_json(seller, checklist, decision_note) -> dict:
    return {
        "seller_status": seller.status, "seller_status_label": str(seller.status_enum.label),
        "can_publish": seller.can_publish, "can_edit_application": seller.can_edit_application,
        "required_count": checklist.required_count, "done_count": checklist.done_count,
        "percent": checklist.percent,
        "sections": [{"key": item.spec.key.value, "title": str(item.spec.title),
                      "summary": str(item.spec.summary), "status": item.status.value,
                      "status_label": str(item.status.label), "required": item.required,
                      "complete": item.complete, "note": item.note}
                     for item in checklist.items],
        "due": [{"section": item.key.value, "message": str(item.message)}
                for item in checklist.due],
        "decision_note": decision_note if seller.shows_decision_note else None,
        "products": [{"id": product.id, "name": product.name, "sector": product.sector}
                     for product in seller.products],
    }
