"""What buyers see of a listing: the product page, with the disclosures Indian rules ask for.

Consumer Protection (E-Commerce) Rules 2020 ask a marketplace to show the seller's name and
address, GST registration, country of origin, return/refund/exchange and delivery terms, and the
seller's grievance contact; the Legal Metrology (Packaged Commodities) Rules ask online listings
of pre-packaged goods to show the manufacturer or packer, net quantity, month of manufacture or
packing, MRP and a consumer care contact.
"""

import re
import unicodedata
from dataclasses import dataclass

from odop_bazaar.extensions import db
from odop_bazaar.models.catalogue import Listing, ListingContent, Unit
from odop_bazaar.models.reference import District, OdopProduct, State
from odop_bazaar.models.sellers import Seller
from odop_bazaar.money import gst_breakup

# Unit prices are shown per kilogram, litre or metre, as the Legal Metrology rules describe.
_UNIT_BASE = {Unit.G: (Unit.KG, 1000), Unit.KG: (Unit.KG, 1), Unit.ML: (Unit.LITRE, 1000),
              Unit.LITRE: (Unit.LITRE, 1), Unit.METRE: (Unit.METRE, 1)}


def slugify(text: str) -> str:
    """'Red Banarasi silk saree' -> 'red-banarasi-silk-saree' (ASCII; 'product' if nothing)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:60].rstrip("-") or "product"


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
        seller = self.seller
        district = seller.district.name if seller.district else ""
        state = seller.state.name if seller.state else ""
        town = seller.address_city
        lines = [seller.address_line1, seller.address_line2,
                 ", ".join(filter(None, [town, district if district != town else None])),
                 " ".join(filter(None, [state, seller.address_pin]))]
        return [line for line in lines if line]


def product_page(listing_id: int) -> ProductPage | None:
    """A listing as buyers see it (its approved version), or None when it is not on the shop."""
    listing = db.session.get(Listing, listing_id)
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
        slug=slugify(content.title))
