"""What buyers see of a listing: the product page, with the disclosures Indian rules ask for.

Consumer Protection (E-Commerce) Rules 2020 ask a marketplace to show the seller's name and
address, GST registration, country of origin, return/refund/exchange and delivery terms, and the
seller's grievance contact; the Legal Metrology (Packaged Commodities) Rules ask online listings
of pre-packaged goods to show the manufacturer or packer, net quantity, month of manufacture or
packing, MRP and a consumer care contact.
"""

import re
from dataclasses import dataclass
from functools import cache

from anyascii import anyascii
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload

from odop_bazaar.extensions import db
from odop_bazaar.models.catalogue import Listing, ListingContent, Unit
from odop_bazaar.models.reference import District, OdopProduct, State
from odop_bazaar.models.sellers import Seller
from odop_bazaar.models.shop import ShopListing
from odop_bazaar.money import gst_breakup

# Unit prices are shown per kilogram, litre or metre, as the Legal Metrology rules describe.
_UNIT_BASE = {Unit.G: (Unit.KG, 1000), Unit.KG: (Unit.KG, 1), Unit.ML: (Unit.LITRE, 1000),
              Unit.LITRE: (Unit.LITRE, 1), Unit.METRE: (Unit.METRE, 1)}


def slugify(text: str) -> str:
    """'Red Banarasi silk saree' -> 'red-banarasi-silk-saree' (ASCII; 'product' if nothing)."""
    # Transliterated, so that a Hindi title gives a link that reads ('बनारसी साड़ी' ->
    # 'bnarsi-sadi') rather than the same 'product' for every one. anyascii marks some vowel
    # signs with an apostrophe ('sad'i'), which would split a word in two.
    ascii_text = anyascii(text).lower().replace("'", "")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return slug[:60].rstrip("-") or "product"


# At most this many in stock: the product page says how many are left.
FEW_LEFT = 5


@dataclass(frozen=True)
class UnitPrice:
    paise: int
    per: Unit  # kg, litre or metre


def unit_price(price_paise: int, unit: str, net_quantity_milli: int) -> UnitPrice | None:
    """The price per kg, litre or metre, where the unit is a weight, volume or length."""
    base = _UNIT_BASE.get(Unit(unit))
    if base is None or net_quantity_milli <= 0:
        return None
    per, units_per_base = base
    quantity_in_base = net_quantity_milli / 1000 / units_per_base
    return UnitPrice(round(price_paise / quantity_in_base), per)


@dataclass(frozen=True)
class ProductPage:
    listing: Listing
    content: ListingContent
    seller: Seller
    product: OdopProduct
    district: District
    state: State
    taxable_paise: int
    gst_paise: int
    unit_price: UnitPrice | None
    slug: str

    @property
    def discount_percent(self) -> int:
        mrp, price = self.listing.mrp_paise, self.listing.price_paise
        return round(100 * (mrp - price) / mrp) if mrp > price else 0

    @property
    def seller_address_lines(self) -> list[str]:
        return seller_address_lines(self.seller)

    @property
    def stock_state(self) -> str:
        """made_to_order, in_stock or out_of_stock: what the page says of its availability."""
        if self.listing.made_to_order:
            return "made_to_order"
        return "in_stock" if self.listing.stock > 0 else "out_of_stock"

    @property
    def quantity_left(self) -> int | None:
        """How many are left, when few enough that the page (and the API) says so."""
        if self.stock_state == "in_stock" and self.listing.stock <= FEW_LEFT:
            return self.listing.stock
        return None


def seller_address_lines(seller: Seller) -> list[str]:
    """The seller's pickup address as it is written on a parcel (product page, invoices)."""
    district = seller.district.name if seller.district else ""
    state = seller.state.name if seller.state else ""
    town = seller.address_city
    lines = [seller.address_line1, seller.address_line2,
             ", ".join(filter(None, [town, district if district != town else None])),
             " ".join(filter(None, [state, seller.address_pin]))]
    return [line for line in lines if line]


