"""The product page: what a buyer sees, including the disclosures Indian rules require."""

import re

import pytest
from sqlalchemy import select

from odop_bazaar.extensions import db
from odop_bazaar.models import Listing, Seller, User
from odop_bazaar.services import catalogue as listings
from odop_bazaar.services import sellers as onboarding
from odop_bazaar.services.catalogue.storefront import slugify, unit_price
from tests.factories import admin_user, make_gstin, make_jpeg, make_places, make_seller


def live(app, seller_id, **content):
    with app.test_request_context():
        seller = db.session.get(Seller, seller_id)
        staff = db.session.scalar(select(User).where(User.role == "staff"))
        listing = listings.create_listing(seller, {
            "odop_product_id": seller.products[0].id, "title": "Red Banarasi silk saree",
            "description": "Pure katan silk.", "gst_rate": 5, "hsn_code": "5007",
            **content}, {"price": "11,800", "mrp": "14,000", "stock": "3"})
        listings.add_photos(seller, listing, [listings.PhotoUpload("a.jpg", make_jpeg())])
        listings.submit_listing(seller, listing)
        listings.approve_listing(listing, staff)
        return listing.id


@pytest.fixture
def shop(app):
    make_places(app)
    _, seller_id = make_seller(app, "approved")
    return seller_id


def test_the_page_shows_price_gst_and_every_disclosure(app, client, shop):
    listing_id = live(app, shop)
    response = client.get(f"/products/{listing_id}")
    assert response.status_code == 301
    assert response.location == f"/products/{listing_id}-red-banarasi-silk-saree"
    page = client.get(response.location).get_data(as_text=True)
    assert "<h1>Red Banarasi silk saree</h1>" in page
    assert "₹11,800.00" in page and "₹14,000.00" in page and "16% off" in page
    assert "₹11,238.10 + GST 5% ₹561.90" in page  # GST-inclusive price split
    assert "Banarasi Silk Sarees, Varanasi" in page and "GI tagged" in page
    assert re.search(r"Sold by</dt><dd>Test Seller<br>1 Loom Lane<br>Town, Varanasi<br>"
                     r"Uttar Pradesh 221001</dd>", page)
    assert "not registered for GST" in page and "GSTIN" not in page
    assert "Country of origin</dt><dd>India</dd>" in page
    assert "Marketplace grievance officer" in page
    assert "return it within 7 days" in page and "Delivered by courier" in page
    assert "grievance@example.com" in page and "+91 98765 43210" in page
    assert "Declarations for packaged goods" not in page
    assert f'rel="canonical" href="http://localhost/products/{listing_id}-red-banarasi' in page
    assert 'property="og:image"' in page and "srcset=" in page and "image/webp" in page


def test_a_gst_registered_seller_shows_the_gstin(app, client, shop):
    gstin = make_gstin("09", "ABCPE1234F")
    with app.app_context():
        db.session.get(Seller, shop).gst_mode = "registered"
        db.session.get(Seller, shop).gstin = gstin
        db.session.commit()
    listing_id = live(app, shop)
    page = client.get(f"/products/{listing_id}", follow_redirects=True).get_data(as_text=True)
    assert f"GSTIN: {gstin}" in page and "not registered" not in page


def test_pre_packaged_goods_show_the_legal_metrology_declarations(app, client, shop):
    listing_id = live(app, shop, prepackaged=True, unit="g", net_quantity="500",
                      manufacturer_name="Meera Foods", manufacturer_address="Varanasi 221001",
                      manufactured_month="2026-10", consumer_care="care@example.com")
    page = client.get(f"/products/{listing_id}", follow_redirects=True).get_data(as_text=True)
    for text in ("Declarations for packaged goods", "Meera Foods, Varanasi 221001", "2026-10",
                 "care@example.com", "500 g", "₹23,600.00 per kg"):
        assert text in page, text


@pytest.mark.parametrize("change", ["draft", "changes_requested", "unpublished", "removed",
                                    "suspended"])
