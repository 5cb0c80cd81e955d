import re

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from odop_bazaar.access import staff_required
from odop_bazaar.extensions import db
from odop_bazaar.hardening import MAX_ID
from odop_bazaar.identifiers import InvalidIdentifier
from odop_bazaar.models import Listing, SectionKey, Seller
from odop_bazaar.models.orders import OrderStatus, PaymentMethod
from odop_bazaar.money import parse_rupees, rupees_input
from odop_bazaar.services import checkout as checkout_service
from odop_bazaar.services import listings, notifications, onboarding, places
from odop_bazaar.services import orders as order_service
from odop_bazaar.services.errors import FieldErrors
from odop_bazaar.services.workflow import InvalidTransition
from odop_bazaar.staff import bp
from odop_bazaar.staff.forms import (
    DeliverySettingsForm,
    ListingDecisionForm,
    ListingQueueFilterForm,
    SectionDecisionForm,
    SellerDecisionForm,
    SellerQueueFilterForm,
    SuspensionForm,
)
from odop_bazaar.web import send_or_warn


def _id_or_none(value) -> int | None:
    """A filter value as an id; anything else (other scripts' digits, huge numbers) is none."""
    if value and re.fullmatch(r"[0-9]{1,10}", str(value)) and int(value) <= MAX_ID:
        return int(value)
    return None


@bp.get("", strict_slashes=False)
@staff_required
def index():
    return redirect(url_for("staff.sellers"))


@bp.get("/sellers")
@staff_required
def sellers():
    form = SellerQueueFilterForm(request.args)
    form.state.choices = [SelectChoice("", _("Any state"))] + [
        SelectChoice(str(s.lgd_code), s.name) for s in places.all_states()]
    state_code = _id_or_none(form.state.data)
    form.district.choices = [SelectChoice("", _("Any district"))] + [
        SelectChoice(str(d.lgd_code), d.name) for d in places.districts_of(state_code)]
    filters = onboarding.QueueFilters(
        state=state_code, district=_id_or_none(form.district.data),
        seller_type=form.seller_type.data or None, sector=form.sector.data or None)
    queue, total = onboarding.review_queue(filters)
    return render_template("staff/sellers.html", form=form, queue=queue, total=total)


def _seller_or_404(seller_id: int) -> Seller:
    return db.get_or_404(Seller, seller_id)


@bp.get("/sellers/<id:seller_id>")
@staff_required
def seller(seller_id: int):
    seller = _seller_or_404(seller_id)
    return render_template(
        "staff/seller.html", seller=seller, checklist=onboarding.checklist(seller),
        summary=onboarding.review_summary(seller), history=onboarding.history(seller),
        section_form=SectionDecisionForm(), decision_form=SellerDecisionForm(),
        suspension_form=SuspensionForm())


def _back(seller: Seller, anchor: str | None = None):
    return redirect(url_for("staff.seller", seller_id=seller.id, _anchor=anchor))


@bp.post("/sellers/<id:seller_id>/sections/<name>")
@staff_required
def decide_section(seller_id: int, name: str):
    seller = _seller_or_404(seller_id)
    try:
        key = SectionKey(name)
    except ValueError:
        abort(404)
    form = SectionDecisionForm()
    if not form.validate_on_submit():
        flash(_("The reason is too long: use at most 2,000 characters."), "error")
        return _back(seller, f"section-{key.value}")
    if bool(form.verify.data) == bool(form.needs_changes.data):
        abort(400)  # exactly one of the two buttons
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
    return _back(seller, f"section-{key.value}")


@bp.post("/sellers/<id:seller_id>/decision")
@staff_required
def decide_seller(seller_id: int):
    seller = _seller_or_404(seller_id)
    form = SellerDecisionForm()
    if not form.validate_on_submit():
        flash(_("The note is too long: use at most 2,000 characters."), "error")
        return _back(seller)
    if bool(form.approve.data) == bool(form.request_changes.data):
        abort(400)
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
        return _back(seller)
    flash(_("Decision saved."), "success")
    send_or_warn(notifications.send_seller_decision, seller, decision, note)
    return redirect(url_for("staff.sellers"))


@bp.post("/sellers/<id:seller_id>/suspension")
@staff_required
def suspension(seller_id: int):
    seller = _seller_or_404(seller_id)
    form = SuspensionForm()
    if not form.validate_on_submit():
        flash(_("The reason is too long: use at most 2,000 characters."), "error")
        return _back(seller)
    if bool(form.suspend.data) == bool(form.reinstate.data):
        abort(400)
    reason = (form.note.data or "").strip()
    try:
        if form.suspend.data:
            onboarding.suspend_seller(seller, current_user, reason)
            decision = "suspended"
        else:
            onboarding.reinstate_seller(seller, current_user, reason)
            decision = "reinstated"
    except onboarding.FieldErrors as error:
        flash(str(error.errors["note"]), "error")
    except InvalidTransition as error:
        flash(str(error), "error")
    else:
        flash(_("Done."), "success")
        send_or_warn(notifications.send_seller_decision, seller, decision, reason)
    return _back(seller)