@cache
def _product_page_query():
    """Built once: a statement with its loader options is costly to build and to key."""
    content = joinedload(Listing.live_content)
    return select(Listing).where(Listing.id == bindparam("listing_id")).options(
        joinedload(Listing.seller).joinedload(Seller.district),
        joinedload(Listing.seller).joinedload(Seller.state),
        content.joinedload(ListingContent.odop_product).joinedload(OdopProduct.district)
        .joinedload(District.state),
        content.joinedload(ListingContent.photos))


def product_page(listing_id: int) -> ProductPage | None:
    """A listing as buyers see it (its approved version), or None when it is not on the shop.

    Everything the page shows comes in one statement (the listing with its seller, approved
    version, photos, ODOP product and places joined), not one lazy load per object: a listing
    has a handful of photos, so repeating its row for each costs less than a second query.
    """
    listing = db.session.execute(
        _product_page_query(), {"listing_id": listing_id}).unique().scalar()
    if listing is None or not listing.is_visible_to_buyers:
        return None
    content = listing.live_content
    product = content.odop_product
    taxable, gst = gst_breakup(listing.price_paise, content.gst_rate)
    return ProductPage(
        listing=listing, content=content, seller=listing.seller, product=product,
        district=product.district, state=product.district.state, taxable_paise=taxable,
        gst_paise=gst,
        unit_price=unit_price(listing.price_paise, content.unit, content.net_quantity_milli),
        slug=slugify(content.title or content.title_hi or ""))


# --- Browse: light rows, not ORM objects, for pages that list many products --------------------

@dataclass(frozen=True)
class Card:
    """What a product card shows."""

    listing_id: int
    title: str
    price_paise: int
    mrp_paise: int
    made_to_order: bool
    odop_product_id: int
    product_name: str
    district_lgd_code: int
    district_name: str
    seller_name: str
    cover: "CoverPhoto | None"
    rating_count: int = 0
    rating_total: int = 0
    # The Hindi names (localized.py picks one for the reader), "" where there are none.
    title_hi: str = ""
    product_name_hi: str = ""
    district_name_hi: str = ""
    sold_out: bool = False  # found by a search, not for sale until it is back in stock

    @property
    def slug(self) -> str:
        return slugify(self.title or self.title_hi)  # the same as its page's

    @property
    def rating_average(self) -> float | None:
        """The average of its published ratings, or None before the first."""
        return self.rating_total / self.rating_count if self.rating_count else None


@dataclass(frozen=True)
class CoverPhoto:
    digest: str
    width: int
    height: int

    def key(self, size: int, extension: str) -> str:
        return f"photos/{self.digest[:2]}/{self.digest}-{size}.{extension}"


_CARD_COLUMNS = (ShopListing.listing_id, ShopListing.title, ShopListing.price_paise,
                 ShopListing.mrp_paise, ShopListing.made_to_order, ShopListing.odop_product_id,
                 ShopListing.product_name, ShopListing.district_lgd_code,
                 ShopListing.district_name, ShopListing.seller_name, ShopListing.cover_digest,
                 ShopListing.cover_width, ShopListing.cover_height, ShopListing.rating_count,
                 ShopListing.rating_total, ShopListing.title_hi, ShopListing.product_name_hi,
                 ShopListing.district_name_hi, ShopListing.in_stock)
# Newest first, as the (…, first_approved_at, listing_id) indexes are ordered, read backwards.
NEWEST = (ShopListing.first_approved_at.desc(), ShopListing.listing_id.desc())
# How many of the newest cards the home and sector pages show (shop_listings.py makes those
# pages stale only when a change reaches these).
HOME_NEWEST = 12
SECTOR_NEWEST = 24


def on_shop():
    """A query of every listing for sale, as card rows (models/shop.py): what list pages show."""
    return select(*_CARD_COLUMNS).where(ShopListing.for_sale)


