"""Staff decisions on listings: approve the seller's version, send it back, or remove a listing.

Approving and sending back are decided on what the reviewer saw: if the seller resubmitted since
the page opened, the decision is refused. Every function here commits once.
"""

from flask_babel import lazy_gettext as _l

from odop_bazaar.db_types import utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models.accounts import User
from odop_bazaar.models.catalogue import LISTING_TRANSITIONS, Listing, ListingStatus, ReasonCode
from odop_bazaar.services import outbox, workflow
from odop_bazaar.services.catalogue import search
from odop_bazaar.services.catalogue.errors import ResubmittedMeanwhile
from odop_bazaar.services.catalogue.listings import lock_listing
from odop_bazaar.services.catalogue.photo_files import delete_unused_photo_files
from odop_bazaar.services.errors import FieldErrors


def _reasons(codes: list[str]) -> str:
    valid = [code for code in codes if code in {r.value for r in ReasonCode}]
    return ",".join(dict.fromkeys(valid))


def _same_submission(listing: Listing, seen_submission: str | None) -> None:
    """Staff decide on what they saw: refuse if the seller resubmitted since the page opened."""
    current = listing.submitted_at.isoformat() if listing.submitted_at else ""
    if seen_submission is not None and seen_submission != current:
        raise ResubmittedMeanwhile(_l("The seller changed this listing after you opened it. "
                                      "Look at it again before deciding."))


def approve_listing(listing: Listing, actor: User, note: str = "",
                    seen_submission: str | None = None) -> None:
    """Make the seller's version the one buyers see. Commits.

    Raises:
        ResubmittedMeanwhile: resubmitted since staff opened it; InvalidTransition: not
            under review.
    """
    lock_listing(listing)
    _same_submission(listing, seen_submission)
    old_live = listing.live_content
    old_digests = {p.digest for p in old_live.photos} if old_live else set()
    workflow.transition(listing, ListingStatus.APPROVED.value, table=LISTING_TRANSITIONS,
                        actor_id=actor.id, actor_role="staff", object_type="listing",
                        note=note.strip())
    listing.live_content = listing.draft_content
    listing.draft_content = None
    listing.approved_at = utcnow()
    listing.first_approved_at = listing.first_approved_at or listing.approved_at
    listing.review_reasons = None
    listing.review_note = note.strip() or None
    db.session.flush()
    if old_live is not None and old_live.id != listing.live_content_id:
        db.session.delete(old_live)  # replaced: nothing points at it any more
    search.index_listing(listing)
    outbox.notify("listing_decision", listing, "approve", note.strip())
    db.session.commit()
    delete_unused_photo_files(old_digests)


def request_listing_changes(listing: Listing, actor: User, reasons: list[str], note: str,
                            seen_submission: str | None = None) -> None:
    """Send the seller's version back with reason codes and a note. Commits.

    Raises:
        FieldErrors: no reason given; ResubmittedMeanwhile: resubmitted since staff opened it;
        InvalidTransition: not waiting for review.
    """
    lock_listing(listing)
    _same_submission(listing, seen_submission)
    _decide_against(listing, actor, reasons, note, ListingStatus.CHANGES_REQUESTED)


def remove_listing(listing: Listing, actor: User, reasons: list[str], note: str) -> None:
    """Take a listing off the shop for good (a prohibited item, say). Commits.

    Raises:
        FieldErrors: no reason given; InvalidTransition.
    """
    _decide_against(listing, actor, reasons, note, ListingStatus.REMOVED)


def _decide_against(listing: Listing, actor: User, reasons: list[str], note: str,
                    to_status: ListingStatus) -> None:
    lock_listing(listing)
    codes = _reasons(reasons)
    if not codes and not note.strip():
        raise FieldErrors({"reasons": _l("Choose a reason, or write a note for the seller.")})
    workflow.transition(listing, to_status.value, table=LISTING_TRANSITIONS, actor_id=actor.id,
                        actor_role="staff", object_type="listing",
                        note="; ".join(filter(None, [codes, note.strip()])))
    listing.review_reasons = codes or None
    listing.review_note = note.strip() or None
    decision = "remove" if to_status == ListingStatus.REMOVED else "request_changes"
    outbox.notify("listing_decision", listing, decision, note.strip())
    db.session.commit()
