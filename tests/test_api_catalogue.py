"""The public catalogue of the JSON API, as a client sees it: places and sectors, listing
search with the search page's filters, keyset pages that neither repeat nor skip, a listing's
detail, a maker's shop, HTTP caching like the pages, Hindi labels and problem details."""

import base64
import json

import pytest
from sqlalchemy import select

from odop_bazaar.extensions import db
from odop_bazaar.models import OdopProduct, Seller, User
from odop_bazaar.services import catalogue as listings
from tests.factories import listing as pending_listing
from tests.factories import make_jpeg, make_places, make_seller


def add(app, seller_id, title, price, *, product=None, stock="3", made_to_order=False):
    """A listing approved onto the shop; returns its id."""
    with app.test_request_context():
        seller = db.session.get(Seller, seller_id)
        staff = db.session.scalar(select(User).where(User.role == "staff"))
        product_id = (db.session.scalar(select(OdopProduct.id).where(OdopProduct.name == product))
                      if product else seller.products[0].id)
        item = listings.create_listing(seller, {
            "odop_product_id": product_id, "title": title, "description": "Handmade.",
            "gst_rate": 5}, {"price": price, "mrp": str(int(price) + 100), "stock": stock,
                             "made_to_order": made_to_order,
                             "lead_time_days": "7" if made_to_order else ""})
        listings.add_photos(seller, item, [listings.PhotoUpload("a.jpg", make_jpeg())])
        listings.submit_listing(seller, item)
        listings.approve_listing(item, staff)
        return item.id


@pytest.fixture
def catalogue(app):
    make_places(app)
    _, varanasi = make_seller(app, "approved")
    _, goa = make_seller(app, "approved", district=551, product_names=("Cashew",))
    return {
        "varanasi": varanasi, "goa": goa,
        "red": add(app, varanasi, "Red Banarasi silk saree", "12000"),
        "green": add(app, varanasi, "Green silk dupatta", "4800", stock="0",
                     made_to_order=True),
        "blue": add(app, varanasi, "Blue silk saree", "9000", stock="2"),
        "cashew": add(app, goa, "Roasted cashew nuts 500 g", "650", stock="40"),
    }


def get(client, path, **headers):
    response = client.get(path, headers=headers)
    return response, response.get_json()


def titles(body) -> list[str]:
    return [item["title"] for item in body["items"]]


def test_a_state_lists_its_districts_with_odop_products_and_listings_on_the_shop(client,
                                                                                   catalogue):
    response, body = get(client, "/api/v1/states/9")
    assert response.status_code == 200
    districts = {d["name"]: d for d in body["districts"]}
    assert list(districts) == ["Moradabad", "Varanasi"]
    assert districts["Varanasi"]["live_listings"] == 3
    assert districts["Moradabad"]["live_listings"] == 0
    saree = districts["Varanasi"]["products"][0]
    assert saree["name"] == "Banarasi Silk Sarees" and saree["gi_tagged"] is True
    assert saree["sector"] == "Handloom" and saree["rank"] == "Primary"


def test_a_district_lists_its_odop_products_primary_first_and_its_makers(client, catalogue):
    _, body = get(client, "/api/v1/districts/187")
    assert body["state"] == {"lgd_code": 9, "name": "Uttar Pradesh", "name_hi": None}
    assert [p["name"] for p in body["products"]] == ["Banarasi Silk Sarees",
                                                     "Wooden Lacquerware and Toys"]
    assert body["live_listings"] == 3
    assert [maker["id"] for maker in body["makers"]] == [catalogue["varanasi"]]


