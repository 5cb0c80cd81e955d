"""Staff decisions on reviews: the queue (reported reviews first, within the staff member's
places), hiding one with a reason code, showing it again, or keeping a reported one."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice

from odop_bazaar.access import staff_required
from odop_bazaar.extensions import db
from odop_bazaar.forms import Form
from odop_bazaar.models.reviews import HideReason, Review
from odop_bazaar.services.accounts.staff_scope import scope_of
from odop_bazaar.services.errors import DomainError
from odop_bazaar.services.reviews import moderation, queries
from odop_bazaar.staff import bp
from odop_bazaar.staff.scoped import seller_or_404
from odop_bazaar.web import show_refusal


class HideForm(Form):
    reason = SelectField(_l("Reason"), validate_choice=False, choices=[
        SelectChoice("", _l("Choose a reason")),
        *[SelectChoice(reason.value, reason.label) for reason in HideReason]])
    note = TextAreaField(_l("Note for the audit log (optional)"))


class DecisionForm(Form):
    """Show a hidden review again, or keep a reported one: a note only."""

    note = TextAreaField(_l("Note for the audit log (optional)"))


def _review_or_404(review_id: int) -> Review:
    """The review, if its seller is in the places this staff member works on."""
    review = db.session.get(Review, review_id) or abort(404)
    seller_or_404(review.seller_id)
    return review


@bp.get("/reviews")
@staff_required
def reviews_queue():
    return render_template("staff/reviews.html", queue=queries.staff_queue(scope_of(current_user)),
                           hide_form=HideForm(), decision_form=DecisionForm())


def _decide(review_id: int, form_class, decide, done: str):
    review = _review_or_404(review_id)
    form = form_class()
    if not form.validate():
        abort(400)
    try:
        decide(review, form)
    except DomainError as error:
        show_refusal(error)
    else:
        flash(done, "success")
    return redirect(url_for("staff.reviews_queue"), 303)


@bp.post("/reviews/<id:review_id>/hide")
@staff_required
def hide_review(review_id: int):
    return _decide(review_id, HideForm, lambda review, form: moderation.hide(
        review, current_user.id, form.reason.data, form.note.data),
        _("The review is hidden; the reason is in the audit log."))


@bp.post("/reviews/<id:review_id>/unhide")
@staff_required
def unhide_review(review_id: int):
    return _decide(review_id, DecisionForm, lambda review, form: moderation.unhide(
        review, current_user.id, form.note.data), _("The review is shown again."))


@bp.post("/reviews/<id:review_id>/keep")
@staff_required
def keep_review(review_id: int):
    return _decide(review_id, DecisionForm, lambda review, form: moderation.keep(
        review, current_user.id, form.note.data), _("The review stays; its reports are closed."))
