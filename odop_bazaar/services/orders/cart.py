"""The cart: in the session for visitors, in the database for signed-in buyers, merged at sign-in.

A cart holds only listing ids and quantities. Titles, prices and what is left in stock are read
afresh every time it is shown, so a price or stock change since an item was added shows at once,
with a message, and the buyer never pays a price they did not see.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from odop_bazaar.extensions import db
from odop_bazaar.models.accounts import Role, User
from odop_bazaar.models.catalogue import Listing
from odop_bazaar.models.orders import Cart, CartItem
from odop_bazaar.models.shop import ShopListing
from odop_bazaar.services.catalogue.storefront import CoverPhoto, slugify
from odop_bazaar.services.orders.errors import CartError

SESSION_KEY = "cart"
MAX_LINES = 30
# Made-to-order items have no stock to run out of; a buyer still orders a sensible number.
MAX_MADE_TO_ORDER = 20


@dataclass
class CartLine:
    listing_id: int
    quantity: int
    title: str = ""
    price_paise: int = 0
    seller_id: int = 0
    seller_name: str = ""
    made_to_order: bool = False
    most: int = 0  # the most that can be bought now
    cover: CoverPhoto | None = None
    # Filled in by the checkout summary:
    gst_rate: int = 0
    gst_paise: int = 0
    hsn_code: str | None = None
    problem: object | None = None  # a message when the line changed or cannot be bought
    title_hi: str = ""  # the title in Hindi, if the seller gave one (localized.py)

    @property
    def total_paise(self) -> int:
        return self.price_paise * self.quantity

    @property
    def slug(self) -> str:
        return slugify(self.title or self.title_hi)


def parse_quantity(value) -> int:
    text = str(value or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 4:
        raise CartError(_l("Enter a quantity as a whole number, such as 1 or 2."))
    return int(text)


def _uses_database(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False)
                and user.role == Role.BUYER)


def _stored(user, session) -> dict[int, int]:
    """listing id -> quantity, as stored (nothing checked)."""
    if _uses_database(user):
        cart = db.session.scalar(select(Cart).where(Cart.user_id == user.id))
        return {item.listing_id: item.quantity for item in cart.items} if cart else {}
    raw = session.get(SESSION_KEY) or {}
    stored = {}
    for key, quantity in raw.items():
        if str(key).isdigit() and isinstance(quantity, int) and quantity > 0:
            stored[int(key)] = quantity
    return stored


def _store(user, session, quantities: dict[int, int]) -> None:
    """Write the cart back. Commits when it lives in the database.

    Two requests at once (a double click) may both try to create the cart or the same line;
    the second then finds the first's rows and writes over them.
    """
    if _uses_database(user):
        try:
            _store_in_database(user, quantities)
        except IntegrityError:
            db.session.rollback()
            _store_in_database(user, quantities)
    else:
        session[SESSION_KEY] = {str(key): value for key, value in quantities.items()}


def _store_in_database(user, quantities: dict[int, int]) -> None:
    cart = db.session.scalar(select(Cart).where(Cart.user_id == user.id))
    if cart is None:
        cart = Cart(user_id=user.id)
        db.session.add(cart)
    else:
        cart.version = Cart.version + 1  # in SQL: two tabs at once both count
        cart.placing_fingerprint = None  # an order being placed from it will find it changed
    current = {item.listing_id: item for item in cart.items}
    for listing_id, item in current.items():
        if listing_id not in quantities:
            cart.items.remove(item)
    for listing_id, quantity in quantities.items():
        if listing_id in current:
            current[listing_id].quantity = quantity
        else:
            cart.items.append(CartItem(listing_id=listing_id, quantity=quantity))
    db.session.commit()


def _on_sale(listing_ids) -> dict[int, tuple[ShopListing, int]]:
    """(shop row, most that can be bought) for those of these listings on the shop now."""
    if not listing_ids:
        return {}
    rows = db.session.execute(
        select(ShopListing, Listing.stock).join(Listing, Listing.id == ShopListing.listing_id)
        .where(ShopListing.listing_id.in_(list(listing_ids)), ShopListing.for_sale)).all()
    return {row.listing_id: (row, MAX_MADE_TO_ORDER if row.made_to_order else stock)
            for row, stock in rows}


def add(user, session, listing_id: int, quantity_text) -> None:
    """Put a quantity of a listing in the cart (adding to what is there)."""
    quantity = parse_quantity(quantity_text)
    if quantity < 1:
        raise CartError(_l("Choose at least one."))
    on_sale = _on_sale([listing_id])
    if listing_id not in on_sale:
        raise CartError(_l("This product is not for sale just now."))
    _row, most = on_sale[listing_id]
    quantities = _stored(user, session)
    wanted = quantities.get(listing_id, 0) + quantity
    if wanted > most:
        raise CartError(_l("Only %(num)d can be bought now, and your cart would have "
                           "%(wanted)d.", num=most, wanted=wanted))
    if listing_id not in quantities and len(quantities) >= MAX_LINES:
        raise CartError(_l("Your cart is full. Place this order first, then start another."))
    quantities[listing_id] = wanted
    _store(user, session, quantities)


def set_quantity(user, session, listing_id: int, quantity_text) -> None:
    """Change a line's quantity; 0 removes it."""
    quantity = parse_quantity(quantity_text)
    quantities = _stored(user, session)
    if listing_id not in quantities:
        raise CartError(_l("That product is not in your cart."))
    if quantity == 0:
        del quantities[listing_id]
    else:
        on_sale = _on_sale([listing_id])
        most = on_sale[listing_id][1] if listing_id in on_sale else 0
        if quantity > most:
            raise CartError(_l("Only %(num)d can be bought now.", num=most))
        quantities[listing_id] = quantity
    _store(user, session, quantities)


