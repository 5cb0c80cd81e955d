"""The shop's browse rows and cached pages follow every change a buyer should notice."""

from sqlalchemy import func, select

from odop_bazaar.extensions import db
from odop_bazaar.models import Listing, OdopProduct, Seller, User
from odop_bazaar.models.shop import ShopChange, ShopListing
from odop_bazaar.services import catalogue as listings
from odop_bazaar.services import sellers as onboarding
from tests.conftest import statements
from tests.factories import admin_user, listing, make_places, make_seller


def on_shop(app) -> set[str]:
    """The titles list pages show: on the shop and for sale."""
    with app.app_context():
        return set(db.session.scalars(select(ShopListing.title).where(ShopListing.for_sale)))


def last_change(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.max(ShopChange.id))) or 0


def topics_since(app, change_id) -> set[str]:
    """The topics of the shop's change log written after this id."""
    with app.app_context():
        return {topic for topics in db.session.scalars(
            select(ShopChange.topics).where(ShopChange.id > change_id)) for topic in topics.split()}


def staff(app):
    return db.session.scalar(select(User).where(User.role == "staff"))


def set_stock(app, listing_id, stock, made_to_order=False):
    with app.test_request_context():
        item = db.session.get(Listing, listing_id)
        listings.update_price_and_stock(item.seller, item, {
            "price": "100", "mrp": "120", "stock": str(stock), "made_to_order": made_to_order,
            "lead_time_days": "9" if made_to_order else ""})


def test_shop_rows_follow_the_listing_and_seller_workflow(app):
    make_places(app)
    _, seller_id = make_seller(app, "approved")
    listing_id = listing(app, seller_id, "Banarasi saree")
    assert on_shop(app) == {"Banarasi saree"}

    set_stock(app, listing_id, 0)
    assert on_shop(app) == set(), "sold out"
    with app.app_context():  # still on the shop, for search to find and mark
        assert db.session.get(ShopListing, listing_id).in_stock is False
    set_stock(app, listing_id, 0, made_to_order=True)
    assert on_shop(app) == {"Banarasi saree"}, "made to order"
    set_stock(app, listing_id, 4)

    with app.test_request_context():
        item = db.session.get(Listing, listing_id)
        listings.unpublish_listing(item.seller, item)
    assert on_shop(app) == set(), "unpublished"
    with app.test_request_context():
        item = db.session.get(Listing, listing_id)
        listings.republish_listing(item.seller, item)
    assert on_shop(app) == {"Banarasi saree"}, "republished"

    with app.test_request_context():
        onboarding.suspend_seller(db.session.get(Seller, seller_id), admin_user(), "Inquiry")
    assert on_shop(app) == set(), "seller suspended"
    with app.test_request_context():
        onboarding.reinstate_seller(db.session.get(Seller, seller_id), admin_user(), "Cleared")
    assert on_shop(app) == {"Banarasi saree"}, "seller reinstated"

    with app.test_request_context():
        listings.remove_listing(db.session.get(Listing, listing_id), staff(app),
                                ["prohibited"], "Not allowed")
    assert on_shop(app) == set(), "removed by staff"


def test_a_sale_that_leaves_stock_changes_no_cached_page_but_the_product_page(app, client):
    make_places(app)
    _, seller_id = make_seller(app, "approved")
    listing_id = listing(app, seller_id, "Banarasi saree", stock="5")
    page = client.get(f"/products/{listing_id}-banarasi-saree").get_data(as_text=True)
    assert "5 left" in page
    before = last_change(app)

    set_stock(app, listing_id, 2)
    assert topics_since(app, before) == {f"listing:{listing_id}"}, "cards do not show stock"
    page = client.get(f"/products/{listing_id}-banarasi-saree").get_data(as_text=True)
    assert "2 left" in page and "5 left" not in page

    before = last_change(app)
    set_stock(app, listing_id, 0)
    assert {"district:187", "state:9", "sector:Handloom", "home", "search"} <= topics_since(
        app, before), "sold out: it leaves the lists"
    assert "Out of stock" in client.get(f"/products/{listing_id}-banarasi-saree").get_data(
        as_text=True)


