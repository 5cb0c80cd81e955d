"""Returns through the pages: a cash-on-delivery return refunded to a bank account that staff pay
(shown masked), a card order returned in part and refunded through localstripe, an escalation
decided by staff, and the credit held while a return is open."""

import io
from datetime import timedelta

import stripe
from sqlalchemy import select

from odop_bazaar.db_types import today_in_india, utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models import Listing, Order
from odop_bazaar.models.orders import Refund
from odop_bazaar.models.returns import ReturnRequest
from odop_bazaar.models.settlements import LedgerEntry
from odop_bazaar.services.orders import bank_refunds
from odop_bazaar.services.settlements import payouts
from tests.conftest import submit
from tests.factories import make_jpeg, make_reviewer, make_user, shop
from tests.returns_helpers import client_of, deliver, delivered, user
from tests.stripe_helpers import intent_id, place_card_order

ACCOUNT = "50100012345678"


def stripe_client(card_app) -> stripe.StripeClient:
    """The real stripe library, talking to localstripe."""
    return stripe.StripeClient("sk_test_odop",
                               base_addresses={"api": card_app.config["STRIPE_API_BASE"]})


def pay_in_browser(card_app, reference) -> None:
    """What Stripe.js does in the payment page: a card payment method, then confirmation."""
    api = stripe_client(card_app)
    method = api.v1.payment_methods.create(params={"type": "card", "card": {
        "number": "4242424242424242", "exp_month": 12, "exp_year": 2034, "cvc": "123"}})
    pid = intent_id(card_app, reference)
    api.v1.payment_intents.update(pid, params={"payment_method": method.id})
    api.v1.payment_intents.confirm(pid)


def return_form(client, found, **fields):
    path = f"/orders/{found['reference']}/{found['order']}/return"
    data = {f"qty_{found['item']}": "1", "reason": "defective", "resolution": "refund",
            "details": "", **fields}
    return submit(client, path, data, token_from=path)


def only_return(app) -> ReturnRequest:
    return db.session.scalars(select(ReturnRequest)).one()


def test_a_cash_return_is_refunded_to_the_bank_account_staff_pay_shown_masked(app, outbox):
    found = delivered(app, quantity="2")
    client = found["client"]
    assert f"/orders/{found['reference']}/{found['order']}/return" in client.get(
        f"/orders/{found['reference']}").get_data(as_text=True)
    refused = return_form(client, found, payee_name="Asha Verma", account_number="12AB",
                          ifsc="HDFC0001234")
    assert refused.status_code == 422 and "9 to 18 digits" in refused.get_data(as_text=True)
    assert 'value="12AB"' in refused.get_data(as_text=True)  # what was typed comes back
    sent = return_form(client, found, payee_name="Asha Verma", account_number=ACCOUNT,
                       ifsc="HDFC0001234")
    assert sent.status_code == 303
    page = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "XXXXXXXXXX5678" in page and ACCOUNT not in page
    seller = client_of(app, found["seller"])
    listing = seller.get("/seller/returns").get_data(as_text=True)
    assert "XXXXXXXXXX5678" in listing and ACCOUNT not in listing
    with app.app_context():
        return_id = only_return(app).id
    for path, data in ((f"/seller/returns/{return_id}/accept", {"buyer_sends": "y"}),
                       (f"/seller/returns/{return_id}/received", {"restock": "y"})):
        assert submit(seller, path, data, token_from="/seller/returns").status_code == 303
    staff = make_reviewer(app, states=[9])
    with app.app_context():
        made = only_return(app)
        refund = db.session.scalar(select(Refund).where(Refund.return_id == made.id))
        # One saree at ₹100 and the ₹60 delivery: a defect is the seller's fault.
        assert (made.status, refund.amount_paise, refund.status) == (
            "refunded", 16000, "awaiting_transfer")
        assert refund.payee_account_number == ACCOUNT and refund.method == "bank"
        assert db.session.get(Listing, found["saree"]).stock == 2  # 3 - 2 + 1 restocked
        bank_refunds.record_bank_refund_paid(
            refund.id, paid_on=today_in_india(), reference="UTR123456789", actor=user(staff),
            today=today_in_india())
        assert db.session.get(Order, found["order"]).refunded_paise == 16000
    page = client.get(f"/returns/{return_id}").get_data(as_text=True)
    assert "Refund of ₹160.00: Refunded" in page
    bodies = [message.get_content() for message in outbox if "R1" in message["Subject"]]
    assert bodies and not any(ACCOUNT in body for body in bodies)


