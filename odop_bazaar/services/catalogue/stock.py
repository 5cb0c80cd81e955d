"""A listing's stock: taken when an order is placed, given back when it is cancelled.

Stock is taken with one conditional UPDATE per listing (`stock = stock - q WHERE stock >= q`), in
listing-id order, inside the caller's transaction (the one that writes the order): two buyers
racing for the last unit cannot both get it, on PostgreSQL (the row lock the UPDATE takes) or
SQLite (one writer at a time), and a failure anywhere before the commit leaves no reservation.
"""

from sqlalchemy import update

from odop_bazaar.extensions import db
from odop_bazaar.models.catalogue import PUBLISHED_STATUSES, Listing
from odop_bazaar.services.catalogue import shop_listings


def reserve(wanted: dict[int, int]) -> int | None:
    """Take each listing's quantity (listing id -> quantity) from its stock, in listing-id order.
    Does not commit.

    Returns None when everything was taken, or the id of the first listing that is short (or
    no longer on sale): then the caller must roll back, as the listings before it were taken.
    """
    for listing_id in sorted(wanted):
        quantity = wanted[listing_id]
        taken = db.session.execute(
            update(Listing)
            .where(Listing.id == listing_id, Listing.stock >= quantity,
                   Listing.status.in_(PUBLISHED_STATUSES))
            .values(stock=Listing.stock - quantity)
            .execution_options(synchronize_session=False))
        if taken.rowcount != 1:
            return listing_id
    _show_on_shop(set(wanted))
    return None


def put_back(quantities: list[tuple[int, int]]) -> None:
    """Return (listing id, quantity) pairs to stock. Does not commit; the caller makes sure it
    happens once (an order's stock_released flag)."""
    returned = set()
    for listing_id, quantity in quantities:
        db.session.execute(update(Listing).where(Listing.id == listing_id)
                           .values(stock=Listing.stock + quantity)
                           .execution_options(synchronize_session=False))
        returned.add(listing_id)
    _show_on_shop(returned)


def _show_on_shop(listing_ids: set[int]) -> None:
    # The UPDATEs went around the ORM: tell the shop rows (a listing may have sold out).
    db.session.expire_all()
    shop_listings.refresh(listing_ids=listing_ids, pages_changed=False)
