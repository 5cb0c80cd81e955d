"""Listings: what sellers sell, in reviewed versions, with their photos.

A listing's price, MRP and stock live on the listing and change at once. Everything a buyer reads
or sees (title, description, photos, product, declarations) lives in a ListingContent version:
`live_content` is the version staff approved and buyers see; `draft_content` is the version the
seller edits. An edit to a live listing makes a new draft, so buyers never see unreviewed text
or photos.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from odop_bazaar.db_types import UTCDateTime, utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models.labelled_enum import LabelledEnum


class ListingStatus(LabelledEnum):
    DRAFT = "draft", _l("Draft")
    SUBMITTED = "submitted", _l("Waiting for review")
    APPROVED = "approved", _l("Live")
    CHANGES_REQUESTED = "changes_requested", _l("Changes requested")
    UNPUBLISHED = "unpublished", _l("Unpublished")
    REMOVED = "removed", _l("Removed by staff")


# Who may move a listing between statuses: the one table of the listing workflow.
LISTING_TRANSITIONS = {
    (ListingStatus.DRAFT, ListingStatus.SUBMITTED): "seller",
    (ListingStatus.CHANGES_REQUESTED, ListingStatus.SUBMITTED): "seller",
    (ListingStatus.APPROVED, ListingStatus.SUBMITTED): "seller",  # an edit sent for review
    (ListingStatus.UNPUBLISHED, ListingStatus.SUBMITTED): "seller",
    (ListingStatus.SUBMITTED, ListingStatus.APPROVED): "staff",
    (ListingStatus.SUBMITTED, ListingStatus.CHANGES_REQUESTED): "staff",
    (ListingStatus.APPROVED, ListingStatus.UNPUBLISHED): "seller",
    (ListingStatus.SUBMITTED, ListingStatus.UNPUBLISHED): "seller",
    (ListingStatus.CHANGES_REQUESTED, ListingStatus.UNPUBLISHED): "seller",
    (ListingStatus.UNPUBLISHED, ListingStatus.APPROVED): "seller",  # republish, unchanged
    (ListingStatus.DRAFT, ListingStatus.REMOVED): "staff",
    (ListingStatus.SUBMITTED, ListingStatus.REMOVED): "staff",
    (ListingStatus.APPROVED, ListingStatus.REMOVED): "staff",
    (ListingStatus.CHANGES_REQUESTED, ListingStatus.REMOVED): "staff",
    (ListingStatus.UNPUBLISHED, ListingStatus.REMOVED): "staff",
}

# Statuses in which a listing's approved content is published: an edit under review does not
# take the approved version off the shop.
PUBLISHED_STATUSES = (ListingStatus.APPROVED, ListingStatus.SUBMITTED,
                      ListingStatus.CHANGES_REQUESTED)
# Statuses in which the seller cannot change the content: staff are reviewing it, or removed it.
CONTENT_LOCKED_STATUSES = (ListingStatus.SUBMITTED, ListingStatus.REMOVED)
# Statuses a seller can send for review from without an edit (an approved listing needs one).
SUBMITTABLE_STATUSES = (ListingStatus.DRAFT, ListingStatus.CHANGES_REQUESTED)
# Statuses that come with what staff said: their reasons and note.
STAFF_FEEDBACK_STATUSES = (ListingStatus.CHANGES_REQUESTED, ListingStatus.REMOVED)


class Unit(LabelledEnum):
    PIECE = "piece", _l("piece")
    PAIR = "pair", _l("pair")
    SET = "set", _l("set")
    DOZEN = "dozen", _l("dozen")
    KG = "kg", _l("kg")
    G = "g", _l("g")
    LITRE = "litre", _l("litre")
    ML = "ml", _l("ml")
    METRE = "metre", _l("metre")


GST_RATES = (0, 5, 12, 18, 28)
MAX_PHOTOS = 8
# What a content version holds: copied into a new draft, compared to show staff what changed.
CONTENT_FIELDS = (
    "odop_product_id", "title", "description", "title_hi", "description_hi", "unit",
    "net_quantity_milli", "hsn_code", "gst_rate", "weight_grams", "length_cm", "width_cm",
    "height_cm", "country_of_origin", "prepackaged", "manufacturer_name",
    "manufacturer_address", "manufactured_month", "consumer_care",
)
# The declarations pre-packaged goods must carry (checked only when a listing says it is one).
DECLARATION_FIELDS = ("manufacturer_name", "manufacturer_address", "manufactured_month",
                      "consumer_care")


class ReasonCode(LabelledEnum):
    PHOTO_QUALITY = "photo_quality", _l("Photo quality")
    NOT_DISTRICT_PRODUCT = "not_district_product", _l("Not the district's ODOP product")
    PROHIBITED = "prohibited", _l("Prohibited item")
    MISSING_DECLARATIONS = "missing_declarations", _l("Missing declarations")
    PRICE_WRONG = "price_wrong", _l("Price or MRP wrong")


class Listing(db.Model):
    """One product a seller offers. Price and stock change at once; content is reviewed."""

    __table_args__ = (
        CheckConstraint("status IN (" + ", ".join(f"'{s.value}'" for s in ListingStatus) + ")",
                        name="status"),
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        CheckConstraint("price_paise > 0 AND price_paise <= mrp_paise", name="price_within_mrp"),
        Index("ix_listing_seller_status", "seller_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("seller.id"))
    status: Mapped[str] = mapped_column(String(20), default=ListingStatus.DRAFT.value)
    price_paise: Mapped[int]
    mrp_paise: Mapped[int]
    stock: Mapped[int] = mapped_column(default=0)
    made_to_order: Mapped[bool] = mapped_column(default=False)
    lead_time_days: Mapped[int | None]
    live_content_id: Mapped[int | None] = mapped_column(ForeignKey("listing_content.id"))
    draft_content_id: Mapped[int | None] = mapped_column(ForeignKey("listing_content.id"))
    review_reasons: Mapped[str | None] = mapped_column(String(200))  # comma-separated codes
    review_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When it first went on the shop: "newest" means new to the shop, not recently edited.
    first_approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    seller = relationship("Seller", backref=db.backref("listings", lazy="dynamic"))
    live_content: Mapped["ListingContent | None"] = relationship(foreign_keys=[live_content_id])
    draft_content: Mapped["ListingContent | None"] = relationship(
        foreign_keys=[draft_content_id])

    @property
    def status_enum(self) -> ListingStatus:
        return ListingStatus(self.status)

    @property
    def has_unreviewed_changes(self) -> bool:
        """The seller's version differs from the one buyers see."""
        return self.draft_content_id is not None and self.draft_content_id != self.live_content_id

    @property
    def has_live_version(self) -> bool:
        """Staff approved a version of it once (buyers see that one while it is published)."""
        return self.live_content_id is not None

    @property
    def has_changes_not_yet_live(self) -> bool:
        """The seller changed an approved listing, and staff have not approved the change yet."""
        return self.has_unreviewed_changes and self.has_live_version

    @property
    def content_editable(self) -> bool:
        """Title, photos and the rest can be changed (not while staff review them)."""
        return self.status not in CONTENT_LOCKED_STATUSES

    @property
    def can_add_photos(self) -> bool:
        return self.content_editable and len(self.working_content.photos) < MAX_PHOTOS

    @property
    def can_submit(self) -> bool:
        return (self.status in SUBMITTABLE_STATUSES
                or (self.status == ListingStatus.APPROVED and self.has_unreviewed_changes))

    @property
    def can_unpublish(self) -> bool:
        return self.has_live_version and self.status in PUBLISHED_STATUSES

    @property
    def can_republish(self) -> bool:
        return self.status == ListingStatus.UNPUBLISHED

    @property
    def awaiting_review(self) -> bool:
        return self.status == ListingStatus.SUBMITTED

    @property
    def is_removed(self) -> bool:
        """Staff removed it for good: nothing more to decide."""
        return self.status == ListingStatus.REMOVED

    @property
    def has_staff_feedback(self) -> bool:
        """Staff sent it back or removed it, and said why."""
        return self.status in STAFF_FEEDBACK_STATUSES and bool(
            self.reason_codes or self.review_note)

    @property
    def product_outside_seller_district(self) -> bool:
        """A warning for staff: the product is not of the seller's district."""
        product = self.working_content.odop_product
        return product.district_lgd_code != self.seller.district_lgd_code

    @property
    def working_content(self) -> "ListingContent":
        """The version the seller sees and edits."""
        return self.draft_content or self.live_content

    @property
    def reason_codes(self) -> list[ReasonCode]:
        return [ReasonCode(code) for code in (self.review_reasons or "").split(",") if code]

    @property
    def is_visible_to_buyers(self) -> bool:
        """Approved content, published, from an approved seller who is not suspended."""
        return (self.live_content_id is not None and self.status in PUBLISHED_STATUSES
                and self.seller.can_publish)

    @property
    def in_stock(self) -> bool:
        return self.made_to_order or self.stock > 0


