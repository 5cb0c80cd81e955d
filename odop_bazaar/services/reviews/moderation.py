"""Staff decisions on reviews: hide (only with a reason code), show again, or keep a reported
review. Each commits once, with an audit row that says why.

IS 19000:2022 asks that negative reviews are not suppressed and that moderation reasons are
recorded: the only reasons to hide are HideReason's (abuse, personal data, not about the
product), and the reason is written on the review and in the audit row of the move.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from odop_bazaar.db_types import utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models.reviews import REVIEW_TRANSITIONS, HideReason, Review, ReviewReport
from odop_bazaar.models.reviews import ReviewStatus as Status
from odop_bazaar.services import workflow
from odop_bazaar.services.errors import FieldErrors
from odop_bazaar.services.reviews.writing import note_review_changed


def _decide_reports(review_id: int) -> int:
    """Mark the review's open reports decided; how many there were."""
    return db.session.execute(
        update(ReviewReport).where(ReviewReport.review_id == review_id,
                                   ReviewReport.decided_at.is_(None))
        .values(decided_at=utcnow()).execution_options(synchronize_session=False)).rowcount


def hide(review: Review, actor_id: int, reason: str, note: str = "") -> None:
    """Hide a published review for one of the allowed reasons. Commits.

    Raises:
        FieldErrors: no reason, or one that is not allowed (key "reason").
        InvalidTransition, AlreadyChanged: it is hidden already.
    """
    if reason not in set(HideReason):
        raise FieldErrors({"reason": _l("Choose the reason: a review is never hidden for "
                                        "being negative.")})
    workflow.lock_row(Review, review.id)
    db.session.refresh(review)
    workflow.transition(review, Status.HIDDEN, table=REVIEW_TRANSITIONS, actor_id=actor_id,
                        actor_role="staff", object_type="review",
                        note=" ".join(filter(None, [f"reason: {reason}", (note or "").strip()])),
                        also={"hidden_reason": reason})
    _decide_reports(review.id)
    note_review_changed(review.listing_id, review.seller_id)
    db.session.commit()


def unhide(review: Review, actor_id: int, note: str = "") -> None:
    """Show a hidden review again. Commits.

    Raises:
        InvalidTransition, AlreadyChanged: it is not hidden.
    """
    workflow.lock_row(Review, review.id)
    db.session.refresh(review)
    workflow.transition(review, Status.PUBLISHED, table=REVIEW_TRANSITIONS, actor_id=actor_id,
                        actor_role="staff", object_type="review", note=(note or "").strip(),
                        also={"hidden_reason": None})
    note_review_changed(review.listing_id, review.seller_id)
    db.session.commit()


def keep(review: Review, actor_id: int, note: str = "") -> int:
    """Decide a reported review stays: its open reports are closed, and the audit log says so.
    Commits; returns how many reports were closed."""
    closed = _decide_reports(review.id)
    workflow.record(actor_id=actor_id, object_type="review", object_id=review.id,
                    action="kept", note=" ".join(filter(None, [f"{closed} report(s) closed",
                                                               (note or "").strip()])))
    db.session.commit()
    return closed
