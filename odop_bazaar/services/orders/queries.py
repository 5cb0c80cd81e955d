"""Reading orders, checkouts and their history, for buyers, sellers and staff; nothing here
commits."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from odop_bazaar.extensions import db
from odop_bazaar.models.accounts import User
from odop_bazaar.models.audit import AuditEntry
from odop_bazaar.models.orders import Checkout, Order, Payment, PaymentMethod, Refund
from odop_bazaar.services.accounts.staff_scope import Scope
from odop_bazaar.services.orders.errors import NotYourOrder


def timeline(order: Order) -> list[AuditEntry]:
    return db.session.scalars(select(AuditEntry).where(
        AuditEntry.object_type == "order", AuditEntry.object_id == order.id)
        .order_by(AuditEntry.id)).all()


def card_payment(order: Order) -> Payment | None:
    """The card payment of the order's checkout, if it was paid by card."""
    return db.session.scalar(select(Payment).where(Payment.checkout_id == order.checkout_id))


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


def buyer_checkouts(buyer: User, *, before_id: int | None = None,
                    limit: int = 100) -> list[Checkout]:
    """The buyer's checkouts, newest first; `before_id` continues a list after that checkout."""
    query = select(Checkout).where(Checkout.buyer_id == buyer.id)
    if before_id is not None:
        query = query.where(Checkout.id < before_id)
    return db.session.scalars(query.order_by(Checkout.id.desc()).limit(limit)
                              .options(selectinload(Checkout.orders))).all()


def seller_orders(seller_id: int, status: str | None = None, *,
                  after: tuple[datetime, int] | None = None, limit: int = 200) -> list[Order]:
    """The seller's orders, newest first (with their lines and checkouts); `after` is the
    (placed_at, id) of the last order of the page before, for the API's keyset paging."""
    query = select(Order).where(Order.seller_id == seller_id)
    if status:
        query = query.where(Order.status == status)
    if after is not None:
        placed_at, order_id = after
        query = query.where(or_(Order.placed_at < placed_at,
                                and_(Order.placed_at == placed_at, Order.id < order_id)))
    return db.session.scalars(query.order_by(Order.placed_at.desc(), Order.id.desc())
                              .options(selectinload(Order.items), joinedload(Order.checkout))
                              .limit(limit)).all()


def seller_order(seller_id: int, order_id: int) -> Order:
    """One of the seller's orders.

    Raises:
        NotYourOrder: no such order, or another seller's.
    """
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
