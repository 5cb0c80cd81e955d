"""A card payment recorded for its checkout, from the buyer's return, the Stripe webhook or the
expiry job.

Payment completion has one entrance, `complete_payment`, used by all three alike. It claims the
checkout with a conditional UPDATE (awaiting payment -> paid, `workflow.claim`), so whichever
arrives first records the payment and the others find it done; the payment row's unique keys
(one per checkout, one per PaymentIntent) are a second guard. A payment that arrives after its
checkout expired or was cancelled is recorded and refunded in full.
"""

import logging
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from odop_bazaar.db_types import utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models.orders import Checkout, CheckoutState, OrderStatus, Payment, ProcessedEvent
from odop_bazaar.payments import Intent
from odop_bazaar.services import outbox
from odop_bazaar.services.orders import refunds
from odop_bazaar.services.orders.errors import PaymentMismatch, UnknownPayment
from odop_bazaar.services.orders.status_changes import (
    SYSTEM,
    claim_checkout,
    expire_checkout,
    move_order,
)
from odop_bazaar.services.orders.stripe_events import SUCCEEDED, StripeEvent

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Completion:
    outcome: str  # "recorded", "already", "refunded_late", "not_paid"; webhooks: "duplicate" ...
    checkout: Checkout | None


def complete_payment(intent: Intent, *, source: str) -> Completion:
    """Record a provider's payment for its checkout, exactly once. Commits.

    Raises:
        UnknownPayment: no checkout has this PaymentIntent.
        PaymentMismatch: amount or currency differ from the checkout's total (nothing stored).
    """
    checkout = _checkout_paid_by(intent)
    if intent.status != "succeeded":
        return Completion("not_paid", checkout)
    now, note = utcnow(), f"{intent.id} ({source})"
    claimed = claim_checkout(checkout, CheckoutState.PAID, note, also={"paid_at": now})
    db.session.refresh(checkout)
    if not claimed and checkout.state == CheckoutState.PAID:
        db.session.commit()  # nothing changed but what the caller added (a webhook event id)
        return Completion("already", checkout)
    payment = _record_payment(checkout, intent, source, now)
    if payment is None:
        return Completion("already", db.session.get(Checkout, checkout.id))
    if claimed:
        for order in checkout.orders:
            move_order(order, OrderStatus.PAID, None, SYSTEM, note=f"payment {note}")
        outbox.notify("order_placed", checkout)  # whichever of return, webhook, expiry job wins
        db.session.commit()
        return Completion("recorded", checkout)
    # Too late: the checkout expired or was cancelled and its stock went back. Refund it all.
    refunds.refund_late_payment(checkout, payment, note)
    return Completion("refunded_late", checkout)


def _checkout_paid_by(intent: Intent) -> Checkout:
    """The checkout this PaymentIntent pays for, if the amount is right.

    Raises:
        UnknownPayment, PaymentMismatch.
    """
    checkout = db.session.scalar(select(Checkout).where(
        Checkout.stripe_payment_intent_id == intent.id))
    if checkout is None:
        raise UnknownPayment(_l("This payment belongs to no order here."))
    if intent.amount_paise != checkout.total_paise or intent.currency.lower() != "inr":
        log.warning("Payment %s for %s: %s %s, expected %s inr", intent.id, checkout.reference,
                    intent.amount_paise, intent.currency, checkout.total_paise)
        raise PaymentMismatch(_l("The payment does not match the order total."))
    return checkout


def _record_payment(checkout: Checkout, intent: Intent, source: str, now) -> Payment | None:
    """The payment row, or None (all rolled back) when another request recorded it first: its
    unique keys are the second guard against recording one payment twice."""
    payment = Payment(checkout_id=checkout.id, provider="stripe", provider_reference=intent.id,
                      amount_paise=intent.amount_paise, currency="inr", source=source,
                      received_at=now)
    db.session.add(payment)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return None
    return payment


def handle_event(event: StripeEvent) -> Completion:
    """A verified Stripe webhook event, handled once. Commits, except when the event changes
    nothing here (a type the shop does not act on, a PaymentIntent of no checkout here): that
    leaves no trace. Returns what was done (and the checkout, when there is one).

    Raises:
        PaymentMismatch: a payment whose amount or currency differ from its checkout's total.
    """
    if not event.handled:
        return Completion("ignored", None)
    checkout = db.session.scalar(select(Checkout).where(
        Checkout.stripe_payment_intent_id == event.intent_id))
    if checkout is None:
        return Completion("ignored", None)  # another integration on the same Stripe account
    try:
        db.session.add(ProcessedEvent(event_id=event.id, event_type=event.type))
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return Completion("duplicate", None)
    if event.type == SUCCEEDED:
        return complete_payment(event.intent, source="webhook")
    expire_checkout(checkout, _l("The payment was cancelled."))
    db.session.commit()
    return Completion("cancelled", checkout)
