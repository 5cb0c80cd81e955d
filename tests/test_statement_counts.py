"""Buyer pages issue a fixed number of SQL statements, however many products they show."""

import pytest
from sqlalchemy import select

from odop_bazaar.extensions import db
from odop_bazaar.models import Seller, User
from odop_bazaar.services import catalogue as listings
from tests.conftest import statements
from tests.factories import make_jpeg, make_places, make_seller

PAGES = ["/", "/states/9", "/districts/187", "/sectors/handloom", "/search?q=silk",
         "/search?q=saree&sort=price_asc", "/sitemap.xml"]


def add_listings(app, seller_id, count, start):
    with app.test_request_context():
        seller = db.session.get(Seller, seller_id)
        staff = db.session.scalar(select(User).where(User.role == "staff"))
        for number in range(start, start + count):
            item = listings.create_listing(seller, {
                "odop_product_id": seller.products[0].id, "title": f"Silk saree {number}",
                "description": "Silk", "gst_rate": 5}, {"price": str(100 + number),
                                                         "mrp": "999", "stock": "2"})
            listings.add_photos(seller, item, [listings.PhotoUpload("a.jpg", make_jpeg())])
            listings.submit_listing(seller, item)
            listings.approve_listing(item, staff)


@pytest.mark.parametrize("path", PAGES)
def test_statements_do_not_grow_with_the_products_shown(app, client, path):
    make_places(app)
    _, seller_id = make_seller(app, "approved")
    add_listings(app, seller_id, 2, 0)
    few = statements(app, client, path)
    add_listings(app, seller_id, 8, 2)
    many = statements(app, client, path)
    assert many == few, f"{path}: {few} statements with 2 products, {many} with 10"


def test_the_product_page_is_a_handful_of_statements(app, client):
    make_places(app)
    _, seller_id = make_seller(app, "approved")
    add_listings(app, seller_id, 1, 0)
    with app.app_context():
        from odop_bazaar.models import Listing

        listing_id = db.session.scalar(select(Listing.id))
    client.get(f"/products/{listing_id}")  # warm the session and caches
    # 7 today: listing, content, photos, product, district, state, seller (lazy loads, each once).
    assert statements(app, client, f"/products/{listing_id}-silk-saree-0") <= 8
