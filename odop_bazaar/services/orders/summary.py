"""The summary a buyer confirms before placing an order: the cart grouped by seller, with GST
and the delivery charge of each seller order, and a fingerprint of exactly what was shown.

Every figure is computed here from the database; the checkout form carries only the fingerprint,
so a change since the buyer looked (a price, stock, a product leaving the shop) is noticed.
"""

import hashlib
from dataclasses import dataclass, field

from sqlalchemy import select

from odop_bazaar.extensions import db
from odop_bazaar.models.catalogue import Listing, ListingContent
from odop_bazaar.money import gst_breakup
from odop_bazaar.services.orders import cart as cart_service
from odop_bazaar.services.orders import marketplace_settings


# The delivery rule the admin sets (MarketplaceSetting): a flat charge per seller order, free
# from a seller-order value upwards.
def delivery_settings() -> dict[str, int]:
    return marketplace_settings.current("delivery_charge_paise", "free_delivery_from_paise")


def delivery_charge(items_paise: int, settings: dict[str, int]) -> int:
    if settings["free_delivery_from_paise"] and items_paise >= settings["free_delivery_from_paise"]:
        return 0
    return settings["delivery_charge_paise"]


@dataclass
class SellerGroup:
    seller_id: int
    seller_name: str
    lines: list = field(default_factory=list)
    items_paise: int = 0
    gst_paise: int = 0
    delivery_paise: int = 0

    @property
    def total_paise(self) -> int:
        return self.items_paise + self.delivery_paise


@dataclass
class Summary:
    groups: list[SellerGroup]
    problems: list
    cart: cart_service.SavedCart | None = None  # the saved cart it was built from, if any

    @property
    def items_paise(self) -> int:
        return sum(group.items_paise for group in self.groups)

    @property
    def item_count(self) -> int:
        """How many items (units) the buyer is buying, from every seller."""
        return sum(line.quantity for group in self.groups for line in group.lines)

    @property
    def delivery_paise(self) -> int:
        return sum(group.delivery_paise for group in self.groups)

    @property
    def gst_paise(self) -> int:
        return sum(group.gst_paise for group in self.groups)

    @property
    def total_paise(self) -> int:
        return self.items_paise + self.delivery_paise

    @property
    def fingerprint(self) -> str:
        """What the buyer agreed to: every line's listing, quantity and price, and the totals."""
        parts = [f"{line.listing_id}:{line.quantity}:{line.price_paise}"
                 for group in self.groups for line in group.lines]
        parts.append(f"{self.delivery_paise}:{self.total_paise}")
        if self.cart is not None:  # which cart, at which change: placed once, never again
            parts.append(f"cart {self.cart.id}:{self.cart.version}")
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def summarise(user, session, lines: list | None = None) -> Summary:
    """The cart (or these lines of it) grouped by seller, with GST and delivery per seller order."""
    settings = delivery_settings()
    groups: dict[int, SellerGroup] = {}
    problems = []
    # The version before the lines: a change in between moves the version on, so an order
    # written from these lines at this version is refused (never the other way round).
    saved = cart_service.saved_cart(user)
    lines = cart_service.lines(user, session) if lines is None else lines
    taxes = _tax_facts([line.listing_id for line in lines])
    for line in lines:
        if line.problem:
            problems.append((line.title, line.problem))
            continue
        line.gst_rate, line.hsn_code = taxes.get(line.listing_id, (0, None))
        line.gst_paise = gst_breakup(line.total_paise, line.gst_rate)[1]
        group = groups.setdefault(line.seller_id, SellerGroup(line.seller_id, line.seller_name))
        group.lines.append(line)
        group.items_paise += line.total_paise
        group.gst_paise += line.gst_paise
    for group in groups.values():
        group.delivery_paise = delivery_charge(group.items_paise, settings)
    return Summary(list(groups.values()), problems, saved)


def _tax_facts(listing_ids: list[int]) -> dict[int, tuple[int, str | None]]:
    """listing id -> (GST rate, HSN code) of its approved version."""
    if not listing_ids:
        return {}
    rows = db.session.execute(
        select(Listing.id, ListingContent.gst_rate, ListingContent.hsn_code)
        .join(ListingContent, ListingContent.id == Listing.live_content_id)
        .where(Listing.id.in_(listing_ids)))
    return {listing_id: (rate, hsn) for listing_id, rate, hsn in rows}
