"""What the staff review endpoints read and answer (api/staff_review.py): the queues' filters,
a seller's application by section, a listing's working and live versions, and the decisions."""

from flask import url_for
from marshmallow import Schema, fields, pre_dump, validate

from odop_bazaar.api.extras import With
from odop_bazaar.api.paging import PageArgs, page_schema
from odop_bazaar.api.schemas_common import ID_RANGE, ContentFields, absolute_photo_url, no_nul
from odop_bazaar.models.catalogue import ReasonCode
from odop_bazaar.models.reference import SECTORS
from odop_bazaar.models.sellers import SellerType
from odop_bazaar.services import sellers as seller_service
from odop_bazaar.services.catalogue import images
from odop_bazaar.services.catalogue import queries as listing_queries

NOTE_LENGTH = 2000  # as the staff pages' forms


def Note(**kwargs) -> fields.String:  # noqa: N802 (a field, named like one)
    """Free text staff write to a seller: at most NOTE_LENGTH characters."""
    return fields.String(load_default="", validate=[validate.Length(max=NOTE_LENGTH), no_nul],
                         **kwargs)


# --- The queues' filters, as the staff pages' filter forms -------------------------------------

class SellerQueueArgs(PageArgs):
    status = fields.String(load_default=seller_service.WAITING,
                           validate=validate.OneOf(list(seller_service.SELLER_LISTS)),
                           metadata={"description": "`waiting` (the review queue) by default"})
    state = fields.Integer(load_default=None, validate=ID_RANGE, metadata={"description": "LGD code"})
    district = fields.Integer(load_default=None, validate=ID_RANGE)
    seller_type = fields.String(load_default=None,
                                validate=validate.OneOf([t.value for t in SellerType]))
    sector = fields.String(load_default=None, validate=validate.OneOf([s.value for s in SECTORS]))


class ListingQueueArgs(PageArgs):
    status = fields.String(load_default=listing_queries.WAITING,
                           validate=validate.OneOf(list(listing_queries.LISTING_LISTS)),
                           metadata={"description": "`waiting` (the review queue) by default"})
    state = fields.Integer(load_default=None, validate=ID_RANGE, metadata={"description": "LGD code"})
    district = fields.Integer(load_default=None, validate=ID_RANGE)
    sector = fields.String(load_default=None, validate=validate.OneOf([s.value for s in SECTORS]))
    seller = fields.Integer(load_default=None, validate=ID_RANGE, metadata={"description": "Seller id"})


# --- Sellers ------------------------------------------------------------------------------------

class ProductSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    district_lgd_code = fields.Integer(required=True)
    sector = fields.String(required=True)


class SellerRowSchema(Schema):
    id = fields.Integer(required=True)
    status = fields.String(required=True, metadata={"example": "submitted"})
    status_label = fields.String(required=True, attribute="status_enum.label")
    legal_name = fields.String(allow_none=True, required=True)
    account_name = fields.String(required=True, attribute="user.full_name")
    seller_type = fields.String(allow_none=True, required=True)
    state_lgd_code = fields.Integer(allow_none=True, required=True)
    district_lgd_code = fields.Integer(allow_none=True, required=True)
    district_name = fields.Function(lambda s: s.district.name if s.district else None,
                                    allow_none=True, required=True)
    products = fields.Pluck(ProductSchema, "name", many=True, required=True)
    submitted_at = fields.DateTime(allow_none=True, required=True)


