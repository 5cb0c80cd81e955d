"""Keeps `shop_listing` (models/shop.py) in step with the tables it is copied from.

Nothing has to remember to call this. Session events notice, as a unit of work flushes, every
listing, seller, ODOP product, district or state it changes; just before it commits, the shop
rows of the listings concerned are worked out again from the source tables by the one rule of
what is on the shop (`on_shop_rows`) and written where they differ, in the same transaction.
The pages those changes show on are noted as topics and appended to the change log
(shop_changes.py), so that exactly those cached pages are built again (page_cache.py):

- the product page of every listing concerned (`listing:<id>`), whatever changed: it shows the
  stock, the seller's details and the content;
- the maker's shop page (`seller:<id>`) when their profile changed, or one of their listings
  on the shop changed more than its stock, entered or left the shop;
- where a card changed, entered or left the shop, or sold out or came back: its district's and
  sector's pages (a sector's page lists all its products for sale), its state's page when the
  district's count changed,
  the home page when the card is among the newest shown there or when the counts of products
  for sale per sector and state changed (a card entered or left the shop, or moved), and
  searches;
- reference data (an ODOP product, a district, a state) and bulk rebuilds: everything (`*`).

So a sale that leaves a listing in stock touches only its product page; a sell-out also takes its
card off the lists (and marks it in searches).
"""

from dataclasses import dataclass, field
from itertools import chain

from sqlalchemy import and_, delete, event, false, func, insert, inspect, or_, select, type_coerce
from sqlalchemy.orm import Session

from odop_bazaar import page_versions
from odop_bazaar.db_types import UTCDateTime
from odop_bazaar.extensions import db
from odop_bazaar.models.catalogue import (
    PUBLISHED_STATUSES,
    Listing,
    ListingContent,
    ListingPhoto,
    PhotoStatus,
)
from odop_bazaar.models.reference import District, OdopProduct, State
from odop_bazaar.models.reviews import Review, ReviewStatus
from odop_bazaar.models.sellers import Seller, SellerStatus
from odop_bazaar.models.shop import ShopListing, Topic
from odop_bazaar.services.catalogue import shop_changes, stock_alerts, storefront

# Listing columns whose change alone does not change what buyer pages show.
_QUIET_LISTING_CHANGES = {"stock", "updated_at"}
_COLUMNS = [column.name for column in ShopListing.__table__.columns]
# Shop-row columns no card or list page shows: a change of only these leaves every browse page as
# it was. What in_stock means for them is whether the card is for sale (_card): a made-to-order
# listing running out changes nothing they show, a sell-out takes the card off them.
_UNSHOWN = {"in_stock", "approved_at"}
_WRITTEN = "shop_listings.written"


def on_shop_rows():
    """The rule, as a query: one shop_listing row for every listing a buyer may browse.

    Approved content, not unpublished or removed, from an approved (so not suspended) seller;
    sold out or not (`in_stock`, `made_to_order`: list pages show only those for sale).
    """
    return (
        select(Listing.id.label("listing_id"), Listing.seller_id,
               ListingContent.odop_product_id, ListingContent.title, ListingContent.title_hi,
               Listing.price_paise,
               Listing.mrp_paise, Listing.made_to_order, (Listing.stock > 0).label("in_stock"),
               OdopProduct.name.label("product_name"),
               OdopProduct.name_hi.label("product_name_hi"), OdopProduct.sector,
               OdopProduct.gi_tagged, District.lgd_code.label("district_lgd_code"),
               District.name.label("district_name"), District.name_hi.label("district_name_hi"),
               District.state_lgd_code,
               func.coalesce(Seller.display_name, Seller.legal_name, "").label("seller_name"),
               ListingPhoto.digest.label("cover_digest"),
               ListingPhoto.width.label("cover_width"), ListingPhoto.height.label("cover_height"),
               type_coerce(func.coalesce(Listing.first_approved_at, Listing.approved_at),
                           UTCDateTime).label("first_approved_at"),
               Listing.approved_at, *_rating_columns())
        .join(ListingContent, ListingContent.id == Listing.live_content_id)
        .join(OdopProduct, OdopProduct.id == ListingContent.odop_product_id)
        .join(District, District.lgd_code == OdopProduct.district_lgd_code)
        .join(Seller, Seller.id == Listing.seller_id)
        .outerjoin(ListingPhoto, and_(ListingPhoto.content_id == ListingContent.id,
                                      ListingPhoto.position == 0,
                                      ListingPhoto.status == PhotoStatus.READY.value))
        .where(Listing.status.in_(PUBLISHED_STATUSES),
               Seller.status == SellerStatus.APPROVED)
    )


