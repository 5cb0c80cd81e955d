"""Staff review of seller applications: the queue, one application, section and seller
decisions, and (admins) suspending or reinstating a seller."""

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from odop_bazaar.access import admin_required, staff_required
from odop_bazaar.extensions import db
from odop_bazaar.models import SectionKey, Seller
from odop_bazaar.services import sellers as seller_service
from odop_bazaar.services.accounts.staff_scope import scope_of
from odop_bazaar.services.errors import DomainError, FieldErrors
from odop_bazaar.staff import bp
from odop_bazaar.staff.filters import filter_params, place_choices, seller_filters
from odop_bazaar.staff.forms import (
    SectionDecisionForm,
    SellerDecisionForm,
    SellerQueueFilterForm,
    SuspensionForm,
)
from odop_bazaar.staff.scoped import seller_or_404
from odop_bazaar.web import show_refusal


@bp.get("/sellers")
@staff_required
def sellers():
    form = SellerQueueFilterForm(request.args)
    place_choices(form)
    filters = seller_filters(form)
    queue, total = seller_service.review_queue(filters, scope_of(current_user))
    return render_template("staff/sellers.html", form=form, queue=queue, total=total,
                           filters=filters, waiting=filters.status == seller_service.WAITING,
                           export_url=url_for("staff.export_sellers", **filter_params(filters)))


@bp.get("/sellers/<id:seller_id>")
@staff_required
def seller(seller_id: int):
    seller = seller_or_404(seller_id)
    return render_template(
        "staff/seller.html", seller=seller, checklist=seller_service.checklist(seller),
        summary=seller_service.review_summary(seller), history=seller_service.history(seller),
        section_form=SectionDecisionForm(), decision_form=SellerDecisionForm(),
        suspension_form=SuspensionForm(), specs=seller_service.SPEC)


def _back(seller: Seller, anchor: str | None = None):
    return redirect(url_for("staff.seller", seller_id=seller.id, _anchor=anchor))


@bp.post("/sellers/<id:seller_id>/sections/<name>")
@staff_required
def decide_section(seller_id: int, name: str):
    seller = seller_or_404(seller_id)
    try:
        key = SectionKey(name)
    except ValueError:
        abort(404)
    form = SectionDecisionForm()
    if bool(form.verify.data) == bool(form.needs_changes.data):
        abort(400)  # exactly one of the two buttons
    try:
        if not form.validate_on_submit():
            raise FieldErrors({"note": _l("The reason is too long: use at most 2,000 "
                                          "characters.")})
        seller_service.decide_section(seller, key, verified=bool(form.verify.data),
                                      note=form.note.data or "", actor=current_user)
    except DomainError as error:
        db.session.rollback()
        return _section_answer(seller, key, error)
    return _section_answer(seller, key)


def _section_answer(seller: Seller, key: SectionKey, error: DomainError | None = None):
    """Back to the section on the review page; or, asked by static/js/staff.js (in place, no
    page load), the section and the decision panel as they are now, with what happened."""
    if error is not None:
        message = " ".join(error.messages() if isinstance(error, FieldErrors) else [str(error)])
    else:
        message = _("Decision saved for “%(section)s”.", section=seller_service.SPEC[key].title)
    if request.headers.get("X-Requested-With") != "fetch":
        flash(message, "error" if error else "success")
        return _back(seller, f"section-{key.value}")
    summary = seller_service.review_summary(seller)
    item = next(item for item in seller_service.checklist(seller).items if item.spec.key == key)
    parts = {"seller": seller, "summary": summary, "section_form": SectionDecisionForm(),
             "decision_form": SellerDecisionForm(), "specs": seller_service.SPEC}
    section = render_template("staff/_review_section.html", item=item, **parts,
                              message=None if error else message, error=error and message)
    decision = (render_template("staff/_review_decision.html", **parts)
                if summary.under_review else None)
    return jsonify(ok=error is None, message=message, section=section,
                   decision=decision), 422 if error else 200


@bp.post("/sellers/<id:seller_id>/decision")
@staff_required
def decide_seller(seller_id: int):
    seller = seller_or_404(seller_id)
    form = SellerDecisionForm()
    if not form.validate_on_submit():
        flash(_("The note is too long: use at most 2,000 characters."), "error")
        return _back(seller)
    if bool(form.approve.data) == bool(form.request_changes.data):
        abort(400)
    try:  # the sections ticked as read and verified, with an approval
        ticked = [SectionKey(name) for name in request.form.getlist("verify_section")]
    except ValueError:
        abort(400)
    note = (form.note.data or "").strip()
    try:
        if form.approve.data:
            seller_service.verify_and_approve(seller, ticked, current_user, note)
        else:
            seller_service.request_changes(seller, current_user, note)
    except DomainError as error:
        show_refusal(error)
    else:
        flash(_("Decision saved."), "success")
        return redirect(url_for("staff.sellers"))
    return _back(seller, "decision")


@bp.post("/sellers/<id:seller_id>/suspension")
@admin_required
def suspension(seller_id: int):
    seller = seller_or_404(seller_id)
    form = SuspensionForm()
    if not form.validate_on_submit():
        flash(_("The reason is too long: use at most 2,000 characters."), "error")
        return _back(seller)
    if bool(form.suspend.data) == bool(form.reinstate.data):
        abort(400)
    reason = (form.note.data or "").strip()
    try:
        if form.suspend.data:
            seller_service.suspend_seller(seller, current_user, reason)
        else:
            seller_service.reinstate_seller(seller, current_user, reason)
    except DomainError as error:
        show_refusal(error)
    else:
        flash(_("Done."), "success")
    return _back(seller)
