"""Keeps `shop_listing` (models/shop.py) in step with the tables it is copied from.

Nothing has to remember to call this. Session events notice, as a unit of work flushes, every
listing, seller, ODOP product, district or state it changes; just before it commits, the shop
rows of the listings concerned are worked out again from the source tables by the one rule of
what is on the shop (`on_shop_rows`) and written where they differ, in the same transaction.
If anything a buyer page shows may have changed, the shop generation is bumped too, so cached
pages built before the change are not served again (page_cache.py).

A stock change alone (an order, a seller's quick edit) bumps the generation only when it takes
a listing on or off the shop: cards do not show stock, and the product page keys its cache on it.
"""

from dataclasses import dataclass, field
from itertools import chain

from sqlalchemy import and_, delete, event, false, func, insert, inspect, or_, select, type_coerce
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Session

from odop_bazaar.db_types import UTCDateTime
from odop_bazaar.extensions import db
from odop_bazaar.models.catalogue import (
    PUBLISHED_STATUSES,
    Listing,
    ListingContent,
    ListingPhoto,
)
from odop_bazaar.models.reference import District, OdopProduct, State
from odop_bazaar.models.sellers import Seller, SellerStatus
from odop_bazaar.models.shop import ShopListing, ShopState

# Listing columns whose change alone does not change what buyer pages show.
_QUIET_LISTING_CHANGES = {"stock", "updated_at"}
_COLUMNS = [column.name for column in ShopListing.__table__.columns]


def on_shop_rows():
    """The rule, as a query: one shop_listing row for every listing a buyer may browse.

    Approved content, not unpublished or removed, from an approved (so not suspended) seller,
    in stock or made to order.
    """
    return (
        select(Listing.id.label("listing_id"), Listing.seller_id,
               ListingContent.odop_product_id, ListingContent.title, Listing.price_paise,
               Listing.mrp_paise, Listing.made_to_order, (Listing.stock > 0).label("in_stock"),
               OdopProduct.name.label("product_name"), OdopProduct.sector,
               OdopProduct.gi_tagged, District.lgd_code.label("district_lgd_code"),
               District.name.label("district_name"), District.state_lgd_code,
               func.coalesce(Seller.display_name, Seller.legal_name, "").label("seller_name"),
               ListingPhoto.digest.label("cover_digest"),
               ListingPhoto.width.label("cover_width"), ListingPhoto.height.label("cover_height"),
               type_coerce(func.coalesce(Listing.first_approved_at, Listing.approved_at),
                           UTCDateTime).label("first_approved_at"),
               Listing.approved_at)
        .join(ListingContent, ListingContent.id == Listing.live_content_id)
        .join(OdopProduct, OdopProduct.id == ListingContent.odop_product_id)
        .join(District, District.lgd_code == OdopProduct.district_lgd_code)
        .join(Seller, Seller.id == Listing.seller_id)
        .outerjoin(ListingPhoto, and_(ListingPhoto.content_id == ListingContent.id,
                                      ListingPhoto.position == 0))
        .where(Listing.status.in_(PUBLISHED_STATUSES),
               Seller.status == SellerStatus.APPROVED,
               or_(Listing.stock > 0, Listing.made_to_order.is_(True)))
    )


@dataclass
class _Pending:
    """What a unit of work changed, gathered flush by flush until it commits."""

    listing_ids: set[int] = field(default_factory=set)
    seller_ids: set[int] = field(default_factory=set)
    product_ids: set[int] = field(default_factory=set)
    everything: bool = False
    pages_changed: bool = False

    def __bool__(self) -> bool:
        return bool(self.listing_ids or self.seller_ids or self.product_ids or self.everything)


_PENDING = "shop_listings.pending"


