"""Cart, checkout, card payment, the Stripe webhook, buyer orders, seller orders and payouts."""

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, user_logged_in
from wtforms.fields.choices import SelectChoice

from odop_bazaar.access import buyer_required, seller_required
from odop_bazaar.extensions import csrf, db
from odop_bazaar.models.orders import Checkout, CheckoutState, OrderStatus, PaymentMethod
from odop_bazaar.orders import bp
from odop_bazaar.orders.forms import (
    AddToCartForm,
    CancelForm,
    CheckoutForm,
    EmptyForm,
    QuantityForm,
    ShipForm,
)
from odop_bazaar.payments import GatewayError, card_payments_enabled, stripe_gateway
from odop_bazaar.services import notifications
from odop_bazaar.services.accounts.staff_scope import scope_of
from odop_bazaar.services.errors import DomainError, FieldErrors
from odop_bazaar.services.orders import cart as cart_service
from odop_bazaar.services.orders import checkout as checkout_service
from odop_bazaar.services.orders import orders as order_service
from odop_bazaar.services.orders import stripe_events
from odop_bazaar.services.reference import places
from odop_bazaar.services.sellers import onboarding
from odop_bazaar.services.settlements import queries as settlement_queries
from odop_bazaar.services.workflow import InvalidTransition
from odop_bazaar.web import INVALID, send_or_warn

# --- Cart ---------------------------------------------------------------------------------------

@user_logged_in.connect
def _bring_the_cart_along(sender, user, **extra):
    """A visitor's cart becomes the buyer's when they log in (or register)."""
    cart_service.merge_at_sign_in(user, session)



def _cart_owner():
    return current_user if current_user.is_authenticated else None


def _may_buy() -> bool:
    return not current_user.is_authenticated or current_user.role == "buyer"


@bp.get("/cart")
def cart():
    lines = cart_service.lines(_cart_owner(), session)
    summary = checkout_service.summarise(_cart_owner(), session, lines) if lines else None
    return render_template("orders/cart.html", lines=lines, summary=summary,
                           quantity_form=QuantityForm(), remove_form=EmptyForm(),
                           may_buy=_may_buy())


@bp.post("/cart/add/<id:listing_id>")
def add_to_cart(listing_id: int):
    form = AddToCartForm()
    back = request.referrer if (request.referrer or "").startswith(request.host_url) else None
    if not _may_buy():
        flash(_("Seller and staff accounts cannot buy. Log out, or use a buyer account."), "error")
        return redirect(back or url_for("orders.cart"))
    if not form.validate():
        abort(400)
    try:
        cart_service.add(_cart_owner(), session, listing_id, form.quantity.data)
    except cart_service.CartError as error:
        flash(str(error), "error")
        return redirect(back or url_for("orders.cart")), 303
    flash(_("Added to your cart."), "success")
    return redirect(url_for("orders.cart"), 303)


@bp.post("/cart/items/<id:listing_id>")
def update_cart_item(listing_id: int):
    form = QuantityForm()
    if not form.validate():
        abort(400)
    try:
        cart_service.set_quantity(_cart_owner(), session, listing_id, form.quantity.data)
    except cart_service.CartError as error:
        flash(str(error), "error")
    return redirect(url_for("orders.cart"), 303)


@bp.post("/cart/items/<id:listing_id>/remove")
def remove_cart_item(listing_id: int):
    if not EmptyForm().validate():
        abort(400)
    cart_service.remove(_cart_owner(), session, listing_id)
    flash(_("Removed from your cart."), "success")
    return redirect(url_for("orders.cart"), 303)


# --- Checkout -----------------------------------------------------------------------------------

def _checkout_page(form, summary, status=200):
    form.state.choices = [SelectChoice("", _("Choose the state"))] + [
        SelectChoice(str(state.lgd_code), state.name) for state in places.all_states()]
    if not card_payments_enabled():
        form.payment_method.choices = [c for c in form.payment_method.choices
                                       if c.value == PaymentMethod.CASH_ON_DELIVERY]
    form.fingerprint.data = summary.fingerprint
    return render_template("orders/checkout.html", form=form, summary=summary), status


