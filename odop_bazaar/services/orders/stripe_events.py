"""Stripe webhook bodies, checked in one place before anything is stored.

A signature proves that Stripe sent a body, not that the body is an event the shop can act on: a
test event sent from the dashboard, another integration on the account or a newer API version can
send shapes the handlers never expected. Looked up with `event["data"]["object"]["amount"]`, those
were KeyErrors, TypeErrors and, on PostgreSQL, DataErrors: a 500 each, which Stripe retries for
days. `parse_event` turns the body into a `StripeEvent` of plain values of the right types and
sizes, or raises `MalformedEvent` with a short reason, which the webhook answers with a 400 that
Stripe's dashboard shows beside the delivery. Handlers then read attributes, never the payload.
"""

import json
import re
from dataclasses import dataclass

from odop_bazaar.models.orders import Checkout, ProcessedEvent
from odop_bazaar.payments import Intent
from odop_bazaar.services.errors import DomainError

SUCCEEDED = "payment_intent.succeeded"
CANCELED = "payment_intent.canceled"
# payment_intent.payment_failed is not here: the buyer may try another card until the checkout
# expires, so there is nothing to do, and nothing to remember, when one card fails.
HANDLED = frozenset((SUCCEEDED, CANCELED))

EVENT_ID_LENGTH = ProcessedEvent.__table__.c.event_id.type.length
EVENT_TYPE_LENGTH = ProcessedEvent.__table__.c.event_type.type.length
INTENT_ID_LENGTH = Checkout.__table__.c.stripe_payment_intent_id.type.length

# Every id and event type Stripe sends is printable ASCII without spaces (evt_1Nq..., pi_3O...,
# payment_intent.succeeded). Holding them to that also keeps out what PostgreSQL cannot store or
# compare (NUL, lone surrogates) and what would garble a log line (control characters).
_TOKEN = re.compile(r"[!-~]+")


class MalformedEvent(DomainError):
    """A signed webhook body that is not a well-formed Stripe event; nothing was stored."""


@dataclass(frozen=True)
class StripeEvent:
    """A webhook event reduced to what the shop acts on."""

    id: str
    type: str
    intent_id: str | None = None  # the PaymentIntent of a handled event
    intent: Intent | None = None  # payment_intent.succeeded: the payment it reports

    @property
    def handled(self) -> bool:
        return self.type in HANDLED


def parse_event(payload: bytes) -> StripeEvent:
    """The event in a webhook body whose signature was verified.

    Raises:
        MalformedEvent: not UTF-8 JSON, not an event, or a handled type without the fields its
            handler needs (each of the right type, ids within their columns).
    """
    body = _json(payload)
    if not isinstance(body, dict):
        raise MalformedEvent("the body is not a JSON object")
    event_id = _token(body.get("id"), "id", EVENT_ID_LENGTH)
    kind = _token(body.get("type"), "type", EVENT_TYPE_LENGTH)
    data = body.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("object"), dict):
        raise MalformedEvent("data.object is not a JSON object")
    obj = data["object"]
    if kind not in HANDLED:
        return StripeEvent(event_id, kind)
    if obj.get("object") != "payment_intent":
        raise MalformedEvent(f"{kind}: data.object is not a payment_intent")
    intent_id = _token(obj.get("id"), "data.object.id", INTENT_ID_LENGTH)
    if kind == CANCELED:
        return StripeEvent(event_id, kind, intent_id)
    amount, currency, status = obj.get("amount"), obj.get("currency"), obj.get("status")
    # bool is an int to Python, and true must not pay an order of 1 paisa.
    if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
        raise MalformedEvent(f"{kind}: data.object.amount is not a whole number of paise")
    if not isinstance(currency, str) or not re.fullmatch(r"[A-Za-z]{3}", currency):
        raise MalformedEvent(f"{kind}: data.object.currency is not a currency code")
    if status != "succeeded":
        raise MalformedEvent(f"{kind}: data.object.status is not succeeded")
    metadata = obj.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        raise MalformedEvent(f"{kind}: data.object.metadata is not a JSON object")
    return StripeEvent(event_id, kind, intent_id,
                       Intent(intent_id, amount, currency, status, None, dict(metadata or {})))


def _reject_constant(name: str):
    raise MalformedEvent(f"{name} is not JSON")


def _json(payload: bytes):
    try:
        # Decoded first: json.loads would take UTF-16 and UTF-32 bytes too, which Stripe never
        # sends and whose signature Stripe's scheme does not cover.
        text = payload.decode("utf-8")
    except UnicodeDecodeError as error:
        raise MalformedEvent("the body is not UTF-8") from error
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except RecursionError as error:  # a signed [[[[...]]]] deeper than Python's stack
        raise MalformedEvent("the body is nested too deeply") from error
    except ValueError as error:  # not JSON, or an integer past Python's 4300 digits
        raise MalformedEvent("the body is not JSON") from error


def _token(value, name: str, length: int) -> str:
    if not isinstance(value, str):
        raise MalformedEvent(f"{name} is not a string")
    if len(value) > length:
        raise MalformedEvent(f"{name} is longer than {length} characters")
    if not _TOKEN.fullmatch(value):
        raise MalformedEvent(f"{name} is not a Stripe identifier")
    return value
