"""Staff review queues (sellers, listings) with their decisions, the orders list and settings."""

import re
from dataclasses import asdict

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from odop_bazaar.access import admin_required, staff_required
from odop_bazaar.extensions import db
from odop_bazaar.hardening import MAX_ID
from odop_bazaar.identifiers import InvalidIdentifier
from odop_bazaar.models import Listing, SectionKey, Seller
from odop_bazaar.models.catalogue import DECLARATION_FIELDS
from odop_bazaar.models.orders import OrderStatus, PaymentMethod
from odop_bazaar.money import parse_rupees, rupees_input
from odop_bazaar.services import notifications
from odop_bazaar.services import sellers as seller_service
from odop_bazaar.services.accounts.staff_scope import OutOfScope, check_seller, scope_of
from odop_bazaar.services.catalogue import moderation, queries
from odop_bazaar.services.errors import DomainError
from odop_bazaar.services.orders import marketplace_settings
from odop_bazaar.services.orders import queries as order_service
from odop_bazaar.services.reference import places
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
from odop_bazaar.web import send_or_warn, show_refusal


def _id_or_none(value) -> int | None:
    """A filter value as an id; anything else (other scripts' digits, huge numbers) is none."""
    if value and re.fullmatch(r"[0-9]{1,10}", str(value)) and int(value) <= MAX_ID:
        return int(value)
    return None


def filter_params(filters) -> dict:
    """The filters as query parameters, for the export link and the audit note."""
    return {name: value for name, value in asdict(filters).items() if value not in (None, "")}


def seller_filters(form: SellerQueueFilterForm) -> seller_service.QueueFilters:
    """The seller list's filters from its GET form (the page and its export share them)."""
    status = form.status.data if form.status.data in seller_service.SELLER_LISTS else None
    return seller_service.QueueFilters(
        state=_id_or_none(form.state.data), district=_id_or_none(form.district.data),
        seller_type=form.seller_type.data or None, sector=form.sector.data or None,
        status=status or seller_service.WAITING)


def _place_choices(form) -> None:
    form.state.choices = [SelectChoice("", _("Any state"))] + [
        SelectChoice(str(s.lgd_code), s.name) for s in places.all_states()]
    form.district.choices = [SelectChoice("", _("Any district"))] + [
        SelectChoice(str(d.lgd_code), d.name)
        for d in places.districts_of(_id_or_none(form.state.data))]


@bp.get("/sellers")
@staff_required
def sellers():
    form = SellerQueueFilterForm(request.args)
    _place_choices(form)
    filters = seller_filters(form)
    queue, total = seller_service.review_queue(filters, scope_of(current_user))
    return render_template("staff/sellers.html", form=form, queue=queue, total=total,
                           filters=filters, waiting=filters.status == seller_service.WAITING,
                           export_url=url_for("staff.export_sellers", **filter_params(filters)))


def _seller_or_404(seller_id: int) -> Seller:
    """The seller, if they are in the places this staff member works on (else 404: staff
    elsewhere need not learn that the seller exists)."""
    try:
        return check_seller(current_user, db.session.get(Seller, seller_id))
    except OutOfScope:
        abort(404)


def _listing_or_404(listing_id: int) -> Listing:
    listing = db.get_or_404(Listing, listing_id)
    _seller_or_404(listing.seller_id)
    return listing