class ListingContent(db.Model):
    """One version of what buyers read and see. Never changed once it has been live.

    Versions are reached from their listing (live_content, draft_content); a version that is
    neither is deleted when it is replaced.
    """

    __table_args__ = (
        CheckConstraint("gst_rate IN (0, 5, 12, 18, 28)", name="gst_rate"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    odop_product_id: Mapped[int] = mapped_column(ForeignKey("odop_product.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    # The seller may also write them in Hindi; each language shows its own, else the other's.
    title_hi: Mapped[str | None] = mapped_column(String(120))
    description_hi: Mapped[str | None] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(10), default=Unit.PIECE.value)
    # Net quantity in thousandths of the unit: 1.5 kg is 1500, one piece is 1000.
    net_quantity_milli: Mapped[int] = mapped_column(default=1000)
    hsn_code: Mapped[str | None] = mapped_column(String(8))
    gst_rate: Mapped[int] = mapped_column(default=5)
    weight_grams: Mapped[int | None]
    length_cm: Mapped[int | None]
    width_cm: Mapped[int | None]
    height_cm: Mapped[int | None]
    country_of_origin: Mapped[str] = mapped_column(String(60), default="India")
    prepackaged: Mapped[bool] = mapped_column(default=False)
    manufacturer_name: Mapped[str | None] = mapped_column(String(200))
    manufacturer_address: Mapped[str | None] = mapped_column(String(400))
    manufactured_month: Mapped[str | None] = mapped_column(String(7))  # YYYY-MM
    consumer_care: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    odop_product = relationship("OdopProduct")
    photos: Mapped[list["ListingPhoto"]] = relationship(
        back_populates="content", cascade="all, delete-orphan",
        order_by="ListingPhoto.position")

    @property
    def unit_enum(self) -> Unit:
        return Unit(self.unit)

    @property
    def cover(self) -> "ListingPhoto | None":
        # A photo still processing (or that failed) has no files to show yet.
        return self.photos[0] if self.photos and self.photos[0].is_ready else None

    @property
    def ready_photos(self) -> list["ListingPhoto"]:
        """The photos that have their files: the only ones a page may show as images."""
        return [photo for photo in self.photos if photo.is_ready]


class PhotoStatus(LabelledEnum):
    PROCESSING = "processing", _l("Processing…")
    READY = "ready", _l("Ready")
    FAILED = "failed", _l("Could not be used")


# A photo is stored as it came (privately) and processed by a background job, which alone moves
# it on: the one table of the photo workflow.
PHOTO_TRANSITIONS = {
    (PhotoStatus.PROCESSING, PhotoStatus.READY): "system",
    (PhotoStatus.PROCESSING, PhotoStatus.FAILED): "system",
}


class PhotoFailure(LabelledEnum):
    """Why a photo could not be used, in words a seller understands (stored as the code)."""

    EMPTY = "empty", _l("The file is empty.")
    TOO_BIG = "too_big", _l("The file is too large.")
    NOT_IMAGE = "not_image", _l("It could not be read as a JPEG, PNG, WebP or HEIC photo.")
    DAMAGED = "damaged", _l("It could not be read as an image: the file is damaged or "
                            "incomplete.")
    TOO_MANY_PIXELS = "too_many_pixels", _l("It has too many pixels.")
    ANIMATED = "animated", _l("It is animated; use a still photo.")
    TOO_SMALL = "too_small", _l("It is too small to show.")


class ListingPhoto(db.Model):
    """A photo in a content version. Files are shared by digest between versions.

    An upload starts "processing", with the original in private storage under original_key; a
    job (services/catalogue/photo_jobs.py) writes the sizes and makes it "ready", with its
    width and height (0 until then), or "failed" with the reason.
    """

    __table_args__ = (
        CheckConstraint("status IN (" + ", ".join(f"'{s.value}'" for s in PhotoStatus) + ")",
                        name="status"),
        CheckConstraint("failure IS NULL OR failure IN ("
                        + ", ".join(f"'{s.value}'" for s in PhotoFailure) + ")",
                        name="failure"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    content_id: Mapped[int] = mapped_column(ForeignKey("listing_content.id", ondelete="CASCADE"),
                                            index=True)
    position: Mapped[int] = mapped_column(default=0)  # 0 is the cover
    digest: Mapped[str] = mapped_column(String(64), index=True)
    width: Mapped[int]
    height: Mapped[int]
    status: Mapped[str] = mapped_column(String(20), default=PhotoStatus.READY.value,
                                        server_default=PhotoStatus.READY.value)
    failure: Mapped[str | None] = mapped_column(String(20))
    original_key: Mapped[str | None] = mapped_column(String(120))

    content: Mapped[ListingContent] = relationship(back_populates="photos")

    @property
    def status_enum(self) -> PhotoStatus:
        return PhotoStatus(self.status)

    @property
    def is_ready(self) -> bool:
        return self.status == PhotoStatus.READY

    @property
    def is_processing(self) -> bool:
        return self.status == PhotoStatus.PROCESSING

    @property
    def failure_enum(self) -> PhotoFailure | None:
        return PhotoFailure(self.failure) if self.failure else None

    def key(self, size: int, extension: str) -> str:
        return f"photos/{self.digest[:2]}/{self.digest}-{size}.{extension}"