def test_what_buyers_must_not_see_is_a_404(app, client, shop, change):
    listing_id = live(app, shop)
    with app.test_request_context():
        listing = db.session.get(Listing, listing_id)
        staff = db.session.scalar(select(User).where(User.role == "staff"))
        if change == "suspended":
            onboarding.suspend_seller(listing.seller, admin_user(), "Investigation")
        elif change == "removed":
            listings.remove_listing(listing, staff, ["prohibited"], "")
        elif change == "unpublished":
            listings.unpublish_listing(listing.seller, listing)
        else:  # a listing that never went live
            listing.live_content_id = None
            listing.status = change
            db.session.commit()
    assert client.get(f"/products/{listing_id}").status_code == 404


def test_an_edit_waiting_for_review_is_not_shown(app, client, shop):
    listing_id = live(app, shop)
    with app.test_request_context():
        listing = db.session.get(Listing, listing_id)
        listings.update_content(listing.seller, listing, {
            "odop_product_id": listing.seller.products[0].id, "title": "Unreviewed title",
            "description": "Unreviewed words", "gst_rate": 5})
        listings.submit_listing(listing.seller, listing)
    page = client.get(f"/products/{listing_id}", follow_redirects=True).get_data(as_text=True)
    assert "Red Banarasi silk saree" in page and "Unreviewed" not in page


def test_product_page_in_hindi(app, client, shop):
    listing_id = live(app, shop)
    response = client.get(f"/hi/products/{listing_id}", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert '<html lang="hi">' in page and "Sold by" not in page
    assert response.request.path.startswith("/hi/products/")  # its own address is Hindi too


def test_slugs_and_unit_prices():
    assert slugify("Red  Banarasi silk — saree!") == "red-banarasi-silk-saree"
    assert slugify("बनारसी साड़ी") == "bnarsi-sadi"
    assert slugify("Café crème") == "cafe-creme" and slugify("!!") == "product"
    assert unit_price(50000, "g", 500_000) == unit_price(100000, "kg", 1000)
    assert unit_price(50000, "g", 500_000).paise == 100000
    assert unit_price(50000, "piece", 1000) is None


def test_a_hindi_title_gives_a_link_that_reads_and_old_links_still_arrive(app, client, shop):
    listing_id = live(app, shop, title="बनारसी रेशमी साड़ी")
    address = f"/products/{listing_id}-bnarsi-resmi-sadi"
    assert client.get(f"/products/{listing_id}").location == address
    # Before transliteration every Hindi title was 'product': links shared then still arrive.
    old = client.get(f"/products/{listing_id}-product")
    assert old.status_code == 301 and old.location == address
    assert "<h1>बनारसी रेशमी साड़ी</h1>" in client.get(address).get_data(as_text=True)
    assert f'href="{address}"' in client.get("/").get_data(as_text=True)
    assert f"http://localhost{address}<" in client.get("/sitemap.xml").get_data(as_text=True)


def test_a_sold_out_product_keeps_its_page_but_leaves_the_lists(app, client, shop):
    listing_id = live(app, shop)
    with app.app_context():
        db.session.get(Listing, listing_id).stock = 0
        db.session.commit()
    page = client.get(f"/products/{listing_id}", follow_redirects=True)
    assert page.status_code == 200 and "Out of stock." in page.get_data(as_text=True)
    assert "Red Banarasi silk saree" not in client.get("/").get_data(as_text=True)
    assert f"/products/{listing_id}-" not in client.get("/sitemap.xml").get_data(as_text=True)


def test_a_live_listing_with_changes_sent_back_stays_on_the_shop_as_approved(app, client, shop):
    listing_id = live(app, shop)
    with app.test_request_context():
        listing = db.session.get(Listing, listing_id)
        staff = db.session.scalar(select(User).where(User.role == "staff"))
        listings.update_content(listing.seller, listing, {
            "odop_product_id": listing.seller.products[0].id, "title": "Changed",
            "description": "x", "gst_rate": 5})
        listings.submit_listing(listing.seller, listing)
        listings.request_listing_changes(listing, staff, ["photo_quality"], "")
    page = client.get(f"/products/{listing_id}", follow_redirects=True)
    assert page.status_code == 200
    assert "Red Banarasi silk saree" in page.get_data(as_text=True)
