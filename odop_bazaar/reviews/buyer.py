"""The buyer's review of an order line they received, and reporting a review (anyone signed in).

The report form is on its own page, not on the product page: product pages are cached and shared
by every visitor, so they carry no CSRF token (page_cache.py).
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from odop_bazaar.access import buyer_required
from odop_bazaar.extensions import db
from odop_bazaar.models.reviews import MAX_REVIEW_PHOTOS, Review
from odop_bazaar.reviews import bp
from odop_bazaar.reviews.forms import ReportForm, ReviewForm
from odop_bazaar.services.catalogue.images import PhotoUpload
from odop_bazaar.services.errors import DomainError
from odop_bazaar.services.reviews import queries, writing
from odop_bazaar.web import INVALID, show_refusal


@bp.route("/orders/items/<id:line_id>/review", methods=["GET", "POST"])
@buyer_required
def write_review(line_id: int):
    """Rate and review an item of one of the buyer's orders, once it was delivered."""
    line = queries.buyers_line(current_user.id, line_id) or abort(404)
    form = ReviewForm()
    if form.validate_on_submit():
        photos = [PhotoUpload(f.filename, f.read())
                  for f in (form.photos.data or []) if f and f.filename]
        try:
            writing.write_review(current_user.id, line.id, form.rating.data, form.text.data,
                                 photos)
        except DomainError as error:
            show_refusal(error, form)
        else:
            flash(_("Thank you: your review is published."), "success")
            return redirect(url_for("orders.order", reference=line.order.checkout.reference), 303)
    return render_template("reviews/write.html", line=line, form=form,
                           review=queries.review_of_line(line.id),
                           not_reviewable=queries.why_not_reviewable(line),
                           max_photos=MAX_REVIEW_PHOTOS), _status()


@bp.route("/reviews/<id:review_id>/report", methods=["GET", "POST"])
@login_required
def report(review_id: int):
    """Tell staff a published review should not be shown, and why."""
    review = db.session.get(Review, review_id)
    if review is None or not review.is_published:
        abort(404)
    form = ReportForm()
    if form.validate_on_submit():
        try:
            writing.report(current_user.id, review.id, form.reason.data, form.note.data)
        except DomainError as error:
            show_refusal(error, form)
        else:
            flash(_("Thank you: staff will look at this review."), "success")
            return redirect(url_for("shop.product", listing_id=review.listing_id), 303)
    return render_template("reviews/report.html", review=review, form=form), _status()


def _status() -> int:
    """A form page that comes back after a POST is a refusal (success redirects)."""
    return INVALID if request.method == "POST" else 200
