"""A buyer's own orders, as their "Your orders" pages show them: each checkout (one payment,
one reference) with the order of each seller in it, its lines, amounts in paise, status,
tracking, payment and the seller as the invoice names them. Reading only: cart, checkout,
payment and cancelling stay on the website for now."""

from flask import url_for
from marshmallow import Schema, fields, pre_dump

from odop_bazaar.api.auth import api_user, token_required
from odop_bazaar.api.blueprints import api_blueprint
from odop_bazaar.api.extras import With
from odop_bazaar.api.paging import PageArgs, id_cursor, link_header, page_of, page_schema
from odop_bazaar.api.problems import ApiProblem
from odop_bazaar.api.schemas_common import OrderLineSchema
from odop_bazaar.models.accounts import Role
from odop_bazaar.models.api_access import ApiScope
from odop_bazaar.models.orders import Checkout, Order
from odop_bazaar.services.orders import queries

blp = api_blueprint("api_buyer_orders", __name__, "A buyer's orders (read only)")


class OrderStatusSchema(Schema):
    """One seller's order in a checkout (statuses: pending_payment, paid, confirmed,
    accepted, packed, shipped, delivered, cancelled, refunded)."""

    reference = fields.String(required=True, metadata={"example": "ODB-7K2M9QXA-1"})
    seller_name = fields.String(required=True, attribute="seller_legal_name")
    status = fields.String(required=True, metadata={"example": "paid"})
    status_label = fields.String(required=True, attribute="status_enum.label")


class CheckoutSummarySchema(Schema):
    reference = fields.String(required=True, metadata={"example": "ODB-7K2M9QXA"})
    placed_at = fields.DateTime(required=True, attribute="created_at")
    total_paise = fields.Integer(required=True)
    payment_method = fields.String(required=True, metadata={"description": "`cod` or `card`"})
    payment_method_label = fields.String(required=True, attribute="payment_method_enum.label")
    payment_state = fields.String(required=True, attribute="state", metadata={
        "description": "awaiting_payment, paid, cod, expired or cancelled"})
    payment_state_label = fields.String(required=True, attribute="state_enum.label")
    paid_at = fields.DateTime(allow_none=True, required=True)
    orders = fields.List(fields.Nested(OrderStatusSchema), required=True)


class LineSchema(OrderLineSchema):
    id = fields.Integer(required=True)
    hsn_code = fields.String(allow_none=True, required=True)


class EventSchema(Schema):
    at = fields.DateTime(required=True, attribute="created_at")
    action = fields.String(required=True, metadata={"description": "status, refund or return"})
    status = fields.String(allow_none=True, required=True, attribute="to_status")
    note = fields.String(required=True)


class OrderFromSellerSchema(OrderStatusSchema):
    id = fields.Integer(required=True)
    placed_at = fields.DateTime(required=True)
    # The seller as the order's invoice names them, as they were when it was placed.
    seller_id = fields.Integer(required=True)
    seller_address = fields.String(required=True)
    seller_gstin = fields.String(allow_none=True, required=True, metadata={
        "description": "null: not registered for GST (a bill of supply, no GST charged)"})
    seller_state_lgd_code = fields.Integer(allow_none=True, required=True)
    lines = fields.List(fields.Nested(LineSchema), required=True, attribute="items")
    items_paise = fields.Integer(required=True, metadata={"description": "Lines, with GST"})
    taxable_paise = fields.Integer(required=True)
    gst_paise = fields.Integer(required=True)
    delivery_paise = fields.Integer(required=True)
    total_paise = fields.Integer(required=True)
    refunded_paise = fields.Integer(required=True)
    carrier = fields.String(allow_none=True, required=True)
    tracking_number = fields.String(allow_none=True, required=True)
    cancel_reason = fields.String(allow_none=True, required=True)
    buyer_may_cancel = fields.Boolean(required=True, metadata={
        "description": "Cancelling is on the website"})
    invoice_url = fields.String(allow_none=True, required=True, metadata={
        "description": "The tax invoice page (website, signed in); null when there is none"})
    history = fields.List(fields.Nested(EventSchema), required=True)

    @pre_dump
    def _beside(self, order: Order, **kwargs):
        invoice = (url_for("orders.invoice", reference=order.checkout.reference,
                           order_id=order.id) if order.has_invoice else None)
        return With(order, history=queries.timeline(order), invoice_url=invoice)


class CheckoutSchema(CheckoutSummarySchema):
    items_paise = fields.Integer(required=True, metadata={"description": "With GST"})
    delivery_paise = fields.Integer(required=True)
    delivery_name = fields.String(required=True)
    delivery_line1 = fields.String(required=True)
    delivery_line2 = fields.String(allow_none=True, required=True)
    delivery_city = fields.String(required=True)
    delivery_state_lgd_code = fields.Integer(required=True)
    delivery_pin = fields.String(required=True)
    late_refund_paise = fields.Integer(allow_none=True, required=True, metadata={
        "description": "A payment that came after the checkout lapsed, refunded in full"})
    orders = fields.List(fields.Nested(OrderFromSellerSchema), required=True)

    @pre_dump
    def _beside(self, checkout: Checkout, **kwargs):
        refund = queries.late_refund(checkout)
        return With(checkout, late_refund_paise=refund.amount_paise if refund else None)


CheckoutPageSchema = page_schema(CheckoutSummarySchema, "CheckoutPageSchema")


@blp.get("/buyer/orders")
@token_required(ApiScope.READ, Role.BUYER)
@blp.arguments(PageArgs, location="query")
@blp.response(200, CheckoutPageSchema)
def orders(args):
    """Your orders, newest first: each checkout with its sellers' orders and their status."""
    rows = queries.buyer_checkouts(api_user(), before_id=id_cursor(args["after"]),
                                   limit=args["limit"] + 1)
    page = page_of(list(rows), args["limit"], lambda checkout: [checkout.id])
    return page.as_json(), link_header(page)


@blp.get("/buyer/orders/<reference>")
@token_required(ApiScope.READ, Role.BUYER)
@blp.response(200, CheckoutSchema)
@blp.alt_response(404, response="NOT_FOUND")
def order(reference: str):
    """One of your checkouts: each seller's order with its lines, amounts, tracking and history."""
    placed = queries.buyer_checkout(api_user(), reference)
    if placed is None:
        raise ApiProblem(404)
    return placed