@bp.get("/listings")
@staff_required
def listings_queue():
    form = ListingQueueFilterForm(request.args)
    form.state.choices = [SelectChoice("", _("Any state"))] + [
        SelectChoice(str(s.lgd_code), s.name) for s in places.all_states()]
    state_code = _id_or_none(form.state.data)
    form.district.choices = [SelectChoice("", _("Any district"))] + [
        SelectChoice(str(d.lgd_code), d.name) for d in places.districts_of(state_code)]
    filters = listings.ListingFilters(
        state=state_code, district=_id_or_none(form.district.data),
        sector=form.sector.data or None, seller=_id_or_none(form.seller.data))
    queue, total = listings.review_queue(filters)
    return render_template("staff/listings.html", form=form, queue=queue, total=total)


@bp.get("/listings/<id:listing_id>")
@staff_required
def listing(listing_id: int):
    listing = db.get_or_404(Listing, listing_id)
    form = ListingDecisionForm(
        submission=listing.submitted_at.isoformat() if listing.submitted_at else "")
    return render_template("staff/listing.html", listing=listing,
                           content=listing.working_content,
                           changed=(changed := listings.changed_fields(listing)),
                           declarations_changed=bool(changed & set(listings.DECLARATION_FIELDS)),
                           form=form)


@bp.post("/listings/<id:listing_id>/decision")
@staff_required
def decide_listing(listing_id: int):
    listing = db.get_or_404(Listing, listing_id)
    form = ListingDecisionForm()
    if not form.validate_on_submit():
        flash(_("The note is too long: use at most 2,000 characters."), "error")
        return redirect(url_for("staff.listing", listing_id=listing.id))
    pressed = [name for name in ("approve", "request_changes", "remove") if form[name].data]
    if len(pressed) != 1:
        abort(400)
    note = (form.note.data or "").strip()
    try:
        seen = form.submission.data or None  # absent: an older page; decide on what is there
        if pressed == ["approve"]:
            listings.approve_listing(listing, current_user, note, seen_submission=seen)
        elif pressed == ["request_changes"]:
            listings.request_listing_changes(listing, current_user, form.reasons.data or [], note,
                                             seen_submission=seen)
        else:
            listings.remove_listing(listing, current_user, form.reasons.data or [], note)
    except FieldErrors as error:
        flash(str(error.errors["reasons"]), "error")
        return redirect(url_for("staff.listing", listing_id=listing.id))
    except (InvalidTransition, listings.ListingError) as error:
        flash(str(error), "error")
        return redirect(url_for("staff.listing", listing_id=listing.id))
    flash(_("Decision saved."), "success")
    send_or_warn(notifications.send_listing_decision, listing, pressed[0], note)
    return redirect(url_for("staff.listings_queue"))


@bp.get("/orders")
@staff_required
def orders():

    status = request.args.get("status")
    payment = request.args.get("payment")
    filters = order_service.StaffFilters(
        status=status if status in {s.value for s in OrderStatus} else None,
        state=_id_or_none(request.args.get("state")), seller=_id_or_none(request.args.get("seller")),
        payment=payment if payment in {m.value for m in PaymentMethod} else None)
    found, total = order_service.staff_orders(filters)
    return render_template("staff/orders.html", orders=found, total=total, filters=filters,
                           statuses=list(OrderStatus), methods=list(PaymentMethod),
                           states=places.all_states())


def _rupees_or_zero(text) -> int:
    """An amount in rupees where 0 is allowed (free delivery; never free)."""
    if re.fullmatch(r"\s*0+(\.0{1,2})?\s*", text or ""):
        return 0
    return parse_rupees(text or "")


@bp.route("/settings", methods=["GET", "POST"])
@staff_required
def settings():
    """The delivery charge rule (admins change it; other staff see it)."""
    current = checkout_service.delivery_settings()
    form = DeliverySettingsForm(
        charge=rupees_input(current["delivery_charge_paise"]),
        free_from=rupees_input(current["free_delivery_from_paise"]))
    if request.method == "POST":
        if not current_user.is_admin:
            abort(403)
        if form.validate():
            try:
                values = {"delivery_charge_paise": _rupees_or_zero(form.charge.data),
                          "free_delivery_from_paise": _rupees_or_zero(form.free_from.data)}
            except InvalidIdentifier as error:
                form.form_errors.append(str(error))
            else:
                checkout_service.set_delivery_settings(values, current_user)
                flash(_("Delivery charges saved."), "success")
                return redirect(url_for("staff.settings"), 303)
        return render_template("staff/settings.html", form=form), 422
    return render_template("staff/settings.html", form=form)