class DocumentSchema(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    label = fields.String(required=True, attribute="kind_enum.label")
    content_type = fields.String(required=True)
    url = fields.String(required=True, metadata={
        "description": "The file, on the website (signed in as staff)"})

    @pre_dump
    def _beside(self, document, **kwargs):
        return With(document, url=url_for("onboarding.document", document_id=document.id,
                                          _external=True))


class SectionSchema(Schema):
    """A section of the application (dumped from a dict the view makes)."""

    key = fields.String(required=True, metadata={"example": "pan"})
    title = fields.String(required=True)
    status = fields.String(required=True, metadata={"example": "submitted"})
    status_label = fields.String(required=True)
    required = fields.Boolean(required=True)
    complete = fields.Boolean(required=True)
    reviewer_note = fields.String(allow_none=True, required=True)
    decidable = fields.Boolean(required=True)
    documents = fields.List(fields.Nested(DocumentSchema), required=True)


class HistorySchema(Schema):
    at = fields.DateTime(required=True, attribute="when")
    who = fields.String(allow_none=True, required=True)
    what = fields.String(required=True)
    note = fields.String(required=True)


class SellerDetailSchema(SellerRowSchema):
    email = fields.String(required=True, attribute="user.email")
    sections = fields.List(fields.Nested(SectionSchema), required=True)
    can_approve = fields.Boolean(required=True)
    can_return = fields.Boolean(required=True, metadata={
        "description": "May be sent back for changes now"})
    history = fields.List(fields.Nested(HistorySchema), required=True)

    @pre_dump
    def _beside(self, seller, **kwargs):
        summary = seller_service.review_summary(seller)
        return With(seller, sections=[_section(seller, item, summary) for item in
                                      seller_service.checklist(seller).items],
                    can_approve=summary.can_approve, can_return=summary.can_request_changes,
                    history=seller_service.history(seller))


def _section(seller, item, summary) -> dict:
    return {"key": item.spec.key.value, "title": item.spec.title, "status": item.status.value,
            "status_label": item.status.label, "required": item.required,
            "complete": item.complete, "reviewer_note": item.note,
            "decidable": item.spec.key in summary.decidable,
            "documents": [d for d in seller.documents if d.kind_enum.section == item.spec.key]}


class SectionDecisionSchema(Schema):
    decision = fields.String(required=True, validate=validate.OneOf(["verify", "return"]),
                             metadata={"description": "`return`: the seller must change it"})
    reason = Note(metadata={"description": "Needed with `return`"})


class SellerDecisionSchema(Schema):
    decision = fields.String(required=True, validate=validate.OneOf(["approve", "return"]),
                             metadata={"description": "`return`: send back for changes"})
    reason = Note(metadata={"description": "A note to the seller (optional)"})


# --- Listings -----------------------------------------------------------------------------------

class ReviewPhotoSchema(Schema):
    id = fields.Integer(required=True)
    status = fields.String(required=True, metadata={"description": "processing, ready, failed"})
    width = fields.Integer(required=True)
    height = fields.Integer(required=True)
    urls = fields.Dict(keys=fields.String(), values=fields.Dict(
        keys=fields.String(), values=fields.String()), allow_none=True, required=True, metadata={
            "description": "By width (1600, 800, 320), then format (webp, jpg); null until "
                           "ready. A photo only in a version under review is served to its "
                           "seller and staff (signed in on the website) only."})

    @pre_dump
    def _beside(self, photo, **kwargs):
        urls = {str(size): {extension: absolute_photo_url(photo, size, extension)
                            for extension, _, _ in images.FORMATS}
                for size in images.SIZES} if photo.is_ready else None
        return With(photo, urls=urls)


class ReviewContentSchema(ContentFields):
    odop_product = fields.Nested(ProductSchema, required=True)
    net_quantity_milli = fields.Integer(required=True)
    photos = fields.List(fields.Nested(ReviewPhotoSchema), required=True)


class ListingRowSchema(Schema):
    id = fields.Integer(required=True)
    status = fields.String(required=True, metadata={"example": "submitted"})
    status_label = fields.String(required=True, attribute="status_enum.label")
    title = fields.String(required=True, attribute="working_content.title")
    seller_id = fields.Integer(required=True)
    seller_name = fields.String(required=True, attribute="seller.name_for_buyers")
    odop_product = fields.Nested(ProductSchema, required=True,
                                 attribute="working_content.odop_product")
    submitted_at = fields.DateTime(allow_none=True, required=True, metadata={
        "description": "Send it back as `seen_submission` with a decision"})
    edit_of_live_listing = fields.Boolean(required=True, attribute="has_live_version")


class ReviewListingSchema(ListingRowSchema):
    price_paise = fields.Integer(required=True)
    mrp_paise = fields.Integer(required=True)
    stock = fields.Integer(required=True)
    made_to_order = fields.Boolean(required=True)
    lead_time_days = fields.Integer(allow_none=True, required=True)
    awaiting_review = fields.Boolean(required=True)
    product_outside_seller_district = fields.Boolean(required=True)
    working = fields.Nested(ReviewContentSchema, required=True, attribute="working_content",
                            metadata={"description": "The seller's version, to decide on"})
    live = fields.Nested(ReviewContentSchema, allow_none=True, required=True, attribute="live_content",
                         metadata={"description": "What buyers see now; null if never live"})
    changed_fields = fields.List(fields.String(), required=True, metadata={
        "description": "Content fields (and `photos`) the edit changes from the live version"})
    review_reasons = fields.List(fields.String(), required=True)
    review_note = fields.String(allow_none=True, required=True)

    @pre_dump
    def _beside(self, listing, **kwargs):
        return With(listing, changed_fields=sorted(listing_queries.changed_fields(listing)),
                    review_reasons=[reason.value for reason in listing.reason_codes])


class ListingDecisionSchema(Schema):
    decision = fields.String(required=True,
                             validate=validate.OneOf(["approve", "return", "remove"]), metadata={
                                 "description": "`return`: ask for changes; `remove`: take it "
                                                "off the shop for good"})
    reason_codes = fields.List(
        fields.String(validate=validate.OneOf([r.value for r in ReasonCode])),
        load_default=list, validate=validate.Length(max=len(ReasonCode)),
        metadata={"description": "With `return` or `remove`: a reason code or a note"})
    note = Note(metadata={"description": "To the seller"})
    seen_submission = fields.String(load_default=None, validate=validate.Length(max=40),
                                    metadata={"description": "The `submitted_at` you decided "
                                              "on: refused (409) if the seller resubmitted"})


SellerQueuePageSchema = page_schema(SellerRowSchema, "SellerQueuePageSchema")
ListingQueuePageSchema = page_schema(ListingRowSchema, "ListingQueuePageSchema")
