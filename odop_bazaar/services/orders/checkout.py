"""Placing an order: the summary a buyer confirms, then one transaction that reserves stock and
writes one order per seller under one checkout reference.

Every figure is computed here from the database. The form carries only a fingerprint of the
summary the buyer saw; if anything changed since (a price, stock, a product leaving the shop),
the order is refused with the new summary and nothing is stored.

Stock is taken with one conditional UPDATE per listing (`stock = stock - q WHERE stock >= q`), in
listing-id order, inside the transaction that writes the order: two buyers racing for the last
unit cannot both get it, on PostgreSQL (the row lock the UPDATE takes) or SQLite (one writer at a
time), and a failure anywhere before the commit leaves no order and no reservation.

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

import hashlib
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
from odop_bazaar.models.catalogue import PUBLISHED_STATUSES, Listing, ListingContent
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
from odop_bazaar.money import gst_breakup
from odop_bazaar.payments import GatewayError, gateway_for
from odop_bazaar.services.catalogue import shop_listings
from odop_bazaar.services.catalogue.storefront import seller_address_lines
from odop_bazaar.services.errors import DomainError, FieldErrors
from odop_bazaar.services.orders import cart as cart_service
from odop_bazaar.services.orders import marketplace_settings
from odop_bazaar.services.workflow import record

# The delivery rule the admin sets (MarketplaceSetting), with these defaults: a flat charge per
# seller order, free from a seller-order value upwards.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read out on a phone


class CartChanged(DomainError):
    """Prices or availability changed since the summary was shown; nothing was ordered."""


class EmptyCart(DomainError):
    pass


class AlreadyPlaced(DomainError):
    """This summary was turned into an order already (the button was pressed again)."""

    def __init__(self, checkout: Checkout):
        super().__init__(_l("Your order is placed. The button was pressed more than once; "
                            "the order was placed only once."))
        self.checkout = checkout


class StillPlacing(DomainError):
    """A repeat gave up waiting for the first press's order to be written."""


class OutOfStock(DomainError):
    """Someone else bought the last units first; nothing was ordered."""


class PaymentUnavailable(DomainError):
    pass


def delivery_settings() -> dict[str, int]:
    return marketplace_settings.current("delivery_charge_paise", "free_delivery_from_paise")


def delivery_charge(items_paise: int, settings: dict[str, int]) -> int:
    if settings["free_delivery_from_paise"] and items_paise >= settings["free_delivery_from_paise"]:
        return 0
    return settings["delivery_charge_paise"]


@dataclass
class SellerGroup:
    seller_id: int
    seller_name: str
    lines: list = field(default_factory=list)
    items_paise: int = 0
    gst_paise: int = 0
    delivery_paise: int = 0

    @property
    def total_paise(self) -> int:
        return self.items_paise + self.delivery_paise


@dataclass
class Summary:
    groups: list[SellerGroup]
    problems: list
    cart: cart_service.SavedCart | None = None  # the saved cart it was built from, if any

    @property
    def items_paise(self) -> int:
        return sum(group.items_paise for group in self.groups)

    @property
    def delivery_paise(self) -> int:
        return sum(group.delivery_paise for group in self.groups)

    @property
    def gst_paise(self) -> int:
        return sum(group.gst_paise for group in self.groups)

    @property
    def total_paise(self) -> int:
        return self.items_paise + self.delivery_paise

    @property
    def fingerprint(self) -> str:
        """What the buyer agreed to: every line's listing, quantity and price, and the totals."""
        parts = [f"{line.listing_id}:{line.quantity}:{line.price_paise}"
                 for group in self.groups for line in group.lines]
        parts.append(f"{self.delivery_paise}:{self.total_paise}")
        if self.cart is not None:  # which cart, at which change: placed once, never again
            parts.append(f"cart {self.cart.id}:{self.cart.version}")
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def summarise(user, session, lines: list | None = None) -> Summary:
    """The cart (or these lines of it) grouped by seller, with GST and delivery per seller order."""
    settings = delivery_settings()
    groups: dict[int, SellerGroup] = {}
    problems = []
    # The version before the lines: a change in between moves the version on, so an order
    # written from these lines at this version is refused (never the other way round).
    saved = cart_service.saved_cart(user)
    lines = cart_service.lines(user, session) if lines is None else lines
    taxes = _tax_facts([line.listing_id for line in lines])
    for line in lines:
        if line.problem:
            problems.append((line.title, line.problem))
            continue
        line.gst_rate, line.hsn_code = taxes.get(line.listing_id, (0, None))
        line.gst_paise = gst_breakup(line.total_paise, line.gst_rate)[1]
        group = groups.setdefault(line.seller_id, SellerGroup(line.seller_id, line.seller_name))
        group.lines.append(line)
        group.items_paise += line.total_paise
        group.gst_paise += line.gst_paise
    for group in groups.values():
        group.delivery_paise = delivery_charge(group.items_paise, settings)
    return Summary(list(groups.values()), problems, saved)


