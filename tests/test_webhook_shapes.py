"""Signed Stripe webhook bodies of every shape: a clear 4xx (or 200 for events we ignore), never
a 500, and nothing stored.

Stripe retries a delivery that fails for days, and a 500 also says "our bug" to whoever reads the
logs; so a body that is correctly signed but not a well-formed event of a type the shop handles is
answered 400 with a short reason, and a well-formed event the shop has no use for is answered 200.
Either way the processed-event table, payments, refunds, the audit trail, the checkout and its
orders and stock are as they were. Bodies are signed here with the scheme Stripe uses (see
tests/test_payments.py), against the real stripe library and localstripe, on SQLite and PostgreSQL.
"""

import hashlib
import hmac
import json
import time

import pytest
from sqlalchemy import func, select

from odop_bazaar.extensions import db
from odop_bazaar.models import Checkout, Listing, Order, Payment, Refund
from odop_bazaar.models.audit import AuditEntry
from odop_bazaar.models.orders import ProcessedEvent
from tests.conftest import WEBHOOK_SECRET
from tests.factories import shop
from tests.stripe_helpers import intent_id, place_card_order, post_event, succeeded_event


def sign_bytes(payload: bytes) -> str:
    stamp = int(time.time())
    signature = hmac.new(WEBHOOK_SECRET.encode(), f"{stamp}.".encode() + payload,
                         hashlib.sha256).hexdigest()
    return f"t={stamp},v1={signature}"


def post_bytes(client, payload: bytes):
    return client.post("/payments/stripe/webhook", data=payload,
                       headers={"Stripe-Signature": sign_bytes(payload),
                                "Content-Type": "application/json"})


def everything_stored(app) -> dict:
    """What a webhook could change: rows in every table it writes, and the checkout's state."""
    with app.app_context():
        def count(model):
            return db.session.scalar(select(func.count()).select_from(model))
        return {
            "processed events": count(ProcessedEvent), "payments": count(Payment),
            "refunds": count(Refund), "audit entries": count(AuditEntry),
            "checkouts": db.session.execute(select(Checkout.state, Checkout.paid_at)).all(),
            "orders": db.session.execute(select(Order.id, Order.status)).all(),
            "stock": db.session.execute(select(Listing.id, Listing.stock)).all(),
        }


@pytest.fixture
def waiting(card_app):
    """A card checkout waiting for its payment, which the buyer has made on Stripe."""
    client = card_app.test_client()
    saree, _stole, buyer = shop(card_app)
    reference = place_card_order(card_app, client, buyer, saree)
    pid = intent_id(card_app, reference)
    with card_app.app_context():
        total = db.session.scalar(select(Checkout.total_paise))
    return card_app, pid, total


def event(pid, total, **changes):
    """A well-formed payment_intent.succeeded for the checkout, with some parts changed; a
    change to None removes that part. Keys with dots reach into data.object."""
    body = succeeded_event(pid, total, event_id="evt_shape_1")
    body["data"]["object"]["metadata"] = {"checkout_reference": "ignored-here"}
    for key, value in changes.items():
        target, name = body, key
        if key.startswith("object."):
            target, name = body["data"]["object"], key.removeprefix("object.")
        if value is None:
            target.pop(name, None)
        else:
            target[name] = value
    return body


def other_type(kind, obj=None):
    return {"id": "evt_other_1", "object": "event", "type": kind, "created": int(time.time()),
            "data": {"object": obj if obj is not None else {"id": "cus_1", "object": "customer"}}}


NESTED = b"[" * 100_000 + b"]" * 100_000  # under the body limit, past Python's recursion limit

