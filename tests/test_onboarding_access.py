"""Who can see and do what in onboarding and review: anonymous, buyer, another seller, the owner,
staff and admin, for every onboarding and review route."""

import pytest

from odop_bazaar.extensions import db
from odop_bazaar.models import Role, Seller
from tests.conftest import check_access, csrf_token, log_in
from tests.factories import make_places, make_seller, make_user

WHO = ["anonymous", "buyer", "other_seller", "owner", "staff", "admin"]


@pytest.fixture
def world(app):
    make_places(app)
    owner_email, seller_id = make_seller(app, "submitted")
    emails = {
        "buyer": make_user(app, role=Role.BUYER),
        "other_seller": make_seller(app, "complete")[0],
        "owner": owner_email,
        "staff": make_user(app, role=Role.STAFF),
        "admin": make_user(app, role=Role.ADMIN),
    }
    with app.app_context():
        document_id = db.session.get(Seller, seller_id).documents[0].id
    return {"emails": emails, "seller_id": seller_id, "document_id": document_id}


def client_for(app, world, who):
    client = app.test_client()
    if who != "anonymous":
        log_in(client, world["emails"][who])
    return client


# (method, path template, form data, expected status per person); "login" means sent to the
# login page. Sellers only ever reach their own application: no seller URL names a seller.
SELLERS_ONLY = {"anonymous": "login", "buyer": 403, "other_seller": 302, "owner": 302,
                "staff": 403, "admin": 403}
STAFF_ONLY_POST = {"anonymous": "login", "buyer": 403, "other_seller": 403, "owner": 403,
                   "staff": 302, "admin": 302}
PAGES = [
    ("GET", "/seller/onboarding", None, {"anonymous": "login", "buyer": 403, "other_seller": 200,
                                         "owner": 200, "staff": 403, "admin": 403}),
    ("GET", "/seller/onboarding/pan", None, {"anonymous": "login", "buyer": 403,
                                             "other_seller": 200, "owner": 200, "staff": 403,
                                             "admin": 403}),
    ("POST", "/seller/onboarding/address", {"address_city": "X", "save_later": "1"},
     SELLERS_ONLY),
    ("POST", "/seller/onboarding/submit", {}, SELLERS_ONLY),
    ("POST", "/seller/onboarding/aadhaar/remove", {}, SELLERS_ONLY),
    ("GET", "/documents/{document_id}", None, {"anonymous": "login", "buyer": 404,
                                               "other_seller": 404, "owner": 200, "staff": 200,
                                               "admin": 200}),
    ("POST", "/seller/documents/{document_id}/remove", {}, {
        "anonymous": "login", "buyer": 403, "other_seller": 404, "owner": 302, "staff": 403,
        "admin": 403}),
    ("GET", "/staff", None, {"anonymous": "login", "buyer": 403, "other_seller": 403,
                             "owner": 403, "staff": 200, "admin": 200}),
    ("GET", "/staff/sellers", None, {"anonymous": "login", "buyer": 403, "other_seller": 403,
                                     "owner": 403, "staff": 200, "admin": 200}),
    ("GET", "/staff/sellers/{seller_id}", None, {"anonymous": "login", "buyer": 403,
                                                 "other_seller": 403, "owner": 403,
                                                 "staff": 200, "admin": 200}),
    ("POST", "/staff/sellers/{seller_id}/sections/pan", {"verify": "1"}, STAFF_ONLY_POST),
    ("POST", "/staff/sellers/{seller_id}/decision", {"approve": "1"}, STAFF_ONLY_POST),
    ("POST", "/staff/sellers/{seller_id}/suspension", {"suspend": "1", "note": "n"},
     {**STAFF_ONLY_POST, "staff": 403}),
]


@pytest.mark.parametrize("method, template, data, expected", PAGES,
                         ids=[f"{m} {t}" for m, t, _, _ in PAGES])
@pytest.mark.parametrize("who", WHO)
def test_access(app, world, method, template, data, expected, who):
    email = None if who == "anonymous" else world["emails"][who]
    check_access(app, email, method, template.format(**world), data, expected[who])


def test_nobody_but_staff_changes_a_seller_and_the_owner_cannot_while_it_is_reviewed(app, world):
    """The POSTs above that answered 302 to sellers changed nothing of the submitted seller."""
    for who in ("owner", "other_seller"):
        client = client_for(app, world, who)
        token = csrf_token(client)
        client.post(f"/seller/documents/{world['document_id']}/remove",
                    data={"csrf_token": token})
        client.post("/seller/onboarding/address", data={"csrf_token": token,
                                                        "address_city": "Elsewhere",
                                                        "save_later": "1"})
    with app.app_context():
        seller = db.session.get(Seller, world["seller_id"])
        assert seller.status == "submitted"
        assert seller.address_city == "Town"
        assert any(d.id == world["document_id"] for d in seller.documents)


def test_a_buyer_who_opens_sell_is_told_to_use_a_seller_account(app, world):
    client = client_for(app, world, "buyer")
    page = client.get("/sell").get_data(as_text=True)
    assert "create a separate seller account" in page
