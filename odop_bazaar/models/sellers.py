"""Sellers: who they are, what they make, and where their application stands with staff.

The application's checklist (its sections, their statuses and the documents uploaded for them)
is in models/checklist.py."""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from odop_bazaar.db_types import UTCDateTime, utcnow
from odop_bazaar.extensions import db
from odop_bazaar.identifiers import mask_account_number
from odop_bazaar.models.checklist import DocumentKind, SectionKey, SellerDocument, SellerSection
from odop_bazaar.models.labelled_enum import LabelledEnum


class SellerType(LabelledEnum):
    ARTISAN = "artisan", _l("Individual artisan")
    WEAVER = "weaver", _l("Weaver")
    FARMER = "farmer", _l("Farmer")
    SHG = "shg", _l("Self-help group (SHG)")
    FPO = "fpo", _l("Farmer producer organisation (FPO)")
    COOPERATIVE = "cooperative", _l("Cooperative society")
    PROPRIETORSHIP = "proprietorship", _l("Proprietorship")
    PARTNERSHIP = "partnership", _l("Partnership firm or LLP")
    COMPANY = "company", _l("Company")

    @property
    def pan_letters(self) -> set[str]:
        """The 4th letters a PAN of this kind of seller may have."""
        return PAN_LETTERS[self]

    @property
    def pan_holder(self):
        return PAN_HOLDER[self]

    @property
    def is_enterprise(self) -> bool:
        """Enterprises must give a Udyam registration; others may."""
        return self in (SellerType.PROPRIETORSHIP, SellerType.PARTNERSHIP, SellerType.COMPANY)


# Individuals and proprietors hold personal PANs (P); SHGs are associations or bodies of
# individuals (A, B) or trusts (T); FPOs are producer companies (C) or cooperatives (A).
PAN_LETTERS = {
    SellerType.ARTISAN: {"P"}, SellerType.WEAVER: {"P"}, SellerType.FARMER: {"P"},
    SellerType.PROPRIETORSHIP: {"P"}, SellerType.SHG: {"A", "B", "T"},
    SellerType.FPO: {"C", "A"}, SellerType.COOPERATIVE: {"A"},
    SellerType.PARTNERSHIP: {"F"}, SellerType.COMPANY: {"C"},
}
PAN_HOLDER = {
    SellerType.ARTISAN: _l("an individual"), SellerType.WEAVER: _l("an individual"),
    SellerType.FARMER: _l("an individual"), SellerType.PROPRIETORSHIP: _l("a proprietor"),
    SellerType.SHG: _l("a self-help group"), SellerType.FPO: _l("a farmer producer organisation"),
    SellerType.COOPERATIVE: _l("a cooperative society"),
    SellerType.PARTNERSHIP: _l("a firm or LLP"), SellerType.COMPANY: _l("a company"),
}


class SellerStatus(LabelledEnum):
    DRAFT = "draft", _l("Not yet submitted")
    SUBMITTED = "submitted", _l("Submitted, waiting for review")
    IN_REVIEW = "in_review", _l("In review")
    APPROVED = "approved", _l("Approved")
    CHANGES_REQUESTED = "changes_requested", _l("Changes requested")
    SUSPENDED = "suspended", _l("Suspended")


# Who may move a seller from one status to another: the one table of the seller workflow.
SELLER_TRANSITIONS = {
    (SellerStatus.DRAFT, SellerStatus.SUBMITTED): "seller",
    (SellerStatus.CHANGES_REQUESTED, SellerStatus.SUBMITTED): "seller",
    (SellerStatus.SUBMITTED, SellerStatus.IN_REVIEW): "staff",
    (SellerStatus.IN_REVIEW, SellerStatus.APPROVED): "staff",
    (SellerStatus.IN_REVIEW, SellerStatus.CHANGES_REQUESTED): "staff",
    (SellerStatus.APPROVED, SellerStatus.SUSPENDED): "admin",
    (SellerStatus.SUSPENDED, SellerStatus.APPROVED): "admin",
}


