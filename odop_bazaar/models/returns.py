"""Returns after delivery: what a buyer sends back from one seller order, why, and what happens.

One ReturnRequest covers units of one or more lines of one seller order (ReturnLine), with the
buyer's photos (ReturnPhoto, stored privately, metadata stripped). Its status moves only by
RETURN_TRANSITIONS, through services/workflow.py. The reasons the Consumer Protection
(E-Commerce) Rules 2020 protect cannot simply be refused by the seller: such a refusal goes to
staff, who decide.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from odop_bazaar.db_types import UTCDateTime, utcnow
from odop_bazaar.extensions import db
from odop_bazaar.identifiers import mask_account_number
from odop_bazaar.models.labelled_enum import LabelledEnum


class ReturnStatus(LabelledEnum):
    REQUESTED = "requested", _l("Waiting for the seller")
    ACCEPTED = "accepted", _l("Accepted: on its way back")
    REFUSED = "refused", _l("Refused")
    ESCALATED = "escalated", _l("Refused by the seller: staff are deciding")
    RECEIVED = "received", _l("Received by the seller")
    REFUNDED = "refunded", _l("Refunded")
    EXCHANGED = "exchanged", _l("Exchanged")
    CANCELLED = "cancelled", _l("Cancelled by the buyer")


# Waiting on someone: the seller (requested, accepted: the parcel is coming), staff (escalated),
# or the refund (received). The rest are final.
ReturnStatus.OPEN = frozenset({ReturnStatus.REQUESTED, ReturnStatus.ACCEPTED,
                               ReturnStatus.ESCALATED, ReturnStatus.RECEIVED})

# The one table of the return workflow. "system" is the refund once it is written; staff decide
# an escalated refusal either way.
RETURN_TRANSITIONS = {
    (ReturnStatus.REQUESTED, ReturnStatus.ACCEPTED): "seller",
    (ReturnStatus.REQUESTED, ReturnStatus.REFUSED): "seller",
    (ReturnStatus.REQUESTED, ReturnStatus.ESCALATED): "seller",
    (ReturnStatus.REQUESTED, ReturnStatus.CANCELLED): "buyer",
    (ReturnStatus.ESCALATED, ReturnStatus.ACCEPTED): "staff",
    (ReturnStatus.ESCALATED, ReturnStatus.REFUSED): "staff",
    (ReturnStatus.ACCEPTED, ReturnStatus.RECEIVED): "seller",
    # "Not worth returning": the seller refunds without the parcel.
    (ReturnStatus.REQUESTED, ReturnStatus.RECEIVED): "seller",
    (ReturnStatus.RECEIVED, ReturnStatus.REFUNDED): "system",
    (ReturnStatus.RECEIVED, ReturnStatus.EXCHANGED): "seller",
}


class ReturnReason(LabelledEnum):
    DAMAGED = "damaged", _l("Damaged in transit")
    DEFECTIVE = "defective", _l("Defective")
    NOT_AS_DESCRIBED = "not_as_described", _l("Different from the product page")
    WRONG_ITEM = "wrong_item", _l("Wrong item sent")
    LATE = "late", _l("Delivered late")
    CHANGE_OF_MIND = "change_of_mind", _l("Changed my mind")


# Reasons a seller may not refuse on their own (Consumer Protection (E-Commerce) Rules 2020,
# rule 6(5)(d)): all of them the seller's fault, so delivery is refunded too.
ReturnReason.PROTECTED = frozenset({ReturnReason.DAMAGED, ReturnReason.DEFECTIVE,
                                    ReturnReason.NOT_AS_DESCRIBED, ReturnReason.WRONG_ITEM,
                                    ReturnReason.LATE})


class Resolution(LabelledEnum):
    REFUND = "refund", _l("A refund")
    EXCHANGE = "exchange", _l("The same item again (an exchange)")


class ReturnRequest(db.Model):
    """A buyer's return of units of one seller order."""

    __tablename__ = "return_request"
    __table_args__ = (
        Index("ix_return_request_status_created", "status", "created_at"),
        CheckConstraint("status IN (" + ", ".join(f"'{s.value}'" for s in ReturnStatus) + ")",
                        name="status"),
        CheckConstraint("reason IN (" + ", ".join(f"'{s.value}'" for s in ReturnReason) + ")",
                        name="reason"),
        CheckConstraint("resolution IN ('refund', 'exchange')", name="resolution"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("seller_order.id"), index=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("seller.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(20))
    details: Mapped[str] = mapped_column(Text, default="")
    resolution: Mapped[str] = mapped_column(String(10))
    amount_paise: Mapped[int]  # the returned units, and delivery when it is refunded too
    delivery_paise: Mapped[int] = mapped_column(default=0)  # the part of it that is delivery
    # Cash on delivery: where the refund goes (a bank account and IFSC, or a UPI id).
    refund_name: Mapped[str | None] = mapped_column(String(120))
    refund_account: Mapped[str | None] = mapped_column(String(18))
    refund_ifsc: Mapped[str | None] = mapped_column(String(11))
    refund_upi: Mapped[str | None] = mapped_column(String(100))
    decision_note: Mapped[str | None] = mapped_column(Text)
    pickup_carrier: Mapped[str | None] = mapped_column(String(80))
    pickup_tracking: Mapped[str | None] = mapped_column(String(80))
    buyer_sends: Mapped[bool] = mapped_column(default=False)
    restocked: Mapped[bool | None]
    exchange_carrier: Mapped[str | None] = mapped_column(String(80))
    exchange_tracking: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    order = relationship("Order")
    buyer = relationship("User")
    seller = relationship("Seller")
    lines: Mapped[list["ReturnLine"]] = relationship(back_populates="request",
                                                    order_by="ReturnLine.id")
    photos: Mapped[list["ReturnPhoto"]] = relationship(back_populates="request",
                                                      order_by="ReturnPhoto.id")

    @property
    def status_enum(self) -> ReturnStatus:
        return ReturnStatus(self.status)

    @property
    def reason_enum(self) -> ReturnReason:
        return ReturnReason(self.reason)

    @property
    def resolution_enum(self) -> Resolution:
        return Resolution(self.resolution)

    @property
    def protected(self) -> bool:
        """A reason the seller cannot refuse on their own."""
        return self.reason in ReturnReason.PROTECTED

    @property
    def masked_account(self) -> str:
        """Where a cash-on-delivery refund goes, shown with all but the last four digits hidden."""
        if self.refund_upi:
            name, _at, bank = self.refund_upi.partition("@")
            return f"{name[:2]}{'X' * max(len(name) - 2, 0)}@{bank}"
        return mask_account_number(self.refund_account)

    @property
    def waiting_on_seller(self) -> bool:
        return self.status in (ReturnStatus.REQUESTED, ReturnStatus.ACCEPTED)


class ReturnLine(db.Model):
    """Units of one order line in a return."""

    __tablename__ = "return_line"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("return_request.id"), index=True)
    order_item_id: Mapped[int] = mapped_column(ForeignKey("order_item.id"), index=True)
    quantity: Mapped[int]

    request: Mapped[ReturnRequest] = relationship(back_populates="lines")
    item = relationship("OrderItem")


class ReturnPhoto(db.Model):
    """A photo the buyer sent with a return; its file is in the private store."""

    __tablename__ = "return_photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("return_request.id"), index=True)
    storage_key: Mapped[str] = mapped_column(String(200))

    request: Mapped[ReturnRequest] = relationship(back_populates="photos")
