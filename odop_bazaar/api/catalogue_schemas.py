"""What the public listing endpoints answer and accept (catalogue_listings.py): cards, facets,
a listing's detail with its disclosures, a maker's shop. Money in paise, labels in the
language of Accept-Language."""

from marshmallow import Schema, fields, validate

from odop_bazaar.api.catalogue import OdopProductSchema, PlaceSchema
from odop_bazaar.api.paging import PageArgs, page_schema
from odop_bazaar.api.schemas_common import ID_RANGE, PhotoSize
from odop_bazaar.hardening import MAX_ID
from odop_bazaar.models.reference import SECTORS
from odop_bazaar.services.catalogue.search import SORTS


class SearchArgs(PageArgs):
    """The filters and order of the search page, with prices in paise."""

    q = fields.String(load_default="", validate=validate.Length(max=200), metadata={
        "description": "Words to find in titles, descriptions, crafts and places"})
    sector = fields.String(validate=validate.OneOf([term.value for term in SECTORS]),
                           metadata={"description": "A sector's `value` (GET /sectors)"})
    state = fields.Integer(validate=ID_RANGE, metadata={"description": "LGD state code"})
    district = fields.Integer(validate=ID_RANGE, metadata={"description": "LGD district code"})
    min_price_paise = fields.Integer(validate=validate.Range(0, MAX_ID))
    max_price_paise = fields.Integer(validate=validate.Range(0, MAX_ID))
    gi = fields.Boolean(load_default=False, metadata={"description": "GI-tagged products only"})
    in_stock = fields.Boolean(load_default=False, metadata={
        "description": "In stock now (not made to order) only"})
    sort = fields.String(load_default="relevance", validate=validate.OneOf(SORTS))


class PhotoFileSchema(PhotoSize):
    width = fields.Integer(required=True, metadata={"description": "For srcset's `w`"})
    media_type = fields.String(required=True, metadata={"example": "image/webp"})


class PhotoSchema(Schema):
    """A product photo in every size and format."""

    width = fields.Integer(required=True)
    height = fields.Integer(required=True)
    files = fields.List(fields.Nested(PhotoFileSchema), required=True)


class StarsSchema(Schema):
    stars = fields.Integer(required=True)
    count = fields.Integer(required=True)


class RatingSchema(Schema):
    """Published reviews: how many, their average (null before the first)."""

    count = fields.Integer(required=True)
    average = fields.Float(required=True, allow_none=True)
    per_star = fields.List(fields.Nested(StarsSchema), metadata={"description": "5 down to 1"})


class NamedSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


class ProductNameSchema(NamedSchema):
    name_hi = fields.String(required=True, allow_none=True, metadata={
        "description": "In Hindi (Devanagari), where the reference data has it"})


class CardSchema(Schema):
    """A listing as a search result shows it."""

    id = fields.Integer(required=True)
    title = fields.String(required=True)
    title_hi = fields.String(required=True, allow_none=True, metadata={
        "description": "The seller's title in Hindi, if they gave one"})
    price_paise = fields.Integer(required=True, metadata={"description": "Including GST"})
    mrp_paise = fields.Integer(required=True)
    made_to_order = fields.Boolean(required=True)
    sold_out = fields.Boolean(required=True, metadata={
        "description": "Not for sale until it is back in stock (a search with words finds it, "
                       "after those for sale)"})
    odop_product = fields.Nested(ProductNameSchema, required=True)
    district = fields.Nested(PlaceSchema, required=True)
    seller_name = fields.String(required=True)
    cover = fields.Nested(PhotoSchema, required=True, allow_none=True)
    rating = fields.Nested(RatingSchema, required=True)
    url = fields.String(required=True, metadata={"description": "Its detail in this API"})
    page_url = fields.String(required=True, metadata={"description": "Its page on the shop"})


class FacetSchema(Schema):
    value = fields.Raw(required=True, metadata={"description": "The filter's value"})
    label = fields.String(required=True)
    count = fields.Integer(required=True)


class FacetsSchema(Schema):
    sectors = fields.List(fields.Nested(FacetSchema), required=True)
    states = fields.List(fields.Nested(FacetSchema), required=True)
    districts = fields.List(fields.Nested(FacetSchema), required=True, metadata={
        "description": "Only when a state is chosen"})
    at_least = fields.Boolean(required=True, metadata={
        "description": "Counts are at least what they say (too many matches to count all)"})


class SearchPageSchema(page_schema(CardSchema, "CardPage")):
    """A page of search results with the whole search's facets."""

    total = fields.Integer(required=True, metadata={"description": "Matches (see `more`)"})
    more = fields.Boolean(required=True, metadata={
        "description": "More listings match than a search reads (the newest `total`)"})
    facets = fields.Nested(FacetsSchema, required=True)


