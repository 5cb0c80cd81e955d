"""Buyer pages not in any cache are built in a fixed, small number of SQL statements, however
many products they show, with everything they show loaded at once (no lazy loads)."""

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from odop_bazaar.extensions import cache, db
from odop_bazaar.models import Listing, Seller, User
from odop_bazaar.services import catalogue as listings
from odop_bazaar.services.catalogue import search as search_service
from tests.factories import make_jpeg, make_places, make_seller

PRODUCT = "/products/{id}"
SELLER = "/sellers/{id}"
# Every kind of buyer page; searches with filters and on pages 1-3 (PAGE_SIZE is 2 here).
PAGES = ["/", "/states/9", "/districts/187", "/sectors/handloom", "/search?q=silk",
         "/search?q=saree&sort=price_asc", "/search?q=silk&sector=Handloom&state=9&page=2",
         "/search?q=saree+silk&min_price=100&in_stock=y&gi=y&sort=newest&page=3",
         "/search?state=9&district=187&sort=price_desc", "/search?q=zzz", "/sitemap.xml",
         PRODUCT, SELLER]
# Upper bounds, so that a page that starts loading more shows here (generation and stock
# reads included: see page_cache.py).
# The district page's fifth is its makers' names; a maker's page is the log, the seller with
# places and products, their count of listings, a page of cards and the photos of their work.
# Home counts what is for sale by state and by sector (two statements); a sector page lists a
# page of its cards and their count.
MOST = {"/": 8, "/states/9": 5, "/districts/187": 5, "/sectors/handloom": 4, PRODUCT: 3,
        SELLER: 5}
SEARCH_MOST = 9  # the window, one per facet whose filter is on, cards, states, places (3)
# A search that finds nothing reads the shop's words for spelling.py, once per version of the
# searches: that version, the listings' words and the states' names.
MOST["/search?q=zzz"] = 10


def add_listings(app, seller_id, count, start, products=1):
    with app.test_request_context():
        seller = db.session.get(Seller, seller_id)
        staff = db.session.scalar(select(User).where(User.role == "staff"))
        for number in range(start, start + count):
            item = listings.create_listing(seller, {
                "odop_product_id": seller.products[number % products].id,
                "title": f"Silk saree {number}", "description": "Silk", "gst_rate": 5},
                {"price": str(100 + number), "mrp": "999", "stock": "2"})
            listings.add_photos(seller, item, [listings.PhotoUpload("a.jpg", make_jpeg())])
            listings.submit_listing(seller, item)
            listings.approve_listing(item, staff)


def counted(app, client, path, language="en") -> tuple[int, int]:
    """(SQL statements, lazy loads) of a GET of this page built afresh (nothing cached)."""
    with app.app_context():
        engine = db.engine
        cache.clear()
        first_id = db.session.scalar(select(Listing.id).order_by(Listing.id))
    prefix = "" if language == "en" else f"/{language}"  # the language is the address's
    address = prefix + path
    if path in (PRODUCT, SELLER):  # its own address, with the name in it (else it redirects)
        with app.app_context():
            seller_id = db.session.scalar(select(Listing.seller_id).order_by(Listing.id))
        short = path.format(id=first_id if path == PRODUCT else seller_id)
        address = client.get(prefix + short).headers["Location"]
        with app.app_context():
            cache.clear()
    found = {"statements": 0, "lazy": 0}

    def statement(*args, **kwargs):
        found["statements"] += 1

    def orm(state):
        # A relationship loaded on first use of the attribute (eager loaders are not counted).
        if state.is_relationship_load and state.lazy_loaded_from is not None:
            found["lazy"] += 1

    event.listen(engine, "before_cursor_execute", statement)
    event.listen(Session, "do_orm_execute", orm)
    try:
        response = client.get(address)
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(Session, "do_orm_execute", orm)
    assert response.status_code == 200, address
    if path != "/sitemap.xml":
        assert f'lang="{language}"' in response.get_data(as_text=True), address
    return found["statements"], found["lazy"]


@pytest.fixture
def shop(app, monkeypatch):
    """A district with two ODOP products on sale, and search pages of two cards."""
    monkeypatch.setattr(search_service, "PAGE_SIZE", 2)
    make_places(app)
    _, seller_id = make_seller(app, "approved", product_names=(
        "Banarasi Silk Sarees", "Wooden Lacquerware and Toys"))
    add_listings(app, seller_id, 2, 0, products=2)
    return seller_id


@pytest.mark.parametrize("language", ["en", "hi"])
def test_statements_do_not_grow_with_the_products_shown(app, client, shop, language):
    few = {path: counted(app, client, path, language)[0] for path in PAGES}
    add_listings(app, shop, 10, 2, products=2)
    many = {path: counted(app, client, path, language)[0] for path in PAGES}
    assert many == few


@pytest.mark.parametrize("language", ["en", "hi"])
def test_buyer_pages_load_everything_they_show_at_once(app, client, shop, language):
    add_listings(app, shop, 6, 2, products=2)
    found = {path: counted(app, client, path, language) for path in PAGES}
    assert {path: lazy for path, (_, lazy) in found.items() if lazy} == {}
    too_many = {path: statements for path, (statements, _) in found.items()
                if statements > MOST.get(path, SEARCH_MOST)}
    assert too_many == {}


def test_the_product_page_is_a_handful_of_statements(app, client, shop):
    # The generation, the listing's stock, and the listing with all it shows (one statement).
    assert counted(app, client, PRODUCT)[0] <= 3
