"""Seller onboarding: the start page, the checklist, each section's form, documents, submitting."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from odop_bazaar.access import seller_required
from odop_bazaar.auth.forms import PASSWORD_HINT, RegisterForm, ResendVerificationForm
from odop_bazaar.models.accounts import Role
from odop_bazaar.models.checklist import DocumentKind, SectionKey
from odop_bazaar.onboarding import bp
from odop_bazaar.onboarding import forms as f
from odop_bazaar.services import sellers
from odop_bazaar.services.accounts import users
from odop_bazaar.services.errors import DomainError, FieldErrors
from odop_bazaar.web import INVALID, show_refusal, streamed


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
        except DomainError as error:
            # What registering refuses is the email address, so the message goes beside it.
            show_refusal(FieldErrors({"email": error}), form)
        else:
            login_user(user)
            flash(_("Your seller account is ready. Now tell us about your work, one section at "
                    "a time."), "success")
            return redirect(url_for("onboarding.checklist"))
    status = INVALID if form is not None and form.errors else 200
    return render_template("onboarding/sell.html", form=form,
                           password_hint=PASSWORD_HINT), status


def _seller():
    return sellers.seller_for_user(current_user)


@bp.get("/seller/onboarding")
@seller_required
def checklist():
    seller = _seller()
    return render_template("onboarding/checklist.html", seller=seller,
                           checklist=sellers.checklist(seller),
                           decision_note=sellers.latest_decision_note(seller),
                           submit_form=f.SubmitApplicationForm(),
                           resend_form=ResendVerificationForm())


def _section_or_404(name: str) -> sellers.Section:
    try:
        return sellers.SPEC[SectionKey(name)]
    except ValueError:
        abort(404)


def _next_section(key: SectionKey) -> str:
    keys = [spec.key for spec in sellers.SECTIONS]
    position = keys.index(key)
    if position + 1 < len(keys):
        return url_for("onboarding.section", name=keys[position + 1].value)
    return url_for("onboarding.checklist")


def _not_editable():
    """A change posted to an application that is with staff: said on the checklist page."""
    flash(_("Your application is with our staff, so it cannot be changed now."), "error")
    return redirect(url_for("onboarding.checklist"))


def _uploads(form: f.SectionForm) -> list[sellers.Upload]:
    return [sellers.Upload(DocumentKind(field.name), field.data.filename or "", field.data.read())
            for field in form.file_fields() if field.data and field.data.filename]


def _save(section: sellers.Section, seller, form: f.SectionForm):
    """Save the posted section: (the redirect once saved, None), or else (None, the documents
    kept for the next try) with the refusals on the form."""
    try:
        sellers.save_section(seller, section.key, form.answers(), _uploads(form),
                             form.kept_tokens())
    except DomainError as error:
        show_refusal(error, form)
        return None, error.kept if isinstance(error, sellers.SectionRefused) else {}
    flash(_("Saved."), "success")
    if form.save_later.data:
        return redirect(url_for("onboarding.checklist")), {}
    return redirect(_next_section(section.key)), {}


def _hold_files(section: sellers.Section, seller, form: f.SectionForm) -> dict:
    """A section whose form itself was refused: the files that pass are kept all the same."""
    if "csrf_token" in form.errors:
        return {}  # not the seller's own page: nothing is kept for whoever sent it
    kept, errors = sellers.hold_files(seller, section.key, _uploads(form), form.kept_tokens())
    show_refusal(sellers.FieldErrors(errors), form)
    return kept


def _section_page(section: sellers.Section, seller, form, kept=None):
    status = INVALID if form.errors or form.form_errors else 200
    return render_template(section.template, form=form, seller=seller, spec=section,
                           key=section.key, remove_form=f.RemoveForm(), kept=kept or {},
                           required=section.required(seller),
                           status=sellers.section_status(seller, section.key),
                           progress=sellers.checklist(seller),
                           needs_fssai=sellers.needs_fssai(seller)), status


@bp.route("/seller/onboarding/<name>", methods=["GET", "POST"])
@seller_required
def section(name: str):
    section, seller = _section_or_404(name), _seller()
    if section.key == SectionKey.AADHAAR:
        return aadhaar(seller)  # its number is never kept, nor sent back to the page
    if request.method == "POST" and not seller.can_edit_application:
        return _not_editable()
    form = f.SectionForm.of(section.key).for_seller(seller, posted=request.method != "GET")
    kept = {}
    if request.method == "POST" and form.wants_refresh():
        form.validate()  # only the lists change; but a malformed choice is still reported
    elif form.validate_on_submit():
        saved, kept = _save(section, seller, form)
        if saved is not None:
            return saved
    elif request.method == "POST":
        kept = _hold_files(section, seller, form)
    return _section_page(section, seller, form, kept)


def aadhaar(seller):
    form = f.AadhaarForm()
    if request.method == "POST" and not seller.can_edit_application:
        return _not_editable()
    if form.validate_on_submit():
        try:
            sellers.save_aadhaar(seller, form.aadhaar.data or "")
        except DomainError as error:
            show_refusal(error, form)
        else:
            flash(_("Checked. We kept only the last four digits."), "success")
            return redirect(_next_section(SectionKey.AADHAAR))
    # Whatever was typed, the number is never sent back to the page.
    form.aadhaar.data = ""
    form.aadhaar.raw_data = []
    return _section_page(sellers.SPEC[SectionKey.AADHAAR], seller, form)


@bp.post("/seller/onboarding/aadhaar/remove")
@seller_required
def remove_aadhaar():
    form = f.RemoveForm()
    seller = _seller()
    if form.validate_on_submit():
        try:
            sellers.remove_aadhaar(seller)
        except DomainError as error:
            show_refusal(error)
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
            sellers.remove_document(seller, document_id)
        except DomainError as error:
            show_refusal(error)
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
            sellers.submit_application(seller, current_user)
        except sellers.IncompleteApplication:
            flash(_("Some sections still need your attention: see the list below."), "error")
        except DomainError as error:
            show_refusal(error)
        else:
            flash(_("Thank you. Your application is with our staff; we will email you when "
                    "they have looked at it."), "success")
    return redirect(url_for("onboarding.checklist"))


@bp.get("/documents/<id:document_id>")
@login_required
def document(document_id: int):
    """A seller document, for its owner and for staff only; to anyone else it does not exist."""
    try:
        document, stream = sellers.document_for(current_user, document_id)
    except sellers.DocumentNotFound:
        abort(404)
    response = streamed(stream)
    response.headers["Content-Type"] = document.content_type
    response.headers["Content-Disposition"] = (
        f'inline; filename="{document.kind}-{document.id}.{document.extension}"')
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    return response