def _tax_facts(listing_ids: list[int]) -> dict[int, tuple[int, str | None]]:
    """listing id -> (GST rate, HSN code) of its approved version."""
    if not listing_ids:
        return {}
    rows = db.session.execute(
        select(Listing.id, ListingContent.gst_rate, ListingContent.hsn_code)
        .join(ListingContent, ListingContent.id == Listing.live_content_id)
        .where(Listing.id.in_(listing_ids)))
    return {listing_id: (rate, hsn) for listing_id, rate, hsn in rows}


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
    try:
        gateway = gateway_for(payment_method)
    except GatewayError as error:
        # Card is not offered on this site at all (a tampered form): an answer to correct,
        # not a service that is down.
        raise FieldErrors({"payment_method": _l("Card payment is not available; choose cash on "
                                                "delivery.")}) from error

    reference = _new_reference()
    seen_version = summary.cart.version
    if payment_method == PaymentMethod.CASH_ON_DELIVERY:
        try:
            return _write_order(buyer, summary, address, payment_method, reference, None,
                                take_cart_at=seen_version)
        except BaseException:
            db.session.rollback()  # whatever failed, nothing of this order stays
            raise
    # A card: take the cart first, so that only this request sets up a payment for it.
    if not _move_cart_on(summary.cart.id, seen_version, placing=fingerprint):
        db.session.rollback()
        _refuse_changed_summary(buyer, summarise(buyer, session), fingerprint)
    db.session.commit()
    try:
        intent = gateway.begin(reference, summary.total_paise)
    except BaseException as error:
        _let_cart_go(summary.cart.id, seen_version + 1)  # whatever went wrong, never stuck
        if not isinstance(error, GatewayError):
            raise
        current_app.logger.warning("Payment set-up failed for a checkout: %s", error)
        raise PaymentUnavailable(_l("Card payment could not be started just now. Nothing was "
                                    "ordered; try again, or choose cash on delivery.")) from error
    try:
        return _write_order(buyer, summary, address, payment_method, reference, intent,
                            take_cart_at=seen_version + 1)
    except BaseException:
        db.session.rollback()  # whatever failed, nothing of this order stays
        _let_cart_go(summary.cart.id, seen_version + 1)
        try:
            gateway.cancel_intent(intent.id)
        except GatewayError:
            current_app.logger.info("Unused PaymentIntent %s not cancelled", intent.id)
        raise


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


