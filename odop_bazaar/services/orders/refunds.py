"""Money sent back by card: a cancelled order, part of a delivered order (a return), and a
payment that arrived after its checkout lapsed. A refund is written pending in the unit of work
that calls for it, then sent to Stripe with an idempotency key stored on it, so a retry after a
lost reply (`flask retry-refunds`) cannot refund twice.

An order's refunds never add up to more than was paid for it: each new refund is written under
the order's row lock, after counting the ones already written (bank refunds, for cash on
delivery, are in bank_refunds.py and obey the same count, `refundable_paise`).
"""

import logging
import uuid

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from odop_bazaar.db_types import utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models.accounts import User
from odop_bazaar.models.orders import (
    REFUND_TRANSITIONS,
    Checkout,
    Order,
    OrderStatus,
    Payment,
    Refund,
    RefundMethod,
    RefundStatus,
)
from odop_bazaar.money import format_rupees
from odop_bazaar.payments import GatewayError, stripe_gateway
from odop_bazaar.services.errors import FieldErrors
from odop_bazaar.services.orders.errors import RefundRefused
from odop_bazaar.services.orders.queries import card_payment
from odop_bazaar.services.orders.refund_queries import (
    paid_paise,
    refund_of_return,
    refunded_paise,
    written_paise,
)
from odop_bazaar.services.orders.status_changes import SYSTEM, move_order
from odop_bazaar.services.workflow import claim, lock_row, record

log = logging.getLogger(__name__)


def refundable_paise(order_id: int) -> int:
    """What may still be refunded for the order: what was paid for it (card payment received,
    or cash collected on delivery) less every refund already written, sent or not."""
    order = db.session.get(Order, order_id)
    if order is None:
        return 0
    return max(paid_paise(order) - written_paise(order.id), 0)


def lock_order_for_refund(order_id: int, amount_paise: int) -> Order:
    """Take the order's row lock (so two refunds at once are counted one after the other), and
    check that the amount fits in what is still refundable. Does not commit.

    Raises:
        FieldErrors: an amount of zero or less, or more than is still refundable (rolled back).
    """
    if amount_paise <= 0:
        raise FieldErrors({"amount": _l("Enter an amount more than zero.")})
    lock_row(Order, order_id)
    order = db.session.get(Order, order_id, populate_existing=True)
    if order is None:
        db.session.rollback()
        raise RefundRefused(_l("No such order."))
    left = refundable_paise(order_id)
    if amount_paise > left:
        db.session.rollback()
        raise FieldErrors({"amount": _l(
            "This is more than can still be refunded for the order (%(left)s).",
            left=format_rupees(left))})
    return order


def write_refund(order: Order, refund: Refund, actor: User | None) -> Refund:
    """Add the refund and its line on the order's timeline, and commit; a second refund for
    the same return finds the first (a double click refunds once)."""
    db.session.add(refund)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        existing = refund_of_return(refund.return_id) if refund.return_id else None
        if existing is None:
            raise
        return existing
    record(actor_id=actor.id if actor else None, object_type="order", object_id=order.id,
           action="refund",
           note=f"{format_rupees(refund.amount_paise)} {refund.reason}".strip())
    db.session.commit()
    return refund


def add_card_refund(order_id: int, amount_paise: int, reason: str, *,
                    return_id: int | None = None, actor: User | None = None) -> Refund:
    """Refund part (or all) of a card order through Stripe, for exactly `amount_paise`. The
    refund is written (committed) first, then sent; if Stripe cannot be reached it stays
    pending for `flask retry-refunds`. A second call for the same return_id returns the first
    refund instead of making another.

    Raises:
        FieldErrors: {"amount": ...} zero, or more than is still refundable for the order.
        RefundRefused: no such order, or it was not paid by card.
    """
    if return_id is not None and (existing := refund_of_return(return_id)) is not None:
        return existing
    order = db.session.get(Order, order_id)
    payment = card_payment(order) if order is not None else None
    if payment is None:
        raise RefundRefused(_l("This order was not paid by card."))
    order = lock_order_for_refund(order_id, amount_paise)
    refund = write_refund(order, Refund(
        method=RefundMethod.CARD, payment_id=payment.id, order_id=order.id,
        return_id=return_id, amount_paise=amount_paise, reason=(reason or "").strip(),
        status=RefundStatus.PENDING, idempotency_key=f"refund-{uuid.uuid4().hex}",
        created_by_id=actor.id if actor else None), actor)
    if refund.status == RefundStatus.PENDING:
        send_refund(refund, payment.provider_reference)
    return refund


