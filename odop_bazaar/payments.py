"""Payment gateways: one small interface, two implementations.

Cash on delivery needs nothing from anyone and is the default, so `make run` works with no keys.
Stripe is used when STRIPE_SECRET_KEY is set: one PaymentIntent per checkout, in INR, created
with an idempotency key and the checkout reference in its metadata, confirmed in the page with
Stripe.js. STRIPE_API_BASE and STRIPE_JS_URL point the library and the page elsewhere (tests use
localstripe, a Stripe stand-in, on a local port).
"""

from dataclasses import dataclass

import stripe
from flask import Flask, current_app


class GatewayError(Exception):
    """The payment provider could not be reached or refused the request."""


@dataclass(frozen=True)
class Intent:
    """What the shop needs to know of a provider's payment."""

    id: str
    amount_paise: int
    currency: str
    status: str  # Stripe's words: succeeded, processing, requires_payment_method, canceled, ...
    client_secret: str | None = None
    metadata: dict | None = None


class CashOnDelivery:
    """The buyer pays the courier; nothing to set up when the order is placed."""

    name = "cod"

    def begin(self, reference: str, amount_paise: int) -> Intent | None:
        return None

    def cancel_intent(self, intent_id: str) -> None:
        """Nothing was set up, so nothing to cancel."""


class StripeGateway:
    name = "stripe"

    def __init__(self, secret_key: str, api_base: str | None, publishable_key: str,
                 js_url: str, webhook_secret: str | None):
        base = {"api": api_base} if api_base else None
        self.client = stripe.StripeClient(secret_key, base_addresses=base, max_network_retries=2)
        self.publishable_key = publishable_key
        self.js_url = js_url
        self.webhook_secret = webhook_secret

    @staticmethod
    def _intent(obj) -> Intent:
        data = obj.to_dict()
        return Intent(data["id"], data["amount"], data["currency"], data["status"],
                      data.get("client_secret"), dict(data.get("metadata") or {}))

    def create_intent(self, reference: str, amount_paise: int) -> Intent:
        """A PaymentIntent for a checkout; asking twice for one reference gives the same one
        (on Stripe; the caller also stores the id and never asks twice)."""
        try:
            created = self.client.v1.payment_intents.create(
                params={"amount": amount_paise, "currency": "inr",
                        "metadata": {"checkout_reference": reference}},
                options={"idempotency_key": f"checkout-{reference}"})
        except stripe.StripeError as error:
            raise GatewayError(str(error)) from error
        return self._intent(created)

    begin = create_intent

    def retrieve_intent(self, intent_id: str) -> Intent:
        try:
            return self._intent(self.client.v1.payment_intents.retrieve(intent_id))
        except stripe.StripeError as error:
            raise GatewayError(str(error)) from error

    def cancel_intent(self, intent_id: str) -> None:
        try:
            self.client.v1.payment_intents.cancel(intent_id)
        except stripe.StripeError as error:
            raise GatewayError(str(error)) from error

    def refund(self, intent_id: str, amount_paise: int, key: str) -> str:
        """Refund part or all of a payment; returns the refund id. One refund per key."""
        try:
            refund = self.client.v1.refunds.create(
                params={"payment_intent": intent_id, "amount": amount_paise},
                options={"idempotency_key": key})
        except stripe.StripeError as error:
            raise GatewayError(str(error)) from error
        return refund.id

    def verify_signature(self, payload: bytes, signature: str | None) -> None:
        """Raises ValueError unless the webhook body is signed with our secret. What the body
        says is services.orders.stripe_events' to check."""
        if not self.webhook_secret:
            raise ValueError("no webhook secret configured")
        try:
            # Stripe signs the text of the body; bytes that are not UTF-8 cannot be its text.
            text = payload.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ValueError("the body is not UTF-8") from error
        try:
            stripe.WebhookSignature.verify_header(text, signature, self.webhook_secret,
                                                  stripe.Webhook.DEFAULT_TOLERANCE)
        except stripe.SignatureVerificationError as error:
            raise ValueError("invalid signature") from error


def init_app(app: Flask) -> None:
    key = app.config.get("STRIPE_SECRET_KEY")
    app.extensions["stripe_gateway"] = StripeGateway(
        key, app.config.get("STRIPE_API_BASE"), app.config.get("STRIPE_PUBLISHABLE_KEY") or "",
        app.config["STRIPE_JS_URL"], app.config.get("STRIPE_WEBHOOK_SECRET")) if key else None


def gateway_for(method: str) -> CashOnDelivery | StripeGateway:
    """The gateway for a payment method ("cod" or "card"); card only when configured."""
    if method == "card":
        gateway = stripe_gateway()
        if gateway is None:
            raise GatewayError("card payments are not configured")
        return gateway
    return CashOnDelivery()


def stripe_gateway() -> StripeGateway | None:
    """The Stripe gateway, or None when card payments are not configured."""
    return current_app.extensions.get("stripe_gateway")


def card_payments_enabled() -> bool:
    return stripe_gateway() is not None