def _rating_columns():
    """The count and total of a listing's published ratings (models/reviews.py)."""
    published = (Review.listing_id == Listing.id, Review.status == ReviewStatus.PUBLISHED)
    return (select(func.count(Review.id)).where(*published).scalar_subquery()
            .label("rating_count"),
            select(func.coalesce(func.sum(Review.rating), 0)).where(*published)
            .scalar_subquery().label("rating_total"))


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
    again from the source tables, and note the topics of the pages that show the change
    (pages_changed: more than the stock changed). Returns whether a row changed. Does not commit.
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
    changed = {listing_id for listing_id in held.keys() | wanted.keys()
               if held.get(listing_id) != wanted.get(listing_id)}
    stale = [listing_id for listing_id in changed if listing_id in held]
    if stale:
        session.execute(delete(shop).where(shop.c.listing_id.in_(stale)))
    if fresh := [wanted[listing_id] for listing_id in changed if listing_id in wanted]:
        session.execute(insert(shop), fresh)
    if back := {listing_id for listing_id in changed if listing_id in held
                and not _for_sale(held[listing_id]) and _for_sale(wanted.get(listing_id))}:
        stock_alerts.tell_waiting(session, back)  # "tell me when it is back"
    topics = {Topic.listing(listing_id) for listing_id in listing_ids | held.keys() | wanted.keys()}
    if seller_ids:  # the seller's details are on every product page, sold out or not
        topics |= {Topic.listing(listing_id) for listing_id in session.scalars(
            select(Listing.id).where(Listing.seller_id.in_(seller_ids)))}
    if product_ids:  # reference data: names and counts on every kind of page
        topics.add(Topic.EVERYTHING)
    if changed or (pages_changed and listing_ids):  # a description is searched, not shown
        topics.add(Topic.SEARCH)
    topics |= _browse_topics(session, [(held.get(i), wanted.get(i)) for i in changed])
    topics |= _seller_topics(seller_ids, held, wanted, changed if not pages_changed else
                             held.keys() | wanted.keys())
    shop_changes.note(session, topics)
    return bool(changed)


def _browse_topics(session: Session, changes: list[tuple[dict | None, dict | None]]) -> set[str]:
    """The list pages that show these (before, after) shop rows: see the module's docstring."""
    topics, shown, counted = set(), [], False
    for before, after in changes:
        rows = [row for row in (before, after) if row]
        if len(rows) == 2 and _card(before) == _card(after):
            continue
        shown += rows
        topics |= {Topic.district(row["district_lgd_code"]) for row in rows}
        # A card that entered or left the shop, or sold out, or came back: counts change.
        came_or_went = len(rows) == 1 or _for_sale(before) != _for_sale(after)
        if came_or_went or before["district_lgd_code"] != after["district_lgd_code"]:
            topics |= {Topic.state(row["state_lgd_code"]) for row in rows}  # its counts
        counted = counted or came_or_went or any(
            before[name] != after[name] for name in ("sector", "state_lgd_code"))
    if shown and (counted or _among_newest(session, shown, storefront.HOME_NEWEST)):
        topics.add(Topic.HOME)  # its newest cards, and its counts of products for sale
    # A sector's page lists all its products for sale, page by page, under their count.
    topics |= {Topic.sector(row["sector"]) for row in shown}
    return topics


def _seller_topics(seller_ids: set[int], held: dict, wanted: dict, shown: set[int]) -> set[str]:
    """The makers' shop pages (seller_shop.py) that show this change: a seller's own change
    (profile, places, products, suspension) and their listings on the shop that changed, as
    cards or in content (the photos of their work come from it); not a sale that left one in
    stock."""
    rows = [row for listing_id in shown for row in (held.get(listing_id), wanted.get(listing_id))
            if row]
    return {Topic.seller(seller_id)
            for seller_id in seller_ids | {row["seller_id"] for row in rows}}


def _for_sale(row: dict | None) -> bool:
    return bool(row and (row["in_stock"] or row["made_to_order"]))


def _card(row: dict) -> dict:
    return {**{name: value for name, value in row.items() if name not in _UNSHOWN},
            "for_sale": _for_sale(row)}


def _among_newest(session: Session, rows: list[dict], limit: int, sector: str | None = None):
    """Whether any of these rows (as they were or are now) is among the `limit` newest cards,
    of the shop or of a sector, as the shop is now. A row that was among them before the
    change is still at or above the cut now: the cut only moves up by a newer row coming in,
    and that row is then among them itself.
    """
    query = (select(ShopListing.first_approved_at, ShopListing.listing_id)
             .where(ShopListing.for_sale).order_by(*storefront.NEWEST).offset(limit - 1).limit(1))
    if sector is not None:
        query = query.where(ShopListing.sector == sector)
    cut = session.execute(query).first()
    return cut is None or any((row["first_approved_at"], row["listing_id"]) >= tuple(cut)
                              for row in rows)


def rebuild(session: Session | None = None) -> int:
    """Write every shop row again (after bulk loads and reference changes). Does not commit."""
    session = session or db.session
    shop = ShopListing.__table__
    session.execute(delete(shop))
    session.execute(insert(shop).from_select(_COLUMNS, on_shop_rows()))
    shop_changes.note(session, {Topic.EVERYTHING})
    return session.scalar(select(func.count()).select_from(shop))


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
    if pending and pending.everything:
        rebuild(session)
    elif pending:
        refresh(listing_ids=pending.listing_ids, seller_ids=pending.seller_ids,
                product_ids=pending.product_ids, pages_changed=pending.pages_changed,
                session=session)
    # Last, just before COMMIT: see shop_changes.py on the order of ids.
    if shop_changes.write_noted(session):
        session.info[_WRITTEN] = True


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.info.pop(_WRITTEN, False):
        page_versions.forget()  # a change made through this worker shows on it at once


@event.listens_for(Session, "after_rollback")
def _forget_changes(session: Session) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_WRITTEN, None)
    shop_changes.forget_noted(session)
