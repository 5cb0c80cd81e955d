"""The staff's list of orders across sellers, filtered by status, place, seller and payment."""

from flask import render_template, request, url_for
from flask_login import current_user

from odop_bazaar.access import staff_required
from odop_bazaar.models.orders import OrderStatus, PaymentMethod
from odop_bazaar.services.accounts.staff_scope import scope_of
from odop_bazaar.services.orders import queries as order_queries
from odop_bazaar.services.reference import places
from odop_bazaar.staff import bp
from odop_bazaar.staff.filters import filter_params, order_filters


@bp.get("/orders")
@staff_required
def orders():
    filters = order_filters(request.args)
    found, total = order_queries.staff_orders(filters, scope_of(current_user))
    return render_template("staff/orders.html", orders=found, total=total, filters=filters,
                           statuses=list(OrderStatus), methods=list(PaymentMethod),
                           states=places.all_states(),
                           export_url=url_for("staff.export_orders", **filter_params(filters)))
