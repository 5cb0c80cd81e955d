"""Staff review of listings: the queue, one listing with what changed, and the decision."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from odop_bazaar.access import staff_required
from odop_bazaar.models import Listing
from odop_bazaar.models.catalogue import DECLARATION_FIELDS
from odop_bazaar.services.accounts.staff_scope import scope_of
from odop_bazaar.services.catalogue import moderation, queries
from odop_bazaar.services.errors import DomainError
from odop_bazaar.staff import bp
from odop_bazaar.staff.filters import filter_params, listing_filters, place_choices
from odop_bazaar.staff.forms import ListingDecisionForm, ListingQueueFilterForm
from odop_bazaar.staff.scoped import listing_or_404
from odop_bazaar.web import show_refusal


@bp.get("/listings")
@staff_required
def listings_queue():
    form = ListingQueueFilterForm(request.args)
    place_choices(form)
    filters = listing_filters(form)
    queue, total = queries.review_queue(filters, scope_of(current_user))
    return render_template("staff/listings.html", form=form, queue=queue, total=total,
                           filters=filters, waiting=filters.status == queries.WAITING,
                           export_url=url_for("staff.export_listings", **filter_params(filters)))


@bp.get("/listings/<id:listing_id>")
@staff_required
def listing(listing_id: int):
    listing = listing_or_404(listing_id)
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
    listing = listing_or_404(listing_id)
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
        return redirect(url_for("staff.listings_queue"))
    return redirect(url_for("staff.listing", listing_id=listing.id))
