"""The shop's own copy of what buyers can browse: one light row per listing on the shop.

A listing is on the shop when its approved content is published (not unpublished or removed)
and its seller is approved (so not suspended). It is *for sale* when it is also in stock or made
to order: list pages and counts show only those (`ShopListing.for_sale`), while search also finds
the sold-out ones, marked as such, so a buyer can ask to be told when one is back. Deciding that
takes five tables; browsing 100,000 listings by place, craft, price or date must not. So every
list page and search reads `shop_listing`, which holds exactly the listings on the shop with what
a product card shows, indexed by the orders the pages ask for. services/catalogue/shop_listings.py keeps it
in step with the tables it is copied from, in the same transaction as any change to them, and
appends a `ShopChange` row naming the pages the change may have made stale (its `Topic`s), which
is what cached pages are keyed on (page_versions.py).
"""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, or_
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column

from odop_bazaar.db_types import UTCDateTime, utcnow
from odop_bazaar.extensions import db


class ShopListing(db.Model):
    __tablename__ = "shop_listing"
    __table_args__ = (
        Index("ix_shop_listing_newest", "first_approved_at", "listing_id"),
        Index("ix_shop_listing_district_newest", "district_lgd_code", "first_approved_at",
              "listing_id"),
        Index("ix_shop_listing_sector_newest", "sector", "first_approved_at", "listing_id"),
        Index("ix_shop_listing_state_district", "state_lgd_code", "district_lgd_code"),
        Index("ix_shop_listing_price", "price_paise", "listing_id"),
    )

    listing_id: Mapped[int] = mapped_column(ForeignKey("listing.id", ondelete="CASCADE"),
                                            primary_key=True, autoincrement=False)
    seller_id: Mapped[int] = mapped_column(index=True)
    odop_product_id: Mapped[int] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(120))
    title_hi: Mapped[str | None] = mapped_column(String(120))
    price_paise: Mapped[int]
    mrp_paise: Mapped[int]
    made_to_order: Mapped[bool]
    in_stock: Mapped[bool]
    product_name: Mapped[str] = mapped_column(String(120))
    product_name_hi: Mapped[str | None] = mapped_column(String(255))
    sector: Mapped[str] = mapped_column(String(32))
    gi_tagged: Mapped[bool]
    district_lgd_code: Mapped[int]
    district_name: Mapped[str] = mapped_column(String(120))
    district_name_hi: Mapped[str | None] = mapped_column(String(120))
    state_lgd_code: Mapped[int]
    seller_name: Mapped[str] = mapped_column(String(120))
    cover_digest: Mapped[str | None] = mapped_column(String(64))
    cover_width: Mapped[int | None]
    cover_height: Mapped[int | None]
    first_approved_at: Mapped[datetime] = mapped_column(UTCDateTime)
    approved_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Published reviews (models/reviews.py): a card shows the average without a query of its own.
    rating_count: Mapped[int] = mapped_column(default=0, server_default="0")
    rating_total: Mapped[int] = mapped_column(default=0, server_default="0")

    @hybrid_property
    def for_sale(self) -> bool:
        """Whether it can be ordered now: in stock, or made to order."""
        return self.in_stock or self.made_to_order

    @for_sale.inplace.expression
    @classmethod
    def _for_sale_expression(cls):
        return or_(cls.in_stock.is_(True), cls.made_to_order.is_(True))


class Topic:
    """What a ShopChange names: the buyer pages that show what changed."""

    EVERYTHING = "*"  # reference data or a bulk rebuild: every page
    HOME = "home"  # the home page's newest cards
    SEARCH = "search"  # every search (read a few seconds stale: page_versions.py)

    @staticmethod
    def listing(listing_id: int) -> str:
        """Its product page."""
        return f"listing:{listing_id}"

    @staticmethod
    def district(lgd_code: int) -> str:
        return f"district:{lgd_code}"

    @staticmethod
    def state(lgd_code: int) -> str:
        return f"state:{lgd_code}"

    @staticmethod
    def sector(value: str) -> str:
        return f"sector:{value}"

    @staticmethod
    def seller(seller_id: int) -> str:
        """Their shop page: their profile, and their listings' cards and photos."""
        return f"seller:{seller_id}"


class ShopChange(db.Model):
    """One committed change a buyer may see: the topics it touched, space-separated.

    Append-only, one row per transaction (never an update of a shared row), read by every
    worker with `id > last seen` (page_versions.py) and pruned after a day. AUTOINCREMENT on
    SQLite so that an id is never used twice, even once every row has been pruned.
    """

    __tablename__ = "shop_change"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    topics: Mapped[str] = mapped_column(Text)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class StockAlert(db.Model):
    """A buyer's "tell me when it is back" for a sold-out listing: one email when it is for
    sale again (services/catalogue/stock_alerts.py), then `told_at` is set. Asking again after
    that arms it once more."""

    __tablename__ = "stock_alert"
    __table_args__ = (UniqueConstraint("listing_id", "user_id", name="uq_stock_alert_listing_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listing.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    told_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
