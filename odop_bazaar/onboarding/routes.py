"""Seller onboarding: the start page, the checklist, each section's form, documents, submitting."""

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user
from wtforms.fields.choices import SelectChoice

from odop_bazaar.access import seller_required
from odop_bazaar.auth.forms import PASSWORD_HINT, RegisterForm
from odop_bazaar.models import SectionKey
from odop_bazaar.models.accounts import Role
from odop_bazaar.models.sellers import DocumentKind
from odop_bazaar.onboarding import bp
from odop_bazaar.onboarding import forms as f
from odop_bazaar.services import notifications
from odop_bazaar.services.accounts import users
from odop_bazaar.services.reference import places
from odop_bazaar.services.sellers import onboarding
from odop_bazaar.web import INVALID, send_or_warn

SECTION_FORMS = {
    SectionKey.PRODUCTS: f.ProductsForm,
    SectionKey.BUSINESS: f.BusinessForm,
    SectionKey.PAN: f.PanForm,
    SectionKey.UDYAM: f.UdyamForm,
    SectionKey.GST: f.GstForm,
    SectionKey.BANK: f.BankForm,
    SectionKey.ADDRESS: f.AddressForm,
    SectionKey.CERTIFICATES: f.CertificatesForm,
    SectionKey.DECLARATIONS: f.DeclarationsForm,
}


class SellerRegisterForm(RegisterForm):
    """Registration on /sell: the account type is fixed to seller."""

    account_type = None


@bp.route("/sell", methods=["GET", "POST"])
def sell():
    form = SellerRegisterForm()
    if current_user.is_authenticated:
        form = None
    elif form.validate_on_submit():
        try:
            user = users.register(
                email=form.email.data, password=form.password.data,
                full_name=form.full_name.data, role=Role.SELLER,
                mobile=form.mobile.data or None, locale=str(get_locale()))
        except users.AccountError as error:
            form.email.errors.append(str(error))
        else:
            login_user(user)
            send_or_warn(notifications.send_email_verification, user)
            flash(_("Your seller account is ready. Now tell us about your work, one section at "
                    "a time."), "success")
            return redirect(url_for("onboarding.checklist"))
    status = INVALID if form is not None and form.errors else 200
    return render_template("onboarding/sell.html", form=form,
                           password_hint=PASSWORD_HINT), status


def _seller():
    return onboarding.seller_for_user(current_user)


@bp.get("/seller/onboarding")
@seller_required
def checklist():
    seller = _seller()
    return render_template("onboarding/checklist.html", seller=seller,
                           checklist=onboarding.checklist(seller),
                           decision_note=onboarding.latest_decision_note(seller),
                           submit_form=f.SubmitApplicationForm())


def _section_key(name: str) -> SectionKey:
    try:
        return SectionKey(name)
    except ValueError:
        abort(404)


def _next_section(key: SectionKey) -> str:
    keys = [spec.key for spec in onboarding.SECTIONS]
    position = keys.index(key)
    if position + 1 < len(keys):
        return url_for("onboarding.section", name=keys[position + 1].value)
    return url_for("onboarding.checklist")


def _fill_place_choices(form: f.ProductsForm) -> None:
    """The district list follows the state, and the products the district (no JavaScript)."""
    form.state_lgd_code.choices = [SelectChoice("", _("Choose a state or UT"))] + [
        SelectChoice(s.lgd_code, s.name) for s in places.all_states()]
    districts = places.districts_of(form.state_lgd_code.data)
    form.district_lgd_code.choices = [SelectChoice("", _("Choose a district"))] + [
        SelectChoice(d.lgd_code, d.name) for d in districts]
    district_code = form.district_lgd_code.data
    if district_code not in {d.lgd_code for d in districts}:
        district_code = None
    form.product_ids.choices = [SelectChoice(p.id, p.name)
                                for p in places.live_products_of(district_code)]


def _form_for(key: SectionKey, seller):
    form_class = SECTION_FORMS[key]
    if request.method == "GET":
        form = form_class(obj=seller)
        if key == SectionKey.PRODUCTS:
            form.product_ids.data = [p.id for p in seller.products]
        if key == SectionKey.BANK:
            # The account number is never shown again once saved.
            form.bank_account_number.data = form.bank_account_confirm.data = ""
        if key == SectionKey.DECLARATIONS:
            form.accept_terms.data = seller.terms_accepted_at is not None
    else:
        form = form_class()
    if key == SectionKey.PRODUCTS:
        _fill_place_choices(form)
    return form


