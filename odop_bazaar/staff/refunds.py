"""Bank and UPI refunds of cash-on-delivery orders, for staff to pay: the queue (oldest first,
within the staff member's places), one refund with the form to record the transfer, and the
bank's file of refunds to pay (admins only; each download audited)."""

from decimal import Decimal

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from odop_bazaar import csv_export
from odop_bazaar.access import admin_required, staff_required
from odop_bazaar.db_types import today_in_india
from odop_bazaar.services.accounts.staff_scope import scope_of
from odop_bazaar.services.errors import AlreadyChanged, DomainError
from odop_bazaar.services.orders import bank_refunds, refund_queries
from odop_bazaar.staff import bp
from odop_bazaar.staff.forms import RefundPaidForm
from odop_bazaar.web import INVALID, show_refusal


@bp.get("/refunds")
@staff_required
def refunds():
    return render_template("staff/refunds.html",
                           refunds=refund_queries.bank_refunds_to_pay(scope_of(current_user)))


def _refund_or_404(refund_id: int):
    """The bank refund, if its seller is in the staff member's places (else as good as
    missing)."""
    refund = refund_queries.scoped_bank_refund(refund_id, scope_of(current_user))
    if refund is None:
        abort(404)
    return refund


@bp.get("/refunds/<id:refund_id>")
@staff_required
def refund(refund_id: int):
    return render_template("staff/refund.html", refund=_refund_or_404(refund_id),
                           form=RefundPaidForm(paid_on=today_in_india()))


@bp.post("/refunds/<id:refund_id>/paid")
@staff_required
def record_refund_paid(refund_id: int):
    found = _refund_or_404(refund_id)
    form = RefundPaidForm()
    if form.validate_on_submit():
        try:
            bank_refunds.record_bank_refund_paid(
                found.id, paid_on=form.paid_on.data, reference=form.reference.data or "",
                actor=current_user, today=today_in_india())
        except AlreadyChanged as error:  # a second click: the page says it is paid
            show_refusal(error)
            return redirect(url_for("staff.refund", refund_id=found.id), 303)
        except DomainError as error:
            show_refusal(error, form)
        else:
            flash(_("Refund recorded as paid; the buyer is told by email."), "success")
            return redirect(url_for("staff.refunds"), 303)
    return render_template("staff/refund.html", refund=found, form=form), INVALID


@bp.get("/refunds/to-pay.csv")
@admin_required
def refunds_csv():
    """The bank's bulk-payment file of refunds to pay: the one place the buyers' full account
    numbers leave the database (every page shows them masked); each download is audited."""
    due = bank_refunds.take_refund_file(scope_of(current_user), current_user)
    header = [_("Refund number"), _("Order"), _("Account holder"), _("Account number"),
              _("IFSC"), _("UPI id"), _("Amount (₹)"), _("Narration")]
    # Read now: the file is streamed after the request's session has closed.
    rows = [[refund.id, refund.order.reference, refund.payee_name,
             refund.payee_account_number or "", refund.payee_ifsc or "",
             refund.payee_upi_id or "", Decimal(refund.amount_paise).scaleb(-2),
             f"ODOP Bazaar refund {refund.order.reference}"] for refund in due]
    return csv_export.csv_response(csv_export.filename("refunds", today_in_india()), header,
                                   rows)
