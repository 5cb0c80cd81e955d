"""The token's own person: who they are and what the token may do."""

from marshmallow import Schema, fields

from odop_bazaar.api.auth import api_user, token_required
from odop_bazaar.api.blueprints import api_blueprint
from odop_bazaar.models.api_access import ApiScope

blp = api_blueprint("api_account", __name__, "The person a token belongs to")


class MeSchema(Schema):
    id = fields.Integer(required=True)
    full_name = fields.String(required=True)
    email = fields.String(required=True)
    role = fields.String(required=True, metadata={"example": "seller"})
    scopes = fields.List(fields.String(), required=True)
    token_expires_at = fields.DateTime(required=True)


@blp.get("/me")
@token_required(ApiScope.READ)
@blp.response(200, MeSchema)
def me():
    """The account and the token's scopes."""
    from odop_bazaar.api.auth import api_token

    token = api_token()
    user = api_user()
    return {"id": user.id, "full_name": user.full_name, "email": user.email, "role": user.role,
            "scopes": sorted(token.scope_set), "token_expires_at": token.expires_at}
