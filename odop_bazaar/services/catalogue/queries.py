"""Reads of listings, for sellers, staff and buyers; nothing here writes or commits."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from odop_bazaar.extensions import db
from odop_bazaar.models.catalogue import (
    CONTENT_FIELDS,
    Listing,
    ListingContent,
    ListingPhoto,
    ListingStatus,
)
from odop_bazaar.models.reference import District, OdopProduct
from odop_bazaar.models.reviews import Review, ReviewPhoto, ReviewStatus
from odop_bazaar.models.sellers import Seller
from odop_bazaar.services import keyset
from odop_bazaar.services.accounts.staff_scope import Scope, scope_of
from odop_bazaar.services.catalogue.errors import NotYourListing


def seller_listings(seller: Seller) -> list[Listing]:
    """The seller's listings, newest first, with what their pages show."""
    return list(db.session.scalars(
        select(Listing).where(Listing.seller_id == seller.id)
        .options(selectinload(Listing.draft_content).selectinload(ListingContent.photos),
                 selectinload(Listing.live_content).selectinload(ListingContent.photos))
        .order_by(Listing.created_at.desc(), Listing.id.desc())))


def seller_listing_page(seller: Seller, *, status: str | None = None,
                        before_id: int | None = None, limit: int = 20) -> list[Listing]:
    """Up to `limit` of the seller's listings, newest first, after the one numbered
    `before_id` (keyset paging), in one status or all."""
    query = select(Listing).where(Listing.seller_id == seller.id)
    if status is not None:
        query = query.where(Listing.status == status)
    if before_id is not None:
        query = query.where(Listing.id < before_id)
    return list(db.session.scalars(
        query.options(selectinload(Listing.draft_content).selectinload(ListingContent.photos),
                      selectinload(Listing.live_content).selectinload(ListingContent.photos))
        .order_by(Listing.id.desc()).limit(limit)))


def seller_listing(seller: Seller, listing_id: int) -> Listing:
    """One of the seller's listings. Raises NotYourListing (also when it does not exist)."""
    listing = db.session.get(Listing, listing_id)
    if listing is None or listing.seller_id != seller.id:
        raise NotYourListing(_l("That listing is not yours."))
    return listing


# The listing lists staff can ask for: the review queue (the default) or one other status.
WAITING = "waiting"
LISTING_LISTS: dict[str, tuple[ListingStatus, ...] | None] = {
    WAITING: (ListingStatus.SUBMITTED,),
    "live": (ListingStatus.APPROVED,),
    "changes_requested": (ListingStatus.CHANGES_REQUESTED,),
    "unpublished": (ListingStatus.UNPUBLISHED,),
    "removed": (ListingStatus.REMOVED,),
    "draft": (ListingStatus.DRAFT,),
    "all": None,
}


@dataclass
class ListingFilters:
    state: int | None = None
    district: int | None = None
    sector: str | None = None
    seller: int | None = None
    status: str = WAITING  # a key of LISTING_LISTS; anything else is the review queue


def listing_list_query(filters: ListingFilters, scope: Scope, after: tuple | None = None):
    """Listings of sellers in the staff member's places that match the filters, in list order:
    the review queue oldest submission first, other lists newest first. Place and sector are
    those of the product in the seller's current version. `after`: the list_position of the
    row the list continues after."""
    statuses = LISTING_LISTS.get(filters.status, LISTING_LISTS[WAITING])
    query = (select(Listing)
             .join(ListingContent, ListingContent.id == func.coalesce(
                 Listing.draft_content_id, Listing.live_content_id))
             .join(OdopProduct, OdopProduct.id == ListingContent.odop_product_id)
             .join(District, District.lgd_code == OdopProduct.district_lgd_code)
             .where(Listing.seller_id.in_(scope.seller_ids())))
    if statuses is not None:
        query = query.where(Listing.status.in_([s.value for s in statuses]))
    if filters.state:
        query = query.where(District.state_lgd_code == filters.state)
    if filters.district:
        query = query.where(District.lgd_code == filters.district)
    if filters.sector:
        query = query.where(OdopProduct.sector == filters.sector)
    if filters.seller:
        query = query.where(Listing.seller_id == filters.seller)
    if statuses == LISTING_LISTS[WAITING]:
        if after is not None:
            query = query.where(keyset.after_oldest_first(Listing.submitted_at, Listing.id,
                                                          after))
        return query.order_by(*keyset.oldest_first(Listing.submitted_at, Listing.id))
    if after is not None:
        query = query.where(Listing.id < after[1])
    return query.order_by(Listing.id.desc())


