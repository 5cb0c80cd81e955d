"""A buyer's orders through the API: the list a page at a time, one checkout with each seller's
order as the order page shows it, and nobody else's."""

from sqlalchemy import select

from odop_bazaar.extensions import db
from odop_bazaar.models import Checkout, Role, User
from odop_bazaar.services.orders import fulfilment
from tests.api_review_helpers import token_for
from tests.checkout_helpers import add, client_of, place
from tests.factories import listing, make_places, make_seller, make_user


def _two_sellers(app) -> dict:
    make_places(app)
    first_email, first = make_seller(app, "approved")
    second_email, second = make_seller(app, "approved")
    return {"saree": listing(app, first, "Banarasi saree", stock="9"),
            "stole": listing(app, second, "Silk stole", stock="9"),
            "first_email": first_email, "buyer": make_user(app, Role.BUYER)}


def _order(app, buyer_email: str, *listing_ids: int) -> str:
    """The buyer orders (cash on delivery) through the pages; the checkout's reference."""
    buyer = client_of(app, buyer_email)
    for listing_id in listing_ids:
        add(buyer, listing_id, "2")
    response = place(buyer)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return response.location.rsplit("/", 1)[1]


def test_a_buyer_reads_their_orders_newest_first_a_page_at_a_time(app, client):
    world = _two_sellers(app)
    references = [_order(app, world["buyer"], world["saree"]) for _ in range(3)]
    headers = token_for(app, world["buyer"])

    first = client.get("/api/v1/buyer/orders?limit=2", headers=headers)
    assert first.status_code == 200
    assert [c["reference"] for c in first.json["items"]] == references[:0:-1]
    assert first.json["next"] and 'rel="next"' in first.headers["Link"]
    second = client.get(f"/api/v1/buyer/orders?limit=2&after={first.json['next']}",
                        headers=headers)
    assert [c["reference"] for c in second.json["items"]] == references[:1]
    assert second.json["next"] is None
    row = second.json["items"][0]
    assert row["payment_method"] == "cod" and row["payment_state"] == "cod"
    with app.app_context():
        assert row["total_paise"] == db.session.scalar(
            select(Checkout.total_paise).where(Checkout.reference == references[0]))
    assert [o["status"] for o in row["orders"]] == ["confirmed"]


def test_an_order_shows_each_sellers_lines_amounts_tracking_and_invoice_details(app, client):
    world = _two_sellers(app)
    reference = _order(app, world["buyer"], world["saree"], world["stole"])
    with app.test_request_context():
        checkout = db.session.scalar(select(Checkout).where(Checkout.reference == reference))
        saree_order = checkout.orders[0]
        seller_user = db.session.scalar(select(User).where(User.email == world["first_email"]))
        for step in ("accepted", "packed"):
            fulfilment.advance(saree_order, seller_user, step)
        fulfilment.advance(saree_order, seller_user, "shipped", carrier="India Post",
                           tracking="EE123456789IN")
        total = checkout.total_paise

    answer = client.get(f"/api/v1/buyer/orders/{reference}", headers=token_for(app, world["buyer"]))

    assert answer.status_code == 200
    body = answer.json
    assert body["total_paise"] == total == sum(o["total_paise"] for o in body["orders"])
    assert body["delivery_name"] == "Asha Verma" and body["delivery_pin"] == "221005"
    saree, stole = body["orders"]
    assert saree["status"] == "shipped" and saree["status_label"] == "Shipped"
    assert (saree["carrier"], saree["tracking_number"]) == ("India Post", "EE123456789IN")
    assert [h["status"] for h in saree["history"]][-1] == "shipped"
    assert saree["lines"][0]["title"] == "Banarasi saree"
    assert saree["lines"][0]["quantity"] == 2 and saree["lines"][0]["unit_price_paise"] == 10000
    assert saree["items_paise"] + saree["delivery_paise"] == saree["total_paise"]
    assert saree["taxable_paise"] + saree["gst_paise"] == saree["items_paise"]
    # The seller as the invoice names them: legal name, address, and no GSTIN (exempt).
    assert saree["seller_name"] == "Test Seller" and "Loom Lane" in saree["seller_address"]
    assert saree["seller_gstin"] is None
    assert saree["invoice_url"].endswith(f"/orders/{reference}/{saree['id']}/invoice")
    assert stole["status"] == "confirmed" and stole["tracking_number"] is None
    assert stole["buyer_may_cancel"] is True and saree["buyer_may_cancel"] is False


def test_another_buyers_order_is_not_found_and_a_seller_token_is_refused(app, client):
    world = _two_sellers(app)
    reference = _order(app, world["buyer"], world["saree"])
    other = token_for(app, make_user(app, Role.BUYER))

    answer = client.get(f"/api/v1/buyer/orders/{reference}", headers=other)
    assert answer.status_code == 404 and answer.mimetype == "application/problem+json"
    assert client.get("/api/v1/buyer/orders", headers=other).json["items"] == []
    assert client.get(f"/api/v1/buyer/orders/{reference}",
                      headers=token_for(app, world["first_email"])).status_code == 403


def test_a_cursor_the_api_did_not_give_is_refused(app, client):
    world = _two_sellers(app)
    headers = token_for(app, world["buyer"])
    for cursor in ("nonsense", "WyJ4Il0", "Wy0xXQ", "Wzk5OTk5OTk5OTk5OTk5OTk5OTk5XQ"):
        answer = client.get(f"/api/v1/buyer/orders?after={cursor}", headers=headers)
        assert answer.status_code == 422, (cursor, answer.json)
