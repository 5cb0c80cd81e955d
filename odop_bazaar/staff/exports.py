"""CSV exports of the staff lists: the same query parameters, places and filters as the page."""

from flask import request
from flask_login import current_user

from odop_bazaar.access import staff_required
from odop_bazaar.csv_export import csv_response, filename
from odop_bazaar.db_types import today_in_india
from odop_bazaar.services.accounts.staff_scope import scope_of
from odop_bazaar.services.downloads import record_export
from odop_bazaar.services.reporting import staff_reports
from odop_bazaar.staff import bp
from odop_bazaar.staff.filters import filter_params, listing_filters, order_filters, seller_filters
from odop_bazaar.staff.forms import ListingQueueFilterForm, SellerQueueFilterForm


def _export(kind: str, filters, columns, rows):
    record_export(current_user, kind, filter_params(filters))
    return csv_response(filename(kind, today_in_india()),
                        [str(column) for column in columns], rows)


@bp.get("/sellers/export.csv")
@staff_required
def export_sellers():
    filters = seller_filters(SellerQueueFilterForm(request.args))
    return _export("sellers", filters, staff_reports.SELLER_COLUMNS,
                   staff_reports.seller_rows(filters, scope_of(current_user)))


@bp.get("/listings/export.csv")
@staff_required
def export_listings():
    filters = listing_filters(ListingQueueFilterForm(request.args))
    return _export("listings", filters, staff_reports.LISTING_COLUMNS,
                   staff_reports.listing_rows(filters, scope_of(current_user)))


@bp.get("/orders/export.csv")
@staff_required
def export_orders():
    filters = order_filters(request.args)
    return _export("orders", filters, staff_reports.ORDER_COLUMNS,
                   staff_reports.order_rows(filters, scope_of(current_user)))