def _write_order(buyer: User, summary: Summary, address: dict, payment_method: str,
                 reference: str, intent, *, take_cart_at: int) -> Checkout:
    """The checkout, its orders and the stock they take, in one transaction. Commits.

    The first statement takes the cart from version `take_cart_at`: a request that finds it
    moved on has lost to another press of the button, and writes nothing.
    """
    if not _move_cart_on(summary.cart.id, take_cart_at, placing=None):
        db.session.rollback()
        _refuse_changed_summary(buyer, summary, summary.fingerprint)
    card = payment_method == PaymentMethod.CARD
    now = utcnow()
    checkout = Checkout(
        reference=reference, buyer_id=buyer.id, payment_method=payment_method,
        stripe_payment_intent_id=intent.id if intent is not None else None,
        summary_fingerprint=summary.fingerprint,
        state=CheckoutState.AWAITING_PAYMENT if card else CheckoutState.CASH_ON_DELIVERY,
        items_paise=summary.items_paise, delivery_paise=summary.delivery_paise,
        total_paise=summary.total_paise, delivery_name=address["name"],
        delivery_phone=address["phone"], delivery_line1=address["line1"],
        delivery_line2=address["line2"], delivery_city=address["city"],
        delivery_state_lgd_code=address["state"], delivery_pin=address["pin"],
        created_at=now,
        expires_at=now + timedelta(minutes=current_app.config["PAYMENT_TIMEOUT_MINUTES"])
        if card else None)
    db.session.add(checkout)
    status = OrderStatus.PENDING_PAYMENT if card else OrderStatus.CONFIRMED
    for number, group in enumerate(summary.groups, start=1):
        seller = db.session.get(Seller, group.seller_id)
        order = Order(
            reference=f"{checkout.reference}-{number}", checkout=checkout, seller_id=seller.id,
            buyer_id=buyer.id, status=status, items_paise=group.items_paise,
            gst_paise=group.gst_paise, taxable_paise=group.items_paise - group.gst_paise,
            delivery_paise=group.delivery_paise, total_paise=group.total_paise,
            seller_legal_name=seller.legal_name or seller.name_for_buyers,
            seller_address=", ".join(seller_address_lines(seller)),
            seller_state_lgd_code=seller.state_lgd_code,
            seller_gstin=seller.gstin if seller.gst_mode == GstMode.REGISTERED else None,
            placed_at=now)
        db.session.add(order)
        for line in group.lines:
            order.items.append(OrderItem(
                listing_id=line.listing_id, title=line.title, hsn_code=line.hsn_code,
                gst_rate=line.gst_rate, unit_price_paise=line.price_paise,
                quantity=line.quantity, from_stock=not line.made_to_order,
                taxable_paise=line.total_paise - line.gst_paise, gst_paise=line.gst_paise,
                total_paise=line.total_paise))
    db.session.flush()
    _reserve_stock(summary)
    for order in checkout.orders:
        record(actor_id=buyer.id, object_type="order", object_id=order.id, action="placed",
               to_status=order.status, note=checkout.payment_method)
    cart_service.clear_without_commit(buyer)
    db.session.commit()
    return checkout


def _reserve_stock(summary: Summary) -> None:
    """Take each line's quantity from stock, in listing-id order; OutOfStock if any is short."""
    wanted: dict[int, tuple[int, str]] = {}
    for group in summary.groups:
        for line in group.lines:
            if not line.made_to_order:
                wanted[line.listing_id] = (line.quantity, line.title)
    for listing_id in sorted(wanted):
        quantity, title = wanted[listing_id]
        taken = db.session.execute(
            update(Listing)
            .where(Listing.id == listing_id, Listing.stock >= quantity,
                   Listing.status.in_(PUBLISHED_STATUSES))
            .values(stock=Listing.stock - quantity)
            .execution_options(synchronize_session=False))
        if taken.rowcount != 1:
            db.session.rollback()
            raise OutOfStock(_l("Someone bought the last of “%(title)s” just before you. "
                                "Nothing was ordered; your cart shows what is left.",
                                title=title))
    # The UPDATEs went around the ORM: tell the shop rows (a listing may have sold out).
    db.session.expire_all()
    shop_listings.refresh(listing_ids=set(wanted), pages_changed=False)


def release_stock(order: Order) -> bool:
    """Put a cancelled order's items back in stock, once, whoever asks. Does not commit."""
    claimed = db.session.execute(
        update(Order).where(Order.id == order.id, Order.stock_released.is_(False))
        .values(stock_released=True).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        return False
    returned = set()
    for item in order.items:
        if item.from_stock:
            db.session.execute(update(Listing).where(Listing.id == item.listing_id)
                               .values(stock=Listing.stock + item.quantity)
                               .execution_options(synchronize_session=False))
            returned.add(item.listing_id)
    db.session.expire_all()
    shop_listings.refresh(listing_ids=returned, pages_changed=False)
    return True