def test_sectors_and_stock_come_in_hindi_for_accept_language_hi(client, catalogue):
    response, english = get(client, "/api/v1/sectors")
    _, hindi = get(client, "/api/v1/sectors", **{"Accept-Language": "hi"})
    assert "Accept-Language" in response.headers["Vary"]
    assert english[0]["label"] == "Agriculture"
    assert hindi[0]["value"] == "Agriculture" and hindi[0]["label"] == "कृषि"
    _, english_detail = get(client, f"/api/v1/listings/{catalogue['cashew']}")
    assert english_detail["stock"]["label"] == "In stock."
    _, detail = get(client, f"/api/v1/listings/{catalogue['cashew']}",
                    **{"Accept-Language": "hi"})
    assert detail["stock"]["state"] == "in_stock"
    assert detail["stock"]["label"] == "स्टॉक में है।"
    assert detail["price"]["label"].startswith("सभी कर")
    assert detail["odop_product"]["sector_label"] == "कृषि"


def test_filters_narrow_the_results_and_facets_count_the_whole_search(client, catalogue):
    _, everything = get(client, "/api/v1/listings")
    assert everything["total"] == 4 and len(everything["items"]) == 4
    assert {f["value"]: f["count"] for f in everything["facets"]["states"]} == {9: 3, 30: 1}
    _, silk = get(client, "/api/v1/listings?q=silk")
    assert set(titles(silk)) == {"Red Banarasi silk saree", "Green silk dupatta",
                                 "Blue silk saree"}
    _, saree_in_goa = get(client, "/api/v1/listings?q=saree&state=30")
    assert saree_in_goa["items"] == []
    _, cheap = get(client, "/api/v1/listings?min_price_paise=60000&max_price_paise=900000"
                           "&sort=price_asc")
    assert titles(cheap) == ["Roasted cashew nuts 500 g", "Green silk dupatta",
                             "Blue silk saree"]
    _, ready = get(client, "/api/v1/listings?q=silk&in_stock=true&sort=price_desc")
    assert titles(ready) == ["Red Banarasi silk saree", "Blue silk saree"]
    _, farm = get(client, "/api/v1/listings?sector=Agriculture")
    assert titles(farm) == ["Roasted cashew nuts 500 g"]
    # A facet ignores its own filter, so the other sectors stay offered.
    assert {f["value"] for f in farm["facets"]["sectors"]} == {"Agriculture", "Handloom"}
    _, varanasi = get(client, "/api/v1/listings?state=9&district=187")
    assert varanasi["total"] == 3 and varanasi["facets"]["districts"][0]["value"] == 187


def test_pages_give_every_listing_once_even_when_one_is_added_between_pages(app, client,
                                                                            catalogue):
    for sort in ("newest", "price_asc", "price_desc"):
        seen = []
        response, body = get(client, f"/api/v1/listings?limit=2&sort={sort}")
        seen += [item["id"] for item in body["items"]]
        assert 'rel="next"' in response.headers["Link"]
        add(app, catalogue["goa"], f"Cashew gift box {sort}", "5000")
        while body["next"]:
            _, body = get(client, f"/api/v1/listings?limit=2&sort={sort}&after={body['next']}")
            seen += [item["id"] for item in body["items"]]
        assert len(seen) == len(set(seen)), sort
        assert {catalogue[name] for name in ("red", "green", "blue", "cashew")} <= set(seen)


def test_a_listing_shows_prices_in_paise_disclosures_photos_and_stock(client, catalogue):
    response, body = get(client, f"/api/v1/listings/{catalogue['blue']}")
    assert response.status_code == 200
    assert body["price"]["price_paise"] == 900_000 and body["price"]["mrp_paise"] == 910_000
    assert body["price"]["gst_rate"] == 5
    price = body["price"]
    assert price["taxable_value_paise"] + price["gst_paise"] == price["price_paise"]
    assert body["stock"] == {"state": "in_stock", "label": "In stock: 2 left.",
                             "quantity_left": 2, "lead_time_days": None}
    disclosures = body["disclosures"]
    assert disclosures["legal_name"] == "Test Seller"
    assert disclosures["grievance_officer"]["email"] == "grievance@example.com"
    assert disclosures["address_lines"] and disclosures["country_of_origin"] == "India"
    files = body["photos"][0]["files"]
    assert {(f["size"], f["format"]) for f in files} == {
        (size, kind) for size in (1600, 800, 320) for kind in ("webp", "jpg")}
    assert all(f["url"].startswith("http://localhost/media/photos/") for f in files)
    assert client.get(files[0]["url"]).status_code == 200
    assert body["seller"]["id"] == catalogue["varanasi"]
    assert body["rating"] == {"count": 0, "average": None, "per_star": [
        {"stars": stars, "count": 0} for stars in (5, 4, 3, 2, 1)]}
    _, made = get(client, f"/api/v1/listings/{catalogue['green']}")
    assert made["stock"]["state"] == "made_to_order" and made["stock"]["lead_time_days"] == 7


