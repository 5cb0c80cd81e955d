"""The seller's returns: those waiting on them (as the returns page lists them, oldest first),
and their answers: accept (a pickup with its carrier and tracking number, or the buyer sends
it), refuse with a reason (a reason the law protects goes to staff instead), and the parcel
received (its units back on sale or not), and an exchange sent again. The same services as
the page's buttons (odop_bazaar/orders/seller_returns.py); another seller's return is not
found."""

from marshmallow import Schema, fields

from odop_bazaar.api.auth import api_user, token_required
from odop_bazaar.api.blueprints import api_blueprint
from odop_bazaar.api.opening import action_route, opens
from odop_bazaar.api.problems import ApiProblem, fields_named
from odop_bazaar.api.seller_orders import API_FIELD_NAMES, current_seller
from odop_bazaar.models.accounts import Role
from odop_bazaar.models.api_access import ApiScope
from odop_bazaar.models.returns import ReturnRequest
from odop_bazaar.services.returns import decisions, queries

blp = api_blueprint("api_seller_returns", __name__,
                    "Sellers: returns waiting on them, and their answers")


def own_return(return_id: int) -> ReturnRequest:
    """One of the token's seller's returns.

    Raises:
        ApiProblem: 404 for no such return, or another seller's.
    """
    found = queries.seller_return(current_seller().id, return_id)
    if found is None:
        raise ApiProblem(404)
    return found


class ReturnLineSchema(Schema):
    order_item_id = fields.Integer(required=True)
    title = fields.String(required=True)
    quantity = fields.Integer(required=True)


class SellerReturnSchema(Schema):
    id = fields.Integer(required=True)
    order_id = fields.Integer(required=True)
    order_reference = fields.String(required=True)
    status = fields.String(required=True, metadata={"example": "requested"})
    status_label = fields.String(required=True)
    reason = fields.String(required=True, metadata={"example": "damaged"})
    reason_label = fields.String(required=True)
    protected = fields.Boolean(required=True, metadata={
        "description": "A reason you cannot refuse alone: a refusal goes to staff"})
    resolution = fields.String(required=True, metadata={"example": "refund"})
    resolution_label = fields.String(required=True)
    amount_paise = fields.Integer(required=True)
    delivery_paise = fields.Integer(required=True, metadata={
        "description": "The part of the amount that is delivery"})
    lines = fields.List(fields.Nested(ReturnLineSchema), required=True)
    details = fields.String(required=True)
    refund_to = fields.String(allow_none=True, required=True, metadata={
        "description": "Cash on delivery: the account or UPI id refunded, mostly hidden"})
    buyer_sends = fields.Boolean(required=True)
    pickup_carrier = fields.String(allow_none=True, required=True)
    pickup_tracking_number = fields.String(allow_none=True, required=True)
    exchange_carrier = fields.String(allow_none=True, required=True)
    exchange_tracking_number = fields.String(allow_none=True, required=True)
    decision_note = fields.String(allow_none=True, required=True)
    photo_count = fields.Integer(required=True, metadata={
        "description": "Photos sent with it (seen on the returns page)"})
    created_at = fields.DateTime(required=True)


class SellerReturnListSchema(Schema):
    items = fields.List(fields.Nested(SellerReturnSchema), required=True)


class AcceptSchema(Schema):
    buyer_sends = fields.Boolean(load_default=False, metadata={
        "description": "The buyer sends it back: no pickup, so no carrier or tracking"})
    carrier = fields.String(load_default="", metadata={"description": "The pickup's courier"})
    tracking_number = fields.String(load_default="")


class ShipmentSchema(Schema):
    carrier = fields.String(load_default="", metadata={"description": "Courier or postal service"})
    tracking_number = fields.String(load_default="")


class RefuseSchema(Schema):
    reason = fields.String(load_default="", metadata={"description": "The buyer sees it"})


class ReceivedSchema(Schema):
    restock = fields.Boolean(required=True, metadata={
        "description": "Put the units back on sale"})


def return_as_json(found: ReturnRequest) -> dict:
    """What the returns page shows of a return, as plain values."""
    return {
        "id": found.id, "order_id": found.order_id, "order_reference": found.order.reference,
        "status": found.status, "status_label": str(found.status_enum.label),
        "reason": found.reason, "reason_label": str(found.reason_enum.label),
        "protected": found.protected, "resolution": found.resolution,
        "resolution_label": str(found.resolution_enum.label),
        "amount_paise": found.amount_paise, "delivery_paise": found.delivery_paise,
        "lines": [{"order_item_id": line.order_item_id, "title": line.item.title,
                   "quantity": line.quantity} for line in found.lines],
        "details": found.details or "", "refund_to": found.masked_account or None,
        "buyer_sends": found.buyer_sends, "pickup_carrier": found.pickup_carrier,
        "pickup_tracking_number": found.pickup_tracking,
        "exchange_carrier": found.exchange_carrier,
        "exchange_tracking_number": found.exchange_tracking,
        "decision_note": found.decision_note, "photo_count": len(found.photos),
        "created_at": found.created_at,
    }


@blp.get("/seller/returns")
@token_required(ApiScope.READ, Role.SELLER)
@blp.response(200, SellerReturnListSchema)
def returns():
    """Every return waiting on you or not finished yet, oldest first."""
    return {"items": [return_as_json(r) for r in queries.seller_returns(current_seller().id)]}


def return_answer(answer: str, body_schema):
    """The route of one of the seller's answers to a return: its body, the return after."""
    return action_route(blp, f"/seller/returns/<id:return_id>/{answer}",
                        token_required(ApiScope.SELLER_WRITE, Role.SELLER),
                        opens("return_id", "found", own_return), SellerReturnSchema, body_schema)


@return_answer("accept", AcceptSchema)
def accept(body, found: ReturnRequest):
    """Take the return: a pickup (carrier and tracking number) or the buyer sends it."""
    with fields_named(API_FIELD_NAMES):
        decisions.accept(found, api_user(), buyer_sends=body["buyer_sends"],
                         carrier=body["carrier"], tracking=body["tracking_number"])
    return return_as_json(found)


@return_answer("refuse", RefuseSchema)
def refuse(body, found: ReturnRequest):
    """Refuse the return with the reason the buyer sees; a protected reason goes to staff."""
    decisions.refuse(found, api_user(), body["reason"])
    return return_as_json(found)


@return_answer("received", ReceivedSchema)
def received(body, found: ReturnRequest):
    """The parcel is back (a refund is then made; an exchange waits to be sent again)."""
    decisions.mark_received(found, api_user(), restock=body["restock"])
    return return_as_json(found)


@return_answer("send-exchange", ShipmentSchema)
def send_exchange(body, found: ReturnRequest):
    """An exchange received back: the same item sent again, with carrier and tracking."""
    with fields_named(API_FIELD_NAMES):
        decisions.send_exchange(found, api_user(), carrier=body["carrier"],
                                tracking=body["tracking_number"])
    return return_as_json(found)
