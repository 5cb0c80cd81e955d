"""Staff who work on some places see and decide only the sellers there, with their listings,
orders, documents, photos and ledgers: on every staff route. Admins and all-India staff see all.

The world has three places (Varanasi and Moradabad in Uttar Pradesh, North Goa in Goa), each
with two applicants waiting for review, and an approved seller with a live listing, a listing
waiting for review (with its own draft photo), and a delivered, credited order.
"""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, or_, select

from odop_bazaar.db_types import utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models import Listing, Order, Role, SectionKey, Seller, User
from odop_bazaar.models.audit import AuditEntry
from odop_bazaar.models.settlements import LedgerEntry
from odop_bazaar.services import sellers as onboarding
from odop_bazaar.services.catalogue import listings
from odop_bazaar.services.orders import fulfilment as order_service
from odop_bazaar.services.settlements import payouts
from tests.checkout_helpers import add, place
from tests.conftest import csrf_token, log_in
from tests.factories import listing as live_listing
from tests.factories import make_jpeg, make_places, make_reviewer, make_seller, make_user

# name: (state, district, the district's ODOP product)
PLACES = {
    "varanasi": (9, 187, "Banarasi Silk Sarees"),
    "moradabad": (9, 171, "Metal Craft"),
    "north_goa": (30, 551, "Cashew"),
}


def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def _rename(app, seller_id: int, name: str) -> None:
    with app.app_context():
        db.session.get(Seller, seller_id).legal_name = name
        db.session.commit()


def _build_place(app, buyer, name, state, district, product, n) -> dict:
    title = name.replace("_", " ").title()
    _, applicant = make_seller(app, "submitted", district=district, product_names=(product,))
    _, ready = make_seller(app, "submitted", district=district, product_names=(product,))
    _, trader = make_seller(app, "approved", district=district, product_names=(product,))
    for seller_id, label in ((applicant, "applicant"), (ready, "ready"), (trader, "trader")):
        _rename(app, seller_id, f"{title} {label}")
    live = live_listing(app, trader, f"{title} live stole")
    with app.test_request_context():
        boss = db.session.scalar(select(User).where(User.role == "staff",
                                                    User.all_india.is_(True)))
        # "ready": every section verified, so only the approval itself is left.
        ready_seller = db.session.get(Seller, ready)
        for row in list(ready_seller.sections):
            if row.status == "submitted":
                onboarding.decide_section(ready_seller, SectionKey(row.key), verified=True,
                                          note="", actor=boss)
        seller = db.session.get(Seller, trader)
        pending = listings.create_listing(
            seller, {"odop_product_id": seller.products[0].id, "title": f"{title} pending shawl",
                     "description": "Handmade", "gst_rate": 5},
            {"price": "250", "mrp": "300", "stock": "2"})
        # A photo of its own (a shared one would be public through the live listing).
        listings.add_photos(seller, pending, [listings.PhotoUpload(
            "draft.jpg", make_jpeg(600 + n, 400 + n))])
        listings.submit_listing(seller, pending)
        photo_key = pending.working_content.photos[0].key(320, "webp")
        document = db.session.get(Seller, applicant).documents[0].id

    add(buyer, live)
    reference = place(buyer).headers["Location"].rsplit("/", 1)[1]
    with app.test_request_context():
        order = db.session.scalar(select(Order).where(Order.seller_id == trader))
        seller_user = order.seller.user
        for step in ("accepted", "packed", "shipped", "delivered"):
            order_service.advance(order, seller_user, step, carrier="India Post",
                                  tracking=f"EE12345678{n}IN")
        order_id = order.id
    return {"state": state, "district": district, "applicant": applicant, "ready": ready,
            "trader": trader, "live": live, "pending": pending.id, "photo": photo_key,
            "document": document, "order": order_id, "reference": reference}


@pytest.fixture
def world(app):
    make_places(app)
    make_user(app, Role.STAFF)  # all India: does the set-up reviews
    buyer_email = make_user(app, Role.BUYER)
    buyer = app.test_client()
    log_in(buyer, buyer_email)
    world = {name: _build_place(app, buyer, name, *spec, n)
             for n, (name, spec) in enumerate(PLACES.items())}
    with app.app_context():
        # Every delivered order credited: each approved seller has a balance to pay out.
        assert payouts.post_due_credits(utcnow() + timedelta(days=8),
                                            return_window_days=7) == 3
    return world


