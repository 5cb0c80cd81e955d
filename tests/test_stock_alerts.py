"""Sold out, still found: search finds a sold-out product and marks it, list pages leave it
out, and a buyer can ask to be told when it is back: one email when the seller restocks it or
a cancelled order gives it back, never two."""

from sqlalchemy import func, select

from odop_bazaar.extensions import db
from odop_bazaar.models import Listing, StockAlert
from odop_bazaar.services.catalogue import stock
from tests.conftest import SAME_ORIGIN, log_in, submit
from tests.factories import listing, make_places, make_seller, make_user


def _shop(app):
    make_places(app)
    seller_email, seller_id = make_seller(app, "approved")
    sold_out = listing(app, seller_id, "Blue silk saree", stock="0")
    in_stock = listing(app, seller_id, "Red silk saree", stock="2")
    return seller_email, sold_out, in_stock


def _buyer(app):
    client = app.test_client()
    email = make_user(app)
    log_in(client, email)
    return client, email


def _restock(app, seller_email, listing_id, stock="4"):
    seller = app.test_client()
    log_in(seller, seller_email)
    with app.app_context():
        seen = str(db.session.get(Listing, listing_id).stock)
    response = submit(seller, f"/seller/listings/{listing_id}/price",
                      {"price": "100", "mrp": "120", "stock": stock, "stock_seen": seen,
                       "lead_time_days": ""}, token_from=f"/seller/listings/{listing_id}/edit")
    assert response.status_code == 302, response.get_data(as_text=True)


def test_search_finds_a_sold_out_product_marked_and_after_those_for_sale(app, client):
    _seller, _sold_out, _in_stock = _shop(app)
    page = client.get("/search", query_string={"q": "silk saree"}).get_data(as_text=True)
    assert page.index("Red silk saree") < page.index("Blue silk saree")
    card = page[page.index("Blue silk saree"):]
    assert "Sold out" in card[:card.index("</li>")]
    red = page[page.index("Red silk saree"):]
    assert "Sold out" not in red[:red.index("</li>")]
    # The list pages lead with what can be bought: the district page leaves it out.
    district = client.get("/districts/187").get_data(as_text=True)
    assert "Red silk saree" in district and "Blue silk saree" not in district


def test_a_buyer_asks_once_and_is_emailed_once_when_the_seller_restocks(app, client, outbox):
    seller_email, sold_out, _in_stock = _shop(app)
    product = client.get(f"/products/{sold_out}", follow_redirects=True).get_data(as_text=True)
    assert "Out of stock." in product and "Tell me when it is back" in product
    anonymous = client.post(f"/products/{sold_out}/tell-me-when-back", headers=SAME_ORIGIN)
    assert anonymous.status_code == 303 and "/login" in anonymous.location
    buyer, email = _buyer(app)
    for _click in range(2):  # a double click
        response = buyer.post(f"/products/{sold_out}/tell-me-when-back", headers=SAME_ORIGIN)
        assert response.status_code == 303
    alerts = buyer.get("/stock-alerts").get_data(as_text=True)
    assert "Blue silk saree" in alerts and "waiting" in alerts
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(StockAlert)) == 1
    _restock(app, seller_email, sold_out)
    mine = [message for message in outbox if message["To"] == email]
    assert len(mine) == 1 and "Back in stock: Blue silk saree" in mine[0]["Subject"]
    assert f"http://localhost/products/{sold_out}" in mine[0].get_content()
    assert "We emailed you on" in buyer.get("/stock-alerts").get_data(as_text=True)
    _restock(app, seller_email, sold_out, stock="0")
    _restock(app, seller_email, sold_out, stock="3")  # sold out and back again: not asked again
    assert len([message for message in outbox if message["To"] == email]) == 1


def test_a_cancelled_order_that_brings_it_back_tells_the_buyer(app, outbox):
    seller_email, sold_out, _in_stock = _shop(app)
    _restock(app, seller_email, sold_out, stock="1")
    first, _first_email = _buyer(app)
    assert first.post(f"/cart/add/{sold_out}", data={"quantity": "1"},
                      headers=SAME_ORIGIN).status_code == 303
    with app.app_context():
        assert db.session.get(Listing, sold_out).stock == 1
    second, second_email = _buyer(app)
    with app.app_context():  # the last one is bought by someone else
        assert stock.reserve({sold_out: 1}) is None
        db.session.commit()
    assert second.post(f"/products/{sold_out}/tell-me-when-back",
                       headers=SAME_ORIGIN).status_code == 303
    with app.app_context():
        stock.put_back([(sold_out, 1)])  # that order is cancelled
        db.session.commit()
    assert [message["Subject"] for message in outbox if message["To"] == second_email] == [
        "Back in stock: Blue silk saree"]


def test_a_product_for_sale_is_refused_and_nothing_is_stored(app):
    _seller, _sold_out, in_stock = _shop(app)
    buyer, _email = _buyer(app)
    response = buyer.post(f"/products/{in_stock}/tell-me-when-back", headers=SAME_ORIGIN,
                          follow_redirects=True)
    assert "for sale now" in response.get_data(as_text=True)
    assert buyer.post("/products/999999/tell-me-when-back", headers=SAME_ORIGIN,
                      follow_redirects=True).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(StockAlert)) == 0


def test_only_its_owner_can_remove_an_alert(app):
    _seller, sold_out, _in_stock = _shop(app)
    owner, _email = _buyer(app)
    owner.post(f"/products/{sold_out}/tell-me-when-back", headers=SAME_ORIGIN)
    with app.app_context():
        alert_id = db.session.scalar(select(StockAlert.id))
    other, _other_email = _buyer(app)
    submit(other, f"/stock-alerts/{alert_id}/stop", {}, token_from="/stock-alerts")
    assert "Blue silk saree" in owner.get("/stock-alerts").get_data(as_text=True)
    submit(owner, f"/stock-alerts/{alert_id}/stop", {}, token_from="/stock-alerts")
    assert "Blue silk saree" not in owner.get("/stock-alerts").get_data(as_text=True)


def test_the_api_search_marks_a_sold_out_product_too(app, client):
    _seller, sold_out, in_stock = _shop(app)
    items = client.get("/api/v1/listings", query_string={"q": "silk saree"}).json["items"]
    assert {item["id"]: item["sold_out"] for item in items} == {sold_out: True, in_stock: False}
