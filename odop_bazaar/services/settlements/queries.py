"""Settlements, the reads: what each seller is owed, their statement, the credits on their way.
Never commits."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, exists, func, select
from sqlalchemy.orm import joinedload

from odop_bazaar.extensions import db
from odop_bazaar.models.orders import Order, OrderStatus
from odop_bazaar.models.reference import District
from odop_bazaar.models.sellers import Seller
from odop_bazaar.models.settlements import EntryKind, LedgerEntry
from odop_bazaar.services.accounts.staff_scope import Scope


def balance(seller_id: int) -> int:
    """What the marketplace owes the seller now (negative: what the seller owes)."""
    return db.session.scalar(select(func.coalesce(func.sum(LedgerEntry.amount_paise), 0))
                             .where(LedgerEntry.seller_id == seller_id))


def statement(seller_id: int, limit: int = 500, *, before_id: int | None = None,
              kind: EntryKind | None = None) -> list[LedgerEntry]:
    """The seller's entries (of one kind, if given), newest first; `before_id` starts after
    the last entry of the page before, for the API's keyset paging."""
    query = select(LedgerEntry).where(LedgerEntry.seller_id == seller_id)
    if before_id is not None:
        query = query.where(LedgerEntry.id < before_id)
    if kind is not None:
        query = query.where(LedgerEntry.kind == kind)
    return db.session.scalars(query.order_by(LedgerEntry.id.desc())
                              .options(joinedload(LedgerEntry.order)).limit(limit)).all()


@dataclass(frozen=True)
class PendingCredit:
    order: Order
    credit_on: datetime


def pending_credits(seller_id: int, *, return_window_days: int) -> list[PendingCredit]:
    """Delivered orders still inside their return window: credited on the date shown."""
    orders = db.session.scalars(
        select(Order).where(Order.seller_id == seller_id, Order.status == OrderStatus.DELIVERED,
                            ~exists().where(LedgerEntry.order_id == Order.id,
                                            LedgerEntry.kind == EntryKind.SALE))
        .order_by(Order.delivered_at)).all()
    return [PendingCredit(order, order.delivered_at + timedelta(days=return_window_days))
            for order in orders if order.delivered_at]


@dataclass(frozen=True)
class SellerBalance:
    seller_id: int
    name: str
    district: str
    balance_paise: int
    paid_out_paise: int
    bank_ready: bool
    holder: str | None
    account_number: str | None
    ifsc: str | None


def balances(scope: Scope, *, owed_only: bool = False) -> list[SellerBalance]:
    """Every seller in scope with ledger entries: balance and what has been paid out."""
    total = func.sum(LedgerEntry.amount_paise)
    paid = func.sum(case((LedgerEntry.kind == EntryKind.PAYOUT, -LedgerEntry.amount_paise),
                         else_=0))
    query = (select(Seller, District.name, total, paid)
             .join(LedgerEntry, LedgerEntry.seller_id == Seller.id)
             .outerjoin(District, District.lgd_code == Seller.district_lgd_code)
             .where(scope.seller_filter())
             .group_by(Seller.id, District.name).order_by(total.desc(), Seller.id))
    if owed_only:
        query = query.having(total > 0)
    return [SellerBalance(
        seller.id, seller.legal_name or seller.display_name or "", district or "", owed or 0,
        paid_out or 0,
        bool(seller.bank_account_number and seller.bank_ifsc and seller.bank_holder_name),
        seller.bank_holder_name, seller.bank_account_number, seller.bank_ifsc)
        for seller, district, owed, paid_out in db.session.execute(query)]


