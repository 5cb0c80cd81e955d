"""Placing an order: the summary a buyer confirmed (summary.py) and the delivery address, then one
transaction that reserves stock and writes one order per seller under one checkout reference.

Every figure is computed from the database. The form carries only a fingerprint of the
summary the buyer saw; if anything changed since (a price, stock, a product leaving the shop),
the order is refused with the new summary and nothing is stored.

Stock is taken inside the transaction that writes the order (services/catalogue/stock.py: one
conditional UPDATE per listing, in listing-id order): two buyers racing for the last unit cannot
both get it, and a failure anywhere before the commit leaves no order and no reservation.

One summary makes at most one checkout, however often "Place order" is pressed (a double click, a
slow network, a refreshed POST, two tabs). The summary's fingerprint names the cart's version, and
the order is written only by the request that moves the cart on from that version, with a
compare-and-set UPDATE (`version = v + 1 WHERE version = v`): on PostgreSQL the others wait for
its row lock and then find the version moved; on SQLite, where `SELECT ... FOR UPDATE` does
nothing, the single writer does the same. The checkout keeps the fingerprint, so every repeat is
answered with the order that was placed (AlreadyPlaced). For a card, the cart is taken in its own
short transaction first, then the PaymentIntent is created (no database lock is held across the
call to Stripe), then the order is written; a repeat that arrives in between waits for it.
"""

import re
import secrets
import time
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from odop_bazaar.db_types import utcnow
from odop_bazaar.extensions import db
from odop_bazaar.identifiers import (
    InvalidIdentifier,
    normalise_mobile,
    validate_pin,
)
from odop_bazaar.models.accounts import User
from odop_bazaar.models.orders import (
    Cart,
    Checkout,
    CheckoutState,
    Order,
    OrderItem,
    OrderStatus,
    PaymentMethod,
)
from odop_bazaar.models.reference import State
from odop_bazaar.models.sellers import GstMode, Seller
from odop_bazaar.payments import CashOnDelivery, GatewayError, Intent, StripeGateway, gateway_for
from odop_bazaar.services import outbox
from odop_bazaar.services.catalogue import stock
from odop_bazaar.services.catalogue.storefront import seller_address_lines
from odop_bazaar.services.errors import FieldErrors
from odop_bazaar.services.orders import cart as cart_service
from odop_bazaar.services.orders.errors import (
    AlreadyPlaced,
    CartChanged,
    EmptyCart,
    OutOfStock,
    PaymentUnavailable,
    StillPlacing,
)
from odop_bazaar.services.orders.summary import SellerGroup, Summary, summarise
from odop_bazaar.services.workflow import record

REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read out on a phone


def check_address(data: dict) -> dict:
    """The delivery address, checked; FieldErrors lists every problem at once."""
    errors, values = {}, {}
    for name, label, longest in (("name", _l("Enter the name of the person receiving it."), 120),
                                 ("line1", _l("Enter the house, street or village."), 200),
                                 ("city", _l("Enter the town or city."), 80)):
        value = " ".join(str(data.get(name) or "").split())
        if not value:
            errors[name] = label
        elif len(value) > longest:
            errors[name] = _l("Use at most %(num)d characters.", num=longest)
        values[name] = value
    line2 = " ".join(str(data.get("line2") or "").split())
    if len(line2) > 200:
        errors["line2"] = _l("Use at most %(num)d characters.", num=200)
    values["line2"] = line2 or None
    state_code = str(data.get("state") or "")
    state = (db.session.get(State, int(state_code))
             if re.fullmatch(r"[0-9]{1,3}", state_code) else None)
    if state is None:
        errors["state"] = _l("Choose the state.")
    values["state"] = state.lgd_code if state else None
    try:
        values["phone"] = normalise_mobile(str(data.get("phone") or ""))
    except InvalidIdentifier as error:
        errors["phone"] = str(error)
    try:
        values["pin"] = validate_pin(str(data.get("pin") or ""),
                                     lgd_state_code=state.lgd_code if state else None)
    except InvalidIdentifier as error:
        errors["pin"] = str(error)
    if errors:
        raise FieldErrors(errors)
    return values


def _new_reference() -> str:
    return "ODB-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


@dataclass
class _Draft:
    """An order place_order has checked, on its way to the database."""

    buyer: User
    summary: Summary
    address: dict
    payment_method: str
    reference: str = field(default_factory=_new_reference)

    @property
    def by_card(self) -> bool:
        return self.payment_method == PaymentMethod.CARD


