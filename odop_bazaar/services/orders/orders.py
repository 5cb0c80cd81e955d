"""After an order is placed: payment, the seller's steps, cancellation, refunds and expiry.

Payment completion has one entrance, `complete_payment`, used by the buyer's return from the
payment page, the Stripe webhook and the expiry job alike. It claims the checkout with a
conditional UPDATE (awaiting payment -> paid), so whichever arrives first records the payment
and the others find it done; the payment row's unique keys (one per checkout, one per
PaymentIntent) are a second guard. A payment that arrives after its checkout expired or was
cancelled is recorded and refunded in full.
"""

import logging
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from odop_bazaar.db_types import utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models.accounts import User
from odop_bazaar.models.audit import AuditEntry
from odop_bazaar.models.orders import (
    ORDER_TRANSITIONS,
    Checkout,
    CheckoutState,
    Order,
    OrderStatus,
    Payment,
    PaymentMethod,
    ProcessedEvent,
    Refund,
)
from odop_bazaar.payments import GatewayError, Intent, stripe_gateway
from odop_bazaar.services.accounts.staff_scope import Scope
from odop_bazaar.services.errors import DomainError, FieldErrors
from odop_bazaar.services.orders.checkout import release_stock
from odop_bazaar.services.orders.stripe_events import SUCCEEDED, StripeEvent
from odop_bazaar.services.workflow import InvalidTransition, record, transition

log = logging.getLogger(__name__)
SYSTEM = "system"


class PaymentMismatch(DomainError):
    """The provider's payment does not match the checkout (amount or currency)."""


class UnknownPayment(DomainError):
    pass


class NotYourOrder(DomainError):
    pass


@dataclass(frozen=True)
class Completion:
    outcome: str  # "recorded", "already", "refunded_late", "not_paid"; webhooks: "duplicate" ...
    checkout: Checkout | None


def _move(order: Order, to_status: OrderStatus, actor_id: int | None, role: str,
          note: str = "") -> None:
    """Change an order's status by the workflow table; audited. The UPDATE checks the order's
    version, so when two people act on one order at once (the buyer cancels as the seller
    ships) the second is refused and changes nothing."""
    if to_status == OrderStatus.DELIVERED:
        order.delivered_at = utcnow()  # the return window, and the seller's credit, run from here
    try:
        transition(order, to_status, table=ORDER_TRANSITIONS, actor_id=actor_id,
                   actor_role=role, object_type="order", note=note)
    except StaleDataError as error:
        db.session.rollback()
        raise InvalidTransition(_l("This order changed a moment ago. Reload the page to see "
                                   "where it is now.")) from error


def _checkout_state(checkout: Checkout, state: str, actor_id: int | None, note="") -> None:
    record(actor_id=actor_id, object_type="checkout", object_id=checkout.id, action="state",
           to_status=state, note=str(note))


def complete_payment(intent: Intent, *, source: str) -> Completion:
    """Record a provider's payment for its checkout, exactly once. Commits.

    Raises:
        UnknownPayment: no checkout has this PaymentIntent.
        PaymentMismatch: amount or currency differ from the checkout's total (nothing stored).
    """
    checkout = db.session.scalar(select(Checkout).where(
        Checkout.stripe_payment_intent_id == intent.id))
    if checkout is None:
        raise UnknownPayment(_l("This payment belongs to no order here."))
    if intent.amount_paise != checkout.total_paise or intent.currency.lower() != "inr":
        log.warning("Payment %s for %s: %s %s, expected %s inr", intent.id, checkout.reference,
                    intent.amount_paise, intent.currency, checkout.total_paise)
        raise PaymentMismatch(_l("The payment does not match the order total."))
    if intent.status != "succeeded":
        return Completion("not_paid", checkout)

    now = utcnow()
    claimed = db.session.execute(
        update(Checkout).where(Checkout.id == checkout.id,
                               Checkout.state == CheckoutState.AWAITING_PAYMENT)
        .values(state=CheckoutState.PAID, paid_at=now)
        .execution_options(synchronize_session=False)).rowcount == 1
    db.session.refresh(checkout)
    if not claimed and checkout.state == CheckoutState.PAID:
        db.session.commit()  # nothing changed but what the caller added (a webhook event id)
        return Completion("already", checkout)
    payment = Payment(checkout_id=checkout.id, provider="stripe", provider_reference=intent.id,
                      amount_paise=intent.amount_paise, currency="inr", source=source,
                      received_at=now)
    db.session.add(payment)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return Completion("already", db.session.get(Checkout, checkout.id))
    if claimed:
        _checkout_state(checkout, CheckoutState.PAID, None, f"{intent.id} ({source})")
        for order in checkout.orders:
            _move(order, OrderStatus.PAID, None, SYSTEM, note=f"payment {intent.id} ({source})")
        db.session.commit()
        return Completion("recorded", checkout)
    # Too late: the checkout expired or was cancelled and its stock went back. Refund it all.
    refund = Refund(payment_id=payment.id, amount_paise=payment.amount_paise, status="pending",
                    idempotency_key=f"late-{checkout.reference}")
    db.session.add(refund)
    _checkout_state(checkout, "refund_late_payment", None, f"{intent.id} ({source})")
    db.session.commit()
    _send_refund(refund, intent.id)
    return Completion("refunded_late", checkout)