def refresh(*, listing_ids=(), seller_ids=(), product_ids=(), pages_changed=True,
            session: Session | None = None) -> bool:
    """Write the shop rows of these listings (and of these sellers' and products' listings)
    again from the source tables. Returns whether the generation was bumped. Does not commit.
    """
    session = session or db.session
    listing_ids, seller_ids, product_ids = set(listing_ids), set(seller_ids), set(product_ids)
    if not (listing_ids or seller_ids or product_ids):
        return False
    source = or_(Listing.id.in_(listing_ids) if listing_ids else false(),
                 Listing.seller_id.in_(seller_ids) if seller_ids else false(),
                 ListingContent.odop_product_id.in_(product_ids) if product_ids else false())
    shop = ShopListing.__table__
    current = or_(shop.c.listing_id.in_(listing_ids) if listing_ids else false(),
                  shop.c.seller_id.in_(seller_ids) if seller_ids else false(),
                  shop.c.odop_product_id.in_(product_ids) if product_ids else false())
    wanted = {row["listing_id"]: dict(row)
              for row in session.execute(on_shop_rows().where(source)).mappings()}
    held = {row["listing_id"]: dict(row)
            for row in session.execute(select(shop).where(current)).mappings()}
    stale = [listing_id for listing_id, row in held.items() if wanted.get(listing_id) != row]
    fresh = [row for listing_id, row in wanted.items() if held.get(listing_id) != row]
    if stale:
        session.execute(delete(shop).where(shop.c.listing_id.in_(stale)))
    if fresh:
        session.execute(insert(shop), fresh)
    if pages_changed or stale or fresh:
        bump_generation(session)
        return True
    return False


def rebuild(session: Session | None = None) -> int:
    """Write every shop row again (after bulk loads and reference changes). Does not commit."""
    session = session or db.session
    shop = ShopListing.__table__
    session.execute(delete(shop))
    session.execute(insert(shop).from_select(_COLUMNS, on_shop_rows()))
    bump_generation(session)
    return session.scalar(select(func.count()).select_from(shop))


def bump_generation(session: Session | None = None) -> None:
    """Tell every cached buyer page that the shop changed (in this transaction)."""
    session = session or db.session
    bumped = session.execute(sql_update(ShopState).where(ShopState.id == 1)
                                .values(generation=ShopState.generation + 1))
    if bumped.rowcount == 0:  # a database made from the models, not the migrations
        session.execute(insert(ShopState).values(id=1, generation=1))
    session.info["shop_listings.bumped"] = True


# --- Session events -------------------------------------------------------------------------

def _changed_columns(obj) -> set[str]:
    state = inspect(obj)
    return {attr.key for attr in state.attrs if attr.history.has_changes()}


@event.listens_for(Session, "after_flush")
def _note_changes(session: Session, flush_context) -> None:
    pending = session.info.setdefault(_PENDING, _Pending())
    for obj in chain(session.new, session.dirty, session.deleted):
        if obj in session.dirty and not session.is_modified(obj):
            continue
        if isinstance(obj, Listing):
            pending.listing_ids.add(obj.id)
            if obj in session.new or obj in session.deleted or (
                    _changed_columns(obj) - _QUIET_LISTING_CHANGES):
                pending.pages_changed = True
        elif isinstance(obj, Seller):
            pending.seller_ids.add(obj.id)
            pending.pages_changed = True
        elif isinstance(obj, OdopProduct):
            pending.product_ids.add(obj.id)
            pending.pages_changed = True
        elif isinstance(obj, District | State):
            pending.everything = True
            pending.pages_changed = True


@event.listens_for(Session, "before_commit")
def _write_shop_rows(session: Session) -> None:
    session.flush()  # commit would flush only after this event; every change must be seen first
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    # This worker forgets what it remembered (generation, stock) at once, bumped or not.
    session.info["shop_listings.bumped"] = True
    if pending.everything:
        rebuild(session)
    else:
        refresh(listing_ids=pending.listing_ids, seller_ids=pending.seller_ids,
                product_ids=pending.product_ids, pages_changed=pending.pages_changed,
                session=session)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.info.pop("shop_listings.bumped", False):
        from odop_bazaar import page_cache

        page_cache.forget_generation()


@event.listens_for(Session, "after_rollback")
def _forget_changes(session: Session) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop("shop_listings.bumped", None)
