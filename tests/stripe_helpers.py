"""Card orders waiting for their payment, and Stripe webhook events signed as Stripe signs them."""

import hashlib
import hmac
import json
import time

import stripe
from sqlalchemy import select

from odop_bazaar.extensions import db
from odop_bazaar.models import Checkout
from tests.checkout_helpers import ADDRESS, add, fingerprint
from tests.conftest import WEBHOOK_SECRET, log_in, submit


def place_card_order(card_app, client, buyer, saree, quantity="1", also=()) -> str:
    """Log the buyer in and order the saree (and one of each of `also`) by card; the checkout's
    reference, its payment page the next stop."""
    log_in(client, buyer)
    add(client, saree, quantity)
    for other in also:
        add(client, other)
    response = submit(client, "/checkout", {**ADDRESS, "payment_method": "card",
                                            "fingerprint": fingerprint(client)})
    assert response.status_code == 303, response.get_data(as_text=True)
    assert response.headers["Location"].endswith("/pay")
    return response.headers["Location"].split("/")[-2]


def intent_id(card_app, reference) -> str:
    """The id of the Stripe PaymentIntent for the checkout with this reference."""
    with card_app.app_context():
        return db.session.scalar(select(Checkout.stripe_payment_intent_id)
                                 .where(Checkout.reference == reference))


def signed(event: dict, secret: str = WEBHOOK_SECRET) -> tuple[bytes, str]:
    """The event's body and its Stripe-Signature header, signed with the scheme Stripe uses."""
    payload = json.dumps(event).encode()
    stamp = int(time.time())
    signature = hmac.new(secret.encode(), f"{stamp}.".encode() + payload,
                         hashlib.sha256).hexdigest()
    return payload, f"t={stamp},v1={signature}"


def succeeded_event(pid: str, amount: int, event_id: str = "evt_test_1", currency="inr"):
    """A payment_intent.succeeded event for the PaymentIntent `pid`."""
    return {"id": event_id, "object": "event", "type": "payment_intent.succeeded",
            "created": int(time.time()),
            "data": {"object": {"id": pid, "object": "payment_intent", "amount": amount,
                                "currency": currency, "status": "succeeded"}}}


def post_event(client, event, secret=WEBHOOK_SECRET):
    """Deliver the event to the webhook, signed with `secret`, as Stripe would."""
    payload, header = signed(event, secret)
    return client.post("/payments/stripe/webhook", data=payload,
                       headers={"Stripe-Signature": header, "Content-Type": "application/json"})


def stripe_client(card_app) -> stripe.StripeClient:
    """The real stripe library, talking to the localstripe the app uses."""
    return stripe.StripeClient("sk_test_odop",
                               base_addresses={"api": card_app.config["STRIPE_API_BASE"]})


def pay_in_browser(card_app, reference, number="4242424242424242"):
    """What Stripe.js does in the page: a card payment method, then confirmation."""
    api = stripe_client(card_app)
    method = api.v1.payment_methods.create(params={"type": "card", "card": {
        "number": number, "exp_month": 12, "exp_year": 2034, "cvc": "123"}})
    pid = intent_id(card_app, reference)
    api.v1.payment_intents.update(pid, params={"payment_method": method.id})
    return api.v1.payment_intents.confirm(pid)
