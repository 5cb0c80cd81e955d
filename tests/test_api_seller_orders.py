"""The seller's orders and money through the API: an order placed on the website is in the
seller's list, taken to delivered step by step (the buyer's order page shows each step),
refused by field when shipped without a tracking number, refused as a conflict when a step is
sent twice (also by two requests at once), cancelled with its stock back; and after delivery,
the credit on its way, then on the ledger."""

from datetime import date, timedelta

import pytest
import requests
from sqlalchemy import func, select

from odop_bazaar.db_types import utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models import Listing, Order, Role
from odop_bazaar.models.audit import AuditEntry
from odop_bazaar.services.settlements import payouts
from tests.checkout_helpers import add, client_of, place
from tests.factories import make_seller, make_user, shop
from tests.live import at_once, serve
from tests.returns_helpers import user
from tests.seller_api_helpers import ask, bearer, token_for

WINDOW = 7  # RETURN_WINDOW_DAYS in the tests' configuration


@pytest.fixture
def placed(app):
    """A cash-on-delivery order of two sarees (₹100 each, stock 3) and tokens for the people
    around it."""
    saree, _stole, buyer_email = shop(app)
    buyer = client_of(app, buyer_email)
    add(buyer, saree, "2")
    reference = place(buyer).headers["Location"].rsplit("/", 1)[1]
    with app.app_context():
        order = db.session.scalar(select(Order))
        seller_email = db.session.get(Listing, saree).seller.user.email
        found = {"order": order.id, "order_reference": order.reference, "reference": reference,
                 "seller_id": order.seller_id, "saree": saree, "buyer": buyer,
                 "seller_email": seller_email}
    found["seller"] = token_for(app, seller_email, ["read", "seller:write"])
    found["reader"] = token_for(app, seller_email, ["read"])
    found["other_seller"] = token_for(app, make_seller(app, "approved")[0],
                                      ["read", "seller:write"])
    found["buyer_token"] = token_for(app, buyer_email, ["read"])
    found["staff"] = token_for(app, make_user(app, Role.STAFF), ["read", "staff"])
    return found


def step(client, placed, name, **extra):
    return ask(client, "POST", f"/api/v1/seller/orders/{placed['order']}/next-step",
               placed["seller"], {"step": name, **extra})


def stock_of(app, listing_id) -> int:
    with app.app_context():
        return db.session.get(Listing, listing_id).stock


def test_a_placed_order_is_in_the_sellers_list_with_its_lines_address_and_next_step(
        client, placed):
    answer = ask(client, "GET", "/api/v1/seller/orders", placed["seller"])
    assert answer.status_code == 200
    [listed] = answer.json["items"]
    assert answer.json["next"] is None
    assert listed["reference"] == placed["order_reference"]
    assert listed["checkout_reference"] == placed["reference"]
    assert listed["status"] == "confirmed" and listed["payment_method"] == "cod"
    assert [(line["title"], line["quantity"], line["unit_price_paise"], line["total_paise"])
            for line in listed["lines"]] == [("Banarasi saree", 2, 10000, 20000)]
    assert listed["total_paise"] == listed["items_paise"] + listed["delivery_paise"]
    assert listed["delivery_address"]["name"] == "Asha Verma"
    assert listed["delivery_address"]["pin"] == "221005"
    assert listed["next_step"] == {"step": "accepted", "label": "Accept the order",
                                   "needs_tracking": False}
    assert listed["may_cancel"] is True
    detail = ask(client, "GET", f"/api/v1/seller/orders/{placed['order']}", placed["reader"])
    assert detail.status_code == 200 and detail.json == listed


def test_the_list_shows_one_status_and_pages_with_the_cursor(app, client, placed):
    buyer = placed["buyer"]
    add(buyer, placed["saree"], "1")
    assert place(buyer).status_code == 303
    step(client, placed, "accepted")
    confirmed = ask(client, "GET", "/api/v1/seller/orders?status=confirmed", placed["seller"])
    assert [o["status"] for o in confirmed.json["items"]] == ["confirmed"]
    assert confirmed.json["items"][0]["id"] != placed["order"]
    first = ask(client, "GET", "/api/v1/seller/orders?limit=1", placed["seller"])
    assert first.json["next"] and 'rel="next"' in first.headers["Link"]
    second = ask(client, "GET", f"/api/v1/seller/orders?limit=1&after={first.json['next']}",
                 placed["seller"])
    assert second.json["next"] is None
    assert second.json["items"][0]["id"] == placed["order"]  # the older one, second
    assert first.json["items"][0]["id"] != placed["order"]
    refused = ask(client, "GET", "/api/v1/seller/orders?status=lost", placed["seller"])
    assert refused.status_code == 422 and "status" in refused.json["errors"]
    for cursor in ("WyJ4Il0", "Wy0xLDFd"):  # ["x"], [-1, 1]
        forged = ask(client, "GET", f"/api/v1/seller/orders?after={cursor}", placed["seller"])
        assert forged.status_code == 422 and "after" in forged.json["errors"], forged.json


