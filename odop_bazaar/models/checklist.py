"""A seller's application checklist: its sections, their review statuses (a workflow table),
and the documents uploaded for them. The seller is in models/sellers.py."""

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from odop_bazaar.db_types import UTCDateTime, utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models.labelled_enum import LabelledEnum

if TYPE_CHECKING:  # models/sellers.py imports this module
    from odop_bazaar.models.sellers import Seller


class SectionKey(enum.StrEnum):
    PRODUCTS = "products"
    BUSINESS = "business"
    PAN = "pan"
    AADHAAR = "aadhaar"
    UDYAM = "udyam"
    GST = "gst"
    BANK = "bank"
    ADDRESS = "address"
    CERTIFICATES = "certificates"
    DECLARATIONS = "declarations"


class SectionStatus(LabelledEnum):
    NOT_STARTED = "not_started", _l("Not started")
    IN_PROGRESS = "in_progress", _l("In progress")
    SUBMITTED = "submitted", _l("Submitted")
    VERIFIED = "verified", _l("Verified")
    NEEDS_CHANGES = "needs_changes", _l("Needs changes")


# Who may move a checklist section from one status to another. A seller's change puts a section
# back in progress (a verified or submitted one is then checked again); submitting sends what is
# in progress; staff decide submitted sections, and may change a decision while the review lasts
# (or give a new reason for the same one).
SECTION_TRANSITIONS = {
    (SectionStatus.NOT_STARTED, SectionStatus.IN_PROGRESS): "seller",
    (SectionStatus.SUBMITTED, SectionStatus.IN_PROGRESS): "seller",
    (SectionStatus.VERIFIED, SectionStatus.IN_PROGRESS): "seller",
    (SectionStatus.NEEDS_CHANGES, SectionStatus.IN_PROGRESS): "seller",
    (SectionStatus.NOT_STARTED, SectionStatus.SUBMITTED): "seller",
    (SectionStatus.IN_PROGRESS, SectionStatus.SUBMITTED): "seller",
    (SectionStatus.SUBMITTED, SectionStatus.VERIFIED): "staff",
    (SectionStatus.SUBMITTED, SectionStatus.NEEDS_CHANGES): "staff",
    (SectionStatus.VERIFIED, SectionStatus.NEEDS_CHANGES): "staff",
    (SectionStatus.NEEDS_CHANGES, SectionStatus.VERIFIED): "staff",
    (SectionStatus.NEEDS_CHANGES, SectionStatus.NEEDS_CHANGES): "staff",
}
# Sections staff may decide (again) while the review lasts.
DECIDABLE_SECTION_STATUSES = frozenset(
    {SectionStatus.SUBMITTED, SectionStatus.VERIFIED, SectionStatus.NEEDS_CHANGES})
# Sections the seller has not sent yet; submitting sends those that are complete.
UNSENT_SECTION_STATUSES = frozenset({SectionStatus.NOT_STARTED, SectionStatus.IN_PROGRESS})
# Sections that go back in progress when an answer they depend on changes.
SENT_SECTION_STATUSES = frozenset({SectionStatus.SUBMITTED, SectionStatus.VERIFIED})


class DocumentKind(LabelledEnum):
    PAN_CARD = "pan_card", _l("PAN card")
    UDYAM_CERTIFICATE = "udyam_certificate", _l("Udyam registration certificate")
    GST_CERTIFICATE = "gst_certificate", _l("GST registration certificate")
    BANK_PROOF = "bank_proof", _l("Cancelled cheque or first page of the passbook")
    FSSAI_CERTIFICATE = "fssai_certificate", _l("FSSAI licence or registration certificate")
    GI_CERTIFICATE = "gi_certificate", _l("GI authorised user certificate")
    ARTISAN_CARD = "artisan_card", _l("Artisan (Pehchan) or weaver identity card")


    @property
    def section(self) -> SectionKey:
        return DOCUMENT_SECTIONS[self]


DOCUMENT_SECTIONS = {
    DocumentKind.PAN_CARD: SectionKey.PAN,
    DocumentKind.UDYAM_CERTIFICATE: SectionKey.UDYAM,
    DocumentKind.GST_CERTIFICATE: SectionKey.GST,
    DocumentKind.BANK_PROOF: SectionKey.BANK,
    DocumentKind.FSSAI_CERTIFICATE: SectionKey.CERTIFICATES,
    DocumentKind.GI_CERTIFICATE: SectionKey.CERTIFICATES,
    DocumentKind.ARTISAN_CARD: SectionKey.CERTIFICATES,
}


class SellerSection(db.Model):
    """The review state of one checklist section of one seller."""

    __table_args__ = (
        UniqueConstraint("seller_id", "key"),
        CheckConstraint("status IN (" + ", ".join(f"'{s.value}'" for s in SectionStatus) + ")",
                        name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("seller.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=SectionStatus.NOT_STARTED.value)
    reviewer_note: Mapped[str | None] = mapped_column(Text)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    seller: Mapped["Seller"] = relationship(back_populates="sections")
    reviewed_by = relationship("User")

    @property
    def status_enum(self) -> SectionStatus:
        return SectionStatus(self.status)

    @property
    def needs_changes(self) -> bool:
        return self.status == SectionStatus.NEEDS_CHANGES


class SellerDocument(db.Model):
    """An uploaded document, kept in private storage under a random name."""

    id: Mapped[int] = mapped_column(primary_key=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("seller.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    storage_key: Mapped[str] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    seller: Mapped["Seller"] = relationship(back_populates="documents")

    @property
    def kind_enum(self) -> DocumentKind:
        return DocumentKind(self.kind)

    @property
    def extension(self) -> str:
        return {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(
            self.content_type, "bin")