class PriceSchema(Schema):
    price_paise = fields.Integer(required=True, metadata={"description": "Including GST"})
    mrp_paise = fields.Integer(required=True)
    discount_percent = fields.Integer(required=True)
    gst_rate = fields.Integer(required=True, metadata={"example": 5})
    taxable_value_paise = fields.Integer(required=True)
    gst_paise = fields.Integer(required=True)
    unit_price_paise = fields.Integer(allow_none=True, metadata={
        "description": "Per kg, litre or metre where the unit is one of those"})
    unit_price_per = fields.String(allow_none=True)
    label = fields.String(required=True, metadata={"description": "As the page says it"})


class StockSchema(Schema):
    state = fields.String(required=True, validate=validate.OneOf(
        ("in_stock", "out_of_stock", "made_to_order")))
    label = fields.String(required=True)
    quantity_left = fields.Integer(allow_none=True, metadata={"description": "When 5 or fewer"})
    lead_time_days = fields.Integer(allow_none=True)


class ContactSchema(Schema):
    name = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    email = fields.String(allow_none=True)


class PackagedSchema(Schema):
    manufacturer_name = fields.String(allow_none=True)
    manufacturer_address = fields.String(allow_none=True)
    manufactured_month = fields.String(allow_none=True, metadata={"example": "2026-10"})
    consumer_care = fields.String(allow_none=True)
    mrp_paise = fields.Integer(required=True)


class DisclosuresSchema(Schema):
    """What the Consumer Protection (E-Commerce) and Legal Metrology rules ask a page to show."""

    legal_name = fields.String(allow_none=True)
    address_lines = fields.List(fields.String(), required=True)
    gst_registered = fields.Boolean(required=True)
    gstin = fields.String(allow_none=True)
    gst_exemption = fields.String(allow_none=True)
    country_of_origin = fields.String(required=True)
    hsn_code = fields.String(allow_none=True)
    return_days = fields.Integer(required=True)
    dispatch_days = fields.Integer(required=True)
    payment_methods = fields.List(fields.String(), required=True)
    grievance_officer = fields.Nested(ContactSchema, required=True)
    marketplace_grievance_officer = fields.Nested(ContactSchema, required=True)
    packaged_goods = fields.Nested(PackagedSchema, allow_none=True)


class SellerSummarySchema(NamedSchema):
    type_label = fields.String(allow_none=True)
    district = fields.Nested(PlaceSchema, allow_none=True)
    state = fields.Nested(PlaceSchema, allow_none=True)
    year_started = fields.Integer(allow_none=True)
    story = fields.String(allow_none=True)
    url = fields.String(required=True)
    page_url = fields.String(required=True)


class ListingDetailSchema(Schema):
    """A listing on the shop, as its page shows it."""

    id = fields.Integer(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    title_hi = fields.String(required=True, allow_none=True, metadata={
        "description": "The seller's title in Hindi, if they gave one"})
    description_hi = fields.String(required=True, allow_none=True, metadata={
        "description": "The seller's description in Hindi, if they gave one"})
    odop_product = fields.Nested(OdopProductSchema, required=True)
    district = fields.Nested(PlaceSchema, required=True)
    state = fields.Nested(PlaceSchema, required=True)
    price = fields.Nested(PriceSchema, required=True)
    net_quantity_milli = fields.Integer(required=True, metadata={"description": "In 1/1000 unit"})
    unit = fields.String(required=True)
    unit_label = fields.String(required=True)
    stock = fields.Nested(StockSchema, required=True)
    photos = fields.List(fields.Nested(PhotoSchema), required=True)
    seller = fields.Nested(SellerSummarySchema, required=True)
    rating = fields.Nested(RatingSchema, required=True)
    disclosures = fields.Nested(DisclosuresSchema, required=True)
    page_url = fields.String(required=True)


class WorkPhotoSchema(Schema):
    listing_id = fields.Integer(required=True)
    title = fields.String(required=True)
    photo = fields.Nested(PhotoSchema, required=True)


class SellerShopSchema(page_schema(CardSchema, "SellerCardPage")):
    """A maker's shop: who they are, photos of their work, a page of their listings."""

    seller = fields.Nested(SellerSummarySchema, required=True)
    odop_products = fields.List(fields.Nested(OdopProductSchema), required=True)
    member_since = fields.DateTime(required=True)
    work_photos = fields.List(fields.Nested(WorkPhotoSchema), required=True)
    rating = fields.Nested(RatingSchema, required=True)
    live_listings = fields.Integer(required=True)

