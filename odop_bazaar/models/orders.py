"""Carts, checkouts, seller orders and payments.

One checkout (what the buyer paid for at once, under one reference such as ODB-7K2M9QXA) makes
one order per seller. Money is in integer paise; every figure is computed on the server and
stored as it was when the order was placed, with what the invoice needs (title, HSN, GST rate,
the seller's GSTIN and address), so later edits to a listing or a seller change no order.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from odop_bazaar.db_types import UTCDateTime, utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models.labelled_enum import LabelledEnum

# Refunds have their own module; importing them from here still works.
from odop_bazaar.models.refunds import (  # noqa: F401
    REFUND_TRANSITIONS,
    Refund,
    RefundMethod,
    RefundStatus,
)


class PaymentMethod(LabelledEnum):
    CASH_ON_DELIVERY = "cod", _l("Cash on delivery")
    CARD = "card", _l("Card (Stripe)")


class CheckoutState(LabelledEnum):
    AWAITING_PAYMENT = "awaiting_payment", _l("Waiting for payment")  # card: stock held
    PAID = "paid", _l("Paid")
    CASH_ON_DELIVERY = "cod", _l("Cash on delivery")
    EXPIRED = "expired", _l("Expired")  # not paid in time; stock released
    CANCELLED = "cancelled", _l("Cancelled")  # every order in it cancelled before payment


# Who may move a checkout between states. A checkout starts awaiting payment (card) or as cash on
# delivery, which it stays. "system" is the payment completion and the expiry; the buyer
# cancelling an unpaid checkout ends it (expired) and then marks it cancelled.
CHECKOUT_TRANSITIONS = {
    (CheckoutState.AWAITING_PAYMENT, CheckoutState.PAID): "system",
    (CheckoutState.AWAITING_PAYMENT, CheckoutState.EXPIRED): "system",
    (CheckoutState.EXPIRED, CheckoutState.CANCELLED): "buyer",
}


class OrderStatus(LabelledEnum):
    PENDING_PAYMENT = "pending_payment", _l("Waiting for payment")
    PAID = "paid", _l("Paid")
    CONFIRMED = "confirmed", _l("Confirmed (cash on delivery)")  # nothing to pay yet
    ACCEPTED = "accepted", _l("Accepted by the seller")
    PACKED = "packed", _l("Packed")
    SHIPPED = "shipped", _l("Shipped")
    DELIVERED = "delivered", _l("Delivered")
    CANCELLED = "cancelled", _l("Cancelled")
    REFUNDED = "refunded", _l("Refunded")


# The sets of statuses that rules ask about, defined once (views, templates and services ask
# these, or the Order properties built on them, never a tuple of their own).
# Paid for (or confirmed, for cash on delivery) and not yet sent: the buyer, the seller and staff
# may still cancel.
OrderStatus.BEFORE_SHIPPING = frozenset({OrderStatus.PAID, OrderStatus.CONFIRMED,
                                         OrderStatus.ACCEPTED, OrderStatus.PACKED})
# A sale that stands: it has an invoice, and counts in the figures.
OrderStatus.SOLD = OrderStatus.BEFORE_SHIPPING | {OrderStatus.SHIPPED, OrderStatus.DELIVERED}
# Called off: cancelled, and refunded after that when it was paid by card.
OrderStatus.UNDONE = frozenset({OrderStatus.CANCELLED, OrderStatus.REFUNDED})

# Who may move an order between statuses: the one table of the order workflow. "system" is the
# payment completion, the expiry job and refunds.
ORDER_TRANSITIONS = {
    (OrderStatus.PENDING_PAYMENT, OrderStatus.PAID): "system",
    (OrderStatus.PENDING_PAYMENT, OrderStatus.CANCELLED): frozenset({"system", "buyer"}),
    (OrderStatus.PAID, OrderStatus.ACCEPTED): "seller",
    (OrderStatus.CONFIRMED, OrderStatus.ACCEPTED): "seller",
    (OrderStatus.ACCEPTED, OrderStatus.PACKED): "seller",
    (OrderStatus.PACKED, OrderStatus.SHIPPED): "seller",
    (OrderStatus.SHIPPED, OrderStatus.DELIVERED): frozenset({"seller", "staff"}),
    **{(status, OrderStatus.CANCELLED): frozenset({"buyer", "seller", "staff"})
       for status in OrderStatus.BEFORE_SHIPPING},
    (OrderStatus.CANCELLED, OrderStatus.REFUNDED): "system",
}

# What each party may do next, for the buttons on the order pages.
SELLER_NEXT = {OrderStatus.PAID: OrderStatus.ACCEPTED, OrderStatus.CONFIRMED: OrderStatus.ACCEPTED,
               OrderStatus.ACCEPTED: OrderStatus.PACKED, OrderStatus.PACKED: OrderStatus.SHIPPED,
               OrderStatus.SHIPPED: OrderStatus.DELIVERED}


class Cart(db.Model):
    """A signed-in buyer's cart (a visitor's lives in the session until they sign in)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), unique=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Counts every change to the cart, so that a checkout summary names the exact cart it was
    # built from: one summary can be turned into an order once (services/orders/checkout.py).
    version: Mapped[int] = mapped_column(default=0, server_default="0")
    # The summary whose order is being placed from this cart right now (between taking the cart
    # and writing the order, while the card payment is set up); a repeat of it waits for it.
    placing_fingerprint: Mapped[str | None] = mapped_column(String(32))

    items: Mapped[list["CartItem"]] = relationship(
        back_populates="cart", cascade="all, delete-orphan", order_by="CartItem.id")