def place_order(buyer: User, session, address_data: dict, payment_method: str,
                fingerprint: str) -> Checkout:
    """Turn the buyer's cart into one checkout with one order per seller. Commits once.

    Raises:
        FieldErrors (address, or a card payment where cards are not taken), EmptyCart,
        CartChanged (the summary changed: show it again), OutOfStock (lost a race for the last
        units), PaymentUnavailable (the card payment could not be started), AlreadyPlaced (this
        summary was ordered already: its checkout), StillPlacing (it is being ordered by another
        request that has not finished in time).
    """
    if payment_method not in (PaymentMethod.CASH_ON_DELIVERY, PaymentMethod.CARD):
        raise FieldErrors({"payment_method": _l("Choose how you will pay.")})
    address = check_address(address_data)
    summary = summarise(buyer, session)
    if (not summary.groups or summary.problems or summary.fingerprint != fingerprint
            or summary.cart is None):
        _refuse_changed_summary(buyer, summary, fingerprint)
    gateway = _gateway_offered(payment_method)
    draft = _Draft(buyer, summary, address, payment_method)
    if not draft.by_card:
        try:
            return _write_order(draft, None, take_cart_at=summary.cart.version)
        except BaseException:
            db.session.rollback()  # whatever failed, nothing of this order stays
            raise
    return _place_card_order(draft, session, gateway, fingerprint)


def _gateway_offered(payment_method: str) -> CashOnDelivery | StripeGateway:
    """The gateway of the payment method chosen.

    Raises:
        FieldErrors: card chosen where cards are not taken.
    """
    try:
        return gateway_for(payment_method)
    except GatewayError as error:
        # Card is not offered on this site at all (a tampered form): an answer to correct,
        # not a service that is down.
        raise FieldErrors({"payment_method": _l("Card payment is not available; choose cash on "
                                                "delivery.")}) from error


def _place_card_order(draft: _Draft, session, gateway: StripeGateway,
                      fingerprint: str) -> Checkout:
    """A card: take the cart first, so that only this request sets up a payment for it; then
    the PaymentIntent (no database lock is held across the call to Stripe); then the order."""
    cart_id, seen_version = draft.summary.cart.id, draft.summary.cart.version
    if not _move_cart_on(cart_id, seen_version, placing=fingerprint):
        db.session.rollback()
        _refuse_changed_summary(draft.buyer, summarise(draft.buyer, session), fingerprint)
    db.session.commit()
    intent = _begin_payment(draft, gateway, taken_at=seen_version + 1)
    try:
        return _write_order(draft, intent, take_cart_at=seen_version + 1)
    except BaseException:
        db.session.rollback()  # whatever failed, nothing of this order stays
        _let_cart_go(cart_id, seen_version + 1)
        try:
            gateway.cancel_intent(intent.id)
        except GatewayError:
            current_app.logger.info("Unused PaymentIntent %s not cancelled", intent.id)
        raise


def _begin_payment(draft: _Draft, gateway: StripeGateway, *, taken_at: int) -> Intent:
    """The PaymentIntent for the order about to be written from the cart taken at `taken_at`.

    Raises:
        PaymentUnavailable: Stripe could not set it up (the cart is the buyer's again).
    """
    try:
        return gateway.begin(draft.reference, draft.summary.total_paise)
    except BaseException as error:
        _let_cart_go(draft.summary.cart.id, taken_at)  # whatever went wrong, never stuck
        if not isinstance(error, GatewayError):
            raise
        current_app.logger.warning("Payment set-up failed for a checkout: %s", error)
        raise PaymentUnavailable(_l("Card payment could not be started just now. Nothing was "
                                    "ordered; try again, or choose cash on delivery.")) from error


def _refuse_changed_summary(buyer: User, summary: Summary, fingerprint: str):
    """The cart is not (or no longer) the one the buyer confirmed: say why, or, when that
    summary was ordered by an earlier press of the button, answer with its checkout.

    Raises:
        AlreadyPlaced, StillPlacing, EmptyCart or CartChanged; always.
    """
    placed = _placed_from_summary(buyer, fingerprint)
    if placed is not None:
        raise AlreadyPlaced(placed)
    if not summary.groups and not summary.problems:
        raise EmptyCart(_l("Your cart is empty."))
    raise CartChanged(_l("Something in your cart changed since you looked (a price, or "
                         "what is left). Check the summary below and place the order again."))


def _placed_from_summary(buyer: User, fingerprint: str) -> Checkout | None:
    """The checkout made from this summary, waiting while another request is writing it."""
    if not fingerprint:
        return None
    deadline = time.monotonic() + current_app.config["CHECKOUT_REPEAT_WAIT_SECONDS"]
    while True:
        db.session.rollback()  # a fresh look at what other requests have committed
        # The cart before the checkout: the order is committed as the claim is cleared, so
        # a claim seen cleared here means the checkout, if any, is there to be found next.
        saved = cart_service.saved_cart(buyer)
        placed = db.session.scalar(select(Checkout).where(
            Checkout.buyer_id == buyer.id, Checkout.summary_fingerprint == fingerprint))
        if placed is not None:
            return placed
        if saved is None or saved.placing_fingerprint != fingerprint:
            return None
        if time.monotonic() > deadline:
            raise StillPlacing(_l("Your order is still being placed. It will appear in your "
                                  "orders in a moment; there is no need to press again."))
        time.sleep(0.1)


