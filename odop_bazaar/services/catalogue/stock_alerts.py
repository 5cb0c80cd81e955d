"""“Tell me when it is back”: a buyer asks on a sold-out product's page, and is emailed once
when it is for sale again.

Nothing has to remember to send that email. The shop rows (shop_listings.py) are worked out
again in the transaction of every change that could bring a listing back (a seller raising the
stock, a cancelled order giving it back, a switch to made to order); when a listing's row turns
for sale, `tell_waiting()` writes the emails into the outbox in that same transaction. Each
alert is claimed by a conditional UPDATE (told_at IS NULL), so two transactions bringing one
listing back at once send one email, not two.
"""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from odop_bazaar.db_types import utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models.accounts import User
from odop_bazaar.models.catalogue import Listing
from odop_bazaar.models.shop import ShopListing, StockAlert
from odop_bazaar.services.errors import DomainError


class AlertRefused(DomainError):
    """The listing is for sale already, or not on the shop."""


@dataclass
class AlertRow:
    """One of a buyer's alerts, as their list shows it."""

    id: int
    listing_id: int
    title: str
    title_hi: str
    asked_at: datetime
    told_at: datetime | None
    for_sale: bool | None  # None: no longer on the shop


def ask(user_id: int, listing_id: int) -> None:
    """Arm an alert for this buyer on this sold-out listing (again, if it was used). Commits.

    Raises:
        AlertRefused: it is for sale now (add it to the cart instead) or not on the shop.
    """
    row = db.session.get(ShopListing, listing_id)
    if row is None:
        raise AlertRefused(_l("This product is not on the shop."))
    if row.for_sale:
        raise AlertRefused(_l("This product is for sale now: you can add it to your cart."))
    alert = db.session.scalar(select(StockAlert).where(
        StockAlert.listing_id == listing_id, StockAlert.user_id == user_id))
    if alert is None:
        db.session.add(StockAlert(listing_id=listing_id, user_id=user_id))
    else:
        alert.asked_at, alert.told_at = utcnow(), None
    try:
        db.session.commit()
    except IntegrityError:  # the same buyer's other tab or double click armed it first
        db.session.rollback()


def stop(user_id: int, alert_id: int) -> bool:
    """Remove one of this buyer's alerts; whether there was one. Commits."""
    removed = db.session.execute(delete(StockAlert).where(
        StockAlert.id == alert_id, StockAlert.user_id == user_id)).rowcount
    db.session.commit()
    return bool(removed)


def alerts_of(user_id: int) -> list[AlertRow]:
    """The buyer's alerts, newest asked first, with whether each product is for sale now."""
    rows = db.session.execute(
        select(StockAlert.id, StockAlert.listing_id, ShopListing.title, ShopListing.title_hi,
               StockAlert.asked_at, StockAlert.told_at, ShopListing.in_stock,
               ShopListing.made_to_order)
        .outerjoin(ShopListing, ShopListing.listing_id == StockAlert.listing_id)
        .where(StockAlert.user_id == user_id)
        .order_by(StockAlert.asked_at.desc(), StockAlert.id.desc()))
    return [AlertRow(row.id, row.listing_id, row.title or "", row.title_hi or "", row.asked_at,
                     row.told_at, None if row.in_stock is None
                     else bool(row.in_stock or row.made_to_order)) for row in rows]


def waiting_on(listing_id: int, user_id: int | None) -> bool:
    """Whether this buyer has an alert armed on this listing."""
    return user_id is not None and db.session.scalar(select(StockAlert.id).where(
        StockAlert.listing_id == listing_id, StockAlert.user_id == user_id,
        StockAlert.told_at.is_(None))) is not None


def tell_waiting(session: Session, listing_ids: set[int]) -> int:
    """Write the back-in-stock email of every armed alert on these listings (now for sale)
    into the outbox, in the caller's transaction, and mark each told. Returns how many."""
    from odop_bazaar.services import notifications  # renders templates; imports services

    armed = session.execute(select(StockAlert.id, StockAlert.user_id, StockAlert.listing_id)
                            .where(StockAlert.listing_id.in_(listing_ids),
                                   StockAlert.told_at.is_(None))).all()
    told = 0
    for alert_id, user_id, listing_id in armed:
        claimed = session.execute(
            update(StockAlert).where(StockAlert.id == alert_id, StockAlert.told_at.is_(None))
            .values(told_at=utcnow()).execution_options(synchronize_session=False)).rowcount
        if claimed:
            notifications.send_back_in_stock(session.get(User, user_id),
                                             session.get(Listing, listing_id))
            told += 1
    return told