@bp.get("/sellers/<id:seller_id>")
@staff_required
def seller(seller_id: int):
    seller = _seller_or_404(seller_id)
    return render_template(
        "staff/seller.html", seller=seller, checklist=seller_service.checklist(seller),
        summary=seller_service.review_summary(seller), history=seller_service.history(seller),
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
        seller_service.decide_section(seller, key, verified=bool(form.verify.data),
                                      note=form.note.data or "", actor=current_user)
    except DomainError as error:
        show_refusal(error)
    else:
        flash(_("Decision saved for “%(section)s”.", section=seller_service.SPEC[key].title),
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
            seller_service.approve_seller(seller, current_user, note)
            decision = "approved"
        else:
            seller_service.request_changes(seller, current_user, note)
            decision = "changes_requested"
    except DomainError as error:
        show_refusal(error)
    else:
        flash(_("Decision saved."), "success")
        send_or_warn(notifications.send_seller_decision, seller, decision, note)
        return redirect(url_for("staff.sellers"))
    return _back(seller)


@bp.post("/sellers/<id:seller_id>/suspension")
@admin_required
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
            seller_service.suspend_seller(seller, current_user, reason)
            decision = "suspended"
        else:
            seller_service.reinstate_seller(seller, current_user, reason)
            decision = "reinstated"
    except DomainError as error:
        show_refusal(error)
    else:
        flash(_("Done."), "success")
        send_or_warn(notifications.send_seller_decision, seller, decision, reason)
    return _back(seller)


@bp.get("/listings")
@staff_required
def listings_queue():
    form = ListingQueueFilterForm(request.args)
    _place_choices(form)
    filters = listing_filters(form)
    queue, total = queries.review_queue(filters, scope_of(current_user))
    return render_template("staff/listings.html", form=form, queue=queue, total=total,
                           filters=filters, waiting=filters.status == queries.WAITING,
                           export_url=url_for("staff.export_listings", **filter_params(filters)))


def listing_filters(form: ListingQueueFilterForm) -> queries.ListingFilters:
    """The listing list's filters from its GET form (the page and its export share them)."""
    status = form.status.data if form.status.data in queries.LISTING_LISTS else None
    return queries.ListingFilters(
        state=_id_or_none(form.state.data), district=_id_or_none(form.district.data),
        sector=form.sector.data or None, seller=_id_or_none(form.seller.data),
        status=status or queries.WAITING)


@bp.get("/listings/<id:listing_id>")
@staff_required
def listing(listing_id: int):
    listing = _listing_or_404(listing_id)
    form = ListingDecisionForm(
        submission=listing.submitted_at.isoformat() if listing.submitted_at else "")
    return render_template("staff/listing.html", listing=listing,
                           content=listing.working_content,
                           changed=(changed := queries.changed_fields(listing)),
                           declarations_changed=bool(changed & set(DECLARATION_FIELDS)),
                           form=form)


def _decide_listing(listing: Listing, decision: str, form: ListingDecisionForm, note: str):
    """Apply the decision of the button the reviewer pressed."""
    seen = form.submission.data or None  # absent: an older page; decide on what is there
    if decision == "approve":
        moderation.approve_listing(listing, current_user, note, seen_submission=seen)
    elif decision == "request_changes":
        moderation.request_listing_changes(listing, current_user, form.reasons.data or [], note,
                                           seen_submission=seen)
    else:
        moderation.remove_listing(listing, current_user, form.reasons.data or [], note)


@bp.post("/listings/<id:listing_id>/decision")
@staff_required
def decide_listing(listing_id: int):
    listing = _listing_or_404(listing_id)
    form = ListingDecisionForm()
    if not form.validate_on_submit():
        flash(_("The note is too long: use at most 2,000 characters."), "error")
        return redirect(url_for("staff.listing", listing_id=listing.id))
    pressed = [name for name in ("approve", "request_changes", "remove") if form[name].data]
    if len(pressed) != 1:
        abort(400)
    note = (form.note.data or "").strip()
    try:
        _decide_listing(listing, pressed[0], form, note)
    except DomainError as error:
        show_refusal(error)
    else:
        flash(_("Decision saved."), "success")
        send_or_warn(notifications.send_listing_decision, listing, pressed[0], note)
        return redirect(url_for("staff.listings_queue"))
    return redirect(url_for("staff.listing", listing_id=listing.id))


@bp.get("/orders")
@staff_required
def orders():
    filters = order_filters(request.args)
    found, total = order_service.staff_orders(filters, scope_of(current_user))
    return render_template("staff/orders.html", orders=found, total=total, filters=filters,
                           statuses=list(OrderStatus), methods=list(PaymentMethod),
                           states=places.all_states(),
                           export_url=url_for("staff.export_orders", **filter_params(filters)))


def order_filters(args) -> order_service.StaffFilters:
    """The order list's filters from its query string (the page and its export share them)."""
    status = args.get("status")
    payment = args.get("payment")
    return order_service.StaffFilters(
        status=status if status in {s.value for s in OrderStatus} else None,
        state=_id_or_none(args.get("state")), seller=_id_or_none(args.get("seller")),
        payment=payment if payment in {m.value for m in PaymentMethod} else None)


def _rupees_or_zero(text) -> int:
    """An amount in rupees where 0 is allowed (free delivery; never free)."""
    if re.fullmatch(r"\s*0+(\.0{1,2})?\s*", text or ""):
        return 0
    return parse_rupees(text or "")


def _percent_as_basis_points(text) -> int:
    """'2.5' (per cent) as 250 basis points; up to two decimals, 0 to 100."""
    text = (text or "").strip().removesuffix("%").strip()
    if not re.fullmatch(r"[0-9]{1,3}(\.[0-9]{1,2})?", text) or float(text) > 100:
        raise InvalidIdentifier(_("Enter the commission as a percentage from 0 to 100, "
                                  "like 2.5."))
    whole, _dot, fraction = text.partition(".")
    return int(whole) * 100 + int((fraction + "00")[:2])


@bp.route("/settings", methods=["GET", "POST"])
@staff_required
def settings():
    """Delivery charges and commission (admins change them; other staff see them)."""
    current = marketplace_settings.current()
    bps = current["commission_bps"]
    form = DeliverySettingsForm(
        charge=rupees_input(current["delivery_charge_paise"]),
        free_from=rupees_input(current["free_delivery_from_paise"]),
        commission=f"{bps // 100}.{bps % 100:02d}".removesuffix(".00"))
    if request.method == "POST":
        if not current_user.is_admin:
            abort(403)
        if form.validate():
            values = {}
            for name, field, parse in (
                    ("delivery_charge_paise", form.charge, _rupees_or_zero),
                    ("free_delivery_from_paise", form.free_from, _rupees_or_zero),
                    ("commission_bps", form.commission, _percent_as_basis_points)):
                try:
                    values[name] = parse(field.data)
                except InvalidIdentifier as error:
                    field.errors = [*field.errors, str(error)]
            if not form.errors:
                marketplace_settings.save(values, current_user)
                flash(_("Settings saved."), "success")
                return redirect(url_for("staff.settings"), 303)
        return render_template("staff/settings.html", form=form), 422
    return render_template("staff/settings.html", form=form)
