"""A seller's listings: create, edit content, price and stock, photos, and send for review."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from odop_bazaar.access import seller_required
from odop_bazaar.listings import bp
from odop_bazaar.listings.forms import (
    ListingActionForm,
    ListingContentForm,
    NewListingForm,
    PhotoActionForm,
    PhotoUploadForm,
    PriceStockForm,
)
from odop_bazaar.localized import localized
from odop_bazaar.models.catalogue import MAX_PHOTOS
from odop_bazaar.money import quantity_text, rupees_input
from odop_bazaar.services import sellers
from odop_bazaar.services.catalogue import listings, queries
from odop_bazaar.services.catalogue.checks import submission_problems
from odop_bazaar.services.catalogue.errors import NotYourListing
from odop_bazaar.services.errors import DomainError
from odop_bazaar.web import INVALID, show_refusal


def _seller():
    return sellers.seller_for_user(current_user)


def _product_choices(form, seller) -> None:
    form.odop_product_id.choices = [SelectChoice("", _("Choose the product"))] + [
        SelectChoice(p.id, localized(p)) for p in seller.products if p.retired_at is None]


def _price_form(listing, back: str = "") -> PriceStockForm:
    """The price and stock form as the listing stands now."""
    return PriceStockForm(
        formdata=None, price=rupees_input(listing.price_paise), mrp=rupees_input(listing.mrp_paise),
        stock=listing.stock, stock_seen=listing.stock, made_to_order=listing.made_to_order,
        lead_time_days=listing.lead_time_days or "", back=back)


def _listing_or_404(seller, listing_id: int):
    try:
        return queries.seller_listing(seller, listing_id)
    except NotYourListing:
        abort(404)


@bp.get("/seller/listings")
@seller_required
def index():
    seller = _seller()
    rows = queries.seller_listings(seller)
    forms = {listing.id: _price_form(listing, back="index") for listing in rows}
    return render_template("listings/index.html", seller=seller, listings=rows,
                           price_forms=forms)


@bp.route("/seller/listings/new", methods=["GET", "POST"])
@seller_required
def new():
    seller = _seller()
    if not seller.can_publish:
        flash(_("You can list products once your seller application is approved."), "error")
        return redirect(url_for("onboarding.checklist"))
    form = NewListingForm()
    _product_choices(form, seller)
    if form.validate_on_submit():
        try:
            listing = listings.create_listing(seller, form.answers(), PriceStockForm.answers(form))
        except DomainError as error:
            show_refusal(error, form)
        else:
            flash(_("Saved. Now add photos, then submit the listing for review."), "success")
            return redirect(url_for("listings.edit", listing_id=listing.id, _anchor="photos"))
    status = INVALID if (form.errors or form.form_errors) else 200
    return render_template("listings/new.html", form=form), status


def _edit_page(seller, listing, *, content_form=None, price_form=None, photo_form=None,
               status=200):
    content = listing.working_content
    if content_form is None:
        content_form = ListingContentForm(formdata=None, obj=content)
        content_form.net_quantity.data = quantity_text(content.net_quantity_milli)
        content_form.gst_rate.data = str(content.gst_rate)
        for name in ("weight_grams", "length_cm", "width_cm", "height_cm"):
            content_form[name].data = getattr(content, name) or ""
    _product_choices(content_form, seller)
    price_form = price_form or _price_form(listing)
    return render_template(
        "listings/edit.html", seller=seller, listing=listing, content=content,
        content_form=content_form, price_form=price_form,
        photo_form=photo_form or PhotoUploadForm(), photo_action=PhotoActionForm(),
        action_form=ListingActionForm(), problems=submission_problems(listing),
        max_photos=MAX_PHOTOS), status


@bp.get("/seller/listings/<id:listing_id>")
@seller_required
def edit(listing_id: int):
    seller = _seller()
    return _edit_page(seller, _listing_or_404(seller, listing_id))


def _flash_content_saved(listing, changed: bool) -> None:
    if changed and listing.has_live_version:
        flash(_("Saved. Buyers see the approved version until staff review your "
                "changes: submit them when you are ready."), "success")
    else:
        flash(_("Saved."), "success")


@bp.post("/seller/listings/<id:listing_id>/content")
@seller_required
def update_content(listing_id: int):
    seller = _seller()
    listing = _listing_or_404(seller, listing_id)
    form = ListingContentForm()
    _product_choices(form, seller)
    if form.validate_on_submit():
        try:
            changed = listings.update_content(seller, listing, form.answers())
        except DomainError as error:
            show_refusal(error, form)
        else:
            _flash_content_saved(listing, changed)
            return redirect(url_for("listings.edit", listing_id=listing.id))
    return _edit_page(seller, listing, content_form=form, status=INVALID)


@bp.post("/seller/listings/<id:listing_id>/price")
@seller_required
def update_price(listing_id: int):
    seller = _seller()
    listing = _listing_or_404(seller, listing_id)
    form = PriceStockForm()
    if form.validate_on_submit():
        try:
            listings.update_price_and_stock(seller, listing, form.answers())
        except DomainError as error:
            show_refusal(error, form)
        else:
            flash(_("Price and stock saved; buyers see them now."), "success")
            if form.back.data == "index":
                return redirect(url_for("listings.index"))
            return redirect(url_for("listings.edit", listing_id=listing.id))
    return _edit_page(seller, listing, price_form=form, status=INVALID)


@bp.post("/seller/listings/<id:listing_id>/photos")
@seller_required
def upload_photos(listing_id: int):
    seller = _seller()
    listing = _listing_or_404(seller, listing_id)
    form = PhotoUploadForm()
    if form.validate_on_submit():
        files = [f for f in (form.photos.data or []) if f and f.filename]
        uploads = [listings.PhotoUpload(f.filename, f.read()) for f in files]
        try:
            result = listings.add_good_photos(seller, listing, uploads)
        except DomainError as error:
            show_refusal(error, form)
        else:
            flash(ngettext("%(num)d photo added.", "%(num)d photos added.", result.added),
                  "success")
            if not result.refused:
                return redirect(url_for("listings.edit", listing_id=listing.id,
                                        _anchor="photos"))
            # The good ones are kept; the page says which were not, beside the field.
            form.photos.errors = [_("Not added: %(reasons)s", reasons=" ".join(result.refused))]
    return _edit_page(seller, listing, photo_form=form, status=INVALID)


@bp.get("/seller/listings/<id:listing_id>/photos")
@seller_required
def photo_list(listing_id: int):
    """The photo list alone: the editor asks for it again while photos are processing."""
    seller = _seller()
    listing = _listing_or_404(seller, listing_id)
    return render_template("listings/_photo_list.html", listing=listing,
                           content=listing.working_content, photo_action=PhotoActionForm())


@bp.post("/seller/listings/<id:listing_id>/photos/<id:photo_id>")
@seller_required
def change_photo(listing_id: int, photo_id: int):
    seller = _seller()
    listing = _listing_or_404(seller, listing_id)
    form = PhotoActionForm()
    if form.validate_on_submit():
        try:
            listings.change_photo(seller, listing, photo_id, form.action.data or "")
        except DomainError as error:
            show_refusal(error)
        else:
            flash(_PHOTO_DONE.get(form.action.data, _l("Done.")), "success")
    return redirect(url_for("listings.edit", listing_id=listing.id, _anchor="photos"))


# What the seller is told after each photo button (the page comes back at the photos).
_PHOTO_DONE = {"remove": _l("Photo removed."), "cover": _l("That photo is the cover now."),
               "up": _l("Photo moved earlier."), "down": _l("Photo moved later.")}


def _status_change(form: ListingActionForm):
    """The service the pressed button asks for, and what to say once it is done."""
    if form.submit_review.data:
        return listings.submit_listing, _("Sent for review. We will email you when staff have "
                                          "looked at it.")
    if form.unpublish.data:
        return listings.unpublish_listing, _("The listing is off the shop.")
    if form.republish.data:
        return listings.republish_listing, _("Done.")
    abort(400)


@bp.post("/seller/listings/<id:listing_id>/status")
@seller_required
def change_status(listing_id: int):
    seller = _seller()
    listing = _listing_or_404(seller, listing_id)
    form = ListingActionForm()
    if not form.validate_on_submit():
        abort(400)
    change, done = _status_change(form)
    try:
        change(seller, listing)
    except DomainError as error:
        show_refusal(error)
    else:
        flash(done, "success")
    return redirect(url_for("listings.edit", listing_id=listing.id))
