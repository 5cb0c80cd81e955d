"""What staff download: sellers, listings and orders as rows of a spreadsheet.

The rows are the lists staff see on their pages, with the same filters and the same places (a
reviewer scoped to a district exports only that district), but every row that matches, read
from the database in batches as the file is sent. Read-only: that an export was taken is
written to the audit log by services/downloads.py.

What a row holds is what a reviewer needs to follow up, and no more: a spreadsheet is mailed
around and left in download folders. Never the Aadhaar digits; the bank account and the PAN
only masked (PAN is a personal identifier for individual artisans and farmers; its last four
characters are enough to match it to a document). GSTINs are public (they are on every invoice).
"""

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from odop_bazaar.db_types import INDIA
from odop_bazaar.extensions import db
from odop_bazaar.models.catalogue import ListingStatus
from odop_bazaar.models.orders import Checkout, Order, OrderStatus, PaymentMethod
from odop_bazaar.models.sellers import Seller, SellerStatus, SellerType
from odop_bazaar.services import sellers
from odop_bazaar.services.accounts.staff_scope import Scope
from odop_bazaar.services.catalogue import queries as listing_queries
from odop_bazaar.services.orders import queries as order_queries

BATCH = 500  # rows read from the database at a time

SELLER_COLUMNS = (
    _l("Seller number"), _l("Legal name"), _l("Display name"), _l("Seller type"), _l("Status"),
    _l("State"), _l("District"), _l("ODOP products"), _l("Email"), _l("Mobile"),
    _l("Grievance phone"), _l("GSTIN"), _l("PAN (last 4)"), _l("Bank account (masked)"),
    _l("Submitted (IST)"), _l("Approved (IST)"),
)
LISTING_COLUMNS = (
    _l("Listing number"), _l("Title"), _l("Seller number"), _l("Seller"), _l("ODOP product"),
    _l("District"), _l("State"), _l("Status"), _l("Price (₹)"), _l("MRP (₹)"), _l("Stock"),
    _l("Made to order"), _l("Submitted (IST)"), _l("Approved (IST)"),
)
ORDER_COLUMNS = (
    _l("Order"), _l("Placed (IST)"), _l("Seller number"), _l("Seller"), _l("Buyer"),
    _l("Delivery state"), _l("Status"), _l("Payment"), _l("Items (₹)"), _l("GST (₹)"),
    _l("Delivery (₹)"), _l("Total (₹)"),
)


def ist_text(moment: datetime | None) -> str:
    """A stored UTC time as IST, the way spreadsheets read a date and time: 2026-11-23 14:05."""
    return moment.astimezone(INDIA).strftime("%Y-%m-%d %H:%M") if moment else ""


def rupees(paise: int | None) -> Decimal | None:
    """Paise as a number of rupees with two decimals (123450 -> 1234.50), for adding up."""
    return None if paise is None else (Decimal(paise) / 100).quantize(Decimal("0.01"))


def masked_pan(pan: str | None) -> str:
    return "XXXXXX" + pan[-4:] if pan else ""


def _label(enum, value):
    try:
        return str(enum(value).label) if value else ""
    except ValueError:
        return value


def _yes_no(flag: bool) -> str:
    return str(_l("Yes")) if flag else str(_l("No"))


def _streamed(query):
    return db.session.scalars(query.execution_options(yield_per=BATCH))


def seller_rows(filters: "sellers.QueueFilters", scope: Scope) -> Iterator[list]:
    """Every seller in the list that matches, as spreadsheet rows (read in batches)."""
    query = sellers.seller_list_query(filters, scope).options(
        selectinload(Seller.user), selectinload(Seller.district), selectinload(Seller.state),
        selectinload(Seller.products))
    for seller in _streamed(query):
        yield [
            seller.id, seller.legal_name, seller.display_name,
            _label(SellerType, seller.seller_type), _label(SellerStatus, seller.status),
            seller.state.name if seller.state else "",
            seller.district.name if seller.district else "",
            "; ".join(product.name for product in seller.products),
            seller.user.email, seller.user.mobile, seller.grievance_phone, seller.gstin,
            masked_pan(seller.pan), seller.masked_bank_account,
            ist_text(seller.submitted_at), ist_text(seller.approved_at),
        ]


def listing_rows(filters: "listing_queries.ListingFilters", scope: Scope) -> Iterator[list]:
    """Every listing in the list that matches, as spreadsheet rows (read in batches)."""
    query = listing_queries.listing_list_query(filters, scope).options(
        *listing_queries.listing_list_options())
    for listing in _streamed(query):
        content = listing.working_content
        district = content.odop_product.district
        yield [
            listing.id, content.title, listing.seller_id, listing.seller.name_for_buyers,
            content.odop_product.name, district.name, district.state.name,
            _label(ListingStatus, listing.status), rupees(listing.price_paise),
            rupees(listing.mrp_paise), listing.stock, _yes_no(listing.made_to_order),
            ist_text(listing.submitted_at), ist_text(listing.approved_at),
        ]


def order_rows(filters: "order_queries.StaffFilters", scope: Scope) -> Iterator[list]:
    """Every order in the list that matches, as spreadsheet rows (read in batches)."""
    query = order_queries.staff_orders_query(filters, scope).options(
        selectinload(Order.checkout).selectinload(Checkout.delivery_state),
        selectinload(Order.buyer))
    for order in _streamed(query):
        checkout = order.checkout
        yield [
            order.reference, ist_text(order.placed_at), order.seller_id, order.seller_legal_name,
            order.buyer.full_name, checkout.delivery_state.name,
            _label(OrderStatus, order.status), _label(PaymentMethod, checkout.payment_method),
            rupees(order.items_paise), rupees(order.gst_paise), rupees(order.delivery_paise),
            rupees(order.total_paise),
        ]