REVIEWERS = {
    "district reviewer (Varanasi)": ({"districts": (187,)}, {"varanasi"}),
    "state reviewer (Uttar Pradesh)": ({"states": (9,)}, {"varanasi", "moradabad"}),
    "reviewer of Varanasi and Goa": ({"districts": (187,), "states": (30,)},
                                     {"varanasi", "north_goa"}),
    "reviewer with no places": ({}, set()),
    "all-India reviewer": ({"all_india": True}, set(PLACES)),
    "admin": (None, set(PLACES)),
}


def _snapshot(app, p) -> dict:
    """What a decision would change for a place: statuses, ledger and audit rows."""
    with app.app_context():
        seller_ids = (p["applicant"], p["ready"], p["trader"])
        listing_ids = (p["pending"], p["live"])
        return {
            "pan section": db.session.get(Seller, p["applicant"]).section(SectionKey.PAN).status,
            "ready seller": db.session.get(Seller, p["ready"]).status,
            "trader": db.session.get(Seller, p["trader"]).status,
            "pending listing": db.session.get(Listing, p["pending"]).status,
            "ledger entries": db.session.scalar(select(func.count()).where(
                LedgerEntry.seller_id == p["trader"])),
            "balance": payouts.balance(p["trader"]),
            "audit rows": db.session.scalar(select(func.count()).where(or_(
                (AuditEntry.object_type == "seller") & AuditEntry.object_id.in_(seller_ids),
                (AuditEntry.object_type == "listing") & AuditEntry.object_id.in_(listing_ids)))),
        }


def _walk(client, p, n) -> dict:
    """The answer of every staff route about one place's sellers, in the order a reviewer
    would go: look at the queues and pages, then decide, pay out, correct and suspend."""
    token = csrf_token(client)
    seen = {}

    def text(path):
        response = client.get(path)
        assert response.status_code == 200, path
        return response.get_data(as_text=True)

    def post(path, data):
        return client.post(path, data={"csrf_token": token, **data}).status_code

    seen["seller queue lists them"] = f'href="/staff/sellers/{p["applicant"]}"' in text(
        "/staff/sellers")
    seen["seller queue filtered to their place"] = f'href="/staff/sellers/{p["ready"]}"' in text(
        f"/staff/sellers?state={p['state']}&district={p['district']}")
    seen["seller page"] = client.get(f"/staff/sellers/{p['applicant']}").status_code
    seen["approved seller's page"] = client.get(f"/staff/sellers/{p['trader']}").status_code
    seen["listing queue lists theirs"] = f'href="/staff/listings/{p["pending"]}"' in text(
        "/staff/listings")
    seen["listing queue filtered to the seller"] = f'href="/staff/listings/{p["pending"]}"' in \
        text(f"/staff/listings?seller={p['trader']}&state={p['state']}")
    seen["listing page"] = client.get(f"/staff/listings/{p['pending']}").status_code
    seen["live listing page"] = client.get(f"/staff/listings/{p['live']}").status_code
    invoice = f"/orders/{p['reference']}/{p['order']}/invoice"
    seen["order list"] = invoice in text("/staff/orders")
    seen["order list filtered to the seller"] = invoice in text(
        f"/staff/orders?seller={p['trader']}&status=delivered")
    seen["invoice"] = client.get(invoice).status_code
    seen["document"] = client.get(f"/documents/{p['document']}").status_code
    seen["draft photo"] = client.get(f"/media/{p['photo']}").status_code
    seen["settlements list"] = f'href="/staff/settlements/{p["trader"]}"' in text(
        "/staff/settlements")
    seen["settlement page"] = client.get(f"/staff/settlements/{p['trader']}").status_code

    seen["section decision"] = post(f"/staff/sellers/{p['applicant']}/sections/pan",
                                    {"verify": "1"})
    seen["seller decision"] = post(f"/staff/sellers/{p['ready']}/decision",
                                   {"approve": "1", "note": ""})
    seen["listing decision"] = post(f"/staff/listings/{p['pending']}/decision",
                                    {"approve": "1", "note": ""})
    seen["payout"] = post(f"/staff/settlements/{p['trader']}/payouts", {
        "amount": "10", "paid_on": date.today().isoformat(), "bank_reference": f"UTR00{n}123",
        "note": ""})
    seen["correction"] = post(f"/staff/settlements/{p['trader']}/corrections",
                              {"amount": "5", "corrects": "", "reason": "Courier refund"})
    seen["suspension"] = post(f"/staff/sellers/{p['trader']}/suspension",
                              {"suspend": "1", "note": "Complaints"})
    return seen


