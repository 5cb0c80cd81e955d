"""What buyers and sellers write: a review of a delivered order line, the seller's one reply,
and a report of a review. Each function commits once.

A review changes what buyers see: its listing's shop row carries the count and total of its
published ratings (product cards), and the product page and the maker's shop page show it, so
the listing's row is worked out again (shop_listings.refresh) and the topics of those pages are
noted in the shop change log, in the review's own transaction.
"""


from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from odop_bazaar.db_types import utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models.reviews import (
    MAX_REPLY_TEXT,
    MAX_REVIEW_PHOTOS,
    MAX_REVIEW_TEXT,
    HideReason,
    Review,
    ReviewPhoto,
    ReviewReport,
    ReviewStatus,
)
from odop_bazaar.models.shop import Topic
from odop_bazaar.services import workflow
from odop_bazaar.services.catalogue import shop_changes, shop_listings
from odop_bazaar.services.catalogue.images import PhotoUpload, process_uploads
from odop_bazaar.services.catalogue.photo_files import save_photo_files
from odop_bazaar.services.errors import FieldErrors
from odop_bazaar.services.reviews import queries
from odop_bazaar.services.reviews.errors import AlreadyReplied, AlreadyReported, NotReviewable


def check_review(rating, text: str | None, photo_count: int) -> dict:
    """The rules of a review's answers: FieldErrors' dict, empty when all is well."""
    errors = {}
    if str(rating or "") not in {"1", "2", "3", "4", "5"}:
        errors["rating"] = _l("Choose a rating from 1 to 5 stars.")
    if text and len(text) > MAX_REVIEW_TEXT:
        errors["text"] = _l("Write at most %(n)d characters (you wrote %(m)d).",
                            n=MAX_REVIEW_TEXT, m=len(text))
    if photo_count > MAX_REVIEW_PHOTOS:
        errors["photos"] = _l("Add at most %(n)d photos.", n=MAX_REVIEW_PHOTOS)
    return errors


def note_review_changed(listing_id: int, seller_id: int) -> None:
    """Write the listing's shop row again and note the pages a review shows on. No commit."""
    shop_listings.refresh(listing_ids={listing_id})
    shop_changes.note(db.session, {Topic.listing(listing_id), Topic.seller(seller_id)})


def write_review(buyer_id: int, line_id: int, rating, text: str | None,
                 photos: list[PhotoUpload] = ()) -> Review:
    """The buyer's review of one order line they received. Commits once.

    Raises:
        NotReviewable: not their line, not delivered, every unit returned, or reviewed already.
        FieldErrors: rating, text or photos break a rule (nothing is stored).
    """
    text = (text or "").strip() or None
    if errors := check_review(rating, text, len(photos)):
        raise FieldErrors(errors)
    line = queries.buyers_line(buyer_id, line_id)
    _check_reviewable(line)
    processed = process_uploads(photos)  # slow: before the write, not under it
    review = Review(order_item_id=line.id, listing_id=line.listing_id,
                    seller_id=line.order.seller_id, buyer_id=buyer_id, rating=int(rating),
                    text=text, status=ReviewStatus.PUBLISHED)
    for position, photo in enumerate(processed):
        save_photo_files(photo)
        review.photos.append(ReviewPhoto(position=position, digest=photo.digest,
                                         width=photo.width, height=photo.height))
    db.session.add(review)
    try:
        db.session.flush()  # the order line is unique: a second click fails here
    except IntegrityError:
        db.session.rollback()
        raise NotReviewable(_l("You have reviewed this already.")) from None
    workflow.record(actor_id=buyer_id, object_type="review", object_id=review.id,
                    action="written", to_status=review.status, note=f"rating {review.rating}")
    note_review_changed(review.listing_id, review.seller_id)
    db.session.commit()
    return review


def _check_reviewable(line) -> None:
    if (reason := queries.why_not_reviewable(line)) is not None:
        raise NotReviewable(reason)


def reply(seller_id: int, review_id: int, text: str | None) -> None:
    """The seller's one reply to a review of their listing. Commits.

    Raises:
        FieldErrors: empty or too long (key "text").
        AlreadyReplied: they replied already (a second click included); nothing changes.
    """
    text = (text or "").strip()
    if not text:
        raise FieldErrors({"text": _l("Write your reply.")})
    if len(text) > MAX_REPLY_TEXT:
        raise FieldErrors({"text": _l("Write at most %(n)d characters (you wrote %(m)d).",
                                      n=MAX_REPLY_TEXT, m=len(text))})
    # Compare-and-set: only a review without a reply gets one.
    written = db.session.execute(
        update(Review).where(Review.id == review_id, Review.seller_id == seller_id,
                             Review.reply_text.is_(None))
        .values(reply_text=text, replied_at=utcnow())
        .execution_options(synchronize_session=False)).rowcount
    if written != 1:
        db.session.rollback()
        raise AlreadyReplied(_l("You have replied to this review already."))
    listing_id = db.session.scalar(select(Review.listing_id).where(Review.id == review_id))
    shop_changes.note(db.session, {Topic.listing(listing_id)})
    db.session.commit()


def report(reporter_id: int, review_id: int, reason: str, note: str | None = None) -> None:
    """Someone signed in reports a published review, once. Commits.

    Raises:
        FieldErrors: no such reason (key "reason").
        AlreadyReported: they reported it already.
    """
    if reason not in set(HideReason):
        raise FieldErrors({"reason": _l("Choose why this review should not be shown.")})
    if db.session.scalar(select(ReviewReport.id).where(
            ReviewReport.review_id == review_id, ReviewReport.reporter_id == reporter_id)):
        raise AlreadyReported(_l("You have reported this review already. Staff will look at it."))
    db.session.add(ReviewReport(review_id=review_id, reporter_id=reporter_id, reason=reason,
                                note=(note or "").strip()[:500] or None))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise AlreadyReported(
            _l("You have reported this review already. Staff will look at it.")) from None