# Seller statuses grouped as the pages and services ask about them, defined here once.
EDITABLE_STATUSES = frozenset({SellerStatus.DRAFT, SellerStatus.CHANGES_REQUESTED})
UNDER_REVIEW_STATUSES = frozenset({SellerStatus.SUBMITTED, SellerStatus.IN_REVIEW})
# Approved at some point: selling now, or suspended (and so may be reinstated).
ONBOARDED_STATUSES = frozenset({SellerStatus.APPROVED, SellerStatus.SUSPENDED})
# The decisions whose note the seller is shown beside the application.
NOTED_DECISION_STATUSES = frozenset({SellerStatus.APPROVED, SellerStatus.CHANGES_REQUESTED})


class GstMode(enum.StrEnum):
    REGISTERED = "registered"
    EXEMPT = "exempt"


class GstExemption(LabelledEnum):
    BELOW_THRESHOLD = "below_threshold", _l(
        "My yearly turnover is below the GST registration threshold")
    HANDMADE = "handmade", _l(
        "I sell handicraft goods made by hand, below the threshold for handicrafts")
    ENROLMENT = "enrolment", _l(
        "I sell only within my state through the marketplace, with a GST enrolment ID")

    @property
    def buyer_label(self):
        """The exemption as the product page states it to buyers."""
        return GST_EXEMPTION_BUYER_LABELS[self]


GST_EXEMPTION_BUYER_LABELS = {
    GstExemption.BELOW_THRESHOLD: _l("yearly turnover below the GST registration threshold"),
    GstExemption.HANDMADE: _l("handicraft goods made by hand, turnover below the threshold for "
                              "handicrafts"),
    GstExemption.ENROLMENT: _l("sells only within the state through the marketplace, with a GST "
                               "enrolment ID"),
}


seller_product = Table(
    "seller_product",
    db.metadata,
    Column("seller_id", Integer, ForeignKey("seller.id", ondelete="CASCADE"), primary_key=True),
    Column("odop_product_id", Integer, ForeignKey("odop_product.id"), primary_key=True),
)


