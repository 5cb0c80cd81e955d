"""A buyer's steps through the cart and checkout pages (add to the cart, place the order), and the
seller's steps that take an order to delivered."""

import re

from tests.conftest import SAME_ORIGIN, log_in, submit

ADDRESS = {"name": "Asha Verma", "phone": "98765 43210", "line1": "12 Lanka Road",
           "line2": "", "city": "Varanasi", "state": "9", "pin": "221005"}


def add(client, listing_id, quantity="1"):
    """Put the listing in the client's cart, through the form on the product page (which
    carries no token: a browser sends the page's origin)."""
    return client.post(f"/cart/add/{listing_id}", data={"quantity": quantity},
                       headers=SAME_ORIGIN)


def checkout_page(client):
    """The checkout page's HTML."""
    return client.get("/checkout").get_data(as_text=True)


def fingerprint(client) -> str:
    """The checkout page's fingerprint of what the buyer was shown, which the order must match."""
    return re.search(r'name="fingerprint" type="hidden" value="([^"]*)"',
                     checkout_page(client)).group(1)


def place(client, **changes):
    """Place the order for the cart, paying cash on delivery to ADDRESS (unless changed)."""
    data = {**ADDRESS, "payment_method": "cod", "fingerprint": fingerprint(client), **changes}
    return submit(client, "/checkout", data)


def client_of(app, email):
    """A test client signed in as `email`."""
    client = app.test_client()
    log_in(client, email)
    return client


def deliver(app, seller_email: str, order_id: int) -> None:
    """The seller takes the order to delivered on their orders page."""
    seller = client_of(app, seller_email)
    for step in ("accepted", "packed", "shipped", "delivered"):
        response = submit(seller, f"/seller/orders/{order_id}/next",
                          {"step": step, "carrier": "India Post", "tracking": "EE123456789IN"},
                          token_from="/seller/orders")
        assert response.status_code == 303
