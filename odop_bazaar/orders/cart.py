"""The cart: a visitor's in the session, a buyer's in the database, brought along at sign-in."""

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, user_logged_in

from odop_bazaar.orders import bp
from odop_bazaar.orders.cart_count import cart_may_have_changed
from odop_bazaar.orders.forms import AddToCartForm, EmptyForm, QuantityForm
from odop_bazaar.same_origin import same_origin_required
from odop_bazaar.services.errors import DomainError
from odop_bazaar.services.orders import cart as cart_service
from odop_bazaar.services.orders.summary import summarise
from odop_bazaar.web import show_refusal


@user_logged_in.connect
def _bring_the_cart_along(sender, user, **extra):
    """A visitor's cart becomes the buyer's when they log in (or register)."""
    cart_service.merge_at_sign_in(user, session)


def _cart_owner():
    return current_user if current_user.is_authenticated else None


def _may_buy() -> bool:
    return not current_user.is_authenticated or current_user.is_buyer


@bp.get("/cart")
def cart():
    lines = cart_service.lines(_cart_owner(), session)
    summary = summarise(_cart_owner(), session, lines) if lines else None
    return render_template("orders/cart.html", lines=lines, summary=summary,
                           quantity_form=QuantityForm(), remove_form=EmptyForm(),
                           may_buy=_may_buy())


@bp.post("/cart/add/<id:listing_id>")
@same_origin_required  # the form is on the product page that every visitor shares
def add_to_cart(listing_id: int):
    form = AddToCartForm()
    back = request.referrer if (request.referrer or "").startswith(request.host_url) else None
    if not _may_buy():
        flash(_("Seller and staff accounts cannot buy. Log out, or use a buyer account."), "error")
        return redirect(back or url_for("orders.cart"))
    if not form.validate():
        abort(400)
    cart_may_have_changed()
    try:
        cart_service.add(_cart_owner(), session, listing_id, form.quantity.data)
    except DomainError as error:
        show_refusal(error)
        return redirect(back or url_for("orders.cart")), 303
    flash(_("Added to your cart."), "success")
    return redirect(url_for("orders.cart"), 303)


@bp.post("/cart/items/<id:listing_id>")
def update_cart_item(listing_id: int):
    form = QuantityForm()
    if not form.validate():
        abort(400)
    cart_may_have_changed()
    try:
        cart_service.set_quantity(_cart_owner(), session, listing_id, form.quantity.data)
    except DomainError as error:
        show_refusal(error)
    return redirect(url_for("orders.cart"), 303)


@bp.post("/cart/items/<id:listing_id>/remove")
def remove_cart_item(listing_id: int):
    if not EmptyForm().validate():
        abort(400)
    cart_may_have_changed()
    cart_service.remove(_cart_owner(), session, listing_id)
    flash(_("Removed from your cart."), "success")
    return redirect(url_for("orders.cart"), 303)
