"""The money once a return's units are back (or not worth sending back): the refund engine's
partial card refund for exactly the return's amount, or, for cash on delivery, its bank or UPI
refund for staff to pay. The return is then refunded: its refund (pending, awaiting the transfer
or made) is shown beside it. An exchange waits instead for the seller to send the item again.

One refund per return (the engine keys it by the return): a repeated request refunds once.
"""

from flask_babel import lazy_gettext as _l

from odop_bazaar.extensions import db
from odop_bazaar.models.accounts import User
from odop_bazaar.models.orders import PaymentMethod, Refund
from odop_bazaar.models.returns import RETURN_TRANSITIONS, Resolution, ReturnRequest, ReturnStatus
from odop_bazaar.services import outbox, workflow
from odop_bazaar.services.orders import bank_refunds, refunds

SYSTEM = "system"


def pay_back(request: ReturnRequest, actor: User | None) -> Refund | None:
    """Refund a received return of a refund (nothing for an exchange); the return is then
    refunded. Commits (the engine commits the refund first, then sends a card refund).

    Raises:
        FieldErrors, RefundRefused: from the refund engine (an amount above what is left).
    """
    if request.resolution != Resolution.REFUND or request.status != ReturnStatus.RECEIVED:
        return None
    reason = str(_l("Return R%(number)d: %(reason)s", number=request.id,
                    reason=request.reason_enum.label))
    if request.order.checkout.payment_method == PaymentMethod.CASH_ON_DELIVERY:
        refund = bank_refunds.add_bank_refund(
            request.order_id, request.amount_paise, reason, payee_name=request.refund_name,
            account_number=request.refund_account, ifsc=request.refund_ifsc,
            upi_id=request.refund_upi, return_id=request.id, actor=actor)
    else:
        refund = refunds.add_card_refund(request.order_id, request.amount_paise, reason,
                                         return_id=request.id, actor=actor)
    db.session.refresh(request)
    # Two presses at once: the engine wrote one refund, and the first to move the return wins.
    workflow.claim(request, ReturnStatus.RECEIVED, ReturnStatus.REFUNDED,
                   table=RETURN_TRANSITIONS, actor_id=None, actor_role=SYSTEM,
                   object_type="return", note=f"{refund.method_enum.label}")
    outbox.notify("return_status", request)
    db.session.commit()
    return refund
