"""A buyer with one delivered order line (a saree) and one not delivered (a stole), for the
reviews tests; and the steps of writing a review through its page."""

from sqlalchemy import select

from odop_bazaar.extensions import db
from odop_bazaar.models import Listing, Order, OrderItem
from tests.checkout_helpers import add, client_of, deliver, place
from tests.conftest import submit
from tests.factories import shop


def bought(app, origin: str | None = None) -> dict:
    """The buyer ordered a saree (delivered) and a stole (not yet); ids and emails. `origin`:
    the site's own, where it is not the tests' localhost (a live server's)."""
    saree, stole, buyer_email = shop(app)
    buyer = client_of(app, buyer_email)
    for listing_id in (saree, stole):
        if origin is None:
            add(buyer, listing_id)
        else:
            buyer.post(f"/cart/add/{listing_id}", data={"quantity": "1"},
                       headers={"Origin": origin})
    assert place(buyer).status_code == 303
    with app.app_context():
        found = {}
        for name, listing_id in (("saree", saree), ("stole", stole)):
            line = db.session.scalar(select(OrderItem).where(OrderItem.listing_id == listing_id))
            order = db.session.get(Order, line.order_id)
            found[name] = {"listing": listing_id, "line": line.id, "order": order.id,
                           "seller": order.seller_id,
                           "seller_email": db.session.get(Listing, listing_id).seller.user.email}
    deliver(app, found["saree"]["seller_email"], found["saree"]["order"])
    return {**found, "buyer_email": buyer_email, "buyer": buyer}


def review_page(line_id: int) -> str:
    return f"/orders/items/{line_id}/review"


def write(client, line_id: int, **fields):
    """Post the review form of this order line."""
    data = {"rating": "5", "text": "Lovely weave.", **fields}
    return submit(client, review_page(line_id), data, token_from=review_page(line_id))