class Seller(db.Model):
    """A seller's profile, filled in section by section and verified by staff."""

    __table_args__ = (
        CheckConstraint("status IN (" + ", ".join(f"'{s.value}'" for s in SellerStatus) + ")",
                        name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), unique=True)
    status: Mapped[str] = mapped_column(String(20), default=SellerStatus.DRAFT.value, index=True)
    seller_type: Mapped[str | None] = mapped_column(String(20))
    state_lgd_code: Mapped[int | None] = mapped_column(ForeignKey("state.lgd_code"), index=True)
    district_lgd_code: Mapped[int | None] = mapped_column(ForeignKey("district.lgd_code"),
                                                          index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Business profile
    legal_name: Mapped[str | None] = mapped_column(String(200))
    display_name: Mapped[str | None] = mapped_column(String(120))
    year_started: Mapped[int | None]
    story: Mapped[str | None] = mapped_column(Text)
    languages: Mapped[str | None] = mapped_column(String(200))
    grievance_name: Mapped[str | None] = mapped_column(String(120))
    grievance_phone: Mapped[str | None] = mapped_column(String(10))
    grievance_email: Mapped[str | None] = mapped_column(String(254))
    # PAN
    pan: Mapped[str | None] = mapped_column(String(10))
    pan_name: Mapped[str | None] = mapped_column(String(120))
    # Aadhaar: only the last four digits, never the number.
    aadhaar_last4: Mapped[str | None] = mapped_column(String(4))
    aadhaar_entered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Udyam
    udyam_number: Mapped[str | None] = mapped_column(String(19))
    # GST
    gst_mode: Mapped[str | None] = mapped_column(String(12))
    gstin: Mapped[str | None] = mapped_column(String(15))
    gst_exemption: Mapped[str | None] = mapped_column(String(20))
    gst_enrolment_id: Mapped[str | None] = mapped_column(String(20))
    # Bank account for payouts
    bank_holder_name: Mapped[str | None] = mapped_column(String(120))
    bank_account_number: Mapped[str | None] = mapped_column(String(18))
    bank_ifsc: Mapped[str | None] = mapped_column(String(11))
    # Pickup address (in the seller's district)
    address_line1: Mapped[str | None] = mapped_column(String(200))
    address_line2: Mapped[str | None] = mapped_column(String(200))
    address_city: Mapped[str | None] = mapped_column(String(120))
    address_pin: Mapped[str | None] = mapped_column(String(6))
    # Certificates
    sells_processed_food: Mapped[bool | None]
    fssai_number: Mapped[str | None] = mapped_column(String(14))
    # Declarations
    terms_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    terms_version: Mapped[str | None] = mapped_column(String(20))
    # Returns: the seller also takes back goods the buyer no longer wants (the protected
    # reasons they must accept anyway).
    accepts_change_of_mind: Mapped[bool] = mapped_column(default=False, server_default=false())

    user = relationship("User", backref=db.backref("seller", uselist=False))
    state = relationship("State")
    district = relationship("District")
    products = relationship("OdopProduct", secondary=seller_product, order_by="OdopProduct.name")
    sections: Mapped[list["SellerSection"]] = relationship(
        back_populates="seller", cascade="all, delete-orphan")
    documents: Mapped[list["SellerDocument"]] = relationship(
        back_populates="seller", cascade="all, delete-orphan", order_by="SellerDocument.id")

    @property
    def status_enum(self) -> SellerStatus:
        return SellerStatus(self.status)

    @property
    def type_enum(self) -> SellerType | None:
        return SellerType(self.seller_type) if self.seller_type else None

    @property
    def can_edit_application(self) -> bool:
        """Sections can be changed before submission and when staff asked for changes."""
        return self.status in EDITABLE_STATUSES

    @property
    def gst_registered(self) -> bool:
        return self.gst_mode == GstMode.REGISTERED

    @property
    def gst_exempt(self) -> bool:
        return self.gst_mode == GstMode.EXEMPT

    @property
    def under_review(self) -> bool:
        """Submitted and waiting for, or in, a staff review."""
        return self.status in UNDER_REVIEW_STATUSES

    @property
    def is_approved(self) -> bool:
        return self.status == SellerStatus.APPROVED

    @property
    def is_suspended(self) -> bool:
        return self.status == SellerStatus.SUSPENDED

    @property
    def changes_requested(self) -> bool:
        return self.status == SellerStatus.CHANGES_REQUESTED

    @property
    def is_onboarded(self) -> bool:
        """Approved, and now selling or suspended: an admin may suspend or reinstate them."""
        return self.status in ONBOARDED_STATUSES

    @property
    def shows_decision_note(self) -> bool:
        """The seller sees the note of staff's last decision (a suspension's is its reason)."""
        return self.status in NOTED_DECISION_STATUSES

    @property
    def gst_exemption_label(self):
        return GstExemption(self.gst_exemption).label if self.gst_exemption else ""

    @property
    def gst_exemption_for_buyers(self):
        return GstExemption(self.gst_exemption).buyer_label if self.gst_exemption else ""

    @property
    def can_publish(self) -> bool:
        """Only approved (and not suspended) sellers may publish listings."""
        return self.is_approved

    @property
    def masked_bank_account(self) -> str:
        return mask_account_number(self.bank_account_number)

    @property
    def name_for_buyers(self) -> str:
        return self.display_name or self.legal_name or ""

    def section(self, key: SectionKey) -> "SellerSection | None":
        return next((s for s in self.sections if s.key == key), None)

    def documents_of(self, kind: DocumentKind) -> list["SellerDocument"]:
        return [d for d in self.documents if d.kind == kind]

    def __repr__(self) -> str:
        return f"<Seller {self.id} {self.status}>"
