"""The public catalogue, for anyone and without a token: places, their ODOP products and
sectors (this module), listing search, a listing's detail and a maker's shop
(catalogue_listings.py). Answers are public and cacheable like the buyer pages
(http_caching.buyer_page: Cache-Control, a strong ETag, 304s), and call what those pages call.
Labels (sectors, ranks, stock states) come in the language of Accept-Language; places and ODOP
products carry their official `name` and, where the reference data has one, `name_hi`."""

from flask import abort
from marshmallow import Schema, fields

from odop_bazaar.api.blueprints import api_blueprint
from odop_bazaar.extensions import db
from odop_bazaar.http_caching import buyer_page
from odop_bazaar.models import District, State
from odop_bazaar.models.reference import RANKS, sector_by_value
from odop_bazaar.services.catalogue import seller_shop, storefront
from odop_bazaar.services.reference import places

blp = api_blueprint("api_catalogue", __name__,
                    "The public catalogue: places, ODOP products and sectors")

_RANK_LABELS = {term.value: term.label for term in RANKS}


class StateSchema(Schema):
    lgd_code = fields.Integer(required=True, metadata={"description": "LGD state code"})
    name = fields.String(required=True, metadata={"description": "Official, in English"})
    name_hi = fields.String(required=True, allow_none=True, metadata={
        "description": "In Hindi (Devanagari), where the reference data has it"})
    kind = fields.String(required=True, metadata={"example": "State"})


class PlaceSchema(Schema):
    lgd_code = fields.Integer(required=True)
    name = fields.String(required=True, metadata={"description": "Official, in English"})
    name_hi = fields.String(required=True, allow_none=True, metadata={
        "description": "In Hindi (Devanagari), where the reference data has it"})


class OdopProductSchema(Schema):
    """One product of the One District One Product list."""

    id = fields.Integer(required=True)
    name = fields.String(required=True, metadata={"description": "As the ODOP list has it"})
    name_hi = fields.String(required=True, allow_none=True, metadata={
        "description": "In Hindi (Devanagari), where the reference data has it"})
    sector = fields.String(required=True, metadata={"example": "Handloom"})
    sector_label = fields.String(required=True, metadata={"description": "In your language"})
    rank = fields.String(required=True, metadata={"example": "Primary"})
    rank_label = fields.String(required=True)
    gi_tagged = fields.Boolean(required=True, metadata={
        "description": "A Geographical Indication protects the name for goods from here"})


class StateDistrictSchema(PlaceSchema):
    live_listings = fields.Integer(required=True, metadata={
        "description": "How many of its products are on the shop"})
    products = fields.List(fields.Nested(OdopProductSchema), required=True)


class StateDetailSchema(StateSchema):
    districts = fields.List(fields.Nested(StateDistrictSchema), required=True)


class MakerSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


class DistrictDetailSchema(PlaceSchema):
    lgd_name = fields.String(required=True, metadata={"description": "As LGD spells it"})
    state = fields.Nested(PlaceSchema, required=True)
    products = fields.List(fields.Nested(OdopProductSchema), required=True)
    live_listings = fields.Integer(required=True)
    makers = fields.List(fields.Nested(MakerSchema), required=True, metadata={
        "description": "Makers with a listing on the shop here, by name"})


class SectorSchema(Schema):
    value = fields.String(required=True, metadata={
        "description": "As `sector` in a listing search", "example": "Food Processing"})
    slug = fields.String(required=True)
    label = fields.String(required=True)
    products = fields.Integer(required=True, metadata={"description": "Live ODOP products"})
    districts = fields.Integer(required=True, metadata={"description": "Districts having one"})


def product_json(product) -> dict:
    """An ODOP product with its labels in the request's language."""
    sector = sector_by_value(product.sector)
    return {"id": product.id, "name": product.name, "name_hi": product.name_hi,
            "sector": product.sector,
            "sector_label": str(sector.label) if sector else product.sector,
            "rank": product.rank, "rank_label": str(_RANK_LABELS.get(product.rank, product.rank)),
            "gi_tagged": product.gi_tagged}


@blp.get("/states")
@blp.response(200, StateSchema(many=True))
@buyer_page
def states():
    """States and union territories, by name."""
    return places.all_states()


@blp.get("/states/<id:lgd_code>")
@blp.response(200, StateDetailSchema)
@blp.alt_response(404, response="NOT_FOUND")
@buyer_page
def state(lgd_code: int):
    """A state with its districts by name, each with its ODOP products and listings on the
    shop (as the state's page shows)."""
    found = db.session.get(State, lgd_code) or abort(404)
    counts = storefront.listing_counts_by_district(found.lgd_code)
    return {"lgd_code": found.lgd_code, "name": found.name, "name_hi": found.name_hi,
            "kind": found.kind,
            "districts": [{"lgd_code": district.lgd_code, "name": district.name,
                           "name_hi": district.name_hi,
                           "live_listings": counts.get(district.lgd_code, 0),
                           "products": [product_json(p) for p in products]}
                          for district, products in places.districts_with_products(found)]}


@blp.get("/districts/<id:lgd_code>")
@blp.response(200, DistrictDetailSchema)
@blp.alt_response(404, response="NOT_FOUND")
@buyer_page
def district(lgd_code: int):
    """A district with its ODOP products (Primary first) and its makers on the shop."""
    found = db.session.get(District, lgd_code) or abort(404)
    state = found.state
    counts = storefront.listing_counts_by_district(state.lgd_code)
    return {"lgd_code": found.lgd_code, "name": found.name, "name_hi": found.name_hi,
            "lgd_name": found.lgd_name,
            "state": {"lgd_code": state.lgd_code, "name": state.name, "name_hi": state.name_hi},
            "products": [product_json(p) for p in places.district_products(found)],
            "live_listings": counts.get(found.lgd_code, 0),
            "makers": [{"id": seller_id, "name": name}
                       for seller_id, name in seller_shop.district_makers(found.lgd_code)]}


@blp.get("/sectors")
@blp.response(200, SectorSchema(many=True))
@buyer_page
def sectors():
    """The sectors of the ODOP list, with how many products and districts each has."""
    return [{"value": summary.term.value, "slug": summary.term.slug,
             "label": str(summary.term.label), "products": summary.products,
             "districts": summary.districts} for summary in places.sector_summaries()]
