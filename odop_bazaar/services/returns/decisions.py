"""What the seller and staff decide about a return, each step by RETURN_TRANSITIONS and audited on
the return and on its order (the order's timeline shows it).

The seller accepts (with the pickup's carrier and tracking, or the buyer sends it back) or
refuses with a reason; refusing a reason the Consumer Protection (E-Commerce) Rules 2020 protect
sends the return to staff, who decide. An exchange takes its units from stock when the seller
accepts it, with checkout's no-oversell compare-and-set: two exchanges racing for the last unit
cannot both get it. The seller marks the parcel received (and whether its units go back on
sale), or refunds at once for goods not worth sending back.
"""

from flask_babel import lazy_gettext as _l

from odop_bazaar.db_types import utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models.accounts import User
from odop_bazaar.models.returns import (
    RETURN_TRANSITIONS,
    Resolution,
    ReturnRequest,
    ReturnStatus,
)
from odop_bazaar.services import outbox, workflow
from odop_bazaar.services.catalogue import stock
from odop_bazaar.services.errors import DomainError, FieldErrors
from odop_bazaar.services.returns import refunding


class NoStockForExchange(DomainError):
    """Not enough stock left to send the same item again."""


def _move(request: ReturnRequest, to_status: ReturnStatus, actor: User, role: str,
          note: str = "", also: dict | None = None) -> None:
    """Move the return by the table (audited), and say so on its order's timeline."""
    workflow.transition(request, to_status, table=RETURN_TRANSITIONS, actor_id=actor.id,
                        actor_role=role, object_type="return", note=str(note), also=also)
    workflow.record(actor_id=actor.id, object_type="order", object_id=request.order_id,
                    action="return", to_status=request.order.status,
                    note=f"R{request.id}: {ReturnStatus(to_status).label}")


def _carrier_and_tracking(carrier: str, tracking: str) -> tuple[str, str]:
    """A parcel's courier and tracking number (spaces in the number dropped).

    Raises:
        FieldErrors: either missing or longer than 80 characters.
    """
    carrier, tracking = " ".join((carrier or "").split()), "".join((tracking or "").split())
    errors = {}
    if not carrier or len(carrier) > 80:
        errors["carrier"] = _l("Enter the courier or postal service (at most 80 characters).")
    if not tracking or len(tracking) > 80:
        errors["tracking"] = _l("Enter the tracking number (at most 80 characters).")
    if errors:
        raise FieldErrors(errors)
    return carrier, tracking


def _text(value: str, name: str, message, limit: int = 80) -> str:
    value = " ".join((value or "").split())
    if not value or len(value) > limit:
        raise FieldErrors({name: message})
    return value


def accept(request: ReturnRequest, seller_user: User, *, buyer_sends: bool, carrier: str = "",
           tracking: str = "") -> None:
    """The seller takes the return: a pickup (carrier and tracking) or the buyer sends it. An
    exchange takes its units from stock now. Commits.

    Raises:
        FieldErrors: a pickup without carrier or tracking number.
        NoStockForExchange: not enough stock for an exchange (nothing written).
        InvalidTransition: the return is not waiting for the seller's answer.
    """
    also = {"decided_at": utcnow(), "buyer_sends": buyer_sends}
    if not buyer_sends:
        also["pickup_carrier"], also["pickup_tracking"] = _carrier_and_tracking(carrier, tracking)
    _move(request, ReturnStatus.ACCEPTED, seller_user, "seller",
          note=_l("The buyer sends it back.") if buyer_sends
          else f"{also['pickup_carrier']} {also['pickup_tracking']}", also=also)
    _take_exchange_stock(request)
    outbox.notify("return_status", request)
    db.session.commit()


def _take_exchange_stock(request: ReturnRequest) -> None:
    """The units of an exchange, from stock (made-to-order items are made again). Does not
    commit; on a shortage rolls back and raises NoStockForExchange."""
    if request.resolution != Resolution.EXCHANGE:
        return
    wanted: dict[int, int] = {}
    for line in request.lines:
        if line.item.from_stock:
            wanted[line.item.listing_id] = wanted.get(line.item.listing_id, 0) + line.quantity
    if wanted and stock.reserve(wanted) is not None:
        db.session.rollback()
        raise NoStockForExchange(_l("There is not enough stock to send the same item again. "
                                    "Add stock to the listing, or ask the buyer to choose a "
                                    "refund."))


