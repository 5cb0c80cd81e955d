"""A maker's shop page: who they are, their work and their listings; only while approved."""

import pytest
from sqlalchemy import select

from odop_bazaar.extensions import db
from odop_bazaar.models import Listing, Seller
from odop_bazaar.services import sellers as onboarding
from odop_bazaar.services.catalogue import seller_shop
from tests.checkout_helpers import add, place
from tests.conftest import log_in, statements
from tests.factories import admin_user, listing, make_places, make_seller, make_user

PAGE = "/sellers/{id}-test-looms"


@pytest.fixture
def maker(app):
    """An approved weaver of Varanasi with two listings on the shop; their seller id."""
    make_places(app)
    _, seller_id = make_seller(app, "approved", product_names=(
        "Banarasi Silk Sarees", "Wooden Lacquerware and Toys"))
    listing(app, seller_id, "Old gold saree")
    listing(app, seller_id, "Red katan saree")
    return seller_id


def page_text(client, seller_id, prefix="", **args) -> str:
    response = client.get(prefix + PAGE.format(id=seller_id), query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_page_shows_the_maker_their_work_and_their_listings(app, client, maker):
    listing(app, maker, "Draft shawl", approve=False)
    listing(app, maker, "Sold out stole", stock="0")
    page = page_text(client, maker)
    assert '<h1 id="maker-title">Test Looms</h1>' in page
    assert 'Weaver · <a href="/districts/187">Varanasi</a>, Uttar Pradesh' in page
    assert "Banarasi Silk Sarees" in page and "Wooden Lacquerware and Toys" in page
    assert "We weave." in page and "Making since 2001" in page
    assert "On ODOP Bazaar since" in page
    assert page.count('alt="Red katan saree"') == 1  # a photo of their work, described
    assert "2 products for sale" in page
    assert "Red katan saree" in page and "Old gold saree" in page
    assert "Draft shawl" not in page and "Sold out stole" not in page
    assert page.index("Red katan saree</h3>") < page.index("Old gold saree</h3>")  # newest first
    assert f'rel="canonical" href="http://localhost/sellers/{maker}-test-looms"' in page
    # The personal details behind the shop are not on it.
    assert "ABCPE1234F" not in page and "123456789012" not in page


def test_the_page_is_in_hindi_under_the_hindi_address(app, client, maker):
    page = page_text(client, maker, prefix="/hi")
    assert 'lang="hi"' in page and "Test Looms" in page
    assert "/hi/products/" in page and "/hi/districts/187" in page
    assert client.get(f"/hi/sellers/{maker}").location == f"/hi/sellers/{maker}-test-looms"


@pytest.mark.parametrize("stage", ["submitted", "suspended"])
def test_a_seller_not_approved_or_suspended_has_no_page(app, client, maker, stage):
    if stage == "suspended":
        seller_id = maker
        with app.test_request_context():
            onboarding.suspend_seller(db.session.get(Seller, seller_id), admin_user(), "Inquiry")
    else:
        _, seller_id = make_seller(app, "submitted")
    assert client.get(PAGE.format(id=seller_id)).status_code == 404
    assert client.get(f"/sellers/{seller_id}").status_code == 404
    assert f"/sellers/{seller_id}-" not in client.get("/sitemap.xml").get_data(as_text=True)


def test_an_unknown_seller_is_not_found(app, client, maker):
    assert client.get("/sellers/999999-test-looms").status_code == 404


def test_a_short_or_old_address_redirects_to_the_one_with_the_name(app, client, maker):
    for address in (f"/sellers/{maker}", f"/sellers/{maker}-old-name"):
        response = client.get(address)
        assert response.status_code == 301
        assert response.location == PAGE.format(id=maker)
    response = client.get(f"/sellers/{maker}-old-name?page=2")
    assert response.status_code == 404  # two listings fit on one page
    with app.app_context():
        db.session.get(Seller, maker).display_name = "Kashi Looms"
        db.session.commit()
    response = client.get(PAGE.format(id=maker))
    assert response.location == f"/sellers/{maker}-kashi-looms"


def test_listings_come_a_page_at_a_time(app, client, maker, monkeypatch):
    monkeypatch.setattr(seller_shop, "PAGE_SIZE", 1)
    listing(app, maker, "Newest dupatta")
    first = page_text(client, maker)
    assert "3 products for sale" in first and "Page 1 of 3" in first
    assert "Newest dupatta</h3>" in first and "Red katan saree</h3>" not in first
    assert f'rel="next" href="/sellers/{maker}-test-looms?page=2"' in first
    second = page_text(client, maker, page="2")
    assert "Red katan saree</h3>" in second and "Newest dupatta</h3>" not in second
    assert f'rel="prev" href="/sellers/{maker}-test-looms"' in second
    last = page_text(client, maker, page="3")
    assert "Old gold saree</h3>" in last and 'rel="next"' not in last
    assert client.get(PAGE.format(id=maker), query_string={"page": "4"}).status_code == 404
    response = client.get(f"/sellers/{maker}", query_string={"page": "2"})
    assert response.location == f"/sellers/{maker}-test-looms?page=2"


def test_the_sitemap_lists_every_approved_makers_page(app, client, maker):
    _, unfinished = make_seller(app, "complete")
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    assert f"<loc>http://localhost/sellers/{maker}-test-looms</loc>" in sitemap
    assert f"/sellers/{unfinished}-" not in sitemap


def test_product_district_cart_and_order_pages_link_to_the_maker(app, client, maker):
    with app.app_context():
        listing_id = db.session.scalar(select(Listing.id).where(Listing.seller_id == maker))
    link = f'href="/sellers/{maker}-test-looms"'
    product = client.get(f"/products/{listing_id}", follow_redirects=True).get_data(as_text=True)
    assert link in product and "See the shop of Test Looms" in product
    district = client.get("/districts/187").get_data(as_text=True)
    assert "Makers in this district" in district and link in district
    log_in(client, make_user(app))
    add(client, listing_id)
    assert link in client.get("/cart").get_data(as_text=True)
    order_page = client.get(place(client).location).get_data(as_text=True)
    assert f'href="/sellers/{maker}"' in order_page and "The maker’s shop" in order_page


def test_the_cached_page_changes_when_their_listing_or_profile_changes(app, client, maker):
    path = PAGE.format(id=maker)
    page_text(client, maker)
    assert statements(app, client, path) == 1  # served from the cache
    with app.test_request_context():
        item = db.session.scalar(select(Listing).where(Listing.seller_id == maker,
                                                       Listing.stock == 3).limit(1))
        item_id, item.stock = item.id, 2  # a sale that leaves stock: nothing on the maker's page changed
        db.session.commit()
    assert statements(app, client, path) == 1
    with app.test_request_context():
        item = db.session.get(Listing, item_id)
        item.price_paise = 9_000
        db.session.commit()
    assert statements(app, client, path) > 1
    assert "₹90.00" in page_text(client, maker)
    with app.app_context():
        db.session.get(Seller, maker).story = "Three generations at the loom."
        db.session.commit()
    assert "Three generations at the loom." in page_text(client, maker)
    with app.test_request_context():
        onboarding.suspend_seller(db.session.get(Seller, maker), admin_user(), "Inquiry")
    assert client.get(path).status_code == 404
