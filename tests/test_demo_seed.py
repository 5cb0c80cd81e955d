"""The first run's demo shop looks used: two buyers' orders delivered, and their reviews on the
product pages and cards, all made through the services as people's actions would be."""

import re

import pytest
from sqlalchemy import func, select

from odop_bazaar.extensions import db
from odop_bazaar.models import User
from odop_bazaar.models.audit import AuditEntry
from odop_bazaar.models.catalogue import Listing
from odop_bazaar.models.orders import Order
from odop_bazaar.models.reviews import Review
from odop_bazaar.models.shop import ShopListing
from tests.conftest import log_in, make_test_app


@pytest.fixture
def seeded(shared_database_url, tmp_path):
    """`make run`'s first start: the app as developers run it (mail printed on the terminal,
    the real password hash), the ODOP list imported, then `flask seed-demo --if-empty`."""
    for app in make_test_app(shared_database_url, tmp_path, MAIL_BACKEND="console",
                             PASSWORD_HASH_METHOD=None):
        runner = app.test_cli_runner()
        assert runner.invoke(args=["import-odop", "--if-empty"]).exit_code == 0
        result = runner.invoke(args=["seed-demo", "--if-empty"])
        assert result.exit_code == 0, result.output
        yield app, result.output


def _listing_id(app, title: str) -> int:
    with app.app_context():
        return db.session.scalar(select(ShopListing.listing_id).where(ShopListing.title == title))


def _card(client, query: str, title: str) -> str:
    """The product card with this title on the search results for the query."""
    page = client.get("/search", query_string={"q": query}).get_data(as_text=True)
    cards = [card for card in page.split('<li class="product-card">')[1:] if title in card]
    assert cards, f"no card for {title!r}"
    return cards[0]


def test_a_buyer_finds_reviews_on_product_pages_and_ratings_on_cards(seeded):
    app, _output = seeded
    client = app.test_client()
    log_in(client, "buyer@example.com", "demo-buyer-pass")
    ajrakh = client.get(f"/products/{_listing_id(app, 'Ajrakh hand block printed cotton dupatta')}",
                        follow_redirects=True).get_data(as_text=True)
    assert "The indigo is deep and even" in ajrakh and "Rahul" in ajrakh
    assert "5.0 out of 5" in ajrakh and "from 1 rating" in ajrakh
    mangoes = client.get(f"/products/{_listing_id(app, 'Ratnagiri Alphonso mangoes, 1 dozen')}",
                         follow_redirects=True).get_data(as_text=True)
    assert "असली हापुस!" in mangoes  # a review in Hindi
    dupatta = client.get(
        f"/products/{_listing_id(app, 'Green Banarasi silk dupatta, made to order')}",
        follow_redirects=True).get_data(as_text=True)
    assert "ज़री का काम बारीक है" in dupatta and "धन्यवाद प्रिया जी!" in dupatta  # Meera replied
    bangles = _card(client, "bangles", "Red and gold glass bangles, set of 12")
    assert "3.0 out of 5" in bangles and "(1 rating)" in bangles
    tea = _card(client, "darjeeling", "Darjeeling first flush black tea, 250 g")
    assert "4.0 out of 5" in tea
    assert "out of 5" not in _card(client, "stacking rings", "Channapatna wooden stacking rings")
    with app.app_context():
        rated = db.session.scalars(select(ShopListing.title).where(ShopListing.rating_count > 0))
        assert len(set(rated)) == 7
        ratings = set(db.session.scalars(select(Review.rating)))
        assert ratings == {3, 4, 5}


def test_priya_logs_in_and_finds_her_orders_delivered_with_invoices(seeded):
    app, _output = seeded
    client = app.test_client()
    log_in(client, "priya@example.com", "demo-buyer-pass")
    page = client.get("/orders").get_data(as_text=True)
    references = re.findall(r'href="/orders/(ODB-[0-9A-Z]+)"', page)
    assert len(references) == 3
    statuses = re.findall(r'<span class="tag tag-info">([^<]+)</span>', page)
    assert statuses == ["Delivered"] * 4  # two makers in her first checkout
    orders = {reference: client.get(f"/orders/{reference}").get_data(as_text=True)
              for reference in references}
    toys = next(html for html in orders.values() if "Channapatna wooden stacking rings" in html)
    assert "Write a review" in toys  # the one thing she has not reviewed
    assert sum(html.count("Your review") for html in orders.values()) == 3
    first = client.get(f"/orders/{references[0]}").get_data(as_text=True)
    invoice = re.search(r'href="(/orders/[^"]+/invoice)"', first).group(1)
    assert client.get(invoice).status_code == 200


def test_the_seeded_orders_take_stock_leave_an_audit_trail_and_are_added_once(seeded):
    app, output = seeded
    assert "priya@example.com / demo-buyer-pass" in output
    assert "rahul@example.com / demo-buyer-pass" in output
    assert output.count("----- mail to") <= 5  # the orders' mail stays off the terminal
    with app.app_context():
        orders = db.session.scalars(select(Order)).all()
        assert len(orders) == 8 and {order.status for order in orders} == {"delivered"}
        moves = db.session.scalars(select(AuditEntry.to_status).where(
            AuditEntry.object_type == "order")).all()
        assert sorted(set(moves)) == ["accepted", "confirmed", "delivered", "packed", "shipped"]
        assert len(moves) == 8 * 5
        bought = {item.listing_id for order in orders for item in order.items}
        stock = dict(db.session.execute(select(Listing.id, Listing.stock).where(
            Listing.id.in_(bought), Listing.made_to_order.is_(False))).all())
        assert len(stock) == 7 and set(stock.values()) == {24}  # of 25; the dupatta is woven
        assert db.session.scalar(select(func.count()).where(
            ShopListing.listing_id.in_(stock), ShopListing.in_stock)) == 7
        priya = db.session.scalar(select(User).where(User.email == "priya@example.com"))
        assert priya.password_hash.startswith("pbkdf2:")  # cheap only for the published one
    runner = app.test_cli_runner()
    assert "no demo data added" in runner.invoke(args=["seed-demo", "--if-empty"]).output
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Order)) == 8
        assert db.session.scalar(select(func.count()).select_from(Review)) == 7
        from odop_bazaar.services.accounts import users

        later = users.create_user(email="later@example.com", password="a-real-password",
                                  full_name="Later Buyer")
        assert later.password_hash.startswith("scrypt:")  # seeding changed no real hashing