def _move_cart_on(cart_id: int, from_version: int, *, placing: str | None) -> bool:
    """Compare-and-set: the cart moves from the version the summary was built from to the next
    one, or nobody else's change is overwritten. Does not commit."""
    moved = db.session.execute(
        update(Cart).where(Cart.id == cart_id, Cart.version == from_version)
        .values(version=from_version + 1, placing_fingerprint=placing, updated_at=utcnow())
        .execution_options(synchronize_session=False))
    return moved.rowcount == 1


def _let_cart_go(cart_id: int, taken_at: int) -> None:
    """The order could not be written after the cart was taken: the cart is the buyer's again
    (its version moved on, so the old summary cannot be placed twice). Commits."""
    db.session.rollback()
    _move_cart_on(cart_id, taken_at, placing=None)
    db.session.commit()


def _write_order(draft: _Draft, intent: Intent | None, *, take_cart_at: int) -> Checkout:
    """The checkout, its orders and the stock they take, in one transaction. Commits.

    The first statement takes the cart from version `take_cart_at`: a request that finds it
    moved on has lost to another press of the button, and writes nothing.
    """
    summary = draft.summary
    if not _move_cart_on(summary.cart.id, take_cart_at, placing=None):
        db.session.rollback()
        _refuse_changed_summary(draft.buyer, summary, summary.fingerprint)
    now = utcnow()
    checkout = _new_checkout(draft, intent, now)
    db.session.add(checkout)
    for number, group in enumerate(summary.groups, start=1):
        db.session.add(_new_order(draft, checkout, number, group, now))
    db.session.flush()
    _reserve_stock(summary)
    for order in checkout.orders:
        record(actor_id=draft.buyer.id, object_type="order", object_id=order.id, action="placed",
               to_status=order.status, note=checkout.payment_method)
    cart_service.clear_without_commit(draft.buyer)
    if intent is None:  # cash on delivery: placed now (a card order is told of when paid)
        outbox.notify("order_placed", checkout)
    db.session.commit()
    return checkout


def _new_checkout(draft: _Draft, intent: Intent | None, now) -> Checkout:
    summary, address = draft.summary, draft.address
    return Checkout(
        reference=draft.reference, buyer_id=draft.buyer.id, payment_method=draft.payment_method,
        stripe_payment_intent_id=intent.id if intent is not None else None,
        summary_fingerprint=summary.fingerprint,
        state=CheckoutState.AWAITING_PAYMENT if draft.by_card else CheckoutState.CASH_ON_DELIVERY,
        items_paise=summary.items_paise, delivery_paise=summary.delivery_paise,
        total_paise=summary.total_paise, delivery_name=address["name"],
        delivery_phone=address["phone"], delivery_line1=address["line1"],
        delivery_line2=address["line2"], delivery_city=address["city"],
        delivery_state_lgd_code=address["state"], delivery_pin=address["pin"],
        created_at=now,
        expires_at=now + timedelta(minutes=current_app.config["PAYMENT_TIMEOUT_MINUTES"])
        if draft.by_card else None)


def _new_order(draft: _Draft, checkout: Checkout, number: int, group: SellerGroup,
               now) -> Order:
    """One seller's order, with the seller as the invoice must show them now."""
    seller = db.session.get(Seller, group.seller_id)
    order = Order(
        reference=f"{checkout.reference}-{number}", checkout=checkout, seller_id=seller.id,
        buyer_id=draft.buyer.id,
        status=OrderStatus.PENDING_PAYMENT if draft.by_card else OrderStatus.CONFIRMED,
        items_paise=group.items_paise, gst_paise=group.gst_paise,
        taxable_paise=group.items_paise - group.gst_paise,
        delivery_paise=group.delivery_paise, total_paise=group.total_paise,
        seller_legal_name=seller.legal_name or seller.name_for_buyers,
        seller_address=", ".join(seller_address_lines(seller)),
        seller_state_lgd_code=seller.state_lgd_code,
        seller_gstin=seller.gstin if seller.gst_mode == GstMode.REGISTERED else None,
        placed_at=now)
    for line in group.lines:
        order.items.append(OrderItem(
            listing_id=line.listing_id, title=line.title or line.title_hi, hsn_code=line.hsn_code,
            gst_rate=line.gst_rate, unit_price_paise=line.price_paise,
            quantity=line.quantity, from_stock=not line.made_to_order,
            taxable_paise=line.total_paise - line.gst_paise, gst_paise=line.gst_paise,
            total_paise=line.total_paise))
    return order


def _reserve_stock(summary: Summary) -> None:
    """Take each line's quantity from stock; OutOfStock (rolled back) if any is short."""
    wanted, titles = {}, {}
    for group in summary.groups:
        for line in group.lines:
            if not line.made_to_order:
                wanted[line.listing_id], titles[line.listing_id] = line.quantity, line.title
    short = stock.reserve(wanted)
    if short is not None:
        db.session.rollback()
        raise OutOfStock(_l("Someone bought the last of “%(title)s” just before you. "
                            "Nothing was ordered; your cart shows what is left.",
                            title=titles[short]))