# Each shape: (name, what to send given the PaymentIntent id and the checkout total, status).
# What to send is a dict (sent as JSON) or bytes (sent as they are); both are correctly signed.
SHAPES = [
    # Not an event at all.
    ("a JSON list", lambda pid, total: [], 400),
    ("an empty JSON object", lambda pid, total: {}, 400),
    ("a JSON string", lambda pid, total: "evt_1", 400),
    ("JSON null", lambda pid, total: None, 400),
    ("an empty body", lambda pid, total: b"", 400),
    ("a body that is not JSON", lambda pid, total: b"id=evt_1&type=payment_intent.succeeded", 400),
    ("JSON in Latin-1, not UTF-8",
     lambda pid, total: json.dumps(event(pid, total, id="evt_caf\u00e9"),
                                   ensure_ascii=False).encode("latin-1"), 400),
    ("JSON in UTF-16", lambda pid, total: json.dumps(event(pid, total)).encode("utf-16"), 400),
    ("JSON nested past the recursion limit", lambda pid, total: NESTED, 400),
    ("a body past the 256 kB limit for bodies without files",
     lambda pid, total: json.dumps(event(pid, total, id="evt_" + "x" * 300_000)).encode(), 413),
    ("NaN for the amount",
     lambda pid, total: json.dumps(event(pid, total)).replace(f'"amount": {total}',
                                                              '"amount": NaN').encode(), 400),
    ("an amount of 5000 digits",
     lambda pid, total: json.dumps(event(pid, total)).replace(f'"amount": {total}',
                                                              '"amount": ' + "9" * 5000).encode(),
     400),
    # The event's own id and type.
    ("no id", lambda pid, total: event(pid, total, id=None), 400),
    ("a number for the id", lambda pid, total: event(pid, total, id=42), 400),
    ("an empty id", lambda pid, total: event(pid, total, id=""), 400),
    ("an id longer than its column", lambda pid, total: event(pid, total, id="evt_" + "x" * 77),
     400),
    ("a huge id", lambda pid, total: event(pid, total, id="evt_" + "x" * 200_000), 400),
    ("an id with a NUL", lambda pid, total: event(pid, total, id="evt_\x00"), 400),
    ("an id with a lone surrogate", lambda pid, total: event(pid, total, id="evt_\ud800"), 400),
    ("no type", lambda pid, total: event(pid, total, type=None), 400),
    ("a list for the type", lambda pid, total: event(pid, total, type=["payment_intent"]), 400),
    ("a type longer than its column",
     lambda pid, total: event(pid, total, type="payment_intent." + "x" * 50), 400),
    ("a type with a NUL",
     lambda pid, total: event(pid, total, type="payment_intent.succeeded\x00"), 400),
    # data and data.object.
    ("no data", lambda pid, total: event(pid, total, data=None), 400),
    ("a list for data", lambda pid, total: event(pid, total, data=[]), 400),
    ("data without object", lambda pid, total: event(pid, total, data={"previous": {}}), 400),
    ("a null data.object", lambda pid, total: event(pid, total, data={"object": None}), 400),
    ("a list for data.object", lambda pid, total: event(pid, total, data={"object": []}), 400),
    # What payment_intent.succeeded needs.
    ("succeeded without amount", lambda pid, total: event(pid, total, **{"object.amount": None}),
     400),
    ("succeeded with the amount a string",
     lambda pid, total: event(pid, total, **{"object.amount": str(total)}), 400),
    ("succeeded with the amount a float",
     lambda pid, total: event(pid, total, **{"object.amount": total + 0.5}), 400),
    ("succeeded with the amount true",
     lambda pid, total: event(pid, total, **{"object.amount": True}), 400),
    ("succeeded with a negative amount",
     lambda pid, total: event(pid, total, **{"object.amount": -total}), 400),
    ("succeeded with an amount past 64 bits",
     lambda pid, total: event(pid, total, **{"object.amount": 2**70}), 400),
    ("succeeded without the intent id",
     lambda pid, total: event(pid, total, **{"object.id": None}), 400),
    ("succeeded with a number for the intent id",
     lambda pid, total: event(pid, total, **{"object.id": 7}), 400),
    ("succeeded with a NUL in the intent id",
     lambda pid, total: event(pid, total, **{"object.id": pid + "\x00"}), 400),
    ("succeeded with an intent id longer than its column",
     lambda pid, total: event(pid, total, **{"object.id": "pi_" + "x" * 78}), 400),
    ("succeeded without currency",
     lambda pid, total: event(pid, total, **{"object.currency": None}), 400),
    ("succeeded with a number for the currency",
     lambda pid, total: event(pid, total, **{"object.currency": 356}), 400),
    ("succeeded without status",
     lambda pid, total: event(pid, total, **{"object.status": None}), 400),
    ("succeeded whose intent is still processing",
     lambda pid, total: event(pid, total, **{"object.status": "processing"}), 400),
    ("succeeded with a list for metadata",
     lambda pid, total: event(pid, total, **{"object.metadata": ["checkout_reference"]}), 400),
    ("succeeded for a charge, not a PaymentIntent",
     lambda pid, total: event(pid, total, **{"object.object": "charge"}), 400),
    # Well-formed, but about nothing of ours.
    ("succeeded with the wrong amount",
     lambda pid, total: event(pid, total, **{"object.amount": total + 100}), 400),
    ("succeeded for a PaymentIntent we do not know",
     lambda pid, total: event(pid, total, **{"object.id": "pi_someone_elses"}), 200),
    ("canceled for a PaymentIntent we do not know",
     lambda pid, total: event(pid, total, type="payment_intent.canceled",
                              **{"object.id": "pi_someone_elses", "object.status": "canceled"}),
     200),
    ("canceled without the intent id",
     lambda pid, total: event(pid, total, type="payment_intent.canceled",
                              **{"object.id": None, "object.status": "canceled"}), 400),
    ("canceled with a NUL in the intent id",
     lambda pid, total: event(pid, total, type="payment_intent.canceled",
                              **{"object.id": "pi_\x00", "object.status": "canceled"}), 400),
    ("a payment that failed (the buyer may try another card)",
     lambda pid, total: event(pid, total, type="payment_intent.payment_failed",
                              **{"object.status": "requires_payment_method"}), 200),
    ("a type we do not handle", lambda pid, total: other_type("customer.created"), 200),
    ("a type we do not handle, with a null data.object",
     lambda pid, total: {**other_type("customer.created"), "data": {"object": None}}, 400),
]


@pytest.mark.parametrize(("payload", "status"), [(shape, status) for _, shape, status in SHAPES],
                         ids=[name for name, _, _ in SHAPES])
def test_a_signed_webhook_of_any_shape_is_answered_without_a_500_and_stores_nothing(
        waiting, payload, status):
    app, pid, total = waiting
    before = everything_stored(app)
    body = payload(pid, total)
    hook = app.test_client()
    if isinstance(body, bytes):
        response = post_bytes(hook, body)
    else:
        response = post_bytes(hook, json.dumps(body).encode())
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    if status == 400:
        assert response.json["error"]  # a reason Stripe's dashboard shows beside the delivery
    assert everything_stored(app) == before

    # The checkout still takes its real payment afterwards.
    assert post_event(hook, succeeded_event(pid, total)).json["status"] == "recorded"


def test_a_cancelled_payment_intent_ends_its_checkout_once(waiting):
    app, pid, total = waiting
    hook = app.test_client()
    cancelled = event(pid, total, type="payment_intent.canceled", **{"object.status": "canceled"})
    assert post_event(hook, cancelled).json["status"] == "cancelled"
    after = everything_stored(app)
    assert after["processed events"] == 1
    assert after["checkouts"][0][0] == "expired"
    assert {status for _, status in after["orders"]} == {"cancelled"}
    assert post_event(hook, cancelled).json["status"] == "duplicate"
    assert everything_stored(app) == after