def test_a_card_order_returned_in_part_is_refunded_on_stripe_for_exactly_those_units(card_app):
    client = card_app.test_client()
    saree, _stole, buyer = shop(card_app)
    reference = place_card_order(card_app, client, buyer, saree, "2")
    pay_in_browser(card_app, reference)
    client.get(f"/checkout/{reference}/return")
    with card_app.app_context():
        order = db.session.scalar(select(Order))
        found = {"reference": reference, "order": order.id, "item": order.items[0].id,
                 "seller": order.seller.user.email}
    deliver(card_app, found["seller"], found["order"])
    assert return_form(client, found, reason="wrong_item",
                       photos=[]).status_code == 303
    with card_app.app_context():
        return_id = only_return(card_app).id
    seller = client_of(card_app, found["seller"])
    response = submit(seller, f"/seller/returns/{return_id}/keep", {},
                      token_from="/seller/returns")
    assert response.status_code == 303
    with card_app.app_context():
        made = only_return(card_app)
        refund = db.session.scalar(select(Refund).where(Refund.return_id == return_id))
        assert made.status == "refunded" and refund.status == "succeeded"
        assert refund.amount_paise == made.amount_paise == 10000 + order.delivery_paise
        assert db.session.get(Order, found["order"]).refunded_paise == refund.amount_paise
        provider_reference = refund.provider_reference
    on_stripe = stripe_client(card_app).v1.refunds.retrieve(provider_reference)
    assert (on_stripe.amount, on_stripe.status) == (refund.amount_paise, "succeeded")


def test_a_protected_refusal_goes_to_staff_who_decide_on_their_queue(app, outbox):
    found = delivered(app)
    elsewhere_email, staff_email = (make_reviewer(app, states=[30]),
                                    make_reviewer(app, states=[9]))
    assert return_form(found["client"], found, reason="damaged", resolution="exchange",
                       photos=[(io.BytesIO(make_jpeg()), "crack.jpg")]
                       ).status_code == 303
    with app.app_context():
        return_id = only_return(app).id
    seller = client_of(app, found["seller"])
    assert submit(seller, f"/seller/returns/{return_id}/refuse", {"reason": "It was fine"},
                  token_from="/seller/returns").status_code == 303
    told = [m for m in outbox if m["Subject"].startswith(f"Return R{return_id}: Refused")]
    assert staff_email in {m["To"] for m in told} and elsewhere_email not in {m["To"] for m in told}
    assert "/staff/returns" in next(m for m in told if m["To"] == staff_email).get_content()
    elsewhere = client_of(app, elsewhere_email)
    assert f"R{return_id}" not in elsewhere.get("/staff/returns").get_data(as_text=True)
    staff = client_of(app, staff_email)
    queue = staff.get("/staff/returns").get_data(as_text=True)
    assert f"Return R{return_id}" in queue and "staff are deciding" in queue
    assert submit(elsewhere, f"/staff/returns/{return_id}/decide",
                  {"decision": "uphold", "note": "Photo shows a crack"},
                  token_from="/staff/returns").status_code == 404
    assert submit(staff, f"/staff/returns/{return_id}/decide",
                  {"decision": "uphold", "note": "Photo shows a crack"},
                  token_from="/staff/returns").status_code == 303
    with app.app_context():
        assert only_return(app).status == "accepted"
    history = found["client"].get(f"/returns/{return_id}").get_data(as_text=True)
    assert "Photo shows a crack" in history and "It was fine" in history


def test_another_buyers_or_sellers_return_does_not_exist_for_them(app):
    found = delivered(app)
    assert return_form(found["client"], found, resolution="exchange").status_code == 303
    with app.app_context():
        return_id = only_return(app).id
    other_buyer = client_of(app, make_user(app))
    assert other_buyer.get(f"/returns/{return_id}").status_code == 404
    assert submit(other_buyer, f"/returns/{return_id}/cancel", {},
                  token_from="/account").status_code == 404
    with app.app_context():
        stole_seller = db.session.get(Listing, found["stole"]).seller.user.email
    other = client_of(app, stole_seller)
    assert other.get(f"/returns/{return_id}/photos/1").status_code == 404
    assert submit(other, f"/seller/returns/{return_id}/accept", {"buyer_sends": "y"},
                  token_from="/seller/returns").status_code == 404


def test_an_open_return_holds_the_sellers_credit_until_it_ends(app):
    found = delivered(app)
    assert return_form(found["client"], found, resolution="exchange").status_code == 303
    later = utcnow() + timedelta(days=8)
    with app.app_context():
        assert payouts.post_due_credits(later, return_window_days=7) == 0
        return_id = only_return(app).id
    seller = client_of(app, found["seller"])
    submit(seller, f"/seller/returns/{return_id}/refuse", {"reason": "No"},
           token_from="/seller/returns")  # protected: escalated, still open
    with app.app_context():
        assert payouts.post_due_credits(later, return_window_days=7) == 0
        assert not db.session.scalars(select(LedgerEntry)).all()
