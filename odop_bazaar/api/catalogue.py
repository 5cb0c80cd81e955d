"""The public catalogue, for anyone and without a token: places, their ODOP products, sectors,
listing search, a listing's detail and a maker's shop. Answers are public and cacheable like
the buyer pages (http_caching.buyer_page: Cache-Control, a strong ETag, 304s)."""

from marshmallow import Schema, fields

from odop_bazaar.api.blueprints import api_blueprint
from odop_bazaar.http_caching import buyer_page
from odop_bazaar.services.reference import places

blp = api_blueprint("api_catalogue", __name__,
                    "The public catalogue: places, ODOP products, listings, shops")


class StateSchema(Schema):
    lgd_code = fields.Integer(required=True, metadata={"description": "LGD state code"})
    name = fields.String(required=True)
    kind = fields.String(required=True, metadata={"example": "State"})


@blp.get("/states")
@blp.response(200, StateSchema(many=True))
@buyer_page
def states():
    """States and union territories, by name."""
    return places.all_states()
