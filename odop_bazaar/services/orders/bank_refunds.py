"""Refunds of cash-on-delivery orders, by bank or UPI transfer.

The buyer's account (holder, number and IFSC) or UPI id is checked and stored with the refund;
staff pay it from their bank, like a seller's payout, and record the date and the bank's
reference. Pages and the audit log show the account only masked; the "to pay" file, for the
bank, is the one place the whole number leaves the database, and each download is audited.
"""

from datetime import date

from flask_babel import lazy_gettext as _l

from odop_bazaar.db_types import utcnow
from odop_bazaar.extensions import db
from odop_bazaar.identifiers import (
    InvalidIdentifier,
    validate_bank_account,
    validate_ifsc,
    validate_upi_id,
)
from odop_bazaar.models.accounts import User
from odop_bazaar.models.orders import (
    REFUND_TRANSITIONS,
    Order,
    PaymentMethod,
    Refund,
    RefundMethod,
    RefundStatus,
)
from odop_bazaar.money import format_rupees
from odop_bazaar.services import outbox
from odop_bazaar.services.accounts.staff_scope import Scope
from odop_bazaar.services.errors import AlreadyChanged, FieldErrors
from odop_bazaar.services.orders.errors import RefundRefused
from odop_bazaar.services.orders.refund_queries import bank_refunds_to_pay, refund_of_return
from odop_bazaar.services.orders.refunds import count_on_order, lock_order_for_refund, write_refund
from odop_bazaar.services.settlements.payouts import BANK_REFERENCE
from odop_bazaar.services.workflow import claim, record


def check_payee(name: str, account_number: str | None, ifsc: str | None,
                upi_id: str | None) -> dict:
    """The payee's details, cleaned: {"payee_name", and "payee_upi_id" or
    "payee_account_number" with "payee_ifsc"}.

    Raises:
        FieldErrors: no name; neither a UPI id nor an account; a malformed number, IFSC or id.
    """
    errors, values = {}, {"payee_name": " ".join((name or "").split())}
    if not values["payee_name"]:
        errors["payee_name"] = _l("Enter the account holder's name.")
    elif len(values["payee_name"]) > 120:
        errors["payee_name"] = _l("Enter at most 120 characters.")
    checks = ({"payee_upi_id": ("upi_id", validate_upi_id, upi_id)}
              if (upi_id or "").strip() and not (account_number or "").strip() else
              {"payee_account_number": ("account_number", validate_bank_account, account_number),
               "payee_ifsc": ("ifsc", validate_ifsc, ifsc)})
    for column, (field, validate, value) in checks.items():
        if not (value or "").strip():
            errors[field] = (_l("Enter the account number and IFSC, or a UPI id.")
                             if field == "account_number" else _l("Enter the IFSC."))
            continue
        try:
            values[column] = validate(value)
        except InvalidIdentifier as error:
            errors[field] = error
    if errors:
        raise FieldErrors(errors)
    return values


def add_bank_refund(order_id: int, amount_paise: int, reason: str, *, payee_name: str,
                    account_number: str | None = None, ifsc: str | None = None,
                    upi_id: str | None = None, return_id: int | None = None,
                    actor: User | None = None) -> Refund:
    """A refund of part (or all) of a cash-on-delivery order, for staff to pay to the buyer's
    account (number and IFSC) or UPI id. Commits. A second call for the same return_id
    returns the first refund instead of making another.

    Raises:
        FieldErrors: payee details missing or malformed ("payee_name", "account_number",
            "ifsc", "upi_id"); an amount of zero or more than is still refundable ("amount").
        RefundRefused: no such order, or it was paid by card (refund it with add_card_refund).
    """
    if return_id is not None and (existing := refund_of_return(return_id)) is not None:
        return existing
    payee = check_payee(payee_name, account_number, ifsc, upi_id)
    order = db.session.get(Order, order_id)
    if order is None or order.checkout.payment_method != PaymentMethod.CASH_ON_DELIVERY:
        raise RefundRefused(_l("This order was paid by card: the refund goes back to the card."))
    order = lock_order_for_refund(order_id, amount_paise)
    return write_refund(order, Refund(
        method=RefundMethod.BANK, order_id=order.id, return_id=return_id,
        amount_paise=amount_paise, reason=(reason or "").strip(),
        status=RefundStatus.AWAITING_TRANSFER, created_by_id=actor.id if actor else None,
        **payee), actor)


def record_bank_refund_paid(refund_id: int, *, paid_on: date, reference: str, actor: User,
                            today: date) -> Refund:
    """Staff paid a bank refund: the date and the bank's reference (UTR) are recorded, audited,
    and the order counts the refund. Commits. The caller has checked the refund is in the
    staff member's places (refund_queries.scoped_bank_refund).

    Raises:
        FieldErrors: a malformed reference or a date in the future.
        RefundRefused: no such bank refund.
        AlreadyChanged: it was recorded as paid a moment ago (a double click records once).
    """
    reference = "".join((reference or "").split()).upper()
    errors = {}
    if not BANK_REFERENCE.fullmatch(reference):
        errors["reference"] = _l("Enter the bank's reference (UTR): 4 to 40 letters and "
                                 "digits.")
    if paid_on is None or paid_on > today:
        errors["paid_on"] = _l("The payment date cannot be in the future.")
    if errors:
        raise FieldErrors(errors)
    refund = db.session.get(Refund, refund_id)
    if refund is None or refund.method != RefundMethod.BANK:
        raise RefundRefused(_l("No such bank refund."))
    # From "waiting" whatever this request read: a second click finds the refund paid.
    if not claim(refund, RefundStatus.AWAITING_TRANSFER, RefundStatus.SUCCEEDED,
                 table=REFUND_TRANSITIONS, actor_id=actor.id, actor_role="staff",
                 object_type="refund", note=f"{format_rupees(refund.amount_paise)} {reference}",
                 also={"paid_on": paid_on, "payment_reference": reference,
                       "paid_by_id": actor.id, "succeeded_at": utcnow()}):
        db.session.rollback()
        raise AlreadyChanged(_l("This refund is already recorded as paid. Nothing more was "
                                "done."))
    count_on_order(refund)
    outbox.notify("refund_paid", refund)
    db.session.commit()
    return refund


def take_refund_file(scope: Scope, actor: User) -> list[Refund]:
    """The bank refunds in scope waiting to be paid, for the bank's bulk-payment file; the
    download is written to the audit log (full account numbers leave the database). Commits."""
    due = bank_refunds_to_pay(scope)
    record(actor_id=actor.id, object_type="export", object_id=0, action="export:refunds",
           note=f"{len(due)} refunds, {format_rupees(sum(r.amount_paise for r in due))}")
    db.session.commit()
    return due
