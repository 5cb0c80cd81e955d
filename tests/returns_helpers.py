"""A delivered order to return: placed through the checkout pages, taken to delivered by its
seller; and the services' objects for it, for tests at the service level."""

from sqlalchemy import select

from odop_bazaar.extensions import db
from odop_bazaar.models import Listing, Order, User
from tests.checkout_helpers import add, client_of, deliver, place
from tests.factories import shop


def delivered(app, *, quantity: str = "2", stock: str = "3", deliver_it: bool = True) -> dict:
    """A cash-on-delivery order of `quantity` sarees at ₹100 (+ ₹60 delivery), delivered."""
    saree, stole, buyer = shop(app, stock=stock)
    client = client_of(app, buyer)
    add(client, saree, quantity)
    reference = place(client).headers["Location"].rsplit("/", 1)[1]
    with app.app_context():
        order = db.session.scalar(select(Order))
        seller_email = db.session.get(Listing, saree).seller.user.email
        found = {"buyer": buyer, "client": client, "reference": reference, "order": order.id,
                 "item": order.items[0].id, "seller": seller_email, "saree": saree,
                 "stole": stole, "seller_id": order.seller_id}
    if deliver_it:
        deliver(app, seller_email, found["order"])
    return found


def user(email: str) -> User:
    """The account with this email (call in an app context)."""
    return db.session.scalar(select(User).where(User.email == email))


def a_return_in_the_world(app, order_id: int, seller_email: str) -> dict:
    """The access matrix's return: its order delivered by the seller, then one unit sent back as
    damaged, with a photo. Its id and its photo's."""
    from odop_bazaar.services.orders import fulfilment
    from odop_bazaar.services.returns import requests
    from tests.factories import make_jpeg

    with app.test_request_context():
        order = db.session.get(Order, order_id)
        for step in ("accepted", "packed", "shipped", "delivered"):
            fulfilment.advance(order, user(seller_email), step, carrier="India Post",
                               tracking="EE123456789IN")
        made = requests.request_return(order, order.buyer, requests.ReturnAsk(
            {order.items[0].id: 1}, "damaged", "exchange", photos=[make_jpeg()]))
        return {"return_id": made.id, "return_photo_id": made.photos[0].id}
