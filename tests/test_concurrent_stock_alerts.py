"""“Tell me when it is back” under real concurrency, through a live server, on SQLite and
PostgreSQL: a double click stores one alert, and two cancellations that bring a sold-out
product back at the same moment send its buyer one email, not two."""

from sqlalchemy import func, select

from odop_bazaar.extensions import db
from odop_bazaar.models import Checkout, Listing, OutboxMessage, StockAlert
from tests.checkout_helpers import add, client_of, place
from tests.factories import listing, make_places, make_seller, make_user
from tests.live import Visitor, at_once, serve

CLICKS = 6


def _sold_out_after_two_orders(app):
    """A listing of 2 bought by two buyers (so sold out); the order of each: (email, ref, id)."""
    make_places(app)
    _, seller_id = make_seller(app, "approved")
    listing_id = listing(app, seller_id, "Blue silk saree", stock="2")
    orders = []
    for _buyer in range(2):
        email = make_user(app)
        client = client_of(app, email)
        add(client, listing_id)
        reference = place(client).location.rsplit("/", 1)[1]
        with app.app_context():
            order_id = db.session.scalar(select(Checkout).where(
                Checkout.reference == reference)).orders[0].id
        orders.append((email, reference, order_id))
    with app.app_context():
        assert db.session.get(Listing, listing_id).stock == 0
    return listing_id, orders


def test_a_double_click_on_tell_me_stores_one_alert(app):
    listing_id, _orders = _sold_out_after_two_orders(app)
    email = make_user(app)
    with serve(app) as base:
        buyer = Visitor(base).log_in(email)
        path = f"/products/{listing_id}/tell-me-when-back"
        answers = at_once([lambda: buyer.post(path, {}) for _ in range(CLICKS)])
    assert not [a for a in answers if isinstance(a, Exception)], answers
    assert {answer.status_code for answer in answers} == {303}
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(StockAlert)) == 1


def test_two_cancellations_bringing_it_back_at_once_send_one_email(app):
    listing_id, orders = _sold_out_after_two_orders(app)
    waiting = make_user(app)
    with serve(app) as base:
        Visitor(base).log_in(waiting).post(f"/products/{listing_id}/tell-me-when-back", {})
        buyers = []
        for email, reference, order_id in orders:
            visitor = Visitor(base).log_in(email)
            page = f"/orders/{reference}"
            buyers.append((visitor, f"{page}/{order_id}/cancel",
                           visitor.form(page, {"reason": "Changed my mind"})))
        answers = at_once([lambda b=b: b[0].post(b[1], b[2]) for b in buyers])
    assert not [a for a in answers if isinstance(a, Exception)], answers
    assert [answer.status_code for answer in answers] == [303, 303]
    with app.app_context():
        assert db.session.get(Listing, listing_id).stock == 2
        told = db.session.scalars(select(OutboxMessage.subject).where(
            OutboxMessage.to_address == waiting)).all()
    assert told == ["Back in stock: Blue silk saree"]
