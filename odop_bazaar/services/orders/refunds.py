"""Money sent back: a cancelled order paid by card, and a payment that arrived after its checkout
lapsed. A refund is written pending in the unit of work that calls for it, then sent to Stripe
with an idempotency key, so a retry after a lost reply (`flask retry-refunds`) cannot refund
twice."""

import logging

from sqlalchemy import select

from odop_bazaar.extensions import db
from odop_bazaar.models.orders import (
    REFUND_TRANSITIONS,
    Checkout,
    Order,
    OrderStatus,
    Payment,
    Refund,
    RefundStatus,
)
from odop_bazaar.payments import GatewayError, stripe_gateway
from odop_bazaar.services.orders.queries import card_payment
from odop_bazaar.services.orders.status_changes import SYSTEM, move_order
from odop_bazaar.services.workflow import claim, record

log = logging.getLogger(__name__)


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
        claim(refund, RefundStatus.PENDING, RefundStatus.SUCCEEDED, table=REFUND_TRANSITIONS,
              actor_id=None, actor_role=SYSTEM, object_type="refund", note=provider_reference,
              also={"provider_reference": provider_reference})
    db.session.commit()


def add_order_refund(order: Order) -> Refund | None:
    """A pending refund of a cancelled order's total, if it was paid by card. Does not commit:
    the refund is written with the cancellation, then sent (`send_order_refund`)."""
    payment = card_payment(order)
    if payment is None:
        return None
    refund = Refund(payment_id=payment.id, order_id=order.id, amount_paise=order.total_paise,
                    status=RefundStatus.PENDING, idempotency_key=f"refund-order-{order.id}")
    db.session.add(refund)
    return refund


def send_order_refund(refund: Refund, order: Order) -> bool:
    """Send a cancelled order's refund; once Stripe accepts it, the order is refunded. Commits.
    Returns whether it went."""
    send_refund(refund, db.session.get(Payment, refund.payment_id).provider_reference)
    if refund.status != RefundStatus.SUCCEEDED:
        return False
    order.refunded_paise = refund.amount_paise
    if order.status == OrderStatus.CANCELLED:
        move_order(order, OrderStatus.REFUNDED, None, SYSTEM, note=refund.provider_reference)
    db.session.commit()
    return True


def refund_late_payment(checkout: Checkout, payment: Payment, note: str) -> Refund:
    """Refund in full a payment that arrived after its checkout expired or was cancelled (its
    stock went back): audited on the checkout, committed, then sent."""
    refund = Refund(payment_id=payment.id, amount_paise=payment.amount_paise,
                    status=RefundStatus.PENDING, idempotency_key=f"late-{checkout.reference}")
    db.session.add(refund)
    record(actor_id=None, object_type="checkout", object_id=checkout.id,
           action="refund_late_payment", note=note)
    db.session.commit()
    send_refund(refund, payment.provider_reference)
    return refund


def retry_refunds() -> int:
    """Send refunds that are still pending (Stripe was unreachable). Returns how many went."""
    sent = 0
    pending = db.session.scalars(select(Refund).where(Refund.status == RefundStatus.PENDING))
    for refund in pending.all():
        if refund.order_id:
            sent += send_order_refund(refund, db.session.get(Order, refund.order_id))
            continue
        send_refund(refund, db.session.get(Payment, refund.payment_id).provider_reference)
        sent += refund.status == RefundStatus.SUCCEEDED
    return sent
