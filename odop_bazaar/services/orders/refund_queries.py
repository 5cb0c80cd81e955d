"""Reading refunds: what an order was paid and has had back, and the staff's queue of bank
refunds to pay. Nothing here commits."""

from sqlalchemy import func, select

from odop_bazaar.extensions import db
from odop_bazaar.models.orders import Order, PaymentMethod, Refund, RefundMethod, RefundStatus
from odop_bazaar.models.sellers import Seller
from odop_bazaar.services.accounts.staff_scope import Scope
from odop_bazaar.services.orders.queries import card_payment


def paid_paise(order: Order) -> int:
    """What the buyer has paid for this order: its total once the card payment arrived, or
    once the cash was collected on delivery; nothing before."""
    if card_payment(order) is not None:
        return order.total_paise
    if order.checkout.payment_method == PaymentMethod.CASH_ON_DELIVERY and order.delivered_at:
        return order.total_paise
    return 0


def written_paise(order_id: int) -> int:
    """Every refund written for the order, whether it has gone yet or not."""
    return db.session.scalar(select(func.coalesce(func.sum(Refund.amount_paise), 0))
                             .where(Refund.order_id == order_id))


def refunded_paise(order_id: int) -> int:
    """The refunds of the order that have gone (Stripe accepted them, or staff paid them)."""
    return db.session.scalar(select(func.coalesce(func.sum(Refund.amount_paise), 0))
                             .where(Refund.order_id == order_id,
                                    Refund.status == RefundStatus.SUCCEEDED))


def refund_of_return(return_id: int) -> Refund | None:
    """The refund that pays for a return, if it is written."""
    return db.session.scalar(select(Refund).where(Refund.return_id == return_id))


def refunds_of_order(order_id: int) -> list[Refund]:
    """The order's refunds, oldest first."""
    return db.session.scalars(select(Refund).where(Refund.order_id == order_id)
                              .order_by(Refund.id)).all()


def _bank_refunds_in(scope: Scope):
    return (select(Refund).join(Order, Order.id == Refund.order_id)
            .join(Seller, Seller.id == Order.seller_id)
            .where(Refund.method == RefundMethod.BANK, scope.seller_filter()))


def bank_refunds_to_pay(scope: Scope) -> list[Refund]:
    """Bank and UPI refunds waiting for staff to pay them, oldest first, for orders of sellers
    in the staff member's places."""
    return db.session.scalars(
        _bank_refunds_in(scope).where(Refund.status == RefundStatus.AWAITING_TRANSFER)
        .order_by(Refund.created_at, Refund.id).limit(500)).all()


def scoped_bank_refund(refund_id: int, scope: Scope) -> Refund | None:
    """One bank refund, if its order's seller is in the staff member's places."""
    return db.session.scalar(_bank_refunds_in(scope).where(Refund.id == refund_id))
