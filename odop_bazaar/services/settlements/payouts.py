"""Settlements, the writes: credits for delivered orders, payouts and corrections (each commits).

The ledger (models/settlements.py) only grows. A delivered order is credited to its seller
once its return window has passed and no return of it is open (holds.py): its total less
every refund written so far (sent or not), less the commission the admin has set (taken at
that moment and written down, so a later change of rate alters no credit). A refund written
after the credit is a debit once it has gone. Staff record each bank transfer as a payout;
a payout can never exceed the balance, and one bank reference is recorded once. What a seller
is owed, and their statement, are read in queries.py.
"""

import logging
import re
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from odop_bazaar.db_types import utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models.accounts import User
from odop_bazaar.models.orders import Order, OrderStatus, Refund, RefundStatus
from odop_bazaar.models.sellers import Seller
from odop_bazaar.models.settlements import EntryKind, LedgerEntry
from odop_bazaar.money import format_rupees
from odop_bazaar.services.accounts.staff_scope import Scope
from odop_bazaar.services.errors import DomainError, FieldErrors
from odop_bazaar.services.orders import marketplace_settings
from odop_bazaar.services.settlements import holds
from odop_bazaar.services.settlements.queries import SellerBalance, balance, balances
from odop_bazaar.services.workflow import record

log = logging.getLogger(__name__)
BANK_REFERENCE = re.compile(r"[A-Z0-9][A-Z0-9/-]{3,39}")


class SettlementError(DomainError):
    pass


def commission_on(amount_paise: int, basis_points: int) -> int:
    """The commission on an amount, rounded to the nearest paisa (halves up)."""
    return (amount_paise * basis_points + 5000) // 10000


def post_due_credits(now: datetime | None = None, *, return_window_days: int) -> int:
    """Credit every delivered order whose return window has passed, and debit refunds made
    after a credit; each exactly once (unique keys guard against two runs at once). Commits.
    Returns how many entries were written."""
    now = now or utcnow()
    try:
        written = _credit_due_orders(now - timedelta(days=return_window_days))
        # On PostgreSQL a second run's INSERT waits here for the first run's commit, then
        # fails on the unique key: at this flush, not at the commit below.
        db.session.flush()
        written += _debit_late_refunds()
        db.session.commit()
    except IntegrityError:
        # Another run posted some of these a moment ago; what it posted stands.
        db.session.rollback()
        log.info("Settlement posting raced another run; nothing posted by this one")
        return 0
    return written


def _credit_due_orders(cutoff: datetime) -> int:
    # A sale and its commission for each order delivered before the cutoff and not yet credited.
    rate = marketplace_settings.current("commission_bps")["commission_bps"]
    sale = aliased(LedgerEntry)
    # Every refund written so far is left out, sent or not: one written after this credit is
    # a debit once it goes (_debit_late_refunds).
    refunds = (select(func.coalesce(func.sum(Refund.amount_paise), 0))
               .where(Refund.order_id == Order.id).correlate(Order).scalar_subquery())
    on_hold = holds.orders_on_hold()
    due = db.session.execute(
        select(Order, refunds).where(
            Order.status == OrderStatus.DELIVERED, Order.delivered_at <= cutoff,
            ~exists().where(sale.order_id == Order.id, sale.kind == EntryKind.SALE))
        .order_by(Order.id)).all()
    written = 0
    for order, refunded in due:
        credited = order.total_paise - refunded
        if credited <= 0 or order.id in on_hold:
            continue
        db.session.add(LedgerEntry(
            seller_id=order.seller_id, kind=EntryKind.SALE, amount_paise=credited,
            order_id=order.id, note=order.reference))
        written += 1
        commission = commission_on(credited, rate)
        if commission:
            db.session.add(LedgerEntry(
                seller_id=order.seller_id, kind=EntryKind.COMMISSION, amount_paise=-commission,
                order_id=order.id, note=f"{order.reference}: {rate / 100:g} %"))
            written += 1
    return written


def _debit_late_refunds() -> int:
    # Refunds after the credit (the credit already netted out any before it).
    sale = aliased(LedgerEntry)
    late_refunds = db.session.execute(
        select(Refund, sale).join(sale, and_(sale.order_id == Refund.order_id,
                                             sale.kind == EntryKind.SALE))
        .where(Refund.status == RefundStatus.SUCCEEDED, Refund.created_at > sale.created_at,
               ~exists().where(LedgerEntry.refund_id == Refund.id))).all()
    for refund, credit in late_refunds:
        db.session.add(LedgerEntry(
            seller_id=credit.seller_id, kind=EntryKind.REFUND,
            amount_paise=-refund.amount_paise, order_id=None, refund_id=refund.id,
            note=credit.note))
    return len(late_refunds)