def refuse(request: ReturnRequest, seller_user: User, reason: str) -> ReturnStatus:
    """The seller refuses, with a reason. For a protected reason the return goes to staff
    (escalated) instead. Commits. Returns the status it reached.

    Raises:
        FieldErrors: no reason given. InvalidTransition: not waiting for the seller.
    """
    reason = _text(reason, "reason", _l("Tell the buyer why (at most 500 characters)."), 500)
    to_status = ReturnStatus.ESCALATED if request.protected else ReturnStatus.REFUSED
    _move(request, to_status, seller_user, "seller", note=reason,
          also={"decision_note": reason, "decided_at": utcnow()})
    outbox.notify("return_status", request)
    db.session.commit()
    return to_status


def staff_decide(request: ReturnRequest, staff_user: User, *, uphold_return: bool,
                 note: str) -> None:
    """Staff decide an escalated refusal: the return goes ahead (the buyer sends it back) or
    the seller's refusal stands. Audited with the staff member's reasons. Commits.

    Raises:
        FieldErrors: no reasons given. InvalidTransition: not escalated (any more).
    """
    note = _text(note, "note", _l("Write down the reasons for the decision."), 1000)
    if uphold_return:
        _move(request, ReturnStatus.ACCEPTED, staff_user, "staff", note=note,
              also={"buyer_sends": True, "decision_note": note, "decided_at": utcnow()})
        _take_exchange_stock(request)
    else:
        _move(request, ReturnStatus.REFUSED, staff_user, "staff", note=note,
              also={"decision_note": note, "decided_at": utcnow()})
    outbox.notify("return_status", request)
    db.session.commit()


def mark_received(request: ReturnRequest, seller_user: User, *, restock: bool) -> None:
    """The parcel is back; with restock its units go back on sale. Commits; then a refund is
    refunded (refunding.py), and an exchange waits for the seller to send the item again.

    Raises:
        InvalidTransition: the return was not on its way back.
        FieldErrors, RefundRefused: from the refund engine (the return stays received).
    """
    _move(request, ReturnStatus.RECEIVED, seller_user, "seller",
          note=_l("Back in stock.") if restock else "",
          also={"received_at": utcnow(), "restocked": restock})
    if restock:
        stock.put_back([(line.item.listing_id, line.quantity) for line in request.lines
                        if line.item.from_stock])
    if request.resolution != Resolution.REFUND:  # a refund is told of when paid back
        outbox.notify("return_status", request)
    db.session.commit()
    refunding.pay_back(request, seller_user)


def not_worth_returning(request: ReturnRequest, seller_user: User) -> None:
    """The seller refunds (or exchanges) without the parcel coming back. Commits.

    Raises:
        InvalidTransition: the return is not waiting for the seller's answer.
        NoStockForExchange: not enough stock for an exchange (nothing written).
        FieldErrors, RefundRefused: from the refund engine (the return stays received).
    """
    _move(request, ReturnStatus.RECEIVED, seller_user, "seller",
          note=_l("Not worth returning: the buyer keeps it."),
          also={"decided_at": utcnow(), "received_at": utcnow(), "restocked": False})
    _take_exchange_stock(request)
    if request.resolution != Resolution.REFUND:  # a refund is told of when paid back
        outbox.notify("return_status", request)
    db.session.commit()
    refunding.pay_back(request, seller_user)


def send_exchange(request: ReturnRequest, seller_user: User, *, carrier: str,
                  tracking: str) -> None:
    """The same item sent again, at no charge, with its carrier and tracking. Commits.

    Raises:
        FieldErrors: no carrier or tracking. InvalidTransition: not received, or a refund.
    """
    if request.resolution != Resolution.EXCHANGE:
        raise FieldErrors({"carrier": _l("This return is refunded, not exchanged.")})
    carrier, tracking = _carrier_and_tracking(carrier, tracking)
    _move(request, ReturnStatus.EXCHANGED, seller_user, "seller", note=f"{carrier} {tracking}",
          also={"exchange_carrier": carrier, "exchange_tracking": tracking})
    outbox.notify("return_status", request)
    db.session.commit()


def cancel(request: ReturnRequest, buyer: User) -> None:
    """The buyer withdraws a return the seller has not answered yet. Commits.

    Raises:
        InvalidTransition: the seller has answered already.
    """
    _move(request, ReturnStatus.CANCELLED, buyer, "buyer")
    outbox.notify("return_status", request)
    db.session.commit()
