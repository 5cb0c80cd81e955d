"""What the marketplace owes each seller: an append-only ledger of credits, debits and payouts.

A seller's balance is the sum of their entries. Entries are never changed or deleted (the
mapper refuses it); a mistake is put right by a new entry that says which one it corrects.
"""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from odop_bazaar.db_types import UTCDateTime, utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models.labelled_enum import LabelledEnum


class EntryKind(LabelledEnum):
    SALE = "sale", _l("Sale")  # + a delivered order's total, once its return window has passed
    COMMISSION = "commission", _l("Commission")  # - the marketplace's share of that sale
    REFUND = "refund", _l("Refund to buyer")  # - money given back to the buyer for an order already credited
    PAYOUT = "payout", _l("Payout")  # - money sent to the seller's bank
    ADJUSTMENT = "adjustment", _l("Correction")  # +/- a correction, with its reason


class LedgerEntry(db.Model):
    """One credit (+) or debit (-) to a seller's balance, in paise."""

    __table_args__ = (
        # A sale and its commission are posted once per order; a refund once; a bank transfer
        # once per seller (its reference), so a double-entered payout is refused.
        UniqueConstraint("order_id", "kind"),
        UniqueConstraint("refund_id"),
        UniqueConstraint("seller_id", "bank_reference"),
        CheckConstraint("amount_paise <> 0", name="not_zero"),
        CheckConstraint("kind IN ('sale', 'commission', 'refund', 'payout', 'adjustment')",
                        name="kind"),
        Index("ix_ledger_entry_seller_created", "seller_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("seller.id"))
    kind: Mapped[str] = mapped_column(String(12))
    amount_paise: Mapped[int]
    order_id: Mapped[int | None] = mapped_column(ForeignKey("seller_order.id"))
    refund_id: Mapped[int | None] = mapped_column(ForeignKey("refund.id"))
    # Payouts: the day the bank sent the money and the bank's reference (UTR).
    paid_on: Mapped[date | None] = mapped_column(Date)
    bank_reference: Mapped[str | None] = mapped_column(String(40))
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entry.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    seller = relationship("Seller")
    order = relationship("Order")
    created_by = relationship("User")
    corrects = relationship("LedgerEntry", remote_side=[id])

    @property
    def kind_enum(self) -> EntryKind:
        return EntryKind(self.kind)

    @property
    def is_payout(self) -> bool:
        return self.kind == EntryKind.PAYOUT


class ImmutableEntry(Exception):
    """A ledger entry may not be changed or deleted; add a correcting entry instead."""


@event.listens_for(LedgerEntry, "before_update")
@event.listens_for(LedgerEntry, "before_delete")
def _refuse_change(mapper, connection, target):
    raise ImmutableEntry(f"ledger entry {target.id} cannot be changed; add a correction")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_change(state):
    # update(LedgerEntry) and delete(LedgerEntry) through a session skip the mapper events.
    if (state.is_update or state.is_delete) and state.bind_mapper is not None \
            and state.bind_mapper.class_ is LedgerEntry:
        raise ImmutableEntry("ledger entries cannot be changed; add a correction")
