"""The complaint pages of the person who opens tickets: a buyer (about an order or a listing) or
a seller (about an order or a payout). Another person's ticket, or a subject that is not theirs,
is not found."""

import secrets

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from odop_bazaar.access import role_required
from odop_bazaar.complaints import bp
from odop_bazaar.complaints.forms import ComplaintForm, ReopenForm, ReplyForm
from odop_bazaar.db_types import utcnow
from odop_bazaar.models.accounts import Role
from odop_bazaar.models.complaints import CATEGORIES
from odop_bazaar.services.complaints import queries, tickets
from odop_bazaar.services.errors import DomainError
from odop_bazaar.web import INVALID, show_refusal

opener_required = role_required(Role.BUYER, Role.SELLER)


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 12 else None


def _subject_or_404():
    """The order, listing or payout named by ?order=, ?listing= or ?payout=, if it is the
    signed-in person's to complain about; None when none is named."""
    for kind in queries.SUBJECT_KINDS:
        if kind in request.args:
            subject = queries.subject_for(current_user, kind, _number(request.args[kind]))
            if subject is None:
                abort(404)
            return subject
    return None


def _new_page(form, subject, status=200):
    role = queries.opener_role(current_user)
    form.category.choices = [("", _("Choose one"))] + [
        (category.value, category.label) for category in CATEGORIES[(role, subject.kind)]]
    return render_template("complaints/new.html", form=form, subject=subject), status


@bp.route("/complaints/new", methods=["GET", "POST"])
@opener_required
def new():
    subject = _subject_or_404()
    if subject is None and request.method == "POST":
        abort(404)
    if subject is None:  # nothing named: where to start from
        return render_template("complaints/choose.html", role=queries.opener_role(current_user))
    form = ComplaintForm()
    if not form.is_submitted():
        form.submission_key.data = secrets.token_urlsafe(24)
        return _new_page(form, subject)
    if not form.validate():
        abort(400)
    try:
        opened = tickets.open_complaint(
            current_user, subject.kind, subject.id, category=form.category.data or "",
            description=form.description.data or "",
            submission_key=form.submission_key.data or "",
            return_id=_number(request.args.get("return")))
    except DomainError as error:
        show_refusal(error, form)
        return _new_page(form, subject, INVALID)
    flash(_("Your complaint is open. Its ticket number is %(reference)s; we have emailed it to "
            "you.", reference=opened.complaint.reference), "success")
    return redirect(url_for("complaints.ticket", reference=opened.complaint.reference), 303)


@bp.get("/complaints")
@opener_required
def mine():
    return render_template("complaints/mine.html", complaints=queries.mine(current_user),
                           now=utcnow())


def _own_or_404(reference: str):
    complaint = queries.own_ticket(current_user, reference)
    if complaint is None:
        abort(404)
    return complaint


def _ticket_page(complaint, reply_form=None, reopen_form=None, status=200):
    return render_template(
        "complaints/ticket.html", complaint=complaint, subject=queries.subject_of(complaint),
        reply_form=reply_form or ReplyForm(), reopen_form=reopen_form or ReopenForm(),
        may_reopen=complaint.may_reopen(utcnow(), current_app.config["RESOLVED_REOPEN_DAYS"]),
        reopen_days=current_app.config["RESOLVED_REOPEN_DAYS"]), status


@bp.get("/complaints/<reference>")
@opener_required
def ticket(reference: str):
    return _ticket_page(_own_or_404(reference))


@bp.post("/complaints/<reference>/reply")
@opener_required
def reply(reference: str):
    complaint = _own_or_404(reference)
    form = ReplyForm()
    if not form.validate():
        abort(400)
    try:
        tickets.reply(complaint, current_user, form.body.data or "", as_staff=False)
    except DomainError as error:
        show_refusal(error, form)
        return _ticket_page(complaint, reply_form=form, status=INVALID)
    flash(_("Your reply is added to %(reference)s.", reference=reference), "success")
    return redirect(url_for("complaints.ticket", reference=reference), 303)


@bp.post("/complaints/<reference>/reopen")
@opener_required
def reopen(reference: str):
    complaint = _own_or_404(reference)
    form = ReopenForm()
    if not form.validate():
        abort(400)
    try:
        tickets.reopen(complaint, current_user, form.reason.data or "",
                       reopen_days=current_app.config["RESOLVED_REOPEN_DAYS"])
    except DomainError as error:
        show_refusal(error, form)
        return _ticket_page(complaint, reopen_form=form, status=INVALID)
    flash(_("%(reference)s is open again.", reference=reference), "success")
    return redirect(url_for("complaints.ticket", reference=reference), 303)
