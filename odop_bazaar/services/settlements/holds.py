"""Orders whose credit to the seller waits: those with a return still open.

A return may end in a refund, and the credit leaves refunds out, so an order is not credited
while a return of it is open (the credit follows on the first posting after it closes).
"""

from sqlalchemy import select

from odop_bazaar.extensions import db
from odop_bazaar.models.returns import ReturnRequest, ReturnStatus


def _open_returns() -> set[int]:
    """The ids of orders with a return that is not yet closed: asked for, accepted, with staff,
    or received and not yet refunded or exchanged."""
    return set(db.session.scalars(select(ReturnRequest.order_id).distinct().where(
        ReturnRequest.status.in_(ReturnStatus.OPEN))))


def orders_on_hold() -> set[int]:
    """The ids of orders whose credit must wait (see the module's docstring)."""
    return _open_returns()