def count_on_order(refund: Refund) -> None:
    """A refund has gone: the order's refunded figure follows, and a cancelled order becomes
    refunded. Under the order's row lock, as two refunds of one order may succeed at once.
    Does not commit."""
    if not refund.order_id:
        return
    lock_row(Order, refund.order_id)
    order = db.session.get(Order, refund.order_id, populate_existing=True)
    order.refunded_paise = refunded_paise(order.id)
    if order.status == OrderStatus.CANCELLED:
        move_order(order, OrderStatus.REFUNDED, None, SYSTEM, note=refund.provider_reference)


def send_refund(refund: Refund, intent_id: str) -> None:
    """Ask Stripe for the refund; a failure leaves it pending for `flask retry-refunds`.
    Commits."""
    gateway = stripe_gateway()
    try:
        if gateway is None:
            raise GatewayError("card payments are not configured")
        provider_reference = gateway.refund(intent_id, refund.amount_paise,
                                            refund.idempotency_key)
    except GatewayError as error:
        log.warning("Refund %s still pending: %s", refund.id, error)  # it stays pending
    else:
        # The cancelling request and `flask retry-refunds` may send the same refund at once (one
        # idempotency key, so Stripe refunds once): whichever records it first wins, and the
        # other has nothing left to do.
        if claim(refund, RefundStatus.PENDING, RefundStatus.SUCCEEDED, table=REFUND_TRANSITIONS,
                 actor_id=None, actor_role=SYSTEM, object_type="refund", note=provider_reference,
                 also={"provider_reference": provider_reference, "succeeded_at": utcnow()}):
            count_on_order(refund)
    db.session.commit()


def add_order_refund(order: Order) -> Refund | None:
    """A pending refund of what is left of a cancelled order's total, if it was paid by card.
    Does not commit: the refund is written with the cancellation, then sent
    (`send_order_refund`)."""
    payment = card_payment(order)
    left = refundable_paise(order.id)
    if payment is None or left <= 0:
        return None
    refund = Refund(method=RefundMethod.CARD, payment_id=payment.id, order_id=order.id,
                    amount_paise=left, status=RefundStatus.PENDING,
                    reason=order.cancel_reason or "", idempotency_key=f"refund-order-{order.id}")
    db.session.add(refund)
    return refund


def send_order_refund(refund: Refund, order: Order) -> bool:
    """Send an order's refund; once Stripe accepts it, the order counts it (and a cancelled
    order is refunded). Commits. Returns whether it went."""
    send_refund(refund, db.session.get(Payment, refund.payment_id).provider_reference)
    return refund.status == RefundStatus.SUCCEEDED


def refund_late_payment(checkout: Checkout, payment: Payment, note: str) -> Refund:
    """Refund in full a payment that arrived after its checkout expired or was cancelled (its
    stock went back): audited on the checkout, committed, then sent."""
    refund = Refund(method=RefundMethod.CARD, payment_id=payment.id,
                    amount_paise=payment.amount_paise, status=RefundStatus.PENDING,
                    idempotency_key=f"late-{checkout.reference}")
    db.session.add(refund)
    record(actor_id=None, object_type="checkout", object_id=checkout.id,
           action="refund_late_payment", note=note)
    db.session.commit()
    send_refund(refund, payment.provider_reference)
    return refund


def retry_refunds() -> int:
    """Send card refunds that are still pending (Stripe was unreachable). Returns how many
    went."""
    sent = 0
    pending = db.session.scalars(select(Refund).where(Refund.status == RefundStatus.PENDING,
                                                      Refund.payment_id.is_not(None)))
    for refund in pending.all():
        send_refund(refund, db.session.get(Payment, refund.payment_id).provider_reference)
        sent += refund.status == RefundStatus.SUCCEEDED
    return sent
