"""One submitted summary makes one checkout: "Place order" pressed ten times at once from one
signed-in session (a double click, a slow network, a refreshed POST), through a live server.

Every repeat must land on the order that was placed; one PaymentIntent per checkout; the stock
taken once.
"""

import re

import pytest
import stripe
from sqlalchemy import func, select

from odop_bazaar.extensions import db
from odop_bazaar.models import Checkout, Listing, Order
from tests.checkout_helpers import ADDRESS
from tests.factories import shop
from tests.live import Visitor, at_once, serve

PRESSES = 10


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _ready_to_place(base: str, buyer: str, listing_id: int) -> tuple[Visitor, dict]:
    visitor = Visitor(base).log_in(buyer)
    added = visitor.post(f"/cart/add/{listing_id}", {"quantity": "1"})  # no token: by origin
    assert added.status_code == 303
    page = visitor.get("/checkout").text
    fields = {"csrf_token": re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                                      page).group(1),
              "fingerprint": re.search(r'name="fingerprint" type="hidden" value="([^"]*)"',
                                       page).group(1)}
    return visitor, fields


def _press_place_order(app, payment_method: str) -> tuple[list, int]:
    saree, _stole, buyer = shop(app, stock="3")
    with serve(app) as base:
        visitor, fields = _ready_to_place(base, buyer, saree)
        form = {**ADDRESS, **fields, "payment_method": payment_method}
        answers = at_once([lambda: visitor.post("/checkout", form)] * PRESSES)
        # A refresh of the POST after it all settled, too.
        answers.append(visitor.post("/checkout", form))
    return answers, saree


def _placed_reference(app) -> str:
    with app.app_context():
        return db.session.scalar(select(Checkout.reference))


@pytest.mark.parametrize("payment_method", ["cod", "card"])
def test_pressing_place_order_ten_times_at_once_places_one_order(request, payment_method):
    app = request.getfixturevalue("card_app" if payment_method == "card" else "app")
    before = _intent_ids(app) if payment_method == "card" else set()
    answers, saree = _press_place_order(app, payment_method)
    created_intents = sorted(_intent_ids(app) - before) if payment_method == "card" else []

    assert not [a for a in answers if isinstance(a, Exception)], answers
    assert _count(app, Checkout) == 1
    assert _count(app, Order) == 1
    with app.app_context():
        assert db.session.get(Listing, saree).stock == 2  # taken once
    reference = _placed_reference(app)
    # Every press lands on that one order (its payment page for a card).
    landing = (f"/checkout/{reference}/pay" if payment_method == "card"
               else f"/orders/{reference}")
    assert [a.status_code for a in answers] == [303] * len(answers), \
        [(a.status_code, a.text[:300]) for a in answers]
    assert {a.headers["Location"].removeprefix(a.url.rsplit("/checkout", 1)[0])
            for a in answers} == {landing}

    if payment_method == "card":
        with app.app_context():
            stored = db.session.scalar(select(Checkout.stripe_payment_intent_id))
        assert created_intents == [stored]  # one PaymentIntent, the checkout's own


def _intent_ids(app) -> set[str]:
    api = stripe.StripeClient("sk_test_odop",
                              base_addresses={"api": app.config["STRIPE_API_BASE"]})
    return {intent.id for intent in
            api.v1.payment_intents.list(params={"limit": 100}).auto_paging_iter()}


def test_an_emptied_cart_is_never_ordered_even_with_its_own_fingerprint(app):
    from odop_bazaar.models import User
    from odop_bazaar.services.orders import cart as cart_service
    from odop_bazaar.services.orders import checkout as checkout_service

    saree, _stole, buyer = shop(app)
    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.email == buyer))
        cart_service.add(user, {}, saree, "1")
        cart_service.remove(user, {}, saree)
        empty = checkout_service.summarise(user, {})
        with pytest.raises(checkout_service.EmptyCart):
            checkout_service.place_order(user, {}, ADDRESS, "cod", empty.fingerprint)
    assert _count(app, Checkout) == 0