class CartItem(db.Model):
    __table_args__ = (UniqueConstraint("cart_id", "listing_id"),
                      CheckConstraint("quantity > 0", name="quantity_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    cart_id: Mapped[int] = mapped_column(ForeignKey("cart.id", ondelete="CASCADE"))
    listing_id: Mapped[int] = mapped_column(ForeignKey("listing.id", ondelete="CASCADE"),
                                            index=True)
    quantity: Mapped[int]

    cart: Mapped[Cart] = relationship(back_populates="items")


class Checkout(db.Model):
    """One purchase: its delivery address, payment and totals; one order per seller in it."""

    __table_args__ = (
        Index("ix_checkout_state_expires", "state", "expires_at"),
        UniqueConstraint("buyer_id", "summary_fingerprint"),
        CheckConstraint("state IN (" + ", ".join(f"'{s.value}'" for s in CheckoutState) + ")",
                        name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    payment_method: Mapped[str] = mapped_column(String(10))
    state: Mapped[str] = mapped_column(String(20))
    items_paise: Mapped[int]  # prices include GST
    delivery_paise: Mapped[int]
    total_paise: Mapped[int]
    delivery_name: Mapped[str] = mapped_column(String(120))
    delivery_phone: Mapped[str] = mapped_column(String(15))
    delivery_line1: Mapped[str] = mapped_column(String(200))
    delivery_line2: Mapped[str | None] = mapped_column(String(200))
    delivery_city: Mapped[str] = mapped_column(String(80))
    delivery_state_lgd_code: Mapped[int] = mapped_column(ForeignKey("state.lgd_code"))
    delivery_pin: Mapped[str] = mapped_column(String(6))
    stripe_payment_intent_id: Mapped[str | None] = mapped_column(String(80), unique=True)
    # The summary the buyer confirmed (checkout.Summary.fingerprint): a repeated "Place order"
    # finds this checkout instead of making another.
    summary_fingerprint: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    buyer = relationship("User")
    delivery_state = relationship("State")
    orders: Mapped[list["Order"]] = relationship(back_populates="checkout", order_by="Order.id")

    @property
    def payment_method_enum(self) -> PaymentMethod:
        return PaymentMethod(self.payment_method)

    @property
    def state_enum(self) -> CheckoutState:
        return CheckoutState(self.state)

    @property
    def awaiting_payment(self) -> bool:
        """A card checkout whose payment has not arrived yet (the buyer may still pay)."""
        return self.state == CheckoutState.AWAITING_PAYMENT

    @property
    def lapsed(self) -> bool:
        """Not paid in time (or given up by the buyer before paying): its stock went back."""
        return self.state == CheckoutState.EXPIRED


class Order(db.Model):
    """What one seller must send for one checkout, with its invoice figures."""

    __table_args__ = (
        Index("ix_order_seller_placed", "seller_id", "placed_at"),
        Index("ix_order_status_placed", "status", "placed_at"),
        CheckConstraint("status IN (" + ", ".join(f"'{s.value}'" for s in OrderStatus) + ")",
                        name="status"),
    )
    __tablename__ = "seller_order"  # "order" is an SQL keyword

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(24), unique=True)  # ODB-7K2M9QXA-1
    checkout_id: Mapped[int] = mapped_column(ForeignKey("checkout.id"), index=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("seller.id"))
    buyer_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    items_paise: Mapped[int]
    taxable_paise: Mapped[int]
    gst_paise: Mapped[int]
    delivery_paise: Mapped[int]
    total_paise: Mapped[int]
    # The seller as the invoice must show them when the order was placed.
    seller_legal_name: Mapped[str] = mapped_column(String(200))
    seller_address: Mapped[str] = mapped_column(Text)
    seller_state_lgd_code: Mapped[int | None]
    seller_gstin: Mapped[str | None] = mapped_column(String(15))
    carrier: Mapped[str | None] = mapped_column(String(80))
    tracking_number: Mapped[str | None] = mapped_column(String(80))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    cancelled_by: Mapped[str | None] = mapped_column(String(10))
    stock_released: Mapped[bool] = mapped_column(default=False)
    refunded_paise: Mapped[int] = mapped_column(default=0)
    # Every UPDATE checks this, so two people changing one order at once cannot both win.
    version: Mapped[int] = mapped_column(default=1)
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The return window runs from here; the seller is credited once it has passed.
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}

    checkout: Mapped[Checkout] = relationship(back_populates="orders")
    seller = relationship("Seller")

    @property
    def seller_shown_name(self) -> str:
        """The seller as buyers know them from the cart and product pages: the shop's name
        (the invoice keeps the legal name, as the law asks)."""
        return (self.seller.display_name if self.seller else None) or self.seller_legal_name
    buyer = relationship("User")
    items: Mapped[list["OrderItem"]] = relationship(back_populates="order",
                                                    order_by="OrderItem.id")

    @property
    def status_enum(self) -> OrderStatus:
        return OrderStatus(self.status)

    @property
    def awaiting_payment(self) -> bool:
        return self.status == OrderStatus.PENDING_PAYMENT

    @property
    def buyer_may_cancel(self) -> bool:
        return self.status in OrderStatus.BEFORE_SHIPPING or self.awaiting_payment

    @property
    def seller_may_cancel(self) -> bool:
        return self.status in OrderStatus.BEFORE_SHIPPING

    @property
    def has_invoice(self) -> bool:
        """An invoice is the record of a sale that stands: none while the order waits for its
        payment, nor once it is cancelled or refunded."""
        return self.status in OrderStatus.SOLD

    @property
    def buyer_details_visible_to_seller(self) -> bool:
        """The seller needs the delivery address once there is something to send."""
        return not self.awaiting_payment and not (
            self.status in OrderStatus.UNDONE
            and self.checkout.paid_at is None and self.checkout.payment_method == "card")

    @property
    def seller_next(self) -> OrderStatus | None:
        return SELLER_NEXT.get(OrderStatus(self.status))

    @property
    def next_step_is_shipping(self) -> bool:
        """The seller's next step sends the parcel: it asks for the carrier and tracking."""
        return self.seller_next == OrderStatus.SHIPPED

    @property
    def in_transit(self) -> bool:
        return self.status == OrderStatus.SHIPPED

    @property
    def intra_state(self) -> bool:
        """Supply within one state is taxed as CGST + SGST; across states as IGST."""
        return self.seller_state_lgd_code == self.checkout.delivery_state_lgd_code


class OrderItem(db.Model):
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("seller_order.id"), index=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listing.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    hsn_code: Mapped[str | None] = mapped_column(String(8))
    gst_rate: Mapped[int]
    unit_price_paise: Mapped[int]  # including GST
    quantity: Mapped[int]
    from_stock: Mapped[bool]  # False for made-to-order: nothing was taken from stock
    taxable_paise: Mapped[int]
    gst_paise: Mapped[int]
    total_paise: Mapped[int]

    order: Mapped[Order] = relationship(back_populates="items")


class Payment(db.Model):
    """Money received for a checkout: one row per successful Stripe PaymentIntent, ever."""

    id: Mapped[int] = mapped_column(primary_key=True)
    checkout_id: Mapped[int] = mapped_column(ForeignKey("checkout.id"), unique=True)
    provider: Mapped[str] = mapped_column(String(10))
    provider_reference: Mapped[str] = mapped_column(String(80), unique=True)
    amount_paise: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    source: Mapped[str] = mapped_column(String(10))  # "return" or "webhook": who arrived first


class ProcessedEvent(db.Model):
    """Stripe webhook events already handled: a repeated delivery changes nothing."""

    event_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(60))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MarketplaceSetting(db.Model):
    """Numbers the admin sets (delivery charge rule); one row per name."""

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
