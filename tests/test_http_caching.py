"""Pages an HTTP cache may keep: anonymous buyer pages set no cookie and are public for a short
while with a strong ETag (304 when it still matches); anything signed in, or asked for with a
session, is private; the language is the address's (/hi/...); the product page's add-to-cart
form, shared by every visitor, is taken only from the site's own pages."""

import re

import pytest
from sqlalchemy import select

from odop_bazaar.extensions import db
from odop_bazaar.models import Listing, Seller
from odop_bazaar.models.accounts import Role
from odop_bazaar.services.catalogue import listings
from tests.conftest import SAME_ORIGIN, log_in
from tests.factories import listing, make_places, make_seller, make_user

PUBLIC = "public, max-age=30, s-maxage=2, stale-while-revalidate=10"
PRIVATE = "private, no-cache"
BUYER_PAGES = ["/", "/states/9", "/districts/187", "/sectors/handloom", "/search?q=saree",
               "/search?q=silk+saree&sector=handloom&sort=price_asc&page=2",
               "/products/{id}-banarasi-saree"]


@pytest.fixture
def saree(app):
    make_places(app)
    _, seller_id = make_seller(app, "approved")
    return listing(app, seller_id, "Banarasi saree")


def addresses(saree):
    """Every kind of buyer page, at its English and its Hindi address."""
    english = [path.format(id=saree) for path in BUYER_PAGES]
    return english + ["/hi" + path for path in english] + ["/hi"]


def test_anonymous_buyer_pages_set_no_cookie_and_are_public_with_a_strong_etag(app, saree):
    for path in addresses(saree):
        client = app.test_client()
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Set-Cookie" not in response.headers, path
        assert client.get_cookie("session") is None, path
        assert response.headers["Cache-Control"] == PUBLIC, path
        assert re.fullmatch(r'"[0-9a-f]{16,}"', response.headers["ETag"]), path  # strong
        assert "Cookie" in response.headers["Vary"], path


def test_a_matching_etag_is_a_304_and_a_change_gives_the_page_a_new_one(app, client, saree):
    for path in (f"/products/{saree}-banarasi-saree", f"/hi/products/{saree}-banarasi-saree",
                 "/districts/187"):
        etag = client.get(path).headers["ETag"]
        again = client.get(path, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.get_data() == b"", path
        assert again.headers["Cache-Control"] == PUBLIC and again.headers["ETag"] == etag
        assert client.get(path, headers={"If-None-Match": '"something-else"'}).status_code == 200
    page = f"/products/{saree}-banarasi-saree"
    before = client.get(page).headers["ETag"]
    with app.test_request_context():
        item = db.session.get(Listing, saree)
        seller = db.session.get(Seller, item.seller_id)
        listings.update_price_and_stock(seller, item, {"price": "150", "mrp": "200", "stock": "3"})
    changed = client.get(page, headers={"If-None-Match": before})
    assert changed.status_code == 200 and "₹150.00" in changed.get_data(as_text=True)
    assert changed.headers["ETag"] != before


def test_the_english_and_hindi_pages_are_told_apart_by_their_etags(app, client, saree):
    english = client.get("/states/9").headers["ETag"]
    assert client.get("/hi/states/9", headers={"If-None-Match": english}).status_code == 200


@pytest.mark.parametrize("role, own_page", [("buyer", "/orders"), ("seller", "/seller/listings"),
                                            ("staff", "/staff")])
def test_signed_in_pages_are_private(app, saree, role, own_page):
    email = {"buyer": lambda: make_user(app),
             "seller": lambda: make_seller(app, "approved")[0],
             "staff": lambda: make_user(app, Role.STAFF)}[role]()
    client = app.test_client()
    log_in(client, email)
    for path in [*addresses(saree), own_page, "/account", f"/hi{own_page}"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == PRIVATE, path
        assert "ETag" not in response.headers, path


def test_pages_asked_for_with_a_session_or_remember_cookie_are_private(app, saree):
    with_cart = app.test_client()
    assert with_cart.post(f"/cart/add/{saree}", data={"quantity": "1"},
                          headers=SAME_ORIGIN).status_code == 303
    remembered = app.test_client()
    remembered.set_cookie("remember_token", "not-even-valid")
    for client in (with_cart, remembered):
        for path in addresses(saree):
            response = client.get(path)
            assert response.headers["Cache-Control"] == PRIVATE, path
            assert "ETag" not in response.headers, path


def test_forms_and_other_pages_are_private_and_files_keep_their_own(app, client, saree):
    for path in ("/login", "/register", "/cart", "/hi/login", "/sell", "/sitemap.xml"):
        assert client.get(path).headers["Cache-Control"] == PRIVATE, path
    page = client.get("/").get_data(as_text=True)
    stylesheet = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]+)"', page).group(1)
    assert "max-age=31536000" in client.get(stylesheet).headers["Cache-Control"]
    photo = re.search(r'src="(/media/[^"]+)"', client.get(
        f"/products/{saree}-banarasi-saree").get_data(as_text=True)).group(1)
    assert client.get(photo).headers["Cache-Control"] == "public, max-age=86400"