def remove(user, session, listing_id: int) -> None:
    quantities = _stored(user, session)
    quantities.pop(listing_id, None)
    _store(user, session, quantities)


def clear_without_commit(user: User) -> None:
    """Empty a buyer's saved cart as part of the caller's unit of work (placing an order)."""
    cart = db.session.scalar(select(Cart).where(Cart.user_id == user.id))
    if cart is not None:
        cart.items.clear()


@dataclass(frozen=True)
class SavedCart:
    """Which saved cart, at which version, and the summary being placed from it, if any."""

    id: int
    version: int
    placing_fingerprint: str | None


def saved_cart(user) -> SavedCart | None:
    """The signed-in buyer's saved cart as it stands (None for visitors and empty accounts)."""
    if not _uses_database(user):
        return None
    row = db.session.execute(select(Cart.id, Cart.version, Cart.placing_fingerprint)
                             .where(Cart.user_id == user.id)).one_or_none()
    return SavedCart(*row) if row else None


def lines(user, session) -> list[CartLine]:
    """The cart as it stands now: current prices, and a message on any line that changed."""
    quantities = _stored(user, session)
    on_sale = _on_sale(quantities)
    result = []
    for listing_id, quantity in quantities.items():
        if listing_id not in on_sale:
            title = db.session.scalar(select(ShopListing.title).where(
                ShopListing.listing_id == listing_id)) or ""
            result.append(CartLine(listing_id, quantity, title=title,
                                   problem=_l("No longer for sale; remove it to go on.")))
            continue
        row, most = on_sale[listing_id]
        line = CartLine(listing_id, quantity, row.title, row.price_paise, row.seller_id,
                        row.seller_name, row.made_to_order, most,
                        CoverPhoto(row.cover_digest, row.cover_width, row.cover_height)
                        if row.cover_digest else None, title_hi=row.title_hi or "")
        if most == 0:
            line.problem = _l("Sold out; remove it to go on.")
        elif quantity > most:
            line.problem = _l("Only %(num)d left: lower the quantity to go on.", num=most)
        result.append(line)
    return result


def count(user, session) -> int:
    return sum(_stored(user, session).values())


def merge_at_sign_in(user: User, session) -> None:
    """Move a visitor's cart into the buyer's saved cart (quantities added, capped at stock)."""
    visitor = _stored(None, session)
    session.pop(SESSION_KEY, None)
    if not visitor or not _uses_database(user):
        return
    saved = _stored(user, session)
    on_sale = _on_sale(set(visitor) | set(saved))
    for listing_id, quantity in visitor.items():
        if listing_id not in on_sale:
            continue
        most = on_sale[listing_id][1]
        merged = min(saved.get(listing_id, 0) + quantity, most)
        if merged > 0:
            saved[listing_id] = merged
    _store(user, session, dict(list(saved.items())[:MAX_LINES]))
