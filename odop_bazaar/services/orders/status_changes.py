"""Orders and checkouts moved along their workflow tables (models/orders.py), for payments,
refunds and fulfilment alike, and the end of an unpaid checkout, which all three reach."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlalchemy.orm.exc import StaleDataError

from odop_bazaar.db_types import utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models.orders import (
    CHECKOUT_TRANSITIONS,
    ORDER_TRANSITIONS,
    Checkout,
    CheckoutState,
    Order,
    OrderStatus,
)
from odop_bazaar.services.catalogue import stock
from odop_bazaar.services.workflow import InvalidTransition, claim, transition

SYSTEM = "system"  # the payment completion, the expiry job and refunds


def move_order(order: Order, to_status: OrderStatus, actor_id: int | None, role: str,
               note: str = "") -> None:
    """Change an order's status by the workflow table; audited. The UPDATE checks the order's
    version, so when two people act on one order at once (the buyer cancels as the seller
    ships) the second is refused and changes nothing.

    Raises:
        InvalidTransition: not a move this role may make, or the order changed meanwhile.
    """
    if to_status == OrderStatus.DELIVERED:
        order.delivered_at = utcnow()  # the return window, and the seller's credit, run from here
    try:
        transition(order, to_status, table=ORDER_TRANSITIONS, actor_id=actor_id,
                   actor_role=role, object_type="order", note=note)
    except StaleDataError as error:
        db.session.rollback()
        raise InvalidTransition(_l("This order changed a moment ago. Reload the page to see "
                                   "where it is now.")) from error


def claim_checkout(checkout: Checkout, to_state: CheckoutState, note, *,
                   also: dict | None = None) -> bool:
    """Move a checkout on from awaiting payment, if it still is (the system's moves: paid,
    expired); audited. False when another request moved it first: nothing is written and
    nothing rolled back, and the caller reads the checkout to see what happened."""
    return claim(checkout, CheckoutState.AWAITING_PAYMENT, to_state, table=CHECKOUT_TRANSITIONS,
                 actor_id=None, actor_role=SYSTEM, object_type="checkout", note=str(note),
                 field="state", also=also)


def expire_checkout(checkout: Checkout, reason) -> bool:
    """An unpaid card checkout ends: its orders are cancelled and their stock goes back, once.
    Does not commit."""
    if not claim_checkout(checkout, CheckoutState.EXPIRED, reason):
        return False
    db.session.refresh(checkout)
    for order in checkout.orders:
        if order.awaiting_payment:
            order.cancel_reason = str(reason)
            order.cancelled_by = SYSTEM
            move_order(order, OrderStatus.CANCELLED, None, SYSTEM, note=str(reason))
            release_stock(order)
    return True


def release_stock(order: Order) -> bool:
    """Put a cancelled order's items back in stock, once, whoever asks. Does not commit."""
    claimed = db.session.execute(
        update(Order).where(Order.id == order.id, Order.stock_released.is_(False))
        .values(stock_released=True).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        return False
    stock.put_back([(item.listing_id, item.quantity) for item in order.items if item.from_stock])
    return True
