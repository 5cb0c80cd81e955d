"""Complaint tickets: a buyer's or seller's grievance, its clocks and its conversation.

The Consumer Protection (E-Commerce) Rules 2020 ask a marketplace to give the consumer a ticket
number, acknowledge the complaint within 48 hours and resolve it within one month. Both dues are
written when the ticket is opened (and again when it is reopened), so the grievance officer's
queue sorts on stored times and a later change of the rules changes no promise already made.
"""

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from odop_bazaar.db_types import UTCDateTime, utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models.labelled_enum import LabelledEnum


class ComplaintStatus(LabelledEnum):
    OPEN = "open", _l("Open: waiting for acknowledgement")
    ACKNOWLEDGED = "acknowledged", _l("Acknowledged: being looked into")
    RESOLVED = "resolved", _l("Resolved")
    REOPENED = "reopened", _l("Reopened: waiting for acknowledgement")


# Who may move a ticket: staff (the grievance officer) acknowledge and resolve it; the person who
# opened it may reopen it after a resolution, for a while (services/complaints/tickets.py).
OPENERS = frozenset({"buyer", "seller"})
COMPLAINT_TRANSITIONS = {
    (ComplaintStatus.OPEN, ComplaintStatus.ACKNOWLEDGED): "staff",
    (ComplaintStatus.OPEN, ComplaintStatus.RESOLVED): "staff",
    (ComplaintStatus.ACKNOWLEDGED, ComplaintStatus.RESOLVED): "staff",
    (ComplaintStatus.RESOLVED, ComplaintStatus.REOPENED): OPENERS,
    (ComplaintStatus.REOPENED, ComplaintStatus.ACKNOWLEDGED): "staff",
    (ComplaintStatus.REOPENED, ComplaintStatus.RESOLVED): "staff",
}
# Waiting for the grievance officer to say they have it.
ComplaintStatus.UNACKNOWLEDGED = frozenset({ComplaintStatus.OPEN, ComplaintStatus.REOPENED})


class ComplaintCategory(LabelledEnum):
    NOT_DELIVERED = "not_delivered", _l("Not delivered or late")
    DAMAGED = "damaged", _l("Damaged or defective")
    NOT_AS_DESCRIBED = "not_as_described", _l("Different from the product page")
    WRONG_ITEM = "wrong_item", _l("Wrong item sent")
    REFUND = "refund", _l("Refund or return")
    MISLEADING_LISTING = "misleading_listing", _l("Misleading or unsafe product page")
    SELLER_CONDUCT = "seller_conduct", _l("The seller's conduct")
    PAYOUT_MISSING = "payout_missing", _l("Payout not received")
    PAYOUT_AMOUNT = "payout_amount", _l("Payout amount is wrong")
    ORDER_PROBLEM = "order_problem", _l("A problem with an order")
    BUYER_CONDUCT = "buyer_conduct", _l("The buyer's conduct")
    OTHER = "other", _l("Something else")


# The categories each opener may choose, by what the complaint is about.
CATEGORIES = {
    ("buyer", "order"): (ComplaintCategory.NOT_DELIVERED, ComplaintCategory.DAMAGED,
                         ComplaintCategory.NOT_AS_DESCRIBED, ComplaintCategory.WRONG_ITEM,
                         ComplaintCategory.REFUND, ComplaintCategory.SELLER_CONDUCT,
                         ComplaintCategory.OTHER),
    ("buyer", "listing"): (ComplaintCategory.MISLEADING_LISTING,
                           ComplaintCategory.NOT_AS_DESCRIBED, ComplaintCategory.SELLER_CONDUCT,
                           ComplaintCategory.OTHER),
    ("seller", "order"): (ComplaintCategory.ORDER_PROBLEM, ComplaintCategory.REFUND,
                          ComplaintCategory.BUYER_CONDUCT, ComplaintCategory.OTHER),
    ("seller", "payout"): (ComplaintCategory.PAYOUT_MISSING, ComplaintCategory.PAYOUT_AMOUNT,
                           ComplaintCategory.OTHER),
}


