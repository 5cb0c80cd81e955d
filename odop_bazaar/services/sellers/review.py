"""Staff's writes on a seller: section decisions, approval or a request for changes, and
suspending or reinstating an approved seller. Each function commits once, but for
verify_and_approve, which commits each decision it makes, one by one.

Staff verify section by section; a resubmission puts back into review only the sections the
seller changed.
"""

from flask_babel import lazy_gettext as _l

from odop_bazaar.db_types import utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models.accounts import User
from odop_bazaar.models.checklist import DECIDABLE_SECTION_STATUSES, SectionKey, SectionStatus
from odop_bazaar.models.sellers import SELLER_TRANSITIONS, Seller, SellerStatus
from odop_bazaar.services import outbox, workflow
from odop_bazaar.services.errors import FieldErrors
from odop_bazaar.services.sellers.errors import DecidedMeanwhile, NotUnderReview, OnboardingError
from odop_bazaar.services.sellers.queries import review_summary
from odop_bazaar.services.sellers.transitions import lock_seller, move_section


def _start_review(seller: Seller, actor: User) -> None:
    """The first decision on a submitted application puts it under review (the seller's row
    is locked by then, so two reviewers' first decisions are applied one after the other)."""
    if seller.status == SellerStatus.SUBMITTED:
        workflow.transition(seller, SellerStatus.IN_REVIEW.value, table=SELLER_TRANSITIONS,
                            actor_id=actor.id, actor_role="staff", object_type="seller")


def decide_section(seller: Seller, key: SectionKey, *, verified: bool, note: str,
                   actor: User) -> None:
    """Verify a section, or ask for changes to it with a reason. Commits.

    Raises:
        NotUnderReview: the seller is not waiting for review; DecidedMeanwhile: another
            reviewer decided it first; OnboardingError: the section was not submitted;
            FieldErrors: changes are asked for without a reason.
    """
    lock_seller(seller)
    if not seller.under_review:
        raise NotUnderReview(_l("This seller is not waiting for review."))
    row = seller.section(key)
    if row is None or row.status_enum not in DECIDABLE_SECTION_STATUSES:
        raise OnboardingError(_l("This section was not submitted for review."))
    note = (note or "").strip()
    if not verified and not note:
        raise FieldErrors({"note": _l("Say what the seller needs to change.")})
    before = row.status
    decided = SectionStatus.VERIFIED if verified else SectionStatus.NEEDS_CHANGES
    if before == decided and (verified or note == row.reviewer_note):
        # The same decision again (a second click, a second reviewer, a reviewer confirming
        # what stands after a resubmission): it stands, and there is nothing new to record.
        return
    try:
        _start_review(seller, actor)
        row.reviewer_note = None if verified else note
        row.reviewed_by_id = actor.id
        row.reviewed_at = utcnow()
        # `before` was read under the seller's row lock; the compare-and-set still refuses to
        # write over a decision made since, should a caller ever come without that lock.
        move_section(row, decided, actor_role="staff")
    except workflow.AlreadyChanged as error:
        raise DecidedMeanwhile(_l("Someone else decided this section a moment ago. Look at it "
                                 "again before deciding.")) from error
    workflow.record(actor_id=actor.id, object_type="seller", object_id=seller.id,
                    action=f"section:{key.value}", from_status=before, to_status=row.status,
                    note=note)
    db.session.commit()


def _still_under_review(seller: Seller) -> None:
    """A decision on an application someone else has just decided says so."""
    if not seller.under_review:
        raise NotUnderReview(_l("This seller is not waiting for review: the application is "
                                 "now “%(status)s”.", status=seller.status_enum.label))


def approve_seller(seller: Seller, actor: User, note: str = "") -> None:
    """Approve a seller whose required sections are all verified. Commits.

    Raises:
        NotUnderReview (decided meanwhile), OnboardingError (sections left), InvalidTransition.
    """
    lock_seller(seller)
    _still_under_review(seller)
    if not review_summary(seller).can_approve:
        raise OnboardingError(_l("Verify every required section (and decide every submitted "
                                 "one) before approving."))
    _start_review(seller, actor)
    seller.approved_at = utcnow()
    workflow.transition(seller, SellerStatus.APPROVED.value, table=SELLER_TRANSITIONS,
                        actor_id=actor.id, actor_role="staff", object_type="seller", note=note)
    outbox.notify("seller_decision", seller, "approved", note)
    db.session.commit()


def verify_and_approve(seller: Seller, keys: list[SectionKey], actor: User,
                       note: str = "") -> None:
    """Verify the sections a reviewer has read, then approve the seller: the decisions of one
    reading, sent in one form. Each section is decided (and committed, with its audit row) as
    decide_section does; approving then needs every required section verified.

    Raises:
        DecidedMeanwhile: a ticked section is no longer waiting (another reviewer decided it
            since the page was read); otherwise as decide_section and approve_seller. The
            sections verified before a refusal stay so.
    """
    for key in keys:
        lock_seller(seller)
        row = seller.section(key)
        if row is None or row.status_enum != SectionStatus.SUBMITTED:
            raise DecidedMeanwhile(_l("A section you ticked was decided by someone else "
                                      "meanwhile. Look at it again before approving."))
        decide_section(seller, key, verified=True, note="", actor=actor)
    approve_seller(seller, actor, note)


def request_changes(seller: Seller, actor: User, note: str = "") -> None:
    """Send the application back with the sections that need changes. Commits.

    Raises:
        NotUnderReview (decided meanwhile); OnboardingError: no section is marked as needing
        changes, or some are undecided.
    """
    lock_seller(seller)
    _still_under_review(seller)
    summary = review_summary(seller)
    if not summary.changes:
        raise OnboardingError(_l("Mark at least one section as needing changes, with a reason."))
    if summary.pending:
        raise OnboardingError(_l("Decide every submitted section first, so the seller gets all "
                                 "the feedback at once."))
    _start_review(seller, actor)
    workflow.transition(seller, SellerStatus.CHANGES_REQUESTED.value, table=SELLER_TRANSITIONS,
                        actor_id=actor.id, actor_role="staff", object_type="seller", note=note)
    outbox.notify("seller_decision", seller, "changes_requested", note)
    db.session.commit()


def suspend_seller(seller: Seller, actor: User, reason: str) -> None:
    """Suspend an approved seller (their listings are hidden); admins only. Commits.

    Raises:
        FieldErrors without a reason; InvalidTransition when not approved.
    """
    _change_with_reason(seller, actor, SellerStatus.SUSPENDED, reason,
                        _l("Give the reason for suspending this seller."))


def reinstate_seller(seller: Seller, actor: User, reason: str) -> None:
    """Reinstate a suspended seller; admins only. Commits.

    Raises:
        FieldErrors without a reason; InvalidTransition when not suspended.
    """
    _change_with_reason(seller, actor, SellerStatus.APPROVED, reason,
                        _l("Give the reason for reinstating this seller."))


def _change_with_reason(seller: Seller, actor: User, to_status: SellerStatus, reason: str,
                        missing_reason) -> None:
    lock_seller(seller)
    if not (reason or "").strip():
        raise FieldErrors({"note": missing_reason})
    workflow.transition(seller, to_status.value, table=SELLER_TRANSITIONS, actor_id=actor.id,
                        actor_role=actor.role, object_type="seller", note=reason.strip())
    decision = "suspended" if to_status == SellerStatus.SUSPENDED else "reinstated"
    outbox.notify("seller_decision", seller, decision, reason.strip())
    db.session.commit()