@bp.route("/checkout", methods=["GET", "POST"])
@buyer_required
def checkout():
    form = CheckoutForm()
    summary = checkout_service.summarise(current_user, session)
    if request.method == "GET":
        if not summary.groups:
            flash(_("Your cart is empty."), "info")
            return redirect(url_for("orders.cart"))
        last = order_service.buyer_checkouts(current_user)[:1]
        if last:  # the last address, so a repeat buyer types nothing
            previous = last[0]
            form = CheckoutForm(formdata=None, name=previous.delivery_name,
                                phone=previous.delivery_phone, line1=previous.delivery_line1,
                                line2=previous.delivery_line2, city=previous.delivery_city,
                                state=str(previous.delivery_state_lgd_code),
                                pin=previous.delivery_pin)
        else:
            form.name.data = current_user.full_name
        return _checkout_page(form, summary)
    if not form.validate():
        abort(400)  # only the CSRF token can fail here
    try:
        placed = checkout_service.place_order(
            current_user, session,
            {name: getattr(form, name).data for name in
             ("name", "phone", "line1", "line2", "city", "state", "pin")},
            form.payment_method.data or "", form.fingerprint.data or "")
    except FieldErrors as error:
        error.attach_to(form)
        return _checkout_page(form, summary, INVALID)
    except checkout_service.AlreadyPlaced as repeat:
        flash(str(repeat), "success")
        return redirect(_where_a_placed_checkout_goes(repeat.checkout), 303)
    except checkout_service.StillPlacing as error:
        flash(str(error), "info")
        return redirect(url_for("orders.orders"), 303)
    except checkout_service.EmptyCart as error:
        flash(str(error), "info")
        return redirect(url_for("orders.cart"))
    except (checkout_service.CartChanged, checkout_service.OutOfStock) as error:
        form.form_errors.append(str(error))
        return _checkout_page(form, checkout_service.summarise(current_user, session), 409)
    except checkout_service.PaymentUnavailable as error:
        form.form_errors.append(str(error))
        return _checkout_page(form, checkout_service.summarise(current_user, session), 503)
    if placed.payment_method == PaymentMethod.CASH_ON_DELIVERY:
        _mail_order_placed(placed)
        flash(_("Thank you: your order is placed. Pay in cash when it arrives."), "success")
    return redirect(_where_a_placed_checkout_goes(placed), 303)


def _where_a_placed_checkout_goes(placed: Checkout) -> str:
    """A card checkout waiting for its payment goes to the payment page; any other to the order."""
    if placed.state == CheckoutState.AWAITING_PAYMENT:
        return url_for("orders.pay", reference=placed.reference)
    return url_for("orders.order", reference=placed.reference)


def _mail_order_placed(placed: Checkout) -> None:
    send_or_warn(notifications.send_order_placed, placed)


def _own_checkout_or_404(reference: str) -> Checkout:
    placed = order_service.buyer_checkout(current_user, reference)
    if placed is None:
        abort(404)
    return placed


@bp.get("/checkout/<reference>/pay")
@buyer_required
def pay(reference: str):
    placed = _own_checkout_or_404(reference)
    gateway = stripe_gateway()
    if placed.state != "awaiting_payment" or gateway is None:
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
    placed = _own_checkout_or_404(reference)
    gateway = stripe_gateway()
    if gateway is None or not placed.stripe_payment_intent_id:
        return redirect(url_for("orders.order", reference=reference))
    try:
        intent = gateway.retrieve_intent(placed.stripe_payment_intent_id)
        completion = order_service.complete_payment(intent, source="return")
    except GatewayError:
        flash(_("We could not confirm the payment just now; this page will show it once "
                "Stripe tells us."), "info")
        return redirect(url_for("orders.order", reference=reference))
    except order_service.PaymentMismatch:
        abort(409)
    if completion.outcome == "recorded":
        _mail_order_placed(completion.checkout)
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
    gateway = stripe_gateway()
    if gateway is None:
        abort(404)
    payload = request.get_data()
    try:
        gateway.verify_signature(payload, request.headers.get("Stripe-Signature"))
    except ValueError as error:
        return {"error": str(error)}, 400
    try:
        handled = order_service.handle_event(stripe_events.parse_event(payload))
    except stripe_events.MalformedEvent as error:
        return {"error": str(error)}, 400  # checked before anything is stored
    except order_service.PaymentMismatch:
        db.session.rollback()
        return {"error": "amount or currency does not match"}, 400
    except order_service.UnknownPayment:
        db.session.rollback()
        return {"status": "ignored"}, 200  # not ours (another integration on the account)
    if handled.outcome == "recorded":
        try:
            notifications.send_order_placed(handled.checkout)
        except OSError:
            current_app.logger.exception("Could not mail an order confirmation")
    return {"status": handled.outcome}, 200


# --- The buyer's orders ------------------------------------------------------------------------

@bp.get("/orders")
@buyer_required
def orders():
    return render_template("orders/orders.html",
                           checkouts=order_service.buyer_checkouts(current_user))


@bp.get("/orders/<reference>")
@buyer_required
def order(reference: str):
    placed = _own_checkout_or_404(reference)
    return render_template("orders/order.html", checkout=placed, cancel_form=CancelForm(),
                           timeline={o.id: order_service.timeline(o) for o in placed.orders},
                           late_refund=order_service.late_refund(placed))


