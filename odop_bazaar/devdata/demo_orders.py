"""Demo orders and reviews (`flask seed-demo`): two buyers who have bought from the demo shop,
their orders delivered and most of what they bought reviewed, so that a first run shows ratings
on product cards and reviews on product pages, and the demo seller has a review to answer.

Each step is a person's action through its service: the cart, the checkout (cash on delivery),
the seller's accept, pack, ship and delivered (fulfilment.advance, which moves the status through
workflow.py), the buyer's review and the seller's reply. So stock is taken, every move has its
audit row, each order has its invoice and the shop rows carry the ratings. A buyer who has any
order already is left alone, so running the seed again adds nothing twice.
"""

from dataclasses import dataclass

from sqlalchemy import select

from odop_bazaar.devdata import seeding_config
from odop_bazaar.extensions import db
from odop_bazaar.models.accounts import User
from odop_bazaar.models.orders import Checkout, Order, OrderStatus, PaymentMethod
from odop_bazaar.models.shop import ShopListing
from odop_bazaar.services.orders import cart, checkout, fulfilment
from odop_bazaar.services.orders.summary import summarise
from odop_bazaar.services.reviews import writing

# The seller's steps from a confirmed cash-on-delivery order to its delivery.
STEPS = (OrderStatus.ACCEPTED, OrderStatus.PACKED, OrderStatus.SHIPPED, OrderStatus.DELIVERED)


@dataclass(frozen=True)
class Bought:
    """One line of a demo checkout, and the buyer's review of it (no rating: not reviewed)."""

    title: str  # the listing's title, as the demo shop lists it
    rating: int | None = None
    text: str = ""
    reply: str = ""  # the seller's answer to the review


@dataclass(frozen=True)
class DemoBuyer:
    email: str
    address: dict
    checkouts: tuple[tuple[Bought, ...], ...]


DEMO_BUYERS = (
    DemoBuyer("priya@example.com", {
        "name": "Priya Sharma", "phone": "9822012345", "line1": "Flat 4B, Shanti Apartments",
        "line2": "Law College Road, Erandwane", "city": "Pune", "state": "27", "pin": "411004"}, (
        (Bought("Green Banarasi silk dupatta, made to order", 5,
                "बहुत सुंदर दुपट्टा है। ज़री का काम बारीक है और रंग फोटो जैसा ही है। तीन हफ़्ते "
                "लगे, जैसा बताया था।",
                reply="धन्यवाद प्रिया जी! आपको दुपट्टा पसंद आया, यह जानकर बहुत खुशी हुई।"),
         Bought("White chikankari cotton kurta", 5,
                "Lovely fine bakhiya work, and the mul is soft enough for a Pune summer. "
                "True to size.")),
        (Bought("Darjeeling first flush black tea, 250 g", 4,
                "Light and floral, as a first flush should be. The pouch came a little "
                "crushed, but the tea was fine."),),
        (Bought("Channapatna wooden stacking rings"),),
    )),
    DemoBuyer("rahul@example.com", {
        "name": "Rahul Verma", "phone": "9845012345", "line1": "18, 4th Cross, HAL 2nd Stage",
        "line2": "Indiranagar", "city": "Bengaluru", "state": "29", "pin": "560038"}, (
        (Bought("Ajrakh hand block printed cotton dupatta", 5,
                "The indigo is deep and even, and the print is crisp on both sides. You can "
                "smell the natural dyes when you open it."),
         Bought("Red and gold glass bangles, set of 12", 3,
                "Pretty colours, but two of the twelve came cracked. Better padding would help.")),
        (Bought("Ratnagiri Alphonso mangoes, 1 dozen", 5,
                "असली हापुस! बहुत मीठे और खुशबूदार, सब अच्छी हालत में पहुँचे।"),),
        (Bought("Madhubani fish painting on handmade paper", 4,
                "Bright natural colours and neat line work. Came rolled in a sturdy tube; "
                "I wish it had come flat for framing."),),
    )),
)


def add_orders(by_email: dict[str, User], echo=print) -> tuple[int, int]:
    """Each demo buyer's orders, delivered and reviewed, unless they have ordered already.
    Returns (orders, reviews) added.

    Their mail (order placed, each step, to buyer and seller) is kept in memory, not printed."""
    orders = reviews = 0
    with seeding_config(MAIL_BACKEND="memory"):
        for buyer in DEMO_BUYERS:
            user = by_email.get(buyer.email)
            if user is None or db.session.scalar(
                    select(Order.id).where(Order.buyer_id == user.id).limit(1)) is not None:
                continue
            for lines in buyer.checkouts:
                placed = _buy(user, buyer.address, lines)
                if placed is not None:
                    orders += len(placed.orders)
                    reviews += _deliver_and_review(user, placed, lines)
    if orders:
        echo(f"  {', '.join(buyer.address['name'] for buyer in DEMO_BUYERS)} (buyers) have "
             f"{orders} delivered orders (cash on delivery) and wrote {reviews} reviews.")
    return orders, reviews


def _buy(buyer: User, address: dict, lines: tuple[Bought, ...]) -> Checkout | None:
    """One checkout of these listings, one of each, paid cash on delivery (None: the shop has
    not got them all, as when the ODOP list was not imported)."""
    ids = dict(db.session.execute(select(ShopListing.title, ShopListing.listing_id).where(
        ShopListing.title.in_([line.title for line in lines]))).all())
    if len(ids) != len(lines):
        return None
    session = {}  # a signed-in buyer's cart is saved in the database, not the session
    for line in lines:
        cart.add(buyer, session, ids[line.title], "1")
    summary = summarise(buyer, session)
    return checkout.place_order(buyer, session, address, PaymentMethod.CASH_ON_DELIVERY,
                                summary.fingerprint)


def _deliver_and_review(buyer: User, placed: Checkout, lines: tuple[Bought, ...]) -> int:
    """Each order of the checkout taken by its seller to delivered; then the reviews. Returns
    how many reviews were written."""
    by_title = {line.title: line for line in lines}
    written = 0
    for order in list(placed.orders):
        seller_user = order.seller.user
        for step in STEPS:
            fulfilment.advance(order, seller_user, step, carrier="India Post",
                               tracking=f"EK{482913570 + order.id}IN")
        for item in order.items:
            bought = by_title[item.title]
            if bought.rating is None:
                continue
            review = writing.write_review(buyer.id, item.id, bought.rating, bought.text)
            if bought.reply:
                writing.reply(order.seller_id, review.id, bought.reply)
            written += 1
    return written
