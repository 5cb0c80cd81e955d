"""The seller's orders (each step, and cancelling one it cannot send) and its payouts."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from odop_bazaar.access import seller_required
from odop_bazaar.models.orders import Order, OrderStatus
from odop_bazaar.orders import bp
from odop_bazaar.orders.forms import CancelForm, EmptyForm, ShipForm
from odop_bazaar.services import sellers
from odop_bazaar.services.errors import DomainError, FieldErrors
from odop_bazaar.services.orders import fulfilment, queries
from odop_bazaar.services.orders.errors import NotYourOrder
from odop_bazaar.services.settlements import queries as settlement_queries
from odop_bazaar.web import INVALID, show_refusal


@bp.get("/seller/orders")
@seller_required
def seller_orders():
    return _seller_orders_page()


def _seller_orders_page(failed_order_id: int | None = None, failed_form=None) -> str:
    """The seller's orders; after a refused shipment, that order's form with its errors."""
    seller = sellers.seller_for_user(current_user)
    status = request.args.get("status")
    status = status if status in {s.value for s in OrderStatus} else None
    return render_template("orders/seller_orders.html",
                           orders=queries.seller_orders(seller.id, status),
                           status=status, statuses=list(OrderStatus), step_form=EmptyForm(),
                           ship_form=ShipForm(formdata=None), cancel_form=CancelForm(),
                           failed_order_id=failed_order_id, failed_form=failed_form)


@bp.get("/seller/payouts")
@seller_required
def seller_payouts():
    """What the marketplace owes the seller, what is on its way, and every payout."""
    seller = sellers.seller_for_user(current_user)
    window = current_app.config["RETURN_WINDOW_DAYS"]
    return render_template("orders/seller_payouts.html", seller=seller,
                           balance=settlement_queries.balance(seller.id),
                           entries=settlement_queries.statement(seller.id),
                           pending=settlement_queries.pending_credits(seller.id,
                                                               return_window_days=window),
                           window=window)


def _seller_order_or_404(order_id: int) -> Order:
    seller = sellers.seller_for_user(current_user)
    try:
        return queries.seller_order(seller.id, order_id)
    except NotYourOrder:
        abort(404)


@bp.post("/seller/orders/<id:order_id>/next")
@seller_required
def seller_next_step(order_id: int):
    order = _seller_order_or_404(order_id)
    form = ShipForm()
    if not form.validate():
        abort(400)
    try:
        fulfilment.advance(order, current_user, form.step.data or "",
                           carrier=form.carrier.data or "", tracking=form.tracking.data or "")
    except FieldErrors as error:
        # The courier or tracking number: each message beside its field, on this order only.
        show_refusal(error, form)
        return _seller_orders_page(failed_order_id=order.id, failed_form=form), INVALID
    except DomainError as error:
        show_refusal(error)  # on the orders page, where the seller was
    else:
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
        fulfilment.cancel_order(order, current_user, "seller", form.reason.data or "")
    except DomainError as error:
        show_refusal(error)
    else:
        flash(_("Order %(reference)s is cancelled; its stock is back on your listing.",
                reference=order.reference), "success")
    return redirect(url_for("orders.seller_orders"), 303)
