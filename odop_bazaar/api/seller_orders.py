"""The seller's orders: the list (by status, newest first), one order, its next step (accept,
pack, ship with carrier and tracking, delivered) and cancelling one the seller cannot send.

The same services as the seller's orders page (odop_bazaar/orders/seller_orders.py): the rules
(which step comes next, the carrier and tracking number a shipment needs, the reason a
cancellation needs, the refund and the stock given back) are theirs. Another seller's order is
not found, whatever the request carries.
"""

from datetime import UTC, datetime, timedelta

from marshmallow import Schema, fields, validate

from odop_bazaar.api.auth import api_user, token_required
from odop_bazaar.api.blueprints import api_blueprint
from odop_bazaar.api.opening import action_route, opens
from odop_bazaar.api.paging import (
    PageArgs,
    decode_cursor,
    link_header,
    page_of,
    page_schema,
    refuse_cursor,
)
from odop_bazaar.api.problems import ApiProblem, fields_named
from odop_bazaar.api.schemas_common import OrderLineSchema
from odop_bazaar.hardening import MAX_ID
from odop_bazaar.models.accounts import Role
from odop_bazaar.models.api_access import ApiScope
from odop_bazaar.models.orders import SELLER_NEXT, Order, OrderStatus
from odop_bazaar.models.sellers import Seller
from odop_bazaar.services import sellers
from odop_bazaar.services.orders import fulfilment, queries
from odop_bazaar.services.orders.errors import NotYourOrder
from odop_bazaar.templating import seller_step_label

blp = api_blueprint("api_seller_orders", __name__,
                    "Sellers: their orders, each order's next step, and cancelling")

# The API calls the tracking number what the order calls it; the forms call it "tracking".
API_FIELD_NAMES = {"tracking": "tracking_number"}


def current_seller() -> Seller:
    """The seller profile of the token's person."""
    return sellers.seller_for_user(api_user())


def own_order(order_id: int) -> Order:
    """One of the token's seller's orders.

    Raises:
        ApiProblem: 404 for no such order, or another seller's.
    """
    try:
        return queries.seller_order(current_seller().id, order_id)
    except NotYourOrder:
        raise ApiProblem(404) from None


class DeliveryAddressSchema(Schema):
    name = fields.String(required=True)
    phone = fields.String(required=True)
    line1 = fields.String(required=True)
    line2 = fields.String(allow_none=True, required=True)
    city = fields.String(required=True)
    state_lgd_code = fields.Integer(required=True)
    pin = fields.String(required=True)


class NextStepInfoSchema(Schema):
    step = fields.String(required=True, metadata={"example": "accepted"})
    label = fields.String(required=True, metadata={"example": "Accept the order"})
    needs_tracking = fields.Boolean(required=True, metadata={
        "description": "This step sends the parcel: carrier and tracking_number are needed"})


class SellerOrderSchema(Schema):
    id = fields.Integer(required=True)
    reference = fields.String(required=True, metadata={"example": "ODB-7K2M9QXA-1"})
    checkout_reference = fields.String(required=True)
    status = fields.String(required=True, metadata={"example": "confirmed"})
    status_label = fields.String(required=True)
    payment_method = fields.String(required=True, metadata={"example": "cod"})
    placed_at = fields.DateTime(required=True)
    delivered_at = fields.DateTime(allow_none=True, required=True)
    items_paise = fields.Integer(required=True)
    gst_paise = fields.Integer(required=True)
    delivery_paise = fields.Integer(required=True)
    total_paise = fields.Integer(required=True)
    lines = fields.List(fields.Nested(OrderLineSchema), required=True)
    delivery_address = fields.Nested(DeliveryAddressSchema, allow_none=True, required=True,
                                     metadata={"description": "Null until there is something "
                                               "to send (an unpaid or lapsed card order)"})
    next_step = fields.Nested(NextStepInfoSchema, allow_none=True, required=True,
                              metadata={"description": "What POST .../next-step takes now"})
    may_cancel = fields.Boolean(required=True)
    carrier = fields.String(allow_none=True, required=True)
    tracking_number = fields.String(allow_none=True, required=True)
    cancel_reason = fields.String(allow_none=True, required=True)