def _in(column: str, values) -> str:
    return f"{column} IN (" + ", ".join(f"'{value}'" for value in values) + ")"


class Complaint(db.Model):
    """One ticket, about exactly one order, listing or payout (a return is named beside its
    order)."""

    __table_args__ = (
        UniqueConstraint("opener_id", "submission_key"),
        Index("ix_complaint_status_due", "status", "resolve_due"),
        CheckConstraint(_in("status", ComplaintStatus), name="status"),
        CheckConstraint(_in("opener_role", sorted(OPENERS)), name="opener_role"),
        CheckConstraint(_in("category", ComplaintCategory), name="category"),
        CheckConstraint("(CASE WHEN order_id IS NULL THEN 0 ELSE 1 END)"
                        " + (CASE WHEN listing_id IS NULL THEN 0 ELSE 1 END)"
                        " + (CASE WHEN payout_id IS NULL THEN 0 ELSE 1 END) = 1",
                        name="one_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)  # CMP-7K2M9QXA
    opener_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    opener_role: Mapped[str] = mapped_column(String(10))
    # The seller the complaint concerns: whose place decides which staff see it.
    seller_id: Mapped[int | None] = mapped_column(ForeignKey("seller.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("seller_order.id"), index=True)
    listing_id: Mapped[int | None] = mapped_column(ForeignKey("listing.id"), index=True)
    payout_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entry.id"), index=True)
    # The return it names, beside its order (only one of that order's returns).
    return_id: Mapped[int | None] = mapped_column(ForeignKey("return_request.id"))
    category: Mapped[str] = mapped_column(String(24))
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))  # ComplaintStatus, by COMPLAINT_TRANSITIONS
    # Sent with the form: pressing "Open" twice opens one ticket.
    submission_key: Mapped[str] = mapped_column(String(40))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    acknowledge_due: Mapped[datetime] = mapped_column(UTCDateTime)
    resolve_due: Mapped[datetime] = mapped_column(UTCDateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolution: Mapped[str | None] = mapped_column(Text)

    opener = relationship("User")
    seller = relationship("Seller")
    order = relationship("Order")
    listing = relationship("Listing")
    payout = relationship("LedgerEntry")
    messages: Mapped[list["ComplaintMessage"]] = relationship(
        back_populates="complaint", order_by="ComplaintMessage.id")

    @property
    def status_enum(self) -> ComplaintStatus:
        return ComplaintStatus(self.status)

    @property
    def category_enum(self) -> ComplaintCategory:
        return ComplaintCategory(self.category)

    @property
    def subject_kind(self) -> str:
        return "order" if self.order_id else "listing" if self.listing_id else "payout"

    @property
    def is_resolved(self) -> bool:
        return self.status == ComplaintStatus.RESOLVED

    @property
    def awaiting_acknowledgement(self) -> bool:
        return self.status in ComplaintStatus.UNACKNOWLEDGED

    def overdue(self, now: datetime) -> bool:
        """Past a due time the marketplace has not met."""
        if self.is_resolved:
            return False
        return now > self.resolve_due or (self.awaiting_acknowledgement
                                           and now > self.acknowledge_due)

    def may_reopen(self, now: datetime, reopen_days: int) -> bool:
        """Resolved no more than reopen_days ago: its opener may reopen it."""
        return self.is_resolved and now <= self.resolved_at + timedelta(days=reopen_days)

    def next_due(self) -> datetime:
        """The next promise: the acknowledgement, then the resolution."""
        return self.acknowledge_due if self.awaiting_acknowledgement else self.resolve_due


class ComplaintMessage(db.Model):
    """One reply on a ticket, by the person who opened it or by staff. Never changed."""

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    from_staff: Mapped[bool]
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    complaint: Mapped[Complaint] = relationship(back_populates="messages")
    author = relationship("User")