@bp.route("/seller/onboarding/<name>", methods=["GET", "POST"])
@seller_required
def section(name: str):
    key = _section_key(name)
    seller = _seller()
    if key == SectionKey.AADHAAR:
        return aadhaar(seller)
    form = _form_for(key, seller)
    status = 200
    if request.method == "POST" and not seller.can_edit_application:
        flash(_("Your application is with our staff, so it cannot be changed now."), "error")
        return redirect(url_for("onboarding.checklist"))
    if request.method == "POST" and key == SectionKey.PRODUCTS and form.refresh.data:
        form.validate()  # only the lists change; but a malformed choice is still reported
    elif form.validate_on_submit():
        uploads = [onboarding.Upload(DocumentKind(field.name), field.data.filename or "",
                                     field.data.read())
                   for field in form.file_fields() if field.data and field.data.filename]
        try:
            onboarding.save_section(seller, key, form.answers(), uploads)
        except onboarding.FieldErrors as error:
            error.attach_to(form)
            for upload in uploads:
                field = form._fields[upload.kind.value]
                if not field.errors:
                    # A browser cannot send a file back: say so, rather than drop it silently.
                    field.errors.append(_("Nothing was saved, so choose this file again."))
        else:
            flash(_("Saved."), "success")
            if form.save_later.data:
                return redirect(url_for("onboarding.checklist"))
            return redirect(_next_section(key))
    if form.errors or form.form_errors:
        status = INVALID
    return render_template(f"onboarding/sections/{key.value}.html", form=form, seller=seller,
                           spec=onboarding.SPEC[key], key=key, remove_form=f.RemoveForm(),
                           required=onboarding.section_required(seller, key),
                           status=onboarding.section_status(seller, key),
                           progress=onboarding.checklist(seller),
                           needs_fssai=onboarding.needs_fssai(seller)), status


def aadhaar(seller):
    form = f.AadhaarForm()
    status = 200
    if request.method == "POST" and not seller.can_edit_application:
        flash(_("Your application is with our staff, so it cannot be changed now."), "error")
        return redirect(url_for("onboarding.checklist"))
    if form.validate_on_submit():
        try:
            onboarding.save_aadhaar(seller, form.aadhaar.data or "")
        except onboarding.FieldErrors as error:
            form.aadhaar.errors.append(str(error.errors["aadhaar"]))
        else:
            flash(_("Checked. We kept only the last four digits."), "success")
            return redirect(_next_section(SectionKey.AADHAAR))
    if form.errors:
        status = INVALID
    # Whatever was typed, the number is never sent back to the page.
    form.aadhaar.data = ""
    form.aadhaar.raw_data = []
    return render_template("onboarding/sections/aadhaar.html", form=form, seller=seller,
                           spec=onboarding.SPEC[SectionKey.AADHAAR], key=SectionKey.AADHAAR,
                           remove_form=f.RemoveForm(), required=False,
                           progress=onboarding.checklist(seller),
                           status=onboarding.section_status(seller, SectionKey.AADHAAR)), status


@bp.post("/seller/onboarding/aadhaar/remove")
@seller_required
def remove_aadhaar():
    form = f.RemoveForm()
    seller = _seller()
    if form.validate_on_submit():
        try:
            onboarding.remove_aadhaar(seller)
        except onboarding.OnboardingError as error:
            flash(str(error), "error")
        else:
            flash(_("The Aadhaar digits are removed."), "success")
    return redirect(url_for("onboarding.section", name="aadhaar"))


@bp.post("/seller/documents/<id:document_id>/remove")
@seller_required
def remove_document(document_id: int):
    form = f.RemoveForm()
    seller = _seller()
    document = next((d for d in seller.documents if d.id == document_id), None)
    if document is None:
        abort(404)
    back = url_for("onboarding.section", name=document.kind_enum.section.value)
    if form.validate_on_submit():
        try:
            onboarding.remove_document(seller, document_id)
        except onboarding.OnboardingError as error:
            flash(str(error), "error")
        else:
            flash(_("The document is removed."), "success")
    return redirect(back)


@bp.post("/seller/onboarding/submit")
@seller_required
def submit():
    form = f.SubmitApplicationForm()
    seller = _seller()
    if form.validate_on_submit():
        try:
            onboarding.submit_application(seller, current_user)
        except onboarding.IncompleteApplication:
            flash(_("Some sections still need your attention: see the list below."), "error")
        except onboarding.OnboardingError as error:
            flash(str(error), "error")
        else:
            flash(_("Thank you. Your application is with our staff; we will email you when "
                    "they have looked at it."), "success")
            send_or_warn(notifications.send_seller_submitted, seller)
    return redirect(url_for("onboarding.checklist"))


@bp.get("/documents/<id:document_id>")
@login_required
def document(document_id: int):
    """A seller document, for its owner and for staff only; to anyone else it does not exist."""
    try:
        document, data = onboarding.document_for(current_user, document_id)
    except onboarding.DocumentNotFound:
        abort(404)
    response = make_response(data)
    response.headers["Content-Type"] = document.content_type
    response.headers["Content-Disposition"] = (
        f'inline; filename="{document.kind}-{document.id}.{document.extension}"')
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    return response