def test_a_ledger_cursor_past_any_id_is_refused_by_name_like_every_list_s(client, placed):
    for cursor in ("WyJ4Il0", "WzEwMDAwMDAwMDAwMDBd"):  # ["x"], [10**13]
        forged = ask(client, "GET", f"/api/v1/seller/ledger?after={cursor}", placed["seller"])
        assert forged.status_code == 422 and "after" in forged.json["errors"], forged.json


def test_a_seller_takes_an_order_to_delivered_and_the_buyer_sees_each_step(client, placed):
    for name in ("accepted", "packed"):
        answer = step(client, placed, name)
        assert answer.status_code == 200 and answer.json["status"] == name
    assert answer.json["next_step"]["needs_tracking"] is True
    shipped = step(client, placed, "shipped", carrier="India Post",
                   tracking_number="EE 1234 5678 9IN")
    assert shipped.status_code == 200
    assert (shipped.json["carrier"], shipped.json["tracking_number"]) == ("India Post",
                                                                          "EE123456789IN")
    assert shipped.json["may_cancel"] is False
    page = placed["buyer"].get(f"/orders/{placed['reference']}").get_data(as_text=True)
    assert "Shipped" in page and "EE123456789IN" in page
    delivered = step(client, placed, "delivered")
    assert delivered.json["status"] == "delivered" and delivered.json["next_step"] is None
    assert delivered.json["delivered_at"]
    assert "Delivered" in placed["buyer"].get(f"/orders/{placed['reference']}").get_data(
        as_text=True)


def test_shipping_without_a_tracking_number_is_refused_by_field(client, placed):
    step(client, placed, "accepted")
    step(client, placed, "packed")
    refused = step(client, placed, "shipped", carrier="India Post")
    assert refused.status_code == 422
    assert refused.mimetype == "application/problem+json"
    assert set(refused.json["errors"]) == {"tracking_number"}
    assert "tracking number" in refused.json["errors"]["tracking_number"][0]
    answer = ask(client, "GET", f"/api/v1/seller/orders/{placed['order']}", placed["seller"])
    assert answer.json["status"] == "packed" and answer.json["tracking_number"] is None


def test_the_same_step_twice_is_a_conflict_and_a_step_not_offered_is_refused(client, placed):
    assert step(client, placed, "accepted").status_code == 200
    again = step(client, placed, "accepted")
    assert again.status_code == 409
    assert again.json["type"].endswith("not-allowed-now")
    skipping = step(client, placed, "delivered")
    assert skipping.status_code == 409
    unknown = step(client, placed, "cancelled")  # not a step: cancelling has its own address
    assert unknown.status_code == 422 and "step" in unknown.json["errors"]
    missing = ask(client, "POST", f"/api/v1/seller/orders/{placed['order']}/next-step",
                  placed["seller"], {"carrier": 7})
    assert missing.status_code == 422 and {"step", "carrier"} <= set(missing.json["errors"])
    assert ask(client, "GET", f"/api/v1/seller/orders/{placed['order']}",
               placed["seller"]).json["status"] == "accepted"


def test_cancelling_with_a_reason_cancels_the_order_and_puts_the_stock_back(app, client,
                                                                             placed):
    assert stock_of(app, placed["saree"]) == 1
    path = f"/api/v1/seller/orders/{placed['order']}/cancel"
    no_reason = ask(client, "POST", path, placed["seller"], {"reason": "   "})
    assert no_reason.status_code == 422 and set(no_reason.json["errors"]) == {"reason"}
    assert stock_of(app, placed["saree"]) == 1
    answer = ask(client, "POST", path, placed["seller"], {"reason": "The loom broke"})
    assert answer.status_code == 200
    assert answer.json["status"] == "cancelled"
    assert answer.json["cancel_reason"] == "The loom broke"
    assert answer.json["may_cancel"] is False and answer.json["next_step"] is None
    assert stock_of(app, placed["saree"]) == 3
    assert "The loom broke" in placed["buyer"].get(f"/orders/{placed['reference']}").get_data(
        as_text=True)
    again = ask(client, "POST", path, placed["seller"], {"reason": "The loom broke"})
    assert again.status_code == 409
    assert stock_of(app, placed["saree"]) == 3


