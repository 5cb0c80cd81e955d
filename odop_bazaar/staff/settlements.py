"""Settlements for staff: what each seller is owed, their ledger, payouts and corrections."""

from decimal import Decimal

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from odop_bazaar import csv_export
from odop_bazaar.access import admin_required, staff_required
from odop_bazaar.db_types import today_in_india
from odop_bazaar.identifiers import InvalidIdentifier
from odop_bazaar.money import parse_rupees
from odop_bazaar.services.accounts.staff_scope import scope_of
from odop_bazaar.services.errors import DomainError
from odop_bazaar.services.orders import marketplace_settings
from odop_bazaar.services.settlements import payouts, queries
from odop_bazaar.staff import bp
from odop_bazaar.staff.filters import id_or_none
from odop_bazaar.staff.forms import CorrectionForm, PayoutForm, PostCreditsForm
from odop_bazaar.staff.scoped import seller_or_404
from odop_bazaar.web import INVALID, show_refusal


@bp.get("/settlements")
@staff_required
def settlements_index():
    rows = queries.balances(scope_of(current_user))
    return render_template(
        "staff/settlements.html", rows=rows, owed=sum(max(r.balance_paise, 0) for r in rows),
        post_form=PostCreditsForm(), window=current_app.config["RETURN_WINDOW_DAYS"],
        commission_bps=marketplace_settings.current("commission_bps")["commission_bps"])


@bp.post("/settlements/post")
@admin_required
def post_credits():
    if not PostCreditsForm().validate_on_submit():
        abort(400)
    written = payouts.post_due_credits(
        return_window_days=current_app.config["RETURN_WINDOW_DAYS"])
    flash(_("The ledger is up to date: %(n)s new entries.", n=written), "success")
    return redirect(url_for("staff.settlements_index"), 303)


def _ledger_page(seller_id: int, payout_form=None, correction_form=None, status=200):
    seller = seller_or_404(seller_id)
    return render_template(
        "staff/settlement.html", seller=seller, balance=queries.balance(seller.id),
        entries=queries.statement(seller.id),
        pending=queries.pending_credits(
            seller.id, return_window_days=current_app.config["RETURN_WINDOW_DAYS"]),
        payout_form=payout_form or PayoutForm(paid_on=today_in_india()),
        correction_form=correction_form or CorrectionForm()), status


@bp.get("/settlements/<id:seller_id>")
@staff_required
def settlement(seller_id: int):
    return _ledger_page(seller_id)


def _amount(field, *, signed: bool = False) -> int | None:
    """The field's rupees as paise, or None with the message put beside the field."""
    text = (field.data or "").strip()
    sign = -1 if signed and text.startswith(("-", "−")) else 1
    try:
        return sign * parse_rupees(text.lstrip("-−+ ") if signed else text)
    except InvalidIdentifier as error:
        field.errors = [*field.errors, str(error)]
        return None


@bp.post("/settlements/<id:seller_id>/payouts")
@staff_required
def record_payout(seller_id: int):
    seller = seller_or_404(seller_id)
    form = PayoutForm()
    valid = form.validate_on_submit()
    amount = _amount(form.amount)
    if not valid or amount is None:
        return _ledger_page(seller.id, payout_form=form, status=INVALID)
    try:
        payouts.record_payout(seller.id, amount_paise=amount, paid_on=form.paid_on.data,
                              bank_reference=form.bank_reference.data or "",
                              note=form.note.data or "", actor=current_user,
                              today=today_in_india())
    except DomainError as error:
        show_refusal(error, form)
    else:
        flash(_("Payout recorded."), "success")
        return redirect(url_for("staff.settlement", seller_id=seller.id), 303)
    return _ledger_page(seller.id, payout_form=form, status=INVALID)


@bp.post("/settlements/<id:seller_id>/corrections")
@admin_required
def record_correction(seller_id: int):
    seller = seller_or_404(seller_id)
    form = CorrectionForm()
    valid = form.validate_on_submit()
    amount = _amount(form.amount, signed=True)
    corrects = id_or_none(form.corrects.data)
    if (form.corrects.data or "").strip() and corrects is None:
        form.corrects.errors = [*form.corrects.errors, _("Enter an entry number from the list.")]
        valid = False
    if not valid or amount is None:
        return _ledger_page(seller.id, correction_form=form, status=INVALID)
    try:
        payouts.record_correction(seller.id, amount_paise=amount, reason=form.reason.data,
                                  corrects_id=corrects, actor=current_user)
    except DomainError as error:
        show_refusal(error, form)
    else:
        flash(_("Correction recorded."), "success")
        return redirect(url_for("staff.settlement", seller_id=seller.id), 303)
    return _ledger_page(seller.id, correction_form=form, status=INVALID)


@bp.get("/settlements/payouts.csv")
@admin_required
def payouts_csv():
    """The bank's bulk-payment file: one line per seller owed money with complete bank details.

    Admins only: it is the one place full account numbers leave the database (the pages show
    them masked); each download is written to the audit log.
    """
    due = payouts.take_payout_file(scope_of(current_user), current_user)
    header = [_("Seller number"), _("Seller"), _("Account holder"), _("Account number"),
              _("IFSC"), _("Amount (₹)"), _("Narration")]
    rows = ([row.seller_id, row.name, row.holder, row.account_number, row.ifsc,
             Decimal(row.balance_paise) / 100, f"ODOP Bazaar payout {row.seller_id}"]
            for row in due)
    return csv_export.csv_response(csv_export.filename("payouts", today_in_india()), header, rows)
