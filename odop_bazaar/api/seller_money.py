"""The seller's money: what the marketplace owes them, the credits on their way and the payouts
(as the payouts page shows them), and their ledger, page by page. The same reads as the page
(services/settlements/queries.py)."""

from flask import current_app
from marshmallow import Schema, fields

from odop_bazaar.api.auth import token_required
from odop_bazaar.api.blueprints import api_blueprint
from odop_bazaar.api.paging import PageArgs, id_cursor, link_header, page_of, page_schema
from odop_bazaar.api.seller_orders import current_seller
from odop_bazaar.models.accounts import Role
from odop_bazaar.models.api_access import ApiScope
from odop_bazaar.models.settlements import EntryKind, LedgerEntry
from odop_bazaar.services.settlements import queries

blp = api_blueprint("api_seller_money", __name__, "Sellers: their balance, payouts and ledger")

RECENT_PAYOUTS = 50


class PendingCreditSchema(Schema):
    order_id = fields.Integer(required=True)
    order_reference = fields.String(required=True)
    amount_paise = fields.Integer(required=True, metadata={
        "description": "The order's total; the commission is taken when it is credited"})
    credit_on = fields.DateTime(required=True, metadata={
        "description": "When the return window ends and the order is credited"})


class PayoutSchema(Schema):
    id = fields.Integer(required=True)
    amount_paise = fields.Integer(required=True, metadata={"description": "Sent to the bank"})
    paid_on = fields.Date(allow_none=True, required=True)
    bank_reference = fields.String(allow_none=True, required=True, metadata={
        "description": "The bank's reference (UTR)"})
    note = fields.String(required=True)


class PayoutsSchema(Schema):
    balance_paise = fields.Integer(required=True, metadata={
        "description": "What ODOP Bazaar owes you now (negative: what you owe)"})
    bank_account = fields.String(allow_none=True, required=True, metadata={
        "description": "Where payouts go, all but the last digits hidden; null until added"})
    bank_ifsc = fields.String(allow_none=True, required=True)
    return_window_days = fields.Integer(required=True)
    pending = fields.List(fields.Nested(PendingCreditSchema), required=True)
    payouts = fields.List(fields.Nested(PayoutSchema), required=True, metadata={
        "description": f"The last {RECENT_PAYOUTS} payouts, newest first"})


class LedgerLineSchema(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True, metadata={"example": "sale"})
    kind_label = fields.String(required=True)
    amount_paise = fields.Integer(required=True, metadata={
        "description": "Positive: a credit to you; negative: a debit"})
    order_id = fields.Integer(allow_none=True, required=True)
    order_reference = fields.String(allow_none=True, required=True)
    created_at = fields.DateTime(required=True)
    paid_on = fields.Date(allow_none=True, required=True)
    bank_reference = fields.String(allow_none=True, required=True)
    corrects_id = fields.Integer(allow_none=True, required=True, metadata={
        "description": "The entry a correction puts right"})
    note = fields.String(required=True)


def _payout(entry: LedgerEntry) -> dict:
    return {"id": entry.id, "amount_paise": -entry.amount_paise, "paid_on": entry.paid_on,
            "bank_reference": entry.bank_reference, "note": entry.note or ""}


def _line(entry: LedgerEntry) -> dict:
    return {"id": entry.id, "kind": entry.kind, "kind_label": str(entry.kind_enum.label),
            "amount_paise": entry.amount_paise, "order_id": entry.order_id,
            "order_reference": entry.order.reference if entry.order else None,
            "created_at": entry.created_at, "paid_on": entry.paid_on,
            "bank_reference": entry.bank_reference, "corrects_id": entry.corrects_id,
            "note": entry.note or ""}


@blp.get("/seller/payouts")
@token_required(ApiScope.READ, Role.SELLER)
@blp.response(200, PayoutsSchema)
def payouts():
    """What you are owed, the delivered orders to be credited and when, and your payouts."""
    seller = current_seller()
    window = current_app.config["RETURN_WINDOW_DAYS"]
    pending = queries.pending_credits(seller.id, return_window_days=window)
    return {
        "balance_paise": queries.balance(seller.id),
        "bank_account": seller.masked_bank_account if seller.bank_account_number else None,
        "bank_ifsc": seller.bank_ifsc if seller.bank_account_number else None,
        "return_window_days": window,
        "pending": [{"order_id": item.order.id, "order_reference": item.order.reference,
                     "amount_paise": item.order.total_paise, "credit_on": item.credit_on}
                    for item in pending],
        "payouts": [_payout(entry) for entry in queries.statement(
            seller.id, RECENT_PAYOUTS, kind=EntryKind.PAYOUT)],
    }


@blp.get("/seller/ledger")
@token_required(ApiScope.READ, Role.SELLER)
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_schema(LedgerLineSchema, "LedgerPageSchema"))
def ledger(args):
    """Your ledger lines, newest first: sales, commission, refunds, payouts, corrections."""
    rows = queries.statement(current_seller().id, args["limit"] + 1,
                             before_id=id_cursor(args["after"]))
    page = page_of(rows, args["limit"], lambda entry: [entry.id])
    return {"items": [_line(entry) for entry in page.items], "next": page.next}, \
        link_header(page)