def _lock_seller(seller_id: int) -> Seller:
    """Serialise balance-changing writes for one seller (PostgreSQL row lock; SQLite writes are
    serialised anyway)."""
    seller = db.session.scalar(select(Seller).where(Seller.id == seller_id)
                               .with_for_update())
    if seller is None:
        raise SettlementError(_l("No such seller."))
    return seller


def record_payout(seller_id: int, *, amount_paise: int, paid_on: date, bank_reference: str,
                  note: str, actor: User, today: date) -> LedgerEntry:
    """Record money sent to the seller's bank. Commits.

    Raises:
        FieldErrors: an amount of zero or more than the balance, a date in the future, a bank
            reference that is malformed or already recorded for this seller.
    """
    reference = "".join((bank_reference or "").split()).upper()
    errors = {}
    if not BANK_REFERENCE.fullmatch(reference):
        errors["bank_reference"] = _l("Enter the bank's reference (UTR): 4 to 40 letters and "
                                      "digits.")
    if paid_on > today:
        errors["paid_on"] = _l("The payment date cannot be in the future.")
    if amount_paise <= 0:
        errors["amount"] = _l("Enter an amount more than zero.")
    if errors:
        raise FieldErrors(errors)
    _lock_seller(seller_id)
    owed = balance(seller_id)
    if amount_paise > owed:
        db.session.rollback()
        raise FieldErrors({"amount": _l("This is more than the seller is owed (%(owed)s).",
                                        owed=format_rupees(owed))})
    entry = LedgerEntry(seller_id=seller_id, kind=EntryKind.PAYOUT, amount_paise=-amount_paise,
                        paid_on=paid_on, bank_reference=reference, note=(note or "").strip(),
                        created_by_id=actor.id)
    db.session.add(entry)
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise FieldErrors({"bank_reference": _l(
            "A payout with this bank reference is already recorded for this seller.")}) from error
    record(actor_id=actor.id, object_type="seller", object_id=seller_id, action="payout",
           note=f"{format_rupees(amount_paise)} {reference}")
    db.session.commit()
    return entry


def record_correction(seller_id: int, *, amount_paise: int, reason: str,
                      corrects_id: int | None, actor: User) -> LedgerEntry:
    """A correcting entry (+ owed to the seller, - owed by them), with its reason. Commits.

    Raises:
        FieldErrors: a zero amount, no reason, or a corrected entry of another seller.
    """
    errors = {}
    if not amount_paise:
        errors["amount"] = _l("Enter the amount to add (or, with a minus sign, to take away).")
    if not (reason or "").strip():
        errors["reason"] = _l("Give the reason for the correction.")
    corrected = db.session.get(LedgerEntry, corrects_id) if corrects_id else None
    if corrects_id and (corrected is None or corrected.seller_id != seller_id):
        errors["corrects"] = _l("Choose an entry of this seller's ledger.")
    if errors:
        raise FieldErrors(errors)
    _lock_seller(seller_id)
    entry = LedgerEntry(seller_id=seller_id, kind=EntryKind.ADJUSTMENT, amount_paise=amount_paise,
                        corrects_id=corrects_id, note=reason.strip(), created_by_id=actor.id)
    db.session.add(entry)
    db.session.flush()
    record(actor_id=actor.id, object_type="seller", object_id=seller_id, action="correction",
           note=f"{format_rupees(amount_paise)}: {reason.strip()}")
    db.session.commit()
    return entry


def take_payout_file(scope: Scope, actor: User) -> list[SellerBalance]:
    """The sellers in scope owed money whose bank details are complete, for the bank's
    bulk-payment file; the download is written to the audit log (it is the one place full
    account numbers leave the database). Commits."""
    due = [row for row in balances(scope, owed_only=True) if row.bank_ready]
    record(actor_id=actor.id, object_type="export", object_id=0, action="export:payouts",
           note=f"{len(due)} sellers, {format_rupees(sum(r.balance_paise for r in due))}")
    db.session.commit()
    return due