def _send_refund(refund: Refund, intent_id: str) -> None:
    """Ask Stripe for the refund; a failure leaves it pending for `flask retry-refunds`."""
    gateway = stripe_gateway()
    try:
        if gateway is None:
            raise GatewayError("card payments are not configured")
        refund.provider_reference = gateway.refund(intent_id, refund.amount_paise,
                                                   refund.idempotency_key)
        refund.status = "succeeded"
    except GatewayError as error:
        log.warning("Refund %s still pending: %s", refund.id, error)
        refund.status = "pending"
    db.session.commit()


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


def expire_checkout(checkout: Checkout, reason) -> bool:
    """An unpaid card checkout ends: its orders are cancelled and their stock goes back, once.
    Does not commit."""
    claimed = db.session.execute(
        update(Checkout).where(Checkout.id == checkout.id,
                               Checkout.state == CheckoutState.AWAITING_PAYMENT)
        .values(state=CheckoutState.EXPIRED).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        return False
    db.session.refresh(checkout)
    _checkout_state(checkout, CheckoutState.EXPIRED, None, reason)
    for order in checkout.orders:
        if order.status == OrderStatus.PENDING_PAYMENT:
            order.cancel_reason = str(reason)
            order.cancelled_by = SYSTEM
            _move(order, OrderStatus.CANCELLED, None, SYSTEM, note=str(reason))
            release_stock(order)
    return True


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
                try:
                    if complete_payment(intent, source="expiry").outcome == "recorded":
                        paid += 1
                except DomainError as error:  # a mismatch: leave it for staff, go on
                    db.session.rollback()
                    log.warning("Checkout %s not completed: %s", checkout.reference, error)
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


def _paid_by_card(order: Order) -> Payment | None:
    return db.session.scalar(select(Payment).where(Payment.checkout_id == order.checkout_id))


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
    if order.status == OrderStatus.PENDING_PAYMENT:
        # Unpaid card checkout: one PaymentIntent covers every order in it, so the buyer cancels
        # them together; nobody else may (a seller would cancel another seller's order).
        if role != "buyer":
            raise InvalidTransition(_l("An order waiting for payment can only be cancelled by "
                                       "its buyer."))
        reason = reason or str(_l("Cancelled by the buyer before paying."))
        if not expire_checkout(order.checkout, reason):
            db.session.rollback()
            raise InvalidTransition(_l("The payment for this order arrived a moment ago. Reload "
                                       "the page: you can cancel the paid order for a refund."))
        db.session.execute(update(Checkout).where(Checkout.id == order.checkout_id)
                           .values(state=CheckoutState.CANCELLED))
        _checkout_state(order.checkout, CheckoutState.CANCELLED, actor.id, reason)
        db.session.commit()
        _cancel_intent(order.checkout)
        return
    order.cancel_reason = reason or None
    order.cancelled_by = role
    _move(order, OrderStatus.CANCELLED, actor.id, role, note=reason)
    release_stock(order)
    payment = _paid_by_card(order)
    refund = None
    if payment is not None:
        refund = Refund(payment_id=payment.id, order_id=order.id,
                        amount_paise=order.total_paise, status="pending",
                        idempotency_key=f"refund-order-{order.id}")
        db.session.add(refund)
    db.session.commit()
    if refund is not None:
        _send_refund(refund, payment.provider_reference)
        if refund.status == "succeeded":
            order.refunded_paise = refund.amount_paise
            _move(order, OrderStatus.REFUNDED, None, SYSTEM, note=refund.provider_reference)
            db.session.commit()


def _cancel_intent(checkout: Checkout) -> None:
    gateway = stripe_gateway()
    if gateway and checkout.stripe_payment_intent_id:
        try:
            gateway.cancel_intent(checkout.stripe_payment_intent_id)
        except GatewayError:
            log.info("PaymentIntent of %s could not be cancelled", checkout.reference)


def retry_refunds() -> int:
    """Send refunds that are still pending (Stripe was unreachable). Returns how many went."""
    sent = 0
    for refund in db.session.scalars(select(Refund).where(Refund.status == "pending")).all():
        payment = db.session.get(Payment, refund.payment_id)
        _send_refund(refund, payment.provider_reference)
        if refund.status == "succeeded":
            sent += 1
            if refund.order_id:
                order = db.session.get(Order, refund.order_id)
                order.refunded_paise = refund.amount_paise
                if order.status == OrderStatus.CANCELLED:
                    _move(order, OrderStatus.REFUNDED, None, SYSTEM, note=refund.provider_reference)
                db.session.commit()
    return sent


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
    _move(order, OrderStatus(to_status), seller_user.id, "seller",
          note=f"{carrier} {tracking}".strip())
    try:
        db.session.commit()
    except StaleDataError as error:
        db.session.rollback()
        raise InvalidTransition(_l("This order changed a moment ago. Reload the page to see "
                                   "where it is now.")) from error


def timeline(order: Order) -> list[AuditEntry]:
    return db.session.scalars(select(AuditEntry).where(
        AuditEntry.object_type == "order", AuditEntry.object_id == order.id)
        .order_by(AuditEntry.id)).all()


def late_refund(checkout: Checkout) -> Refund | None:
    """The refund of a payment that arrived after its checkout lapsed, if there is one."""
    return db.session.scalar(select(Refund).join(Payment, Payment.id == Refund.payment_id).where(
        Payment.checkout_id == checkout.id, Refund.order_id.is_(None)))


def buyer_checkout(buyer: User, reference: str) -> Checkout | None:
    """The buyer's own checkout by reference (another buyer's is as good as missing)."""
    checkout = db.session.scalar(select(Checkout).where(Checkout.reference == reference))
    if checkout is None or checkout.buyer_id != buyer.id:
        return None
    return checkout


def order_in_checkout(reference: str, order_id: int) -> Order | None:
    """A seller order by its checkout's reference and its id (who may see it is the caller's
    question)."""
    return db.session.scalar(select(Order).join(Checkout, Checkout.id == Order.checkout_id)
                             .where(Checkout.reference == reference, Order.id == order_id))


def buyer_checkouts(buyer: User) -> list[Checkout]:
    return db.session.scalars(select(Checkout).where(Checkout.buyer_id == buyer.id)
                              .order_by(Checkout.id.desc()).limit(100)).all()


def seller_orders(seller_id: int, status: str | None = None) -> list[Order]:
    query = select(Order).where(Order.seller_id == seller_id)
    if status:
        query = query.where(Order.status == status)
    return db.session.scalars(query.order_by(Order.placed_at.desc(), Order.id.desc())
                              .limit(200)).all()


def seller_order(seller_id: int, order_id: int) -> Order:
    order = db.session.get(Order, order_id)
    if order is None or order.seller_id != seller_id:
        raise NotYourOrder(_l("That order is not yours."))
    return order


@dataclass
class StaffFilters:
    status: str | None = None
    state: int | None = None
    seller: int | None = None
    payment: str | None = None


def staff_orders_query(filters: StaffFilters, scope: Scope):
    """Orders of sellers in the staff member's places that match the filters, newest first."""
    query = (select(Order).join(Checkout, Checkout.id == Order.checkout_id)
             .where(Order.seller_id.in_(scope.seller_ids())))
    if filters.status:
        query = query.where(Order.status == filters.status)
    if filters.state:
        query = query.where(Checkout.delivery_state_lgd_code == filters.state)
    if filters.seller:
        query = query.where(Order.seller_id == filters.seller)
    if filters.payment in (PaymentMethod.CARD, PaymentMethod.CASH_ON_DELIVERY):
        query = query.where(Checkout.payment_method == filters.payment)
    return query.order_by(Order.placed_at.desc(), Order.id.desc())


def staff_orders(filters: StaffFilters, scope: Scope,
                 limit: int = 200) -> tuple[list[Order], int]:
    """Orders of sellers in the staff member's places, newest first, and how many match."""
    query = staff_orders_query(filters, scope)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    orders = db.session.scalars(query.limit(limit).options(selectinload(Order.checkout))).all()
    return orders, total