def test_an_order_is_only_its_sellers_and_writes_need_a_seller_write_token(client, placed):
    order_path = f"/api/v1/seller/orders/{placed['order']}"
    assert ask(client, "GET", order_path, placed["other_seller"]).status_code == 404
    assert ask(client, "GET", "/api/v1/seller/orders",
               placed["other_seller"]).json["items"] == []
    for body in ({"step": "accepted"}, {}):
        assert ask(client, "POST", order_path + "/next-step", placed["other_seller"],
                   body).status_code == 404
    assert ask(client, "POST", order_path + "/cancel", placed["other_seller"],
               {"reason": "Not mine"}).status_code == 404
    for token in (placed["buyer_token"], placed["staff"]):
        assert ask(client, "GET", "/api/v1/seller/orders", token).status_code == 403
        assert ask(client, "GET", "/api/v1/seller/payouts", token).status_code == 403
    refused = ask(client, "POST", order_path + "/next-step", placed["reader"],
                  {"step": "accepted"})
    assert refused.status_code == 403
    assert ask(client, "GET", order_path, placed["seller"]).json["status"] == "confirmed"
    assert ask(client, "GET", "/api/v1/seller/orders/99999999999", placed["seller"]
               ).status_code == 404


def test_after_delivery_the_credit_is_on_its_way_then_on_the_ledger(app, client, placed):
    for name in ("accepted", "packed", "shipped", "delivered"):
        assert step(client, placed, name, carrier="India Post",
                    tracking_number="EE123456789IN").status_code == 200
    money = ask(client, "GET", "/api/v1/seller/payouts", placed["reader"]).json
    assert money["balance_paise"] == 0 and money["payouts"] == []
    assert money["return_window_days"] == WINDOW
    [pending] = money["pending"]
    assert pending["order_reference"] == placed["order_reference"]
    assert pending["amount_paise"] == 26000  # two sarees and ₹60 delivery
    assert ask(client, "GET", "/api/v1/seller/ledger", placed["reader"]).json["items"] == []
    with app.test_request_context():
        assert payouts.post_due_credits(utcnow() + timedelta(days=WINDOW + 1),
                                        return_window_days=WINDOW) > 0
        balance = payouts.balance(placed["seller_id"])
        payouts.record_payout(placed["seller_id"], amount_paise=balance,
                              paid_on=date.today(), bank_reference="UTR12345678",
                              note="", actor=user(placed["seller_email"]), today=date.today())
    money = ask(client, "GET", "/api/v1/seller/payouts", placed["reader"]).json
    assert money["pending"] == [] and money["balance_paise"] == 0
    assert [(p["amount_paise"], p["bank_reference"]) for p in money["payouts"]] == [
        (balance, "UTR12345678")]
    # No commission is set: a sale, then the payout of it.
    lines = ask(client, "GET", "/api/v1/seller/ledger?limit=1", placed["reader"])
    [payout] = lines.json["items"]
    assert (payout["kind"], payout["amount_paise"], payout["bank_reference"]) == (
        "payout", -balance, "UTR12345678")
    rest = ask(client, "GET", f"/api/v1/seller/ledger?limit=1&after={lines.json['next']}",
               placed["reader"]).json
    [sale] = rest["items"]
    assert rest["next"] is None
    assert (sale["kind"], sale["amount_paise"], sale["order_reference"]) == (
        "sale", 26000, placed["order_reference"])
    assert sale["created_at"].endswith("+00:00")


def test_two_next_steps_at_once_move_the_order_once(app, placed):
    path = f"/api/v1/seller/orders/{placed['order']}/next-step"
    with serve(app) as base:
        answers = at_once([lambda: requests.post(base + path, json={"step": "accepted"},
                                                 headers=bearer(placed["seller"]),
                                                 timeout=60)] * 2)
    assert not [a for a in answers if isinstance(a, Exception)], answers
    assert sorted(a.status_code for a in answers) == [200, 409], [a.text for a in answers]
    [loser] = [a for a in answers if a.status_code == 409]
    assert loser.headers["Content-Type"] == "application/problem+json"
    assert loser.json()["detail"]  # it says the order has moved on
    with app.app_context():
        assert db.session.get(Order, placed["order"]).status == "accepted"
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.object_type == "order", AuditEntry.object_id == placed["order"],
            AuditEntry.to_status == "accepted")) == 1