def test_a_missing_product_and_a_products_old_address_are_kept_only_briefly(app, client, saree):
    brief = "public, max-age=0, s-maxage=2"
    missing = client.get("/products/999999-nothing")
    assert missing.status_code == 404 and missing.headers["Cache-Control"] == brief
    moved = client.get(f"/hi/products/{saree}-old-title")
    assert moved.status_code == 301 and moved.location == f"/hi/products/{saree}-banarasi-saree"
    assert moved.headers["Cache-Control"] == brief
    assert "Set-Cookie" not in missing.headers and "Set-Cookie" not in moved.headers
    assert client.get("/no-such-page").headers["Cache-Control"] == PRIVATE


def test_a_hindi_page_is_hindi_and_its_links_stay_in_hindi(app, client, saree):
    for path in addresses(saree):
        if not path.startswith("/hi"):
            continue
        html = client.get(path).get_data(as_text=True)
        assert '<html lang="hi">' in html and "Skip to main content" not in html, path
        links = re.findall(r'(?:href|action|src)="(/[^"]*)"', html)
        switch = re.findall(r'href="(/[^"]*)" hreflang="en"', html)
        assert len(switch) == 1, path
        stray = [link for link in links if not link.startswith("/hi/") and link not in switch
                 and not link.startswith(("/static/", "/media/"))]
        assert links and not stray, (path, stray)


def test_each_buyer_page_names_its_other_languages_with_absolute_addresses(app, client, saree):
    for path in addresses(saree):
        html = client.get(path).get_data(as_text=True)
        english = path.removeprefix("/hi") or "/"
        hindi = "/hi" + english
        alternates = dict(re.findall(r'<link rel="alternate" hreflang="([a-z-]+)" href="([^"]+)">',
                                     html))
        assert alternates == {"en": f"http://localhost{english}".replace("&", "&amp;"),
                              "hi": f"http://localhost{hindi}".replace("&", "&amp;"),
                              "x-default": f"http://localhost{english}".replace("&", "&amp;")}, \
            path


# --- The add-to-cart form, checked by where it comes from -------------------------------------

def cart_of(client) -> str:
    return client.get("/cart").get_data(as_text=True)


def test_a_first_time_visitor_adds_to_the_cart_from_the_page_without_any_token(app, saree):
    visitor = app.test_client()
    visitor.get(f"/hi/products/{saree}-banarasi-saree")
    assert visitor.get_cookie("session") is None
    response = visitor.post(f"/hi/cart/add/{saree}", data={"quantity": "2"},
                            headers={"Origin": "http://localhost"})
    assert response.status_code == 303 and response.location == "/hi/cart"
    assert visitor.get_cookie("session") is not None  # the cart is in it now
    assert "Banarasi saree" in cart_of(visitor)


def test_without_an_origin_the_referer_of_one_of_our_pages_will_do(app, saree):
    visitor = app.test_client()
    response = visitor.post(f"/cart/add/{saree}", data={"quantity": "1"}, headers={
        "Referer": f"http://localhost/products/{saree}-banarasi-saree"})
    assert response.status_code == 303 and "Banarasi saree" in cart_of(visitor)


@pytest.mark.parametrize("headers", [
    {"Origin": "https://evil.example"},
    {"Origin": "https://evil.example", "Referer": "http://localhost/products/1"},
    {"Referer": "https://evil.example/localhost"},
    {"Origin": "null"},
    # Neither: browsers send Origin with every POST (and a Referer when told not to send an
    # origin is stripped the same way), so a request with neither is not a form of ours.
    {},
], ids=["other site", "other site, our referer", "other site's referer", "null", "neither"])
def test_a_cross_site_add_to_cart_is_refused_and_stores_nothing(app, saree, headers):
    visitor = app.test_client()
    response = visitor.post(f"/cart/add/{saree}", data={"quantity": "1"}, headers=headers)
    page = response.get_data(as_text=True)
    assert response.status_code == 403 and "This form came from another site" in page
    assert visitor.get_cookie("session") is None
    assert "Banarasi saree" not in cart_of(visitor)


def test_a_signed_in_buyers_add_to_cart_is_checked_the_same_way(app, saree):
    buyer = app.test_client()
    log_in(buyer, make_user(app))
    assert buyer.post(f"/cart/add/{saree}", data={"quantity": "1"},
                      headers={"Origin": "https://evil.example"}).status_code == 403
    assert "Banarasi saree" not in cart_of(buyer)
    assert buyer.post(f"/cart/add/{saree}", data={"quantity": "1"},
                      headers=SAME_ORIGIN).status_code == 303
    assert "Banarasi saree" in cart_of(buyer)


def test_behind_a_proxy_the_origin_is_the_one_the_proxy_was_asked_for(
        shared_database_url, tmp_path):
    from tests.conftest import make_test_app

    for app in make_test_app(shared_database_url, tmp_path, BEHIND_PROXY=True,
                             SERVER_NAME="bazaar.example"):
        make_places(app)
        _, seller_id = make_seller(app, "approved")
        item = listing(app, seller_id, "Banarasi saree")
        proxied = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "bazaar.example",
                   "X-Forwarded-For": "203.0.113.9"}
        client = app.test_client()
        for origin, status in (("https://bazaar.example", 303), ("http://bazaar.example", 403),
                               ("https://evil.example", 403)):
            response = client.post(f"/cart/add/{item}", data={"quantity": "1"},
                                   base_url="http://bazaar.example",
                                   headers={**proxied, "Origin": origin})
            assert response.status_code == status, origin
        with app.app_context():
            assert db.session.scalar(select(Listing.id)) == item