@bp.post("/orders/<reference>/<id:order_id>/cancel")
@buyer_required
def cancel(reference: str, order_id: int):
    placed = _own_checkout_or_404(reference)
    order = next((o for o in placed.orders if o.id == order_id), None)
    form = CancelForm()
    if order is None:
        abort(404)
    if not form.validate():
        abort(400)
    try:
        order_service.cancel_order(order, current_user, "buyer", form.reason.data or "")
    except (InvalidTransition, FieldErrors) as error:
        flash(str(error), "error")
        return redirect(url_for("orders.order", reference=reference)), 303
    send_or_warn(notifications.send_order_status, order)
    flash(_("The order is cancelled."), "success")
    return redirect(url_for("orders.order", reference=reference), 303)


@bp.get("/orders/<reference>/<id:order_id>/invoice")
@login_required
def invoice(reference: str, order_id: int):
    """The GST tax invoice of one seller order: for its buyer, its seller and staff."""
    order = order_service.order_in_checkout(reference, order_id)
    if order is None or not _may_see_order(order):
        abort(404)
    if order.status in (OrderStatus.PENDING_PAYMENT,):
        abort(404)
    return render_template("orders/invoice.html", order=order, checkout=order.checkout)


def _may_see_order(order) -> bool:
    if current_user.is_staff:
        return scope_of(current_user).covers(order.seller.state_lgd_code,
                                              order.seller.district_lgd_code)
    if current_user.role == "buyer":
        return order.buyer_id == current_user.id
    if current_user.role == "seller":
        seller = onboarding.seller_for_user(current_user)
        return order.seller_id == seller.id
    return False


# --- The seller's orders -----------------------------------------------------------------------

@bp.get("/seller/orders")
@seller_required
def seller_orders():
    seller = onboarding.seller_for_user(current_user)
    status = request.args.get("status")
    status = status if status in {s.value for s in OrderStatus} else None
    return render_template("orders/seller_orders.html",
                           orders=order_service.seller_orders(seller.id, status),
                           status=status, statuses=list(OrderStatus), step_form=EmptyForm(),
                           ship_form=ShipForm(), cancel_form=CancelForm())


@bp.get("/seller/payouts")
@seller_required
def seller_payouts():
    """What the marketplace owes the seller, what is on its way, and every payout."""
    seller = onboarding.seller_for_user(current_user)
    window = current_app.config["RETURN_WINDOW_DAYS"]
    return render_template("orders/seller_payouts.html", seller=seller,
                           balance=settlement_queries.balance(seller.id),
                           entries=settlement_queries.statement(seller.id),
                           pending=settlement_queries.pending_credits(seller.id,
                                                                      return_window_days=window),
                           window=window)


def _seller_order_or_404(order_id: int):
    seller = onboarding.seller_for_user(current_user)
    try:
        return order_service.seller_order(seller.id, order_id)
    except order_service.NotYourOrder:
        abort(404)


def _refused_on_seller_orders(error):
    """A refused step: its messages on the orders page, where the seller was."""
    messages = error.errors.values() if isinstance(error, FieldErrors) else [error]
    for message in messages:
        flash(str(message), "error")
    return redirect(url_for("orders.seller_orders"), 303)


@bp.post("/seller/orders/<id:order_id>/next")
@seller_required
def seller_next_step(order_id: int):
    order = _seller_order_or_404(order_id)
    form = ShipForm()
    if not form.validate():
        abort(400)
    try:
        order_service.advance(order, current_user, form.step.data or "",
                              carrier=form.carrier.data or "", tracking=form.tracking.data or "")
    except (InvalidTransition, FieldErrors) as error:
        return _refused_on_seller_orders(error)
    send_or_warn(notifications.send_order_status, order)
    flash(_("Order %(reference)s: %(status)s.", reference=order.reference,
            status=order.status_enum.label), "success")
    return redirect(url_for("orders.seller_orders"), 303)


@bp.post("/seller/orders/<id:order_id>/cancel")
@seller_required
def seller_cancel(order_id: int):
    order = _seller_order_or_404(order_id)
    form = CancelForm()
    if not form.validate():
        abort(400)
    try:
        order_service.cancel_order(order, current_user, "seller", form.reason.data or "")
    except (InvalidTransition, FieldErrors) as error:
        return _refused_on_seller_orders(error)
    send_or_warn(notifications.send_order_status, order)
    flash(_("Order %(reference)s is cancelled; its stock is back on your listing.",
            reference=order.reference), "success")
    return redirect(url_for("orders.seller_orders"), 303)


@bp.errorhandler(DomainError)
def _refused(error):  # a refusal no view caught: a clear message, never a 500
    flash(str(error), "error")
    return redirect(url_for("orders.cart")), 303
