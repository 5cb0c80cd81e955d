"""The buyer asks for a return: units of one or more lines of a delivered seller order, within the
return window the product page promises, with a reason, photos (required for damage), and, for
cash on delivery, where the refund should go.

Every check is made before anything is written, and again under the order's row lock for what
another request may change (the units already in a return): a double click makes one return, and
the second press is told the units are already in it.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l

from odop_bazaar.db_types import utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models.accounts import User
from odop_bazaar.models.orders import Order, OrderStatus, PaymentMethod
from odop_bazaar.models.returns import (
    Resolution,
    ReturnLine,
    ReturnPhoto,
    ReturnReason,
    ReturnRequest,
    ReturnStatus,
)
from odop_bazaar.services import outbox, workflow
from odop_bazaar.services.catalogue.images import process_photo
from odop_bazaar.services.errors import DomainError, FieldErrors
from odop_bazaar.services.orders import bank_refunds
from odop_bazaar.services.returns import queries
from odop_bazaar.storage import storage

MAX_PHOTOS = 3


class ReturnRefused(DomainError):
    """The return cannot be asked for (not delivered, outside the window, not the buyer's)."""


@dataclass
class ReturnAsk:
    """What the buyer typed on the return form, as plain values."""

    quantities: dict[int, int]  # order line id -> units to return
    reason: str
    resolution: str = Resolution.REFUND
    details: str = ""
    photos: list[bytes] = field(default_factory=list)
    payee_name: str = ""
    account_number: str = ""
    ifsc: str = ""
    upi_id: str = ""


def window_ends(order: Order):
    """When the order's return window closes (None before delivery)."""
    if order.delivered_at is None:
        return None
    return order.delivered_at + timedelta(days=current_app.config["RETURN_WINDOW_DAYS"])


def may_return(order: Order, now=None) -> bool:
    """Delivered, and the return window still open (the order page shows the form then)."""
    ends = window_ends(order)
    return (order.status == OrderStatus.DELIVERED and ends is not None
            and (now or utcnow()) <= ends)


def reasons_for(order: Order) -> list[ReturnReason]:
    """The reasons a buyer may give for this order: the protected ones, and changing one's mind
    where the seller allows it."""
    allowed = [reason for reason in ReturnReason if reason in ReturnReason.PROTECTED]
    if order.seller.accepts_change_of_mind:
        allowed.append(ReturnReason.CHANGE_OF_MIND)
    return allowed


def request_return(order: Order, buyer: User, ask: ReturnAsk, now=None) -> ReturnRequest:
    """Write the buyer's return of units of a delivered order; audited on the return and on
    the order. Commits.

    Raises:
        ReturnRefused: not the buyer's, not delivered, or outside the return window.
        FieldErrors: by form field: a reason, photos, quantities or refund account that break a
            rule (more units than delivered, or units already in another return).
        PhotoRefused: a photo that is not an acceptable image.
    """
    if order.buyer_id != buyer.id:
        raise ReturnRefused(_l("That order is not yours."))
    if not may_return(order, now):
        raise ReturnRefused(_l("This order can no longer be returned: returns are possible "
                               "for %(days)d days after delivery.",
                               days=current_app.config["RETURN_WINDOW_DAYS"]))
    quantities = {item_id: n for item_id, n in ask.quantities.items() if n}
    payee = _check_answers(order, ask, quantities)
    photos = [process_photo(data) for data in ask.photos]  # refused before anything is written
    workflow.lock_row(Order, order.id)
    db.session.refresh(order)
    _check_units(order, quantities)
    request = _new_request(order, buyer, ask, quantities, payee)
    for photo in photos:
        largest = next(v for v in photo.variants if v.extension == "jpg")
        key = f"returns/{photo.digest[:2]}/{photo.digest}.jpg"
        storage("private").save(key, largest.data)
        request.photos.append(ReturnPhoto(storage_key=key))
    db.session.flush()
    _record_request(request, buyer)
    outbox.notify("return_status", request)
    db.session.commit()
    return request


def _record_request(request: ReturnRequest, buyer: User) -> None:
    """The audit rows: on the return, and on its order (the order's timeline shows it)."""
    units = ", ".join(f"{line.item.title} × {line.quantity}" for line in request.lines)
    note = f"{request.reason_enum.label}: {units}"
    workflow.record(actor_id=buyer.id, object_type="return", object_id=request.id,
                    action="status", to_status=ReturnStatus.REQUESTED, note=note)
    workflow.record(actor_id=buyer.id, object_type="order", object_id=request.order_id,
                    action="return", to_status=request.order.status,
                    note=f"R{request.id}: {ReturnStatus.REQUESTED.label}")


def _check_answers(order: Order, ask: ReturnAsk, quantities: dict[int, int]) -> dict:
    """Every answer's rule; the cleaned payee details for a cash-on-delivery refund.

    Raises:
        FieldErrors: by form field.
    """
    errors = {}
    if ask.reason not in {reason.value for reason in reasons_for(order)}:
        errors["reason"] = _l("Choose why you are returning it.")
    if ask.resolution not in {resolution.value for resolution in Resolution}:
        errors["resolution"] = _l("Choose a refund or an exchange.")
    if ask.reason == ReturnReason.DAMAGED and not ask.photos:
        errors["photos"] = _l("Add at least one photo of the damage.")
    if len(ask.photos) > MAX_PHOTOS:
        errors["photos"] = _l("Add at most %(num)d photos.", num=MAX_PHOTOS)
    if len(ask.details) > 1000:
        errors["details"] = _l("Use at most %(num)d characters.", num=1000)
    items = {item.id: item for item in order.items}
    if not quantities:
        errors["lines"] = _l("Choose how many of at least one item you are returning.")
    elif any(item_id not in items or n < 0 for item_id, n in quantities.items()):
        errors["lines"] = _l("Choose only items of this order.")
    payee = {}
    if order.checkout.payment_method == PaymentMethod.CASH_ON_DELIVERY and \
            ask.resolution == Resolution.REFUND:
        try:
            payee = _payee(ask)
        except FieldErrors as error:
            errors.update(error.errors)
    if errors:
        raise FieldErrors(errors)
    return payee


def _payee(ask: ReturnAsk) -> dict:
    """Where a cash-on-delivery refund goes, checked by the refund engine's own rule: the
    holder's name, and a UPI id or a bank account with its IFSC.

    Raises:
        FieldErrors: by field ("payee_name", "account_number", "ifsc", "upi_id").
    """
    return bank_refunds.check_payee(ask.payee_name, ask.account_number, ask.ifsc, ask.upi_id)


def _check_units(order: Order, quantities: dict[int, int]) -> None:
    """Under the order's lock: no more units than delivered and not yet in another return."""
    already = queries.returned_quantities(quantities)
    for item in order.items:
        wanted = quantities.get(item.id, 0)
        left = item.quantity - already.get(item.id, 0)
        if wanted > left:
            message = (_l("You can return at most %(num)d of “%(title)s”.", num=left,
                          title=item.title) if left > 0 else
                       _l("“%(title)s” is already in a return.", title=item.title))
            raise FieldErrors({"lines": message})


def _new_request(order: Order, buyer: User, ask: ReturnAsk, quantities: dict[int, int],
                 payee: dict) -> ReturnRequest:
    items = {item.id: item for item in order.items}
    units = sum(items[item_id].unit_price_paise * n for item_id, n in quantities.items())
    delivery = order.delivery_paise if _delivery_refunded(order, ask.reason, quantities) else 0
    request = ReturnRequest(
        order_id=order.id, buyer_id=buyer.id, seller_id=order.seller_id,
        status=ReturnStatus.REQUESTED, reason=ask.reason, resolution=ask.resolution,
        details=" ".join(ask.details.split()), amount_paise=units + delivery,
        delivery_paise=delivery, refund_name=payee.get("payee_name"),
        refund_account=payee.get("payee_account_number"), refund_ifsc=payee.get("payee_ifsc"),
        refund_upi=payee.get("payee_upi_id"))
    request.lines = [ReturnLine(order_item_id=item_id, quantity=n, item=items[item_id])
                     for item_id, n in sorted(quantities.items())]
    db.session.add(request)
    return request


def _delivery_refunded(order: Order, reason: str, quantities: dict[int, int]) -> bool:
    """Delivery comes back when the whole seller order does, or the seller is at fault; once."""
    standing = queries.standing_returns(order.id)
    if not order.delivery_paise or any(r.delivery_paise for r in standing):
        return False
    if reason in ReturnReason.PROTECTED:
        return True
    already = queries.returned_quantities(quantities.keys() | {i.id for i in order.items})
    return all(already.get(item.id, 0) + quantities.get(item.id, 0) >= item.quantity
               for item in order.items)
