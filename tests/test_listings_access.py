"""Who can see and do what with listings: every listing and moderation route, for anonymous,
buyer, another seller, the owner, staff and admin."""

import pytest

from odop_bazaar.extensions import db
from odop_bazaar.models import Listing, Role, Seller
from odop_bazaar.services import catalogue as listings
from tests.conftest import check_access, csrf_token, log_in
from tests.factories import make_jpeg, make_places, make_seller, make_user

WHO = ["anonymous", "buyer", "other_seller", "owner", "staff", "admin"]


@pytest.fixture
def world(app):
    make_places(app)
    owner_email, seller_id = make_seller(app, "approved")
    other_email, _ = make_seller(app, "approved")
    with app.test_request_context():
        seller = db.session.get(Seller, seller_id)
        listing = listings.create_listing(
            seller, {"odop_product_id": seller.products[0].id, "title": "Saree",
                     "description": "Silk", "gst_rate": 5},
            {"price": "100", "mrp": "120", "stock": "4"})
        listings.add_photos(seller, listing, [listings.PhotoUpload("a.jpg", make_jpeg())])
        listings.submit_listing(seller, listing)
        photo_id = listing.working_content.photos[0].id
        listing_id = listing.id
    return {
        "emails": {"buyer": make_user(app, role=Role.BUYER), "other_seller": other_email,
                   "owner": owner_email, "staff": make_user(app, role=Role.STAFF),
                   "admin": make_user(app, role=Role.ADMIN)},
        "listing_id": listing_id, "photo_id": photo_id,
    }


SELLER_PAGE = {"anonymous": "login", "buyer": 403, "other_seller": 200, "owner": 200,
               "staff": 403, "admin": 403}
OWNER_PAGE = {"anonymous": "login", "buyer": 403, "other_seller": 404, "owner": 200,
              "staff": 403, "admin": 403}
OWNER_POST = {"anonymous": "login", "buyer": 403, "other_seller": 404, "owner": 302,
              "staff": 403, "admin": 403}
STAFF_PAGE = {"anonymous": "login", "buyer": 403, "other_seller": 403, "owner": 403,
              "staff": 200, "admin": 200}
STAFF_POST = {**STAFF_PAGE, "staff": 302, "admin": 302}

ROUTES = [
    ("GET", "/seller/listings", None, SELLER_PAGE),
    ("GET", "/seller/listings/new", None, SELLER_PAGE),
    ("GET", "/seller/listings/{listing_id}", None, OWNER_PAGE),
    ("POST", "/seller/listings/new", {"title": "x"}, {**SELLER_PAGE, "other_seller": 422,
                                                      "owner": 422}),
    ("POST", "/seller/listings/{listing_id}/price", {"price": "90", "mrp": "120", "stock": "9"},
     OWNER_POST),
    ("POST", "/seller/listings/{listing_id}/content", {"title": "x"}, {**OWNER_POST,
                                                                      "owner": 422}),
    ("POST", "/seller/listings/{listing_id}/photos", {}, {**OWNER_POST, "owner": 422}),
    ("POST", "/seller/listings/{listing_id}/photos/{photo_id}", {"action": "remove"}, OWNER_POST),
    ("POST", "/seller/listings/{listing_id}/status", {"unpublish": "1"}, OWNER_POST),
    ("GET", "/staff/listings", None, STAFF_PAGE),
    ("GET", "/staff/listings/{listing_id}", None, STAFF_PAGE),
    ("POST", "/staff/listings/{listing_id}/decision", {"approve": "1"}, STAFF_POST),
]


@pytest.mark.parametrize("method, template, data, expected", ROUTES,
                         ids=[f"{m} {t}" for m, t, _, _ in ROUTES])
@pytest.mark.parametrize("who", WHO)
def test_access(app, world, method, template, data, expected, who):
    email = None if who == "anonymous" else world["emails"][who]
    check_access(app, email, method, template.format(**world), data, expected[who])


def test_another_seller_changes_nothing_that_the_owner_can(app, world):
    from sqlalchemy import select

    from odop_bazaar.models import User

    lid = world["listing_id"]
    with app.test_request_context():
        listing = db.session.get(Listing, lid)
        staff = db.session.scalar(select(User).where(User.role == "staff"))
        listings.approve_listing(listing, staff)  # live: its owner may now change everything
        product_id = listing.working_content.odop_product_id

    def attempt(who):
        client = app.test_client()
        log_in(client, world["emails"][who])
        token = csrf_token(client)
        client.post(f"/seller/listings/{lid}/price", data={"csrf_token": token, "price": "90",
                                                          "mrp": "90", "stock": "9"})
        client.post(f"/seller/listings/{lid}/content", data={
            "csrf_token": token, "odop_product_id": str(product_id), "title": f"By {who}",
            "description": "Silk", "gst_rate": "5", "unit": "piece", "net_quantity": "1"})
        with app.app_context():  # the photo as the edit page now shows it
            photo_id = db.session.get(Listing, lid).working_content.photos[0].id
        client.post(f"/seller/listings/{lid}/photos/{photo_id}",
                    data={"csrf_token": token, "action": "remove"})
        with app.app_context():
            listing = db.session.get(Listing, lid)
            return (listing.price_paise, listing.stock, listing.working_content.title,
                    len(listing.working_content.photos))

    assert attempt("other_seller") == (10000, 4, "Saree", 1)
    assert attempt("owner") == (9000, 9, "By owner", 0)
