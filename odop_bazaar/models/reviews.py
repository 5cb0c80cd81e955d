"""Ratings and reviews of what buyers received, after the principles of IS 19000:2022.

Only a verified buyer writes one: a review belongs to one order line (unique), which must have
been delivered to them and not returned. It is published at once; staff may hide it only with a
reason code (abuse, personal data, not about the product), never for being negative, and the
reason is in the audit row of the move. The seller may reply once; anyone signed in may report
it, once. What product cards show (count and total of published ratings) is copied onto the
listing's shop row (models/shop.py) when a review is published or hidden.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from odop_bazaar.db_types import UTCDateTime, utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models.labelled_enum import LabelledEnum

MAX_REVIEW_PHOTOS = 3
MAX_REVIEW_TEXT = 2000
MAX_REPLY_TEXT = 1000


class ReviewStatus(LabelledEnum):
    PUBLISHED = "published", _l("Published")
    HIDDEN = "hidden", _l("Hidden by staff")


# Only staff move a review, and only with a reason code when they hide it (services/reviews).
REVIEW_TRANSITIONS = {
    (ReviewStatus.PUBLISHED, ReviewStatus.HIDDEN): "staff",
    (ReviewStatus.HIDDEN, ReviewStatus.PUBLISHED): "staff",
}


class HideReason(LabelledEnum):
    """Why staff may hide a review: the only reasons there are. Being negative is not one."""

    ABUSE = "abuse", _l("Abusive or offensive")
    PERSONAL_DATA = "personal_data", _l("Contains personal data")
    NOT_ABOUT_PRODUCT = "off_topic", _l("Not about the product")


class Review(db.Model):
    __table_args__ = (
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating"),
        CheckConstraint("status IN ('published', 'hidden')", name="status"),
        CheckConstraint("hidden_reason IS NULL OR hidden_reason IN "
                        "('abuse', 'personal_data', 'off_topic')", name="hidden_reason"),
        Index("ix_review_listing_newest", "listing_id", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # One review per order line: a double click cannot make two.
    order_item_id: Mapped[int] = mapped_column(ForeignKey("order_item.id"), unique=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listing.id"))
    seller_id: Mapped[int] = mapped_column(ForeignKey("seller.id"), index=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    rating: Mapped[int]
    text: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=ReviewStatus.PUBLISHED)
    hidden_reason: Mapped[str | None] = mapped_column(String(20))
    reply_text: Mapped[str | None] = mapped_column(Text)
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    buyer = relationship("User")
    photos: Mapped[list["ReviewPhoto"]] = relationship(
        back_populates="review", order_by="ReviewPhoto.position", cascade="all, delete-orphan")

    @property
    def status_enum(self) -> ReviewStatus:
        return ReviewStatus(self.status)

    @property
    def hidden_reason_enum(self) -> HideReason | None:
        return HideReason(self.hidden_reason) if self.hidden_reason else None

    @property
    def is_published(self) -> bool:
        return self.status == ReviewStatus.PUBLISHED

    @property
    def seller_may_reply(self) -> bool:
        return self.reply_text is None


class ReviewPhoto(db.Model):
    """A photo of a review, through the listing photo pipeline (metadata stripped)."""

    __tablename__ = "review_photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"),
                                           index=True)
    position: Mapped[int] = mapped_column(default=0)
    digest: Mapped[str] = mapped_column(String(64))
    width: Mapped[int]
    height: Mapped[int]

    review: Mapped[Review] = relationship(back_populates="photos")

    def key(self, size: int, extension: str) -> str:
        return f"photos/{self.digest[:2]}/{self.digest}-{size}.{extension}"


class ReviewReport(db.Model):
    """Someone signed in thinks a review should not be shown; one per person per review.

    Open until staff decide (hide the review, or keep it): `decided_at` is then set.
    """

    __tablename__ = "review_report"
    __table_args__ = (
        UniqueConstraint("review_id", "reporter_id"),
        CheckConstraint("reason IN ('abuse', 'personal_data', 'off_topic')", name="reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"),
                                           index=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    reason: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def reason_enum(self) -> HideReason:
        return HideReason(self.reason)