def cards_from(query) -> list[Card]:
    """Cards from a query built on on_shop()."""
    return cards_of(db.session.execute(query))


def cards_of(rows) -> list[Card]:
    """Cards from rows read with on_shop() (any columns added after its own are left out)."""
    return [Card(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8],
                 row[9], CoverPhoto(row[10], row[11], row[12]) if row[10] else None,
                 row[13], row[14], row[15] or "", row[16] or "", row[17] or "",
                 sold_out=not (row[18] or row[4]))
            for row in rows]


def cards_by_id(listing_ids: list[int]) -> list[Card]:
    """Cards for these listings, in this order (those no longer on the shop are left out; sold
    out ones are kept, marked: search finds them)."""
    if not listing_ids:
        return []
    found = {card.listing_id: card for card in cards_from(
        select(*_CARD_COLUMNS).where(ShopListing.listing_id.in_(listing_ids)))}
    return [found[listing_id] for listing_id in listing_ids if listing_id in found]


def newest_cards(limit: int = HOME_NEWEST) -> list[Card]:
    return cards_from(on_shop().order_by(*NEWEST).limit(limit))


def district_cards(district_code: int, per_product: int = 12) -> dict[int, list[Card]]:
    """The district's products on the shop, grouped by ODOP product id, newest first: the
    newest `per_product` of each (the page links to a search for the rest)."""
    ranked = on_shop().add_columns(ShopListing.first_approved_at, func.row_number().over(
        partition_by=ShopListing.odop_product_id, order_by=NEWEST).label("place")).where(
        ShopListing.district_lgd_code == district_code).subquery()
    query = select(*[ranked.c[column.key] for column in _CARD_COLUMNS]).where(
        ranked.c.place <= per_product).order_by(ranked.c.first_approved_at.desc(),
                                                ranked.c.listing_id.desc())
    grouped: dict[int, list[Card]] = {}
    for card in cards_from(query):
        grouped.setdefault(card.odop_product_id, []).append(card)
    return grouped


def sector_cards(sector: str, limit: int | None = None, page: int = 1) -> list[Card]:
    """A page of the sector's products on the shop (SECTOR_NEWEST a page), newest first."""
    limit = limit or SECTOR_NEWEST
    return cards_from(on_shop().where(ShopListing.sector == sector).order_by(*NEWEST)
                      .offset((max(page, 1) - 1) * limit).limit(limit))


def listing_counts_by(column: str) -> dict:
    """How many products are for sale per sector ("sector") or state ("state_lgd_code")."""
    grouped = getattr(ShopListing, column)
    return dict(db.session.execute(select(grouped, func.count()).where(ShopListing.for_sale)
                                   .group_by(grouped)).all())


def sitemap_product_count() -> int:
    """How many products are for sale (a sold-out one is not worth a crawler's visit)."""
    return db.session.scalar(select(func.count()).select_from(ShopListing)
                             .where(ShopListing.for_sale))


def sitemap_products(offset: int, limit: int) -> list[tuple[int, str, object]]:
    """(listing id, title, approved at) of products for sale, by listing id.

    By id, not newest first: a product approved while a crawler reads the numbered files is
    added at the end instead of pushing every later one into the next file.
    """
    rows = db.session.execute(
        select(ShopListing.listing_id,
               func.coalesce(func.nullif(ShopListing.title, ""), ShopListing.title_hi, ""),
               ShopListing.approved_at)
        .where(ShopListing.for_sale)
        .order_by(ShopListing.listing_id).offset(offset).limit(limit))
    return [tuple(row) for row in rows]


def listing_counts_by_district(state_code: int) -> dict[int, int]:
    """How many products for sale each district of a state has."""
    rows = db.session.execute(
        select(ShopListing.district_lgd_code, func.count())
        .where(ShopListing.state_lgd_code == state_code, ShopListing.for_sale)
        .group_by(ShopListing.district_lgd_code))
    return dict(rows.all())
