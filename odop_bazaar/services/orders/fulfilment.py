"""After an order is placed: the seller's steps, cancellation (stock back, a card payment
refunded) and the end of card checkouts not paid in time."""

import logging

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from odop_bazaar.db_types import utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models.accounts import User
from odop_bazaar.models.orders import (
    CHECKOUT_TRANSITIONS,
    Checkout,
    CheckoutState,
    Order,
    OrderStatus,
)
from odop_bazaar.payments import GatewayError, stripe_gateway
from odop_bazaar.services import outbox
from odop_bazaar.services.errors import DomainError, FieldErrors
from odop_bazaar.services.orders import refunds
from odop_bazaar.services.orders.payments import complete_payment
from odop_bazaar.services.orders.status_changes import (
    expire_checkout,
    move_order,
    release_stock,
)
from odop_bazaar.services.workflow import InvalidTransition, transition

log = logging.getLogger(__name__)


def advance(order: Order, seller_user: User, to_status: str, *, carrier: str = "",
            tracking: str = "") -> None:
    """The seller's next step (accept, pack, ship with carrier and tracking, delivered). Commits.

    to_status is the step the seller's button asked for: a second press of the same button (a
    double click, a reload) finds the order already there and is refused, never taken further.

    Raises:
        FieldErrors (shipping without carrier or tracking number), InvalidTransition.
    """
    if to_status != order.seller_next:
        raise InvalidTransition(_l("This order has already moved on: it is “%(status)s”.",
                                   status=order.status_enum.label))
    if to_status == OrderStatus.SHIPPED:
        carrier, tracking = " ".join(carrier.split()), "".join(tracking.split())
        errors = {}
        if not carrier or len(carrier) > 80:
            errors["carrier"] = _l("Enter the courier or postal service (at most 80 characters).")
        if not tracking or len(tracking) > 80:
            errors["tracking"] = _l("Enter the tracking number (at most 80 characters).")
        if errors:
            raise FieldErrors(errors)
        order.carrier, order.tracking_number = carrier, tracking
    move_order(order, OrderStatus(to_status), seller_user.id, "seller",
               note=f"{carrier} {tracking}".strip())
    outbox.notify("order_status", order)
    try:
        db.session.commit()
    except StaleDataError as error:
        db.session.rollback()
        raise InvalidTransition(_l("This order changed a moment ago. Reload the page to see "
                                   "where it is now.")) from error


def cancel_order(order: Order, actor: User, role: str, reason: str = "") -> None:
    """Cancel an order before it ships; stock goes back once; a card payment is refunded for
    this order's total. Commits.

    Raises:
        FieldErrors (a seller or staff must give a reason), InvalidTransition.
    """
    reason = " ".join((reason or "").split())
    if role in ("seller", "staff") and not reason:
        raise FieldErrors({"reason": _l("Tell the buyer why the order is cancelled.")})
    if len(reason) > 500:
        raise FieldErrors({"reason": _l("Use at most %(num)d characters.", num=500)})
    if order.awaiting_payment:
        _cancel_unpaid_checkout(order, actor, role, reason)
        return
    order.cancel_reason = reason or None
    order.cancelled_by = role
    move_order(order, OrderStatus.CANCELLED, actor.id, role, note=reason)
    release_stock(order)
    refund = refunds.add_order_refund(order)
    # Written with the cancellation; a card refund is sent after it (its amount is on the
    # order page, not in this mail).
    outbox.notify("order_status", order)
    db.session.commit()
    if refund is not None:
        refunds.send_order_refund(refund, order)


def _cancel_unpaid_checkout(order: Order, actor: User, role: str, reason: str) -> None:
    """Unpaid card checkout: one PaymentIntent covers every order in it, so the buyer cancels
    them together; nobody else may (a seller would cancel another seller's order). Commits.

    Raises:
        InvalidTransition: not the buyer, or the payment arrived meanwhile.
    """
    if role != "buyer":
        raise InvalidTransition(_l("An order waiting for payment can only be cancelled by "
                                   "its buyer."))
    reason = reason or str(_l("Cancelled by the buyer before paying."))
    if not expire_checkout(order.checkout, reason):
        db.session.rollback()
        raise InvalidTransition(_l("The payment for this order arrived a moment ago. Reload "
                                   "the page: you can cancel the paid order for a refund."))
    transition(order.checkout, CheckoutState.CANCELLED, table=CHECKOUT_TRANSITIONS,
               actor_id=actor.id, actor_role=role, object_type="checkout", note=reason,
               field="state")
    outbox.notify("order_status", order)
    db.session.commit()
    _cancel_intent(order.checkout)


def _cancel_intent(checkout: Checkout) -> None:
    gateway = stripe_gateway()
    if gateway and checkout.stripe_payment_intent_id:
        try:
            gateway.cancel_intent(checkout.stripe_payment_intent_id)
        except GatewayError:
            log.info("PaymentIntent of %s could not be cancelled", checkout.reference)


def expire_unpaid(now=None) -> tuple[int, int]:
    """Card checkouts past their time: ask Stripe first (a payment may be in flight), then
    complete or expire each. Safe to run from cron, twice at once. Returns (expired, paid)."""
    now = now or utcnow()
    due = db.session.scalars(select(Checkout).where(
        Checkout.state == CheckoutState.AWAITING_PAYMENT, Checkout.expires_at < now)).all()
    expired = paid = 0
    gateway = stripe_gateway()
    for checkout in due:
        if checkout.stripe_payment_intent_id and gateway is not None:
            try:
                intent = gateway.retrieve_intent(checkout.stripe_payment_intent_id)
            except GatewayError:
                continue  # try again on the next run rather than guess
            if intent.status == "succeeded":
                paid += _complete_late_found(checkout, intent)
                continue
            if intent.status == "processing":
                continue
        if expire_checkout(checkout, _l("Not paid in time.")):
            expired += 1
        db.session.commit()
        if checkout.stripe_payment_intent_id and gateway is not None:
            try:
                gateway.cancel_intent(checkout.stripe_payment_intent_id)
            except GatewayError:
                pass  # already cancelled, or a late payment the webhook will refund
    return expired, paid


def _complete_late_found(checkout: Checkout, intent) -> bool:
    """A payment the expiry job found made: recorded (True) unless it was already."""
    try:
        return complete_payment(intent, source="expiry").outcome == "recorded"
    except DomainError as error:  # a mismatch: leave it for staff, go on
        db.session.rollback()
        log.warning("Checkout %s not completed: %s", checkout.reference, error)
        return False
