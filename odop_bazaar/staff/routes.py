from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from odop_bazaar.access import staff_required
from odop_bazaar.extensions import db
from odop_bazaar.models import District, SectionKey, Seller, State
from odop_bazaar.models.audit import AuditEntry
from odop_bazaar.services import notifications, onboarding
from odop_bazaar.services.workflow import InvalidTransition
from odop_bazaar.staff import bp
from odop_bazaar.staff.forms import (
    SectionDecisionForm,
    SellerDecisionForm,
    SellerQueueFilterForm,
    SuspensionForm,
)


def _int_or_none(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


@bp.get("", strict_slashes=False)
@staff_required
def index():
    return redirect(url_for("staff.sellers"))


@bp.get("/sellers")
@staff_required
def sellers():
    form = SellerQueueFilterForm(request.args)
    states = db.session.scalars(select(State).order_by(State.name)).all()
    form.state.choices = [SelectChoice("", _("Any state"))] + [
        SelectChoice(str(s.lgd_code), s.name) for s in states]
    state_code = _int_or_none(form.state.data)
    districts = db.session.scalars(select(District).where(
        District.state_lgd_code == state_code).order_by(District.name)).all() if state_code else []
    form.district.choices = [SelectChoice("", _("Any district"))] + [
        SelectChoice(str(d.lgd_code), d.name) for d in districts]
    filters = onboarding.QueueFilters(
        state=state_code, district=_int_or_none(form.district.data),
        seller_type=form.seller_type.data or None, sector=form.sector.data or None)
    return render_template("staff/sellers.html", form=form,
                           queue=onboarding.review_queue(filters))


def _seller_or_404(seller_id: int) -> Seller:
    return db.get_or_404(Seller, seller_id)


@bp.get("/sellers/<id:seller_id>")
@staff_required
def seller(seller_id: int):
    seller = _seller_or_404(seller_id)
    history = db.session.scalars(
        select(AuditEntry).where(AuditEntry.object_type == "seller",
                                 AuditEntry.object_id == seller.id)
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())).all()
    return render_template(
        "staff/seller.html", seller=seller, checklist=onboarding.checklist(seller),
        summary=onboarding.review_summary(seller), history=history,
        section_form=SectionDecisionForm(), decision_form=SellerDecisionForm(),
        suspension_form=SuspensionForm(),
        reviewable=seller.status in ("submitted", "in_review"))


@bp.post("/sellers/<id:seller_id>/sections/<name>")
@staff_required
def decide_section(seller_id: int, name: str):
    seller = _seller_or_404(seller_id)
    try:
        key = SectionKey(name)
    except ValueError:
        abort(404)
    form = SectionDecisionForm()
    if form.validate_on_submit():
        try:
            onboarding.decide_section(seller, key, verified=bool(form.verify.data),
                                      note=form.note.data or "", actor=current_user)
        except onboarding.FieldErrors as error:
            flash(str(error.errors["note"]), "error")
        except onboarding.OnboardingError as error:
            flash(str(error), "error")
        else:
            flash(_("Decision saved for “%(section)s”.", section=onboarding.SPEC[key].title),
                  "success")
    else:
        flash(_("The reason is too long: use at most 2,000 characters."), "error")
    return redirect(url_for("staff.seller", seller_id=seller.id, _anchor=f"section-{key.value}"))


@bp.post("/sellers/<id:seller_id>/decision")
@staff_required
def decide_seller(seller_id: int):
    seller = _seller_or_404(seller_id)
    form = SellerDecisionForm()
    if not form.validate_on_submit():
        flash(_("The note is too long: use at most 2,000 characters."), "error")
        return redirect(url_for("staff.seller", seller_id=seller.id))
    note = (form.note.data or "").strip()
    try:
        if form.approve.data:
            onboarding.approve_seller(seller, current_user, note)
            decision = "approved"
        else:
            onboarding.request_changes(seller, current_user, note)
            decision = "changes_requested"
    except (onboarding.OnboardingError, InvalidTransition) as error:
        flash(str(error), "error")
        return redirect(url_for("staff.seller", seller_id=seller.id))
    notifications.send_seller_decision(seller, decision, note)
    flash(_("Decision sent to the seller."), "success")
    return redirect(url_for("staff.sellers"))


@bp.post("/sellers/<id:seller_id>/suspension")
@staff_required
def suspension(seller_id: int):
    seller = _seller_or_404(seller_id)
    form = SuspensionForm()
    if not form.validate_on_submit():
        flash(_("The reason is too long: use at most 2,000 characters."), "error")
        return redirect(url_for("staff.seller", seller_id=seller.id))
    try:
        if form.suspend.data:
            onboarding.suspend_seller(seller, current_user, form.note.data or "")
            decision = "suspended"
        else:
            onboarding.reinstate_seller(seller, current_user, form.note.data or "")
            decision = "reinstated"
    except onboarding.FieldErrors as error:
        flash(str(error.errors["note"]), "error")
    except InvalidTransition as error:
        flash(str(error), "error")
    else:
        notifications.send_seller_decision(seller, decision, (form.note.data or "").strip())
        flash(_("Done. The seller has been told."), "success")
    return redirect(url_for("staff.seller", seller_id=seller.id))
