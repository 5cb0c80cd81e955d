"""The staff dashboard: coverage of India's districts, queues, decisions, orders and sales."""

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from odop_bazaar.access import staff_required
from odop_bazaar.charts import bar_chart
from odop_bazaar.db_types import utcnow
from odop_bazaar.money import format_rupees
from odop_bazaar.services.accounts.staff_scope import scope_of
from odop_bazaar.services.reference import places
from odop_bazaar.services.reporting import dashboard
from odop_bazaar.staff import bp
from odop_bazaar.staff.filters import id_or_none
from odop_bazaar.templating import format_number, format_percent

WEEKS = 8


@bp.get("", strict_slashes=False)
@staff_required
def index():
    scope = scope_of(current_user)
    numbers = dashboard.dashboard_numbers(
        scope, sort=request.args.get("sort"), descending=request.args.get("order") == "desc",
        weeks=WEEKS, worklist_state=id_or_none(request.args.get("gap_state")),
        worklist_page=id_or_none(request.args.get("gap_page")) or 1,
        only_reviewer=None if current_user.is_admin else current_user.id)
    return render_template(
        "staff/dashboard.html", scope=scope, **vars(numbers),
        worklist_page_size=dashboard.WORKLIST_PAGE, all_states=places.all_states(),
        now=utcnow(), charts=_charts(numbers))


def _charts(numbers: dashboard.DashboardNumbers) -> dict:
    # The bar charts beside the tables: the same numbers, drawn (formatting is the view's).
    return {
        "state_sellers": bar_chart(
            "chart-state-sellers", _("Share of districts with an approved seller, by state"),
            [(row.label, row.seller_share, format_percent(row.seller_share))
             for row in numbers.states], maximum=100),
        "sector": bar_chart(
            "chart-sector", _("Districts with an approved seller, by sector"),
            [(row.label, row.with_seller, f"{row.with_seller} / {row.districts}")
             for row in numbers.sectors]),
        "sales_state": bar_chart(
            "chart-sales-state", _("Sales by the seller's state"),
            [(row.label, row.sales_paise, format_rupees(row.sales_paise))
             for row in numbers.by_state]),
        "sales_sector": bar_chart(
            "chart-sales-sector", _("Sales by sector"),
            [(row.label, row.sales_paise, format_rupees(row.sales_paise))
             for row in numbers.by_sector]),
        "sales_week": bar_chart(
            "chart-sales-week", _("Orders by week"),
            [(_("Week of %(date)s", date=row.label), row.orders, format_number(row.orders))
             for row in numbers.by_week]),
    }