def _expected(covered: bool, admin: bool) -> dict:
    shown, page, done = (True, 200, True) if covered else (False, 404, False)
    return {
        "seller queue lists them": shown, "seller queue filtered to their place": shown,
        "seller page": page, "approved seller's page": page, "listing queue lists theirs": shown,
        "listing queue filtered to the seller": shown, "listing page": page,
        "live listing page": page, "order list": shown, "order list filtered to the seller": shown,
        "invoice": page, "document": page, "draft photo": page, "settlements list": shown,
        "settlement page": page,
        "section decision": 302 if done else 404, "seller decision": 302 if done else 404,
        "listing decision": 302 if done else 404, "payout": 303 if done else 404,
        # Corrections and suspensions are for admins only, wherever the seller is.
        "correction": 303 if admin else 403, "suspension": 302 if admin else 403,
    }


@pytest.mark.parametrize("who", REVIEWERS)
def test_staff_see_and_decide_only_the_sellers_of_their_places(app, world, who):
    scope, covered_places = REVIEWERS[who]
    if scope is None:
        email = make_user(app, Role.ADMIN)
    else:
        email = make_reviewer(app, **scope)
    client = app.test_client()
    log_in(client, email)

    for n, (name, p) in enumerate(world.items()):
        covered = name in covered_places
        before = _snapshot(app, p)
        assert _walk(client, p, n) == _expected(covered, who == "admin"), name
        after = _snapshot(app, p)
        if not covered:
            assert after == before, f"{who} changed something in {name}"
            continue
        assert after["pan section"] == "verified"
        assert after["ready seller"] == "approved"
        assert after["pending listing"] == "approved"
        assert after["ledger entries"] == before["ledger entries"] + (2 if who == "admin" else 1)
        assert after["balance"] == before["balance"] - 1000 + (500 if who == "admin" else 0)
        assert after["trader"] == ("suspended" if who == "admin" else "approved")


def test_a_district_reviewer_counts_only_their_district(app, world):
    client = app.test_client()
    log_in(client, make_reviewer(app, districts=(187,)))
    assert "2 sellers waiting" in client.get("/staff/sellers").get_data(as_text=True)
    assert "1 order." in client.get("/staff/orders").get_data(as_text=True)
    # Asking for another state's sellers by filter shows none of them.
    goa = client.get("/staff/sellers?state=30&district=551").get_data(as_text=True)
    assert "North Goa applicant" not in goa and "0 sellers waiting" in goa
    assert "North Goa" not in client.get(
        f"/staff/orders?seller={world['north_goa']['trader']}").get_data(as_text=True)
    listed = client.get("/staff/listings").get_data(as_text=True)
    assert "Varanasi pending shawl" in listed
    assert "Moradabad pending shawl" not in listed and "North Goa pending shawl" not in listed


def test_a_reviewer_with_no_places_sees_empty_queues_not_everything(app, world):
    client = app.test_client()
    log_in(client, make_reviewer(app))
    sellers = client.get("/staff/sellers").get_data(as_text=True)
    assert "No seller is waiting for review" in sellers and "0 sellers waiting" in sellers
    assert "0 orders." in client.get("/staff/orders").get_data(as_text=True)
    listed = client.get("/staff/listings").get_data(as_text=True)
    assert "pending shawl" not in listed
    for name in PLACES:
        assert name.replace("_", " ").title() not in client.get(
            "/staff/settlements").get_data(as_text=True)


def test_the_seller_and_the_buyer_still_see_their_own(app, world):
    """Scoping staff takes nothing away from a seller's own photo, document or invoice."""
    p = world["north_goa"]
    with app.app_context():
        trader_email = db.session.get(Seller, p["trader"]).user.email
        applicant_email = db.session.get(Seller, p["applicant"]).user.email
    trader = app.test_client()
    log_in(trader, trader_email)
    assert trader.get(f"/media/{p['photo']}").status_code == 200
    assert trader.get(f"/orders/{p['reference']}/{p['order']}/invoice").status_code == 200
    applicant = app.test_client()
    log_in(applicant, applicant_email)
    assert applicant.get(f"/documents/{p['document']}").status_code == 200
    assert applicant.get(f"/media/{p['photo']}").status_code == 404
