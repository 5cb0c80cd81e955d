"""The card payment: the pay page, the buyer's return from Stripe, and Stripe's webhook.

(The module keeps the blueprint's old name, `routes`: tests/test_csrf.py pins the one view
exempt from CSRF by its full path, odop_bazaar.orders.routes.stripe_webhook.)
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from odop_bazaar.access import buyer_required
from odop_bazaar.extensions import csrf, db
from odop_bazaar.orders import bp
from odop_bazaar.orders.buyer_orders import own_checkout_or_404
from odop_bazaar.payments import GatewayError, stripe_gateway
from odop_bazaar.services.errors import DomainError
from odop_bazaar.services.orders import payments, stripe_events
from odop_bazaar.services.orders.errors import PaymentMismatch, UnknownPayment
from odop_bazaar.services.orders.payments import Completion
from odop_bazaar.web import show_refusal


@bp.get("/checkout/<reference>/pay")
@buyer_required
def pay(reference: str):
    placed = own_checkout_or_404(reference)
    gateway = stripe_gateway()
    if not placed.awaiting_payment or gateway is None:
        return redirect(url_for("orders.order", reference=reference))
    try:
        intent = gateway.retrieve_intent(placed.stripe_payment_intent_id)
    except GatewayError:
        flash(_("The card payment service is not answering. Try again in a minute."), "error")
        return redirect(url_for("orders.order", reference=reference))
    return render_template("orders/pay.html", checkout=placed, client_secret=intent.client_secret,
                           publishable_key=gateway.publishable_key, stripe_js_url=gateway.js_url,
                           return_url=url_for("orders.payment_return", reference=reference,
                                              _external=True))


@bp.get("/checkout/<reference>/return")
@buyer_required
def payment_return(reference: str):
    """Where Stripe.js sends the buyer back: ask Stripe (never the URL) whether it was paid."""
    placed = own_checkout_or_404(reference)
    gateway = stripe_gateway()
    if gateway is None or not placed.stripe_payment_intent_id:
        return redirect(url_for("orders.order", reference=reference))
    try:
        intent = gateway.retrieve_intent(placed.stripe_payment_intent_id)
        completion = payments.complete_payment(intent, source="return")
    except GatewayError:
        flash(_("We could not confirm the payment just now; this page will show it once "
                "Stripe tells us."), "info")
        return redirect(url_for("orders.order", reference=reference))
    except PaymentMismatch:
        abort(409)
    except DomainError as error:
        show_refusal(error)
        return redirect(url_for("orders.order", reference=reference), 303)
    return _after_payment(reference, completion)


def _after_payment(reference: str, completion: Completion):
    """Tell the buyer what became of their payment, on the order (or the pay page, to retry)."""
    if completion.outcome in ("recorded", "already"):
        flash(_("Thank you: your payment is received and your order is placed."), "success")
    elif completion.outcome == "refunded_late":
        flash(_("Your payment arrived after the order had expired, so it is being refunded in "
                "full."), "error")
    else:
        flash(_("The payment did not go through. You can try again."), "error")
        return redirect(url_for("orders.pay", reference=reference))
    return redirect(url_for("orders.order", reference=reference))


@bp.post("/payments/stripe/webhook")
@csrf.exempt  # Stripe signs its requests instead
def stripe_webhook():
    """Stripe's report of a payment. The answer is for Stripe, not a person: JSON, and a 400
    with the reason for a body it should not have sent (its dashboard shows it), never a flash
    or a redirect."""
    gateway = stripe_gateway()
    if gateway is None:
        abort(404)
    payload = request.get_data()
    try:
        gateway.verify_signature(payload, request.headers.get("Stripe-Signature"))
    except ValueError as error:
        return {"error": str(error)}, 400
    try:
        handled = payments.handle_event(stripe_events.parse_event(payload))
    except stripe_events.MalformedEvent as error:
        return {"error": str(error)}, 400  # checked before anything is stored
    except PaymentMismatch:
        db.session.rollback()
        return {"error": "amount or currency does not match"}, 400
    except UnknownPayment:
        db.session.rollback()
        return {"status": "ignored"}, 200  # not ours (another integration on the account)
    return {"status": handled.outcome}, 200