def list_position(listing: Listing) -> tuple:
    """Where a listing stands in a staff list, for continuing the list after it."""
    return listing.submitted_at, listing.id


def listing_list_options():
    """What a page or an export of staff listings shows, loaded in a few queries."""
    product = (selectinload(Listing.draft_content).selectinload(ListingContent.odop_product)
               .selectinload(OdopProduct.district).selectinload(District.state))
    live_product = (selectinload(Listing.live_content).selectinload(ListingContent.odop_product)
                    .selectinload(OdopProduct.district).selectinload(District.state))
    return (selectinload(Listing.seller).selectinload(Seller.user), product, live_product)


def review_queue(filters: ListingFilters, scope: Scope, after: tuple | None = None, *,
                 limit: int = 200) -> tuple[list[Listing], int]:
    """Listings of sellers in the reviewer's places matching the filters (by default those
    waiting for review, oldest first), up to limit (after the list_position `after`), and how
    many match in all."""
    query = listing_list_query(filters, scope)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    query = listing_list_query(filters, scope, after).limit(limit).options(
        *listing_list_options(),
        selectinload(Listing.draft_content).selectinload(ListingContent.photos),
        selectinload(Listing.live_content).selectinload(ListingContent.photos))
    return list(db.session.scalars(query)), total


def changed_fields(listing: Listing) -> set[str]:
    """Which content fields (and 'photos') differ between the live and the seller's version."""
    live, draft = listing.live_content, listing.draft_content
    if live is None or draft is None:
        return set()
    changed = {name for name in CONTENT_FIELDS if getattr(live, name) != getattr(draft, name)}
    if [p.digest for p in live.photos] != [p.digest for p in draft.photos]:
        changed.add("photos")
    return changed


def photo_audience(digest: str, user) -> str | None:
    """Who may see a photo: 'public' when a listing buyers can see shows it, 'private' for its
    seller and staff while it is only in a draft, None for anyone else."""
    rows = db.session.execute(
        select(Listing, ListingPhoto.content_id)
        .join(ListingContent, ListingContent.id == ListingPhoto.content_id)
        .join(Listing, (Listing.live_content_id == ListingContent.id)
              | (Listing.draft_content_id == ListingContent.id))
        .where(ListingPhoto.digest == digest)).all()
    if any(listing.live_content_id == content_id and listing.is_visible_to_buyers
           for listing, content_id in rows):
        return "public"
    if not rows and db.session.scalar(  # a photo of a published review (models/reviews.py)
            select(ReviewPhoto.id).join(Review, Review.id == ReviewPhoto.review_id)
            .where(ReviewPhoto.digest == digest, Review.status == ReviewStatus.PUBLISHED)
            .limit(1)):
        return "public"
    if user is not None and user.is_authenticated and rows and (
            any(scope_of(user).covers_seller(listing.seller) or listing.seller.user_id == user.id
                for listing, _ in rows)):
        return "private"
    return None


def buyer_view(listing_id: int) -> tuple[Listing, ListingContent] | None:
    """What a buyer may see of a listing: its approved version, if it is on the shop."""
    listing = db.session.get(Listing, listing_id)
    if listing is None or not listing.is_visible_to_buyers:
        return None
    return listing, listing.live_content
