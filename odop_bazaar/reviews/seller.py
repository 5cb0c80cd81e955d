"""The seller's reviews: every review of their listings, newest first, and their one reply."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from odop_bazaar.access import seller_required
from odop_bazaar.reviews import bp
from odop_bazaar.reviews.forms import ReplyForm
from odop_bazaar.services import sellers
from odop_bazaar.services.errors import DomainError
from odop_bazaar.services.reviews import queries, writing
from odop_bazaar.web import INVALID, show_refusal


def _page() -> int:
    page = request.args.get("page", "1")
    return int(page) if page.isdigit() and 0 < int(page) < 100000 else 1


def _render(seller_id: int, forms: dict | None = None, status: int = 200):
    page = _page()
    reviews, pages = queries.seller_reviews(seller_id, page)
    forms = {review.id: ReplyForm(formdata=None, prefix=f"r{review.id}")
             for review in reviews
             if review.seller_may_reply} | (forms or {})
    return render_template("reviews/seller_reviews.html", reviews=reviews, page=page,
                           pages=pages, forms=forms), status


@bp.get("/seller/reviews")
@seller_required
def seller_reviews():
    return _render(sellers.seller_for_user(current_user).id)


@bp.post("/seller/reviews/<id:review_id>/reply")
@seller_required
def reply(review_id: int):
    """The seller's reply to a review of one of their listings; another seller's is a 404."""
    seller = sellers.seller_for_user(current_user)
    review = queries.sellers_review(seller.id, review_id) or abort(404)
    form = ReplyForm(prefix=f"r{review.id}")
    if form.validate():
        try:
            writing.reply(seller.id, review.id, form.text.data)
        except DomainError as error:
            show_refusal(error, form)
        else:
            flash(_("Your reply is published."), "success")
            return redirect(url_for("reviews.seller_reviews"), 303)
    return _render(seller.id, {review.id: form}, INVALID)
