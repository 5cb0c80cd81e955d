"""Money given back to a buyer: by card through Stripe, or by bank or UPI transfer.

A refund may be of part of an order (a return of some units) or all of it (a cancellation).
Card refunds go to Stripe with an idempotency key stored here, so a retry cannot refund twice.
Cash-on-delivery orders are refunded by a transfer that staff make and record, like a payout;
the buyer's account number is shown only masked (its last four digits) on every page and file
but the one the bank needs.
"""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from odop_bazaar.db_types import UTCDateTime, utcnow
from odop_bazaar.extensions import db
from odop_bazaar.identifiers import mask_account_number
from odop_bazaar.models.labelled_enum import LabelledEnum


class RefundMethod(LabelledEnum):
    CARD = "card", _l("Card (Stripe)")
    BANK = "bank", _l("Bank or UPI transfer")


class RefundStatus(LabelledEnum):
    # Written, not yet accepted by Stripe (retried until it is).
    PENDING = "pending", _l("Waiting to be sent")
    # A bank or UPI refund that staff have not paid yet.
    AWAITING_TRANSFER = "awaiting_transfer", _l("Waiting for the bank transfer")
    SUCCEEDED = "succeeded", _l("Refunded")


# A card refund is written pending and sent at once; a failed attempt leaves it pending for
# `flask retry-refunds` ("system" is the only actor). A bank refund waits for staff, who make
# the transfer and record it.
REFUND_TRANSITIONS = {
    (RefundStatus.PENDING, RefundStatus.SUCCEEDED): "system",
    (RefundStatus.AWAITING_TRANSFER, RefundStatus.SUCCEEDED): "staff",
}


class Refund(db.Model):
    """Money sent back for a seller order (all or part of it), or for a payment that came too
    late (no order)."""

    __table_args__ = (
        CheckConstraint("status IN (" + ", ".join(f"'{s.value}'" for s in RefundStatus) + ")",
                        name="status"),
        CheckConstraint("method IN (" + ", ".join(f"'{m.value}'" for m in RefundMethod) + ")",
                        name="method"),
        CheckConstraint("amount_paise > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    method: Mapped[str] = mapped_column(String(10), default=RefundMethod.CARD,
                                        server_default="card")
    # The card payment refunded (none for a bank refund of a cash-on-delivery order).
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payment.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("seller_order.id"), index=True)
    # The return it pays for (its foreign key added with the returns, in 0014). One refund
    # per return, so a repeated request cannot refund a return twice.
    return_id: Mapped[int | None] = mapped_column(ForeignKey("return_request.id"), unique=True)
    amount_paise: Mapped[int]
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    provider_reference: Mapped[str | None] = mapped_column(String(80), unique=True)
    status: Mapped[str] = mapped_column(String(20))  # RefundStatus, by REFUND_TRANSITIONS
    # Card refunds: sent with every attempt, so a retry after a lost reply cannot refund twice.
    idempotency_key: Mapped[str | None] = mapped_column(String(60))
    # Bank refunds: whom to pay, to an account (number and IFSC) or a UPI id.
    payee_name: Mapped[str | None] = mapped_column(String(120))
    payee_account_number: Mapped[str | None] = mapped_column(String(18))
    payee_ifsc: Mapped[str | None] = mapped_column(String(11))
    payee_upi_id: Mapped[str | None] = mapped_column(String(100))
    # ... and, once staff have paid, when and under which bank reference (UTR).
    paid_on: Mapped[date | None] = mapped_column(Date)
    payment_reference: Mapped[str | None] = mapped_column(String(40))
    paid_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the money went (Stripe accepted it, or staff recorded the transfer): the ledger
    # debits a refund that succeeds after the seller was credited.
    succeeded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    order = relationship("Order")
    paid_by = relationship("User", foreign_keys=[paid_by_id])

    @property
    def status_enum(self) -> RefundStatus:
        return RefundStatus(self.status)

    @property
    def method_enum(self) -> RefundMethod:
        return RefundMethod(self.method)

    @property
    def awaiting_transfer(self) -> bool:
        return self.status == RefundStatus.AWAITING_TRANSFER

    @property
    def masked_account(self) -> str:
        """The buyer's account number as every page shows it: 'XXXXXXXX9012'."""
        return mask_account_number(self.payee_account_number)

    @property
    def payee_destination(self) -> str:
        """Where the money goes, safe to show: the masked account and IFSC, or the UPI id."""
        if self.payee_upi_id:
            return self.payee_upi_id
        if self.payee_account_number:
            return f"{self.masked_account} · {self.payee_ifsc}"
        return ""