def test_answers_are_cached_like_the_pages_with_an_etag_and_304(client, catalogue):
    for path in (f"/api/v1/listings/{catalogue['red']}", "/api/v1/listings?q=silk",
                 "/api/v1/states/9", f"/api/v1/sellers/{catalogue['varanasi']}"):
        response = client.get(path)
        assert response.headers["Cache-Control"].startswith("public"), path
        etag = response.headers["ETag"]
        assert not etag.startswith("W/")
        again = client.get(path, headers={"If-None-Match": etag})
        assert again.status_code == 304, path
        assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200


def test_a_maker_s_shop_pages_through_their_listings_newest_first(app, client, catalogue):
    path = f"/api/v1/sellers/{catalogue['varanasi']}"
    _, first = get(client, f"{path}?limit=2")
    assert first["seller"]["name"] == "Test Looms" and first["live_listings"] == 3
    assert titles(first) == ["Blue silk saree", "Green silk dupatta"]
    add(app, catalogue["varanasi"], "Newest silk saree", "7000")
    _, second = get(client, f"{path}?limit=2&after={first['next']}")
    assert titles(second) == ["Red Banarasi silk saree"] and second["next"] is None
    assert first["odop_products"][0]["name"] == "Banarasi Silk Sarees"
    assert first["work_photos"]


def test_unknown_or_unpublished_things_are_404_problems(app, client, catalogue):
    pending = pending_listing(app, catalogue["varanasi"], "Pending stole", approve=False)
    _, goa_seller_new = make_seller(app, "submitted", district=551, product_names=("Cashew",))
    for path in (f"/api/v1/listings/{pending}", "/api/v1/listings/999999",
                 "/api/v1/listings/99999999999999", "/api/v1/states/99",
                 "/api/v1/districts/99999", f"/api/v1/sellers/{goa_seller_new}",
                 "/api/v1/sellers/999999"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["status"] == 404


def _cursor(value) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


@pytest.mark.parametrize(("query", "field"), [
    ("limit=0", "limit"), ("limit=101", "limit"), ("min_price_paise=abc", "min_price_paise"),
    ("max_price_paise=-1", "max_price_paise"), ("sort=zzz", "sort"), ("after=garbage", "after"),
    ("sector=Nothing", "sector"), ("state=99999999999999999999", "state"),
    ("district=x", "district"), ("gi=maybe", "gi"), ("q=" + "a" * 201, "q"),
    ("after=" + _cursor(["a", "b"]), "after"), ("after=" + _cursor([1]), "after"),
    ("after=" + _cursor([1e308, True]), "after"),
])
def test_bad_search_parameters_are_422_problems_naming_the_field(client, query, field):
    response = client.get(f"/api/v1/listings?{query}")
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert field in response.get_json()["errors"]


def test_a_bad_cursor_for_a_maker_s_shop_is_a_422_problem(client, catalogue):
    path = f"/api/v1/sellers/{catalogue['varanasi']}"
    for after in ("garbage", _cursor(["not a time", 1]), _cursor(["2026-01-01T00:00:00", 1]),
                  _cursor(["2026-01-01T00:00:00+00:00", 2**40]), _cursor([1, 2])):
        response = client.get(f"{path}?after={after}")
        assert response.status_code == 422, after
        assert "after" in response.get_json()["errors"]
