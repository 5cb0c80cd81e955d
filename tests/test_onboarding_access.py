"""Who can see and do what in onboarding and review: anonymous, buyer, another seller, the owner,
staff and admin, for every onboarding and review route."""

import pytest

from odop_bazaar.extensions import db
from odop_bazaar.models import Role, Seller
from tests.conftest import csrf_token, log_in
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


# (method, path template, expected status per person); "login" means sent to the login page.
PAGES = [
    ("GET", "/seller/onboarding", {"anonymous": "login", "buyer": 403, "other_seller": 200,
                                   "owner": 200, "staff": 403, "admin": 403}),
    ("GET", "/seller/onboarding/pan", {"anonymous": "login", "buyer": 403, "other_seller": 200,
                                       "owner": 200, "staff": 403, "admin": 403}),
    ("GET", "/documents/{document_id}", {"anonymous": "login", "buyer": 404,
                                         "other_seller": 404, "owner": 200, "staff": 200,
                                         "admin": 200}),
    ("GET", "/staff/sellers", {"anonymous": "login", "buyer": 403, "other_seller": 403,
                               "owner": 403, "staff": 200, "admin": 200}),
    ("GET", "/staff/sellers/{seller_id}", {"anonymous": "login", "buyer": 403,
                                           "other_seller": 403, "owner": 403, "staff": 200,
                                           "admin": 200}),
    ("POST", "/staff/sellers/{seller_id}/sections/pan", {
        "anonymous": "login", "buyer": 403, "other_seller": 403, "owner": 403, "staff": 302,
        "admin": 302}),
    ("POST", "/staff/sellers/{seller_id}/decision", {
        "anonymous": "login", "buyer": 403, "other_seller": 403, "owner": 403, "staff": 302,
        "admin": 302}),
    ("POST", "/staff/sellers/{seller_id}/suspension", {
        "anonymous": "login", "buyer": 403, "other_seller": 403, "owner": 403, "staff": 302,
        "admin": 302}),
    ("POST", "/seller/documents/{document_id}/remove", {
        "anonymous": "login", "buyer": 403, "other_seller": 404, "owner": 302, "staff": 403,
        "admin": 403}),
]


@pytest.mark.parametrize("method, template, expected", PAGES,
                         ids=[f"{m} {t}" for m, t, _ in PAGES])
@pytest.mark.parametrize("who", WHO)
def test_access(app, world, method, template, expected, who):
    client = client_for(app, world, who)
    path = template.format(**world)
    if method == "GET":
        response = client.get(path)
    else:
        data = {"csrf_token": csrf_token(client, "/"), "verify": "1", "note": "n"}
        response = client.post(path, data=data)
    want = expected[who]
    if want == "login":
        assert response.status_code == 302 and response.location.startswith("/login?next=")
    else:
        assert response.status_code == want


def test_a_buyer_who_opens_sell_is_told_to_use_a_seller_account(app, world):
    client = client_for(app, world, "buyer")
    page = client.get("/sell").get_data(as_text=True)
    assert "create a separate seller account" in page