def order_as_json(order: Order) -> dict:
    """What the seller's orders page shows of an order, as plain values."""
    checkout = order.checkout
    address = None
    if order.buyer_details_visible_to_seller:
        address = {"name": checkout.delivery_name, "phone": checkout.delivery_phone,
                   "line1": checkout.delivery_line1, "line2": checkout.delivery_line2,
                   "city": checkout.delivery_city, "pin": checkout.delivery_pin,
                   "state_lgd_code": checkout.delivery_state_lgd_code}
    step = order.seller_next
    return {
        "id": order.id, "reference": order.reference, "checkout_reference": checkout.reference,
        "status": order.status, "status_label": str(order.status_enum.label),
        "payment_method": checkout.payment_method, "placed_at": order.placed_at,
        "delivered_at": order.delivered_at, "items_paise": order.items_paise,
        "gst_paise": order.gst_paise, "delivery_paise": order.delivery_paise,
        "total_paise": order.total_paise, "lines": order.items, "delivery_address": address,
        "next_step": None if step is None else {
            "step": step.value, "label": str(seller_step_label(step)),
            "needs_tracking": order.next_step_is_shipping},
        "may_cancel": order.seller_may_cancel, "carrier": order.carrier,
        "tracking_number": order.tracking_number, "cancel_reason": order.cancel_reason,
    }


class OrderListArgs(PageArgs):
    status = fields.String(load_default=None, validate=validate.OneOf(
        [status.value for status in OrderStatus]), metadata={"description": "Only this status"})


class NextStepSchema(Schema):
    step = fields.String(required=True, validate=validate.OneOf(
        sorted({status.value for status in SELLER_NEXT.values()})), metadata={
        "description": "The status to move to: the order's `next_step.step` (a step sent "
                       "twice is refused with 409, never taken further)"})
    carrier = fields.String(load_default="", metadata={"description": "Needed to ship"})
    tracking_number = fields.String(load_default="", metadata={"description": "Needed to ship"})


class CancelSchema(Schema):
    reason = fields.String(load_default="", metadata={"description": "The buyer sees it"})


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _cursor_numbers(cursor: str | None, length: int) -> list[int] | None:
    """The whole numbers (0 to MAX_ID, or microseconds) a cursor of ours holds; None for the
    first page.

    Raises:
        FieldErrors: a cursor this API did not make (422).
    """
    values = decode_cursor(cursor, length)
    if values is not None and not all(
            isinstance(value, int) and 0 <= value < 2**62 for value in values):
        refuse_cursor()
    return values


def _order_key(order: Order) -> list[int]:
    return [(order.placed_at - EPOCH) // timedelta(microseconds=1), order.id]


def _after(cursor: str | None) -> tuple[datetime, int] | None:
    values = _cursor_numbers(cursor, 2)
    if values is None:
        return None
    try:
        return EPOCH + timedelta(microseconds=values[0]), min(values[1], MAX_ID)
    except OverflowError:
        refuse_cursor()


@blp.get("/seller/orders")
@token_required(ApiScope.READ, Role.SELLER)
@blp.arguments(OrderListArgs, location="query")
@blp.response(200, page_schema(SellerOrderSchema, "SellerOrderPageSchema"))
def orders(args):
    """The seller's orders, newest first, optionally of one status."""
    rows = queries.seller_orders(current_seller().id, args["status"],
                                 after=_after(args["after"]), limit=args["limit"] + 1)
    page = page_of(rows, args["limit"], _order_key)
    return {"items": [order_as_json(o) for o in page.items], "next": page.next}, \
        link_header(page)


def order_action(action: str, body_schema):
    """The route of an action on one of the seller's orders: its body, the order after."""
    return action_route(blp, f"/seller/orders/<id:order_id>/{action}",
                        token_required(ApiScope.SELLER_WRITE, Role.SELLER),
                        opens("order_id", "order", own_order), SellerOrderSchema, body_schema)


@blp.get("/seller/orders/<id:order_id>")
@token_required(ApiScope.READ, Role.SELLER)
@opens("order_id", "order", own_order)
@blp.response(200, SellerOrderSchema)
@blp.alt_response(404, response="NOT_FOUND")
def order(order: Order):
    """One of the seller's orders: lines, amounts, where to send it, what may be done next."""
    return order_as_json(order)


@order_action("next-step", NextStepSchema)
def next_step(body, order: Order):
    """Take the order its next step; shipping needs the carrier and tracking number."""
    with fields_named(API_FIELD_NAMES):
        fulfilment.advance(order, api_user(), body["step"], carrier=body["carrier"],
                           tracking=body["tracking_number"])
    return order_as_json(order)


@order_action("cancel", CancelSchema)
def cancel(body, order: Order):
    """Cancel an order that has not been sent, with the reason the buyer sees; its stock goes
    back and a card payment is refunded."""
    fulfilment.cancel_order(order, api_user(), "seller", body["reason"])
    return order_as_json(order)