def test_a_rolled_back_change_leaves_the_shop_as_it_was(app):
    make_places(app)
    _, seller_id = make_seller(app, "approved")
    listing_id = listing(app, seller_id, "Banarasi saree")
    with app.app_context():
        item = db.session.get(Listing, listing_id)
        item.stock = 0
        db.session.flush()
        db.session.rollback()
        # An unrelated commit afterwards must not apply the abandoned change.
        db.session.get(User, staff(app).id).full_name = "Reviewer"
        db.session.commit()
    assert on_shop(app) == {"Banarasi saree"}


def test_a_renamed_odop_product_shows_its_new_name_on_cards(app, client):
    make_places(app)
    _, seller_id = make_seller(app, "approved")
    listing(app, seller_id, "Banarasi saree")
    assert client.get("/").status_code == 200  # cached with the old name
    with app.app_context():
        product = db.session.scalar(select(OdopProduct).join(Seller.products).where(
            Seller.id == seller_id))
        product.name = "Banaras Brocade"
        db.session.commit()
    assert "Banaras Brocade" in client.get("/").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(ShopListing.product_name)) == "Banaras Brocade"


def test_a_newly_approved_listing_shows_at_once_on_every_cached_page(app, client):
    make_places(app)
    _, seller_id = make_seller(app, "approved")
    listing(app, seller_id, "First saree")
    paths = ("/", "/districts/187", "/sectors/handloom", "/states/9", "/search?q=saree")
    for path in paths:
        assert "Second shawl" not in client.get(path).get_data(as_text=True)
    listing(app, seller_id, "Second shawl")
    for path in paths[:3]:
        assert "Second shawl" in client.get(path).get_data(as_text=True), path
    assert "2 products for sale" in client.get("/states/9").get_data(as_text=True)
    assert "Second shawl" in client.get("/search?q=shawl").get_data(as_text=True)


def test_cached_pages_are_per_language(app, client):
    make_places(app)
    _, seller_id = make_seller(app, "approved")
    listing(app, seller_id, "Banarasi saree")
    english = client.get("/districts/187").get_data(as_text=True)
    hindi = client.get("/hi/districts/187").get_data(as_text=True)
    assert "Banarasi saree" in english and "Banarasi saree" in hindi
    assert "ODOP products of this district" in english
    assert 'lang="hi"' in hindi and "ODOP products of this district" not in hindi


def test_a_cached_page_asks_the_database_only_what_changed(app, client):
    make_places(app)
    _, seller_id = make_seller(app, "approved")
    listing_id = listing(app, seller_id, "Banarasi saree")
    for path in ("/", "/states/9", "/districts/187", "/sectors/handloom",
                 "/search?q=saree&sort=price_asc"):
        client.get(path)
        # The change log (read every request in tests; once a second in production).
        assert statements(app, client, path) == 1, path
    client.get(f"/products/{listing_id}-banarasi-saree")
    # The product page too: its stock moves its key (topic listing:<id>).
    assert statements(app, client, f"/products/{listing_id}-banarasi-saree") == 1


def test_the_cached_site_header_fits_each_visitor_and_page(app, client):
    make_places(app)
    seller_email, _ = make_seller(app, "approved")
    visitor_page = client.get("/search?q=silk&sector=Handloom").get_data(as_text=True)
    assert 'href="/hi/search?q=silk&amp;sector=Handloom" hreflang="hi"' in visitor_page
    assert "Log in" in visitor_page and "Your listings" not in visitor_page

    seller = app.test_client()
    from tests.conftest import log_in

    log_in(seller, seller_email)
    seller_page = seller.get("/hi/states/9").get_data(as_text=True)
    assert 'href="/states/9" hreflang="en"' in seller_page
    assert 'href="/hi/seller/listings"' in seller_page and 'href="/hi/login"' not in seller_page
    assert 'name="csrf_token"' not in visitor_page + seller_page  # nobody's own token


def test_a_district_page_shows_the_newest_of_each_product_and_links_to_the_rest(app, client,
                                                                                monkeypatch):
    from odop_bazaar.services.catalogue import storefront

    make_places(app)
    _, seller_id = make_seller(app, "approved")
    for number in range(4):
        listing(app, seller_id, f"Saree number {number}")
    real = storefront.district_cards
    monkeypatch.setattr(storefront, "district_cards",
                        lambda code: real(code, per_product=3))
    page = client.get("/districts/187").get_data(as_text=True)
    assert "Saree number 3" in page and "Saree number 1" in page
    assert "Saree number 0" not in page  # the oldest waits behind the link
    assert "See all of them, with filters" in page
