"""Checkout: the summary of the cart, where to deliver and how to pay, then the order placed.

Every POST answers with a redirect (POST/redirect/GET), so going back or reloading never asks to
send the form again: a refused order keeps what was typed and why it was refused in the session
(RETRY) and the checkout page GET shows them (a 200: the GET itself went well, and a browser
reports a 4xx document as a failed load); a placed order goes to its page; the checkout of an
empty cart (back after ordering) goes to the cart with a message.
"""

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from odop_bazaar.access import buyer_required
from odop_bazaar.models.orders import Checkout, PaymentMethod
from odop_bazaar.orders import bp
from odop_bazaar.orders.forms import CheckoutForm
from odop_bazaar.payments import card_payments_enabled
from odop_bazaar.services.errors import DomainError
from odop_bazaar.services.orders import checkout as checkout_service
from odop_bazaar.services.orders import queries
from odop_bazaar.services.orders.errors import AlreadyPlaced, EmptyCart, StillPlacing
from odop_bazaar.services.orders.summary import Summary, summarise
from odop_bazaar.services.reference import places
from odop_bazaar.web import show_refusal

RETRY = "checkout_retry"  # what the buyer typed and why it was refused, for the page GET shows


@bp.route("/checkout", methods=["GET", "POST"])
@buyer_required
def checkout():
    summary = summarise(current_user, session)
    if request.method == "GET":
        return _new_checkout_page(summary)
    form = CheckoutForm()
    if not form.validate():
        abort(400)  # only the CSRF token can fail here
    session.pop(RETRY, None)
    try:
        placed = checkout_service.place_order(current_user, session, form.address(),
                                              form.payment_method.data or "",
                                              form.fingerprint.data or "")
    except AlreadyPlaced as repeat:
        flash(str(repeat), "success")
        return redirect(_where_a_placed_checkout_goes(repeat.checkout), 303)
    except DomainError as error:
        return _refused(error, form)
    if placed.payment_method == PaymentMethod.CASH_ON_DELIVERY:
        flash(_("Thank you: your order is placed. Pay in cash when it arrives."), "success")
    return redirect(_where_a_placed_checkout_goes(placed), 303)


def _new_checkout_page(summary: Summary):
    """The checkout form: as typed when an order was just refused (with why), else filled in
    with the buyer's last address, so a repeat buyer types nothing (or at least their name)."""
    if not summary.groups:
        session.pop(RETRY, None)
        flash(_("Your cart is empty."), "info")
        return redirect(url_for("orders.cart"))
    retry = session.get(RETRY)
    if retry:
        return _checkout_page(_form_as_refused(retry), summary)
    last = queries.buyer_checkouts(current_user)[:1]
    if last:
        previous = last[0]
        form = CheckoutForm(formdata=None, name=previous.delivery_name,
                            phone=previous.delivery_phone, line1=previous.delivery_line1,
                            line2=previous.delivery_line2, city=previous.delivery_city,
                            state=str(previous.delivery_state_lgd_code),
                            pin=previous.delivery_pin)
    else:
        form = CheckoutForm()
        form.name.data = current_user.full_name
    return _checkout_page(form, summary)


def _refused(error: DomainError, form: CheckoutForm):
    """An order not placed, answered where it is best answered: a repeat still being placed in
    the orders, an empty cart in the cart, anything else on the checkout page GET shows again,
    with what was typed and the messages beside the fields or at the top (and the summary as it
    is now, when the cart or the payment service was the reason)."""
    if isinstance(error, StillPlacing):
        flash(str(error), "info")
        return redirect(url_for("orders.orders"), 303)
    if isinstance(error, EmptyCart):
        flash(str(error), "info")
        return redirect(url_for("orders.cart"), 303)
    show_refusal(error, form)
    fields = (*CheckoutForm.ADDRESS_FIELDS, "payment_method")
    session[RETRY] = {
        "values": {name: form[name].data or "" for name in fields},
        "errors": {name: [str(message) for message in form[name].errors]
                   for name in fields if form[name].errors},
        "form_errors": [str(message) for message in form.form_errors]}
    return redirect(url_for("orders.checkout"), 303)


def _form_as_refused(retry: dict) -> CheckoutForm:
    """The checkout form as the buyer last sent it, with the messages it was refused with."""
    form = CheckoutForm(formdata=None, data=retry.get("values") or {})
    for name, messages in (retry.get("errors") or {}).items():
        if name in form:
            form[name].errors = list(messages)
    form.form_errors = list(retry.get("form_errors") or [])
    return form


def _checkout_page(form: CheckoutForm, summary: Summary, status=200):
    form.state.choices = [SelectChoice("", _("Choose the state"))] + [
        SelectChoice(str(code), name) for code, name in places.state_choices()]
    if not card_payments_enabled():
        form.payment_method.choices = [c for c in form.payment_method.choices
                                       if c.value == PaymentMethod.CASH_ON_DELIVERY]
    form.fingerprint.data = summary.fingerprint
    return render_template("orders/checkout.html", form=form, summary=summary), status


def _where_a_placed_checkout_goes(placed: Checkout) -> str:
    """A card checkout waiting for its payment goes to the payment page; any other to the order."""
    if placed.awaiting_payment:
        return url_for("orders.pay", reference=placed.reference)
    return url_for("orders.order", reference=placed.reference)


