"""Browsing by place and craft shows only what buyers may buy."""

from odop_bazaar.extensions import db
from odop_bazaar.models import Listing, Seller
from odop_bazaar.services import catalogue as listings
from odop_bazaar.services import sellers as onboarding
from tests.factories import admin_user, listing, make_places, make_seller


def pages(client):
    return {path: client.get(path).get_data(as_text=True)
            for path in ("/", "/districts/187", "/sectors/handloom", "/states/9")}


def test_only_what_buyers_may_buy_is_listed(app, client):
    make_places(app)
    _, seller_id = make_seller(app, "approved")
    _, suspended_id = make_seller(app, "approved")
    listing(app, seller_id, "Visible saree")
    listing(app, seller_id, "Made to order dupatta", stock="0", made_to_order=True)
    listing(app, seller_id, "Sold out stole", stock="0")
    listing(app, seller_id, "Waiting for review shawl", approve=False)
    listing(app, suspended_id, "Suspended seller's saree")
    with app.test_request_context():
        onboarding.suspend_seller(db.session.get(Seller, suspended_id), admin_user(), "Inquiry")

    seen = pages(client)
    for path in ("/", "/districts/187", "/sectors/handloom"):
        assert "Visible saree" in seen[path], path
        assert "Made to order dupatta" in seen[path], path
        for hidden in ("Sold out stole", "Waiting for review shawl", "Suspended seller"):
            assert hidden not in seen[path], (path, hidden)
    assert "2 products for sale" in seen["/states/9"]
    assert 'srcset="' in seen["/"] and "/products/" in seen["/"]


def test_an_edit_under_review_keeps_the_approved_title_on_browse_pages(app, client):
    make_places(app)
    _, seller_id = make_seller(app, "approved")
    listing_id = listing(app, seller_id, "Approved title")
    with app.test_request_context():
        item = db.session.get(Listing, listing_id)
        listings.update_content(item.seller, item, {
            "odop_product_id": item.seller.products[0].id, "title": "Unreviewed title",
            "description": "x", "gst_rate": 5})
    seen = pages(client)
    assert "Approved title" in seen["/"] and "Unreviewed title" not in seen["/"]


def test_a_district_with_nothing_for_sale_invites_sellers(app, client):
    make_places(app)
    page = client.get("/districts/171").get_data(as_text=True)
    assert "Nothing for sale yet." in page and 'href="/sell"' in page


def test_the_sitemap_lists_public_pages_and_only_visible_products(app, client):
    import xml.etree.ElementTree as ElementTree

    make_places(app)
    _, seller_id = make_seller(app, "approved")
    shown = listing(app, seller_id, "Visible saree")
    hidden = listing(app, seller_id, "Waiting shawl", approve=False)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    addresses = [loc.text for loc in ElementTree.fromstring(response.data).findall(".//s:loc",
                                                                                   namespace)]
    assert "http://localhost/" in addresses and "http://localhost/districts/187" in addresses
    assert "http://localhost/sectors/handloom" in addresses
    assert f"http://localhost/products/{shown}-visible-saree" in addresses
    assert not any(f"/products/{hidden}-" in address for address in addresses)
    # Each address names itself in English and in Hindi, as its page's hreflang links do.
    xhtml = "{http://www.w3.org/1999/xhtml}link"
    for url in ElementTree.fromstring(response.data).findall("s:url", namespace):
        english = url.find("s:loc", namespace).text
        hindi = english.replace("http://localhost/", "http://localhost/hi/", 1)
        assert {(link.get("hreflang"), link.get("href")) for link in url.iter(xhtml)} == {
            ("en", english), ("hi", hindi)}
    assert client.get(hindi.removeprefix("http://localhost")).status_code == 200


def test_past_the_limit_of_one_file_the_sitemap_is_an_index_and_leaves_out_no_product(app, client):
    import xml.etree.ElementTree as ElementTree

    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}

    def addresses(response):
        assert response.status_code == 200 and response.mimetype == "application/xml"
        return [loc.text for loc in ElementTree.fromstring(response.data).findall("s:url/s:loc",
                                                                                  namespace)]

    make_places(app)
    _, seller_id = make_seller(app, "approved")
    products = [listing(app, seller_id, f"Saree number {n}") for n in range(5)]
    whole = addresses(client.get("/sitemap.xml"))  # under the limit: one file, as before
    assert len(whole) > 5 and all(any(f"/products/{i}-" in a for a in whole) for i in products)

    per_file = len(whole) // 3  # the public pages spill into the products' files
    app.config["SITEMAP_MAX_URLS"] = per_file
    index = ElementTree.fromstring(client.get("/sitemap.xml").data)
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    files = [loc.text for loc in index.findall("s:sitemap/s:loc", namespace)]
    assert files[0] == "http://localhost/sitemap-1.xml" and len(files) == -(-len(whole) // per_file)
    seen = []
    for address in files:
        page = addresses(client.get(address.removeprefix("http://localhost")))
        assert 0 < len(page) <= per_file
        seen += page
    assert sorted(seen) == sorted(whole) and len(seen) == len(set(seen))
    for listing_id in products:
        assert sum(f"/products/{listing_id}-" in a for a in seen) == 1
    assert client.get(f"/sitemap-{len(files) + 1}.xml").status_code == 404
    assert client.get("/sitemap-0.xml").status_code == 404
