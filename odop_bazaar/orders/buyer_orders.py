"""The buyer's orders: the list, one checkout's orders with their history, cancelling one, and
the tax invoice (which its seller and staff may see too)."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from odop_bazaar.access import buyer_required
from odop_bazaar.models.orders import Checkout
from odop_bazaar.orders import bp
from odop_bazaar.orders.forms import CancelForm
from odop_bazaar.services import sellers
from odop_bazaar.services.accounts.staff_scope import scope_of
from odop_bazaar.services.errors import DomainError
from odop_bazaar.services.orders import fulfilment, queries
from odop_bazaar.services.returns import queries as return_queries
from odop_bazaar.services.returns.requests import may_return
from odop_bazaar.services.reviews import queries as review_queries
from odop_bazaar.web import show_refusal


def own_checkout_or_404(reference: str) -> Checkout:
    """The signed-in buyer's checkout by its reference; another buyer's is not found."""
    placed = queries.buyer_checkout(current_user, reference)
    if placed is None:
        abort(404)
    return placed


@bp.get("/orders")
@buyer_required
def orders():
    return render_template("orders/orders.html", checkouts=queries.buyer_checkouts(current_user))


@bp.get("/orders/<reference>")
@buyer_required
def order(reference: str):
    placed = own_checkout_or_404(reference)
    return render_template("orders/order.html", checkout=placed, cancel_form=CancelForm(),
                           timeline={o.id: queries.timeline(o) for o in placed.orders},
                           late_refund=queries.late_refund(placed),
                           returns=return_queries.returns_by_order([o.id for o in placed.orders]),
                           returnable={o.id for o in placed.orders if may_return(o)},
                           review_links=review_queries.review_links(placed.orders))


@bp.post("/orders/<reference>/<id:order_id>/cancel")
@buyer_required
def cancel(reference: str, order_id: int):
    placed = own_checkout_or_404(reference)
    order = next((o for o in placed.orders if o.id == order_id), None)
    form = CancelForm()
    if order is None:
        abort(404)
    if not form.validate():
        abort(400)
    try:
        fulfilment.cancel_order(order, current_user, "buyer", form.reason.data or "")
    except DomainError as error:
        show_refusal(error)
    else:
        flash(_("The order is cancelled."), "success")
    return redirect(url_for("orders.order", reference=reference), 303)


@bp.get("/orders/<reference>/<id:order_id>/invoice")
@login_required
def invoice(reference: str, order_id: int):
    """The GST tax invoice of one seller order: for its buyer, its seller and staff."""
    order = queries.order_in_checkout(reference, order_id)
    if order is None or not _may_see_order(order) or not order.has_invoice:
        abort(404)
    return render_template("orders/invoice.html", order=order, checkout=order.checkout)


def _may_see_order(order) -> bool:
    if current_user.is_staff:
        return scope_of(current_user).covers(order.seller.state_lgd_code,
                                              order.seller.district_lgd_code)
    if current_user.is_buyer:
        return order.buyer_id == current_user.id
    if current_user.is_seller:
        seller = sellers.seller_for_user(current_user)
        return order.seller_id == seller.id
    return False
