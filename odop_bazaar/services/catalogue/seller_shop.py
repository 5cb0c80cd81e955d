"""A maker's shop page, as buyers see it: who they are, where they work, photos of their work
and their listings on the shop, a page at a time. Reads only; never commits.

Only an approved seller has a shop page (a suspended, refused or unfinished one has none: the
page is a 404). What it shows comes in a fixed number of statements whatever the seller sells:
the seller with their places and ODOP products (one), the count of their listings on the shop
with their rating (services/reviews/queries.py),
one page of their cards, and the photos of their work. The listings are the shop's own rows
(models/shop.py), so a listing sold out, unpublished or removed is not on this page either; the
page is cached under the seller's topic (Topic.seller), which shop_listings.py notes whenever
their profile or one of their listings on the shop changes.
"""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.orm import joinedload

from odop_bazaar.extensions import db
from odop_bazaar.models.catalogue import Listing, ListingPhoto
from odop_bazaar.models.reference import District, OdopProduct, State
from odop_bazaar.models.sellers import Seller, SellerStatus
from odop_bazaar.models.shop import ShopListing
from odop_bazaar.services.catalogue import storefront
from odop_bazaar.services.errors import FieldErrors
from odop_bazaar.services.reviews import queries as review_queries

PAGE_SIZE = 24
# Photos of their work beside the story: from the newest of their listings on the shop.
WORK_PHOTOS = 6


@dataclass(frozen=True)
class WorkPhoto:
    """One photo of the maker's work, and the product it shows."""

    listing_id: int
    title: str
    photo: storefront.CoverPhoto
    title_hi: str = ""  # localized.py picks the reader's

    @property
    def slug(self) -> str:
        return storefront.slugify(self.title or self.title_hi)


@dataclass(frozen=True)
class SellerShop:
    """What the shop page of one maker shows (one page of their listings)."""

    seller_id: int
    name: str
    type_label: object
    district: District | None
    state: State | None
    products: list[OdopProduct]
    story: str | None
    year_started: int | None
    member_since: datetime
    photos: list[WorkPhoto]
    cards: list[storefront.Card]
    total: int
    page: int
    pages: int
    rating: review_queries.RatingSummary

    @property
    def slug(self) -> str:
        return storefront.slugify(self.name)


def _seller_query():
    return (select(Seller).where(Seller.id == bindparam("seller_id"),
                                 Seller.status == SellerStatus.APPROVED)
            .options(joinedload(Seller.district), joinedload(Seller.state),
                     joinedload(Seller.products)))


def _work_photos(seller_id: int) -> list[WorkPhoto]:
    """Every photo of the newest listings on the shop, newest first, up to WORK_PHOTOS."""
    rows = db.session.execute(
        select(ShopListing.listing_id, ShopListing.title, ListingPhoto.digest,
               ListingPhoto.width, ListingPhoto.height, ShopListing.title_hi)
        .join(Listing, Listing.id == ShopListing.listing_id)
        .join(ListingPhoto, ListingPhoto.content_id == Listing.live_content_id)
        .where(ShopListing.seller_id == seller_id, ShopListing.for_sale)
        .order_by(*storefront.NEWEST, ListingPhoto.position).limit(WORK_PHOTOS))
    return [WorkPhoto(row[0], row[1], storefront.CoverPhoto(row[2], row[3], row[4]), row[5] or "")
            for row in rows]


def seller_shop(seller_id: int, page: int = 1) -> SellerShop | None:
    """An approved seller's shop page, or None (not approved, suspended, no such seller, or a
    page past their last)."""
    seller = db.session.execute(_seller_query(), {"seller_id": seller_id}).unique().scalar()
    if seller is None:
        return None
    # Their rating comes with the count of their listings: no statement of its own.
    total, *stars = db.session.execute(
        select(func.count()).select_from(ShopListing).where(ShopListing.seller_id == seller_id,
                                                            ShopListing.for_sale)
        .add_columns(*review_queries.seller_star_columns(seller_id))).one()
    pages = max(1, -(-total // PAGE_SIZE))
    if not 1 <= page <= pages:
        return None
    cards = storefront.cards_from(
        storefront.on_shop().where(ShopListing.seller_id == seller_id)
        .order_by(*storefront.NEWEST).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE))
    return SellerShop(
        seller_id=seller.id, name=seller.name_for_buyers, type_label=seller.type_enum.label
        if seller.type_enum else None, district=seller.district, state=seller.state,
        products=list(seller.products), story=seller.story, year_started=seller.year_started,
        member_since=seller.approved_at or seller.created_at,
        photos=_work_photos(seller_id) if total else [], cards=cards, total=total, page=page,
        pages=pages, rating=review_queries.summary_of_star_counts(stars))


def listings_after(seller_id: int, after: list | None,
                   limit: int) -> tuple[list[storefront.Card], list | None]:
    """A seller's listings on the shop, newest first, that come after the sort key `after` (the
    next key of the page before), and the next key when more follow: [approved at, id].

    Raises:
        FieldErrors: `after` is not a key this gave.
    """
    query = storefront.on_shop().add_columns(ShopListing.first_approved_at).where(
        ShopListing.seller_id == seller_id)
    if after is not None:
        approved_at, listing_id = _sort_key(after)
        query = query.where(or_(ShopListing.first_approved_at < approved_at, and_(
            ShopListing.first_approved_at == approved_at, ShopListing.listing_id < listing_id)))
    rows = db.session.execute(query.order_by(*storefront.NEWEST).limit(limit + 1)).all()
    last = rows[limit - 1] if len(rows) > limit else None
    return (storefront.cards_of(rows[:limit]),
            [last[-1].isoformat(), last[0]] if last is not None else None)


def _sort_key(after: list) -> tuple[datetime, int]:
    try:
        approved_at, listing_id = after
        approved_at = datetime.fromisoformat(approved_at)
        valid = (approved_at.tzinfo is not None and type(listing_id) is int
                 and 0 <= listing_id <= 2**31 - 1)
    except (TypeError, ValueError):
        valid = False
    if not valid:
        raise FieldErrors({"after": _l("This is not where a page of these listings ends. "
                                       "Start again from the first page.")})
    return approved_at, listing_id


def district_makers(district_code: int) -> list[tuple[int, str]]:
    """(seller id, name) of the makers with a listing on the shop in this district, by name."""
    rows = db.session.execute(
        select(ShopListing.seller_id, ShopListing.seller_name)
        .where(ShopListing.district_lgd_code == district_code, ShopListing.for_sale)
        .group_by(ShopListing.seller_id, ShopListing.seller_name)
        .order_by(ShopListing.seller_name, ShopListing.seller_id))
    return [tuple(row) for row in rows]


def sitemap_sellers() -> list[tuple[int, str]]:
    """(seller id, name) of every seller with a shop page, by id."""
    rows = db.session.execute(
        select(Seller.id, func.coalesce(Seller.display_name, Seller.legal_name, ""))
        .where(Seller.status == SellerStatus.APPROVED).order_by(Seller.id))
    return [tuple(row) for row in rows]
