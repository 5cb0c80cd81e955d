"""Seller onboarding: the checklist, saving sections, documents, submission and staff review.

Modelled on GeM seller onboarding. Each section is saved on its own (half-done is fine); which
sections are required depends on the seller type and products. Staff verify section by section;
a resubmission puts back into review only the sections the seller changed.
"""

import logging
import secrets
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from odop_bazaar import identifiers
from odop_bazaar.db_types import utcnow
from odop_bazaar.extensions import db
from odop_bazaar.identifiers import InvalidIdentifier
from odop_bazaar.models.accounts import Role, User
from odop_bazaar.models.audit import AuditEntry
from odop_bazaar.models.reference import District, OdopProduct, State
from odop_bazaar.models.sellers import (
    SELLER_TRANSITIONS,
    DocumentKind,
    GstExemption,
    GstMode,
    SectionKey,
    SectionStatus,
    Seller,
    SellerDocument,
    SellerSection,
    SellerStatus,
    SellerType,
    seller_product,
)
from odop_bazaar.services import workflow
from odop_bazaar.services.accounts.staff_scope import Scope, scope_of
from odop_bazaar.services.accounts.users import AccountError, normalise_email
from odop_bazaar.services.errors import DomainError, FieldErrors
from odop_bazaar.services.sellers.documents import DocumentRefused, check_document
from odop_bazaar.storage import storage

log = logging.getLogger(__name__)

# Sectors whose products are food and need an FSSAI licence or registration.
FOOD_SECTORS = {"Food Processing", "Dairy", "Marine"}
QUEUE_PAGE = 200
EARLIEST_YEAR = 1900


class OnboardingError(DomainError):
    """A refused onboarding action; str() is a message for the person."""


class NotEditable(OnboardingError):
    pass


class IncompleteApplication(OnboardingError):
    def __init__(self, due: list["DueItem"]):
        super().__init__(_l("Some sections still need your attention."))
        self.due = due


class DocumentNotFound(OnboardingError):
    pass


@dataclass(frozen=True)
class SectionSpec:
    key: SectionKey
    title: Any
    summary: Any
    fields: tuple[str, ...]
    documents: tuple[DocumentKind, ...] = ()


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec(SectionKey.PRODUCTS, _l("Seller type, district and products"),
                _l("Who you are and which of your district's ODOP products you make or grow."),
                ("seller_type", "state_lgd_code", "district_lgd_code", "product_ids")),
    SectionSpec(SectionKey.BUSINESS, _l("Business profile"),
                _l("Your name, your story for buyers, and who handles complaints."),
                ("legal_name", "display_name", "year_started", "story", "languages",
                 "grievance_name", "grievance_phone", "grievance_email")),
    SectionSpec(SectionKey.PAN, _l("PAN"), _l("Your Permanent Account Number and a copy of the card."),
                ("pan", "pan_name"), (DocumentKind.PAN_CARD,)),
    SectionSpec(SectionKey.AADHAAR, _l("Aadhaar"),
                _l("We check the number, then keep only its last four digits."),
                ("aadhaar_last4",)),
    SectionSpec(SectionKey.UDYAM, _l("Udyam registration"),
                _l("Your MSME Udyam registration number."),
                ("udyam_number",), (DocumentKind.UDYAM_CERTIFICATE,)),
    SectionSpec(SectionKey.GST, _l("GST"), _l("Your GSTIN, or why you do not need one."),
                ("gst_mode", "gstin", "gst_exemption", "gst_enrolment_id"),
                (DocumentKind.GST_CERTIFICATE,)),
    SectionSpec(SectionKey.BANK, _l("Bank account for payouts"),
                _l("Where we pay you for your sales."),
                ("bank_holder_name", "bank_account_number", "bank_ifsc"),
                (DocumentKind.BANK_PROOF,)),
    SectionSpec(SectionKey.ADDRESS, _l("Pickup address"),
                _l("Where couriers collect your orders, in your district."),
                ("address_line1", "address_line2", "address_city", "address_pin")),
    SectionSpec(SectionKey.CERTIFICATES, _l("Certificates"),
                _l("FSSAI for food; GI and artisan or weaver cards where you have them."),
                ("sells_processed_food", "fssai_number"),
                (DocumentKind.FSSAI_CERTIFICATE, DocumentKind.GI_CERTIFICATE,
                 DocumentKind.ARTISAN_CARD)),
    SectionSpec(SectionKey.DECLARATIONS, _l("Declarations"),
                _l("The seller terms you agree to."), ("terms_accepted_at",)),
)
SPEC = {spec.key: spec for spec in SECTIONS}


@dataclass
class DueItem:
    key: SectionKey
    message: Any


@dataclass
class ChecklistItem:
    spec: SectionSpec
    status: SectionStatus
    required: bool
    complete: bool
    note: str | None


@dataclass
class Checklist:
    items: list[ChecklistItem]
    due: list[DueItem] = field(default_factory=list)

    @property
    def required_count(self) -> int:
        return sum(1 for item in self.items if item.required)

    @property
    def done_count(self) -> int:
        return sum(1 for item in self.items if item.required and (
            item.status == SectionStatus.VERIFIED
            or (item.complete and item.status != SectionStatus.NEEDS_CHANGES)))

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / self.required_count) if self.required_count else 0


# --- Rules: which sections are required and complete ------------------------------------------

def needs_fssai(seller: Seller) -> bool:
    """Food sellers need FSSAI: Food Processing or Dairy products, or processed farm produce."""
    sectors = {product.sector for product in seller.products}
    return bool(sectors & FOOD_SECTORS) or bool(
        "Agriculture" in sectors and seller.sells_processed_food)


def section_required(seller: Seller, key: SectionKey) -> bool:
    if key == SectionKey.AADHAAR:
        return False
    if key == SectionKey.UDYAM:
        return bool(seller.type_enum and seller.type_enum.is_enterprise)
    if key == SectionKey.CERTIFICATES:
        return needs_fssai(seller)
    return True


def section_complete(seller: Seller, key: SectionKey) -> bool:
    def has(kind: DocumentKind) -> bool:
        return bool(seller.documents_of(kind))

    match key:
        case SectionKey.PRODUCTS:
            return bool(seller.seller_type and seller.district_lgd_code and seller.products)
        case SectionKey.BUSINESS:
            return all(getattr(seller, name) for name in SPEC[key].fields)
        case SectionKey.PAN:
            return bool(seller.pan and seller.pan_name and has(DocumentKind.PAN_CARD))
        case SectionKey.AADHAAR:
            return bool(seller.aadhaar_last4)
        case SectionKey.UDYAM:
            return bool(seller.udyam_number)
        case SectionKey.GST:
            if seller.gst_mode == GstMode.REGISTERED:
                return bool(seller.gstin and has(DocumentKind.GST_CERTIFICATE))
            if seller.gst_mode == GstMode.EXEMPT:
                return bool(seller.gst_exemption) and (
                    seller.gst_exemption != GstExemption.ENROLMENT or bool(seller.gst_enrolment_id))
            return False
        case SectionKey.BANK:
            return bool(seller.bank_holder_name and seller.bank_account_number and seller.bank_ifsc
                        and has(DocumentKind.BANK_PROOF))
        case SectionKey.ADDRESS:
            return bool(seller.address_line1 and seller.address_city and seller.address_pin)
        case SectionKey.CERTIFICATES:
            if needs_fssai(seller):
                return bool(seller.fssai_number and has(DocumentKind.FSSAI_CERTIFICATE))
            return bool(seller.fssai_number or has(DocumentKind.GI_CERTIFICATE)
                        or has(DocumentKind.ARTISAN_CARD))
        case SectionKey.DECLARATIONS:
            return seller.terms_accepted_at is not None
    return False


def section_status(seller: Seller, key: SectionKey) -> SectionStatus:
    row = seller.section(key)
    return row.status_enum if row else SectionStatus.NOT_STARTED


def checklist(seller: Seller) -> Checklist:
    """Every section with its status, and what is still due before the seller can submit."""
    items, due = [], []
    for spec in SECTIONS:
        row = seller.section(spec.key)
        status = row.status_enum if row else SectionStatus.NOT_STARTED
        required = section_required(seller, spec.key)
        complete = section_complete(seller, spec.key)
        note = row.reviewer_note if row and status == SectionStatus.NEEDS_CHANGES else None
        items.append(ChecklistItem(spec, status, required, complete, note))
        if status == SectionStatus.NEEDS_CHANGES:
            due.append(DueItem(spec.key, _l("%(section)s: make the changes staff asked for",
                                            section=spec.title)))
        elif required and not complete:
            due.append(DueItem(spec.key, _l("%(section)s: complete this section",
                                            section=spec.title)))
    due += [DueItem(key, message) for key, message in consistency_problems(seller)]
    return Checklist(items, due)


def consistency_problems(seller: Seller) -> list[tuple[SectionKey, Any]]:
    """Answers that were fine alone but disagree with a later one (a PAN entered after the GSTIN,
    a seller type changed after the PAN), to be put right before submitting."""
    problems = []
    checks = (
        (SectionKey.PAN, lambda: seller.pan and seller.type_enum and identifiers.validate_pan(
            seller.pan, seller.type_enum.pan_letters, seller.type_enum.pan_holder)),
        (SectionKey.GST, lambda: seller.gstin and identifiers.validate_gstin(
            seller.gstin, lgd_state_code=seller.state_lgd_code, pan_number=seller.pan)),
        (SectionKey.UDYAM, lambda: seller.udyam_number and identifiers.validate_udyam(
            seller.udyam_number, lgd_state_code=seller.state_lgd_code)),
    )
    for key, check in checks:
        try:
            check()
        except InvalidIdentifier as error:
            problems.append((key, _l("%(section)s: %(problem)s", section=SPEC[key].title,
                                     problem=error)))
    return problems


# --- Seller actions -------------------------------------------------------------------------

def seller_for_user(user: User) -> Seller:
    """The seller profile of a seller account, created on first use.

    Raises:
        OnboardingError: the account is not a seller account.
    """
    if user.role != Role.SELLER:
        raise OnboardingError(_l("Only seller accounts have a seller profile."))
    seller = db.session.scalar(select(Seller).where(Seller.user_id == user.id))
    if seller is None:
        seller = Seller(user_id=user.id, status=SellerStatus.DRAFT.value)
        db.session.add(seller)
        try:
            db.session.commit()
        except IntegrityError:  # two first visits at once
            db.session.rollback()
            seller = db.session.scalar(select(Seller).where(Seller.user_id == user.id))
    return seller


def _lock(seller: Seller) -> None:
    """Take the seller's row lock for this unit of work and reread it.

    Two tabs, or two reviewers, acting at once are then applied one after the other, each
    seeing what the other did, on PostgreSQL and on SQLite.
    """
    workflow.lock_row(Seller, seller.id)
    db.session.refresh(seller)
    for row in seller.sections:
        db.session.refresh(row)


def _editable(seller: Seller) -> None:
    _lock(seller)
    if not seller.can_edit_application:
        raise NotEditable(_l("Your application is with our staff, so it cannot be changed now."))


def _touch_section(seller: Seller, key: SectionKey) -> None:
    """A section changed: it goes back to 'in progress' until the seller submits again."""
    row = seller.section(key)
    if row is None:
        row = SellerSection(key=key.value)
        seller.sections.append(row)
    row.status = SectionStatus.IN_PROGRESS.value
    row.updated_at = utcnow()


@dataclass(frozen=True)
class Upload:
    kind: DocumentKind
    filename: str
    data: bytes


def save_section(seller: Seller, key: SectionKey, data: dict[str, Any],
                 uploads: list[Upload] = ()) -> bool:
    """Check and store a section's answers and documents; half-done is fine. Commits once.

    Every upload and answer is checked before anything is stored, so a refused file or answer
    stores nothing. Returns whether anything changed (an unchanged section keeps its review
    status).

    Raises:
        NotEditable: the application is under review or decided.
        FieldErrors: an answer or a file breaks a rule; nothing was saved.
    """
    _editable(seller)
    if key == SectionKey.AADHAAR:
        raise OnboardingError("Aadhaar goes through save_aadhaar, which never keeps the number")
    errors: dict[str, Any] = {}
    try:
        values = _CHECKERS[key](seller, data)
    except FieldErrors as error:
        errors.update(error.errors)
        values = {}
    cleaned = []
    for upload in uploads:
        if upload.kind.section != key:
            errors[upload.kind.value] = _l("This document belongs to another section.")
            continue
        try:
            cleaned.append((upload.kind, check_document(upload.filename, upload.data)))
        except DocumentRefused as error:
            errors[upload.kind.value] = error
    if errors:
        raise FieldErrors(errors)

    changed = False
    for name, value in values.items():
        if _current(seller, name) != value:
            changed = True
            _assign(seller, name, value)
    store = storage("private")
    stored_keys, replaced_keys = [], []
    try:
        for kind, clean in cleaned:
            storage_key = f"documents/{secrets.token_hex(16)}"
            store.save(storage_key, clean.data)
            stored_keys.append(storage_key)
            for old in seller.documents_of(kind):
                replaced_keys.append(old.storage_key)
                seller.documents.remove(old)
            seller.documents.append(SellerDocument(
                kind=kind.value, storage_key=storage_key, content_type=clean.content_type,
                size=len(clean.data), sha256=clean.sha256))
            changed = True
        if changed:
            _touch_section(seller, key)
            if key == SectionKey.PRODUCTS:
                _reopen_dependents(seller)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        for storage_key in stored_keys:
            store.delete(storage_key)
        raise
    for storage_key in replaced_keys:
        store.delete(storage_key)
    return changed


def _reopen_dependents(seller: Seller) -> None:
    # PAN letters, Udyam state, pickup address and FSSAI depend on the type, place and products.
    for dependent in (SectionKey.PAN, SectionKey.UDYAM, SectionKey.ADDRESS,
                      SectionKey.CERTIFICATES):
        if section_status(seller, dependent) in (SectionStatus.VERIFIED, SectionStatus.SUBMITTED):
            _touch_section(seller, dependent)


def _current(seller: Seller, name: str):
    if name == "product_ids":
        return sorted(product.id for product in seller.products)
    return getattr(seller, name)


def _assign(seller: Seller, name: str, value) -> None:
    if name == "product_ids":
        seller.products = list(db.session.scalars(
            select(OdopProduct).where(OdopProduct.id.in_(value)))) if value else []
    else:
        setattr(seller, name, value)


def save_aadhaar(seller: Seller, number: str) -> None:
    """Check an Aadhaar number and keep only its last four digits and the time. Commits.

    Raises:
        NotEditable, FieldErrors: the message never contains the number.
    """
    _editable(seller)
    try:
        digits = identifiers.validate_aadhaar(number)
    except InvalidIdentifier as error:
        raise FieldErrors({"aadhaar": error}) from None
    last4 = digits[-4:]
    del digits, number
    if seller.aadhaar_last4 != last4:
        seller.aadhaar_last4 = last4
        seller.aadhaar_entered_at = utcnow()
        _touch_section(seller, SectionKey.AADHAAR)
    db.session.commit()


def remove_aadhaar(seller: Seller) -> None:
    """Forget the Aadhaar digits (the section is optional). Commits."""
    _editable(seller)
    if seller.aadhaar_last4:
        seller.aadhaar_last4 = None
        seller.aadhaar_entered_at = None
        _touch_section(seller, SectionKey.AADHAAR)
    db.session.commit()


def remove_document(seller: Seller, document_id: int) -> None:
    """Delete one of the seller's documents. Commits.

    Raises:
        NotEditable; OnboardingError when the document is not the seller's.
    """
    _editable(seller)
    document = next((d for d in seller.documents if d.id == document_id), None)
    if document is None:
        raise OnboardingError(_l("That document is not one of yours."))
    key = document.storage_key
    seller.documents.remove(document)
    _touch_section(seller, document.kind_enum.section)
    db.session.commit()
    storage("private").delete(key)


def submit_application(seller: Seller, actor: User) -> None:
    """Send the application (or the changed sections) to staff. Commits.

    Raises:
        NotEditable; IncompleteApplication with what is still due.
    """
    _editable(seller)
    state = checklist(seller)
    if state.due:
        raise IncompleteApplication(state.due)
    for item in state.items:
        if item.complete and item.status in (SectionStatus.IN_PROGRESS, SectionStatus.NOT_STARTED):
            row = seller.section(item.spec.key)
            if row is None:
                row = SellerSection(key=item.spec.key.value)
                seller.sections.append(row)
            row.status = SectionStatus.SUBMITTED.value
            row.reviewer_note = None
    seller.submitted_at = utcnow()
    try:
        workflow.transition(seller, SellerStatus.SUBMITTED.value, table=SELLER_TRANSITIONS,
                            actor_id=actor.id, actor_role="seller", object_type="seller")
    except workflow.AlreadyChanged as error:  # a second press of "Submit"
        raise NotEditable(_l("Your application is with our staff, so it cannot be changed "
                             "now.")) from error
    db.session.commit()


# --- Staff review ---------------------------------------------------------------------------

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
        OnboardingError: the seller is not waiting for review, the section was not submitted,
            or changes are asked for without a reason.
    """
    _lock(seller)
    if not seller.under_review:
        raise OnboardingError(_l("This seller is not waiting for review."))
    row = seller.section(key)
    if row is None or row.status_enum not in (
            SectionStatus.SUBMITTED, SectionStatus.VERIFIED, SectionStatus.NEEDS_CHANGES):
        raise OnboardingError(_l("This section was not submitted for review."))
    note = (note or "").strip()
    if not verified and not note:
        raise FieldErrors({"note": _l("Say what the seller needs to change.")})
    before = row.status
    decided = (SectionStatus.VERIFIED if verified else SectionStatus.NEEDS_CHANGES).value
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
        workflow.compare_and_set_status(row, before, decided)
    except workflow.AlreadyChanged as error:
        raise OnboardingError(_l("Someone else decided this section a moment ago. Look at it "
                                 "again before deciding.")) from error
    workflow.record(actor_id=actor.id, object_type="seller", object_id=seller.id,
                    action=f"section:{key.value}", from_status=before, to_status=row.status,
                    note=note)
    db.session.commit()


@dataclass
class ReviewSummary:
    """Where a review stands, for the service's checks and the staff page's buttons."""

    under_review: bool
    pending: list[SectionKey]
    changes: list[SectionKey]
    unverified_required: list[SectionKey]
    decidable: set[SectionKey]

    @property
    def can_approve(self) -> bool:
        return self.under_review and not (self.pending or self.changes
                                          or self.unverified_required)

    @property
    def can_request_changes(self) -> bool:
        return self.under_review and bool(self.changes) and not self.pending


def review_summary(seller: Seller) -> ReviewSummary:
    """Sections by review outcome."""
    pending, changes, unverified_required, decidable = [], [], [], set()
    for spec in SECTIONS:
        status = section_status(seller, spec.key)
        if status == SectionStatus.SUBMITTED:
            pending.append(spec.key)
        elif status == SectionStatus.NEEDS_CHANGES:
            changes.append(spec.key)
        if status in (SectionStatus.SUBMITTED, SectionStatus.VERIFIED,
                      SectionStatus.NEEDS_CHANGES):
            decidable.add(spec.key)
        if section_required(seller, spec.key) and status != SectionStatus.VERIFIED:
            unverified_required.append(spec.key)
    return ReviewSummary(seller.under_review, pending, changes, unverified_required,
                         decidable if seller.under_review else set())


def _still_under_review(seller: Seller) -> None:
    """A decision on an application someone else has just decided says so."""
    if not seller.under_review:
        raise OnboardingError(_l("This seller is not waiting for review: the application is "
                                 "now “%(status)s”.", status=seller.status_enum.label))


def approve_seller(seller: Seller, actor: User, note: str = "") -> None:
    """Approve a seller whose required sections are all verified. Commits.

    Raises:
        OnboardingError, InvalidTransition.
    """
    _lock(seller)
    _still_under_review(seller)
    if not review_summary(seller).can_approve:
        raise OnboardingError(_l("Verify every required section (and decide every submitted "
                                 "one) before approving."))
    _start_review(seller, actor)
    seller.approved_at = utcnow()
    workflow.transition(seller, SellerStatus.APPROVED.value, table=SELLER_TRANSITIONS,
                        actor_id=actor.id, actor_role="staff", object_type="seller", note=note)
    db.session.commit()


def request_changes(seller: Seller, actor: User, note: str = "") -> None:
    """Send the application back with the sections that need changes. Commits.

    Raises:
        OnboardingError: no section is marked as needing changes, or some are undecided.
    """
    _lock(seller)
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
    _lock(seller)
    if not (reason or "").strip():
        raise FieldErrors({"note": missing_reason})
    workflow.transition(seller, to_status.value, table=SELLER_TRANSITIONS, actor_id=actor.id,
                        actor_role=actor.role, object_type="seller", note=reason.strip())
    db.session.commit()


# The seller lists staff can ask for: the review queue (the default) or one other status.
WAITING = "waiting"
SELLER_LISTS: dict[str, tuple[SellerStatus, ...] | None] = {
    WAITING: (SellerStatus.SUBMITTED, SellerStatus.IN_REVIEW),
    "approved": (SellerStatus.APPROVED,),
    "changes_requested": (SellerStatus.CHANGES_REQUESTED,),
    "suspended": (SellerStatus.SUSPENDED,),
    "draft": (SellerStatus.DRAFT,),
    "all": None,
}


@dataclass
class QueueFilters:
    state: int | None = None
    district: int | None = None
    seller_type: str | None = None
    sector: str | None = None
    status: str = WAITING  # a key of SELLER_LISTS; anything else is the review queue


def seller_list_query(filters: QueueFilters, scope: Scope):
    """The sellers in the staff member's places that match the filters, in list order: the
    review queue oldest submission first (who waited longest comes first), other lists newest
    first."""
    statuses = SELLER_LISTS.get(filters.status, SELLER_LISTS[WAITING])
    query = select(Seller).where(scope.seller_filter())
    if statuses is not None:
        query = query.where(Seller.status.in_([s.value for s in statuses]))
    if filters.state:
        query = query.where(Seller.state_lgd_code == filters.state)
    if filters.district:
        query = query.where(Seller.district_lgd_code == filters.district)
    if filters.seller_type:
        query = query.where(Seller.seller_type == filters.seller_type)
    if filters.sector:
        query = query.where(Seller.id.in_(
            select(seller_product.c.seller_id).join(
                OdopProduct, OdopProduct.id == seller_product.c.odop_product_id)
            .where(OdopProduct.sector == filters.sector)))
    if statuses == SELLER_LISTS[WAITING]:
        return query.order_by(Seller.submitted_at, Seller.id)
    return query.order_by(Seller.id.desc())


def review_queue(filters: QueueFilters, scope: Scope, *,
                 limit: int = QUEUE_PAGE) -> tuple[list[Seller], int]:
    """Sellers in the staff member's places matching the filters (by default those waiting for
    review, oldest submission first), up to limit, and how many match."""
    query = seller_list_query(filters, scope)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    query = query.limit(limit).options(
        selectinload(Seller.user), selectinload(Seller.district), selectinload(Seller.state),
        selectinload(Seller.products))
    return list(db.session.scalars(query)), total


@dataclass(frozen=True)
class HistoryItem:
    when: Any
    who: str | None
    what: Any
    note: str


def history(seller: Seller) -> list[HistoryItem]:
    """The seller's audit trail, newest first, in words."""
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.object_type == "seller",
                                 AuditEntry.object_id == seller.id)
        .options(selectinload(AuditEntry.actor))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()))
    items = []
    for entry in entries:
        if entry.action == "status":
            what = _l("%(from)s → %(to)s", **{
                "from": SellerStatus(entry.from_status).label,
                "to": SellerStatus(entry.to_status).label})
        else:
            key = SectionKey(entry.action.removeprefix("section:"))
            what = _l("%(section)s: %(decision)s", section=SPEC[key].title,
                      decision=SectionStatus(entry.to_status).label)
        items.append(HistoryItem(entry.created_at, entry.actor.full_name if entry.actor else None,
                                 what, entry.note))
    return items


def latest_decision_note(seller: Seller) -> str | None:
    """What staff wrote with their last decision on the whole application, if anything."""
    return db.session.scalar(
        select(AuditEntry.note).where(
            AuditEntry.object_type == "seller", AuditEntry.object_id == seller.id,
            AuditEntry.action == "status", AuditEntry.to_status == seller.status,
            AuditEntry.note != "")
        .order_by(AuditEntry.id.desc()).limit(1))


def document_for(user: User, document_id: int) -> tuple[SellerDocument, bytes]:
    """A document and its bytes, for its owner or staff who work on the seller's place.

    Raises:
        DocumentNotFound: no such document, not this person's to see, or its file is gone.
    """
    document = db.session.get(SellerDocument, document_id)
    if document is None or not (scope_of(user).covers_seller(document.seller)
                                or document.seller.user_id == user.id):
        raise DocumentNotFound(_l("That document does not exist."))
    try:
        return document, storage("private").read(document.storage_key)
    except FileNotFoundError as error:
        log.error("Document %s has no file at %s", document.id, document.storage_key)
        raise DocumentNotFound(_l("That document does not exist.")) from error


# --- Checking each section's answers ----------------------------------------------------------

def _text(data: dict, name: str, limit: int) -> str | None:
    value = (data.get(name) or "").strip()
    return value[:limit] or None


def _check_products(seller: Seller, data: dict) -> dict:
    errors: dict[str, Any] = {}
    seller_type = data.get("seller_type") or None
    if seller_type and seller_type not in {t.value for t in SellerType}:
        errors["seller_type"] = _l("Choose one of the seller types.")
    state_code, district_code = data.get("state_lgd_code"), data.get("district_lgd_code")
    state = db.session.get(State, state_code) if state_code else None
    district = db.session.get(District, district_code) if district_code else None
    if state_code and state is None:
        errors["state_lgd_code"] = _l("Choose your state or union territory from the list.")
    if district_code and (district is None or state is None
                          or district.state_lgd_code != state.lgd_code):
        errors["district_lgd_code"] = _l("Choose a district of the state you chose.")
    product_ids = sorted(set(data.get("product_ids") or []))
    if product_ids:
        valid = set(db.session.scalars(select(OdopProduct.id).where(
            OdopProduct.id.in_(product_ids),
            OdopProduct.district_lgd_code == (district.lgd_code if district else -1),
            OdopProduct.retired_at.is_(None))))
        if set(product_ids) != valid:
            errors["product_ids"] = _l("Choose only products identified for your district.")
    if errors:
        raise FieldErrors(errors)
    return {"seller_type": seller_type, "state_lgd_code": state.lgd_code if state else None,
            "district_lgd_code": district.lgd_code if district else None,
            "product_ids": product_ids if district else []}


def _checked(data: dict, name: str, errors: dict, check, *args, **kwargs):
    """An identifier answer checked by `check`; blank stays None, a refusal goes to errors."""
    if not data.get(name):
        return None
    try:
        return check(data[name], *args, **kwargs)
    except (InvalidIdentifier, AccountError) as error:
        errors[name] = error
        return None


def _raise_if(errors: dict) -> None:
    if errors:
        raise FieldErrors(errors)


def _check_business(seller: Seller, data: dict) -> dict:
    errors: dict[str, Any] = {}
    year = data.get("year_started")
    if year is not None and not (EARLIEST_YEAR <= year <= utcnow().year):
        errors["year_started"] = _l("Enter a year between %(first)d and %(last)d.",
                                    first=EARLIEST_YEAR, last=utcnow().year)
    phone = _checked(data, "grievance_phone", errors, identifiers.normalise_mobile)
    email = _checked(data, "grievance_email", errors, normalise_email)
    _raise_if(errors)
    return {
        "legal_name": _text(data, "legal_name", 200),
        "display_name": _text(data, "display_name", 120),
        "year_started": year,
        "story": _text(data, "story", 2000),
        "languages": _text(data, "languages", 200),
        "grievance_name": _text(data, "grievance_name", 120),
        "grievance_phone": phone,
        "grievance_email": email,
    }


def _check_pan(seller: Seller, data: dict) -> dict:
    errors: dict[str, Any] = {}
    seller_type = seller.type_enum
    pan = _checked(data, "pan", errors, identifiers.validate_pan,
                   seller_type.pan_letters if seller_type else None,
                   seller_type.pan_holder if seller_type else None)
    _raise_if(errors)
    return {"pan": pan, "pan_name": _text(data, "pan_name", 120)}


def _check_udyam(seller: Seller, data: dict) -> dict:
    errors: dict[str, Any] = {}
    number = _checked(data, "udyam_number", errors, identifiers.validate_udyam,
                      lgd_state_code=seller.state_lgd_code)
    _raise_if(errors)
    return {"udyam_number": number}


def _check_gst(seller: Seller, data: dict) -> dict:
    mode = data.get("gst_mode") or None
    if mode not in (None, GstMode.REGISTERED, GstMode.EXEMPT):
        raise FieldErrors({"gst_mode": _l("Choose whether you have a GSTIN.")})
    values = {"gst_mode": mode, "gstin": None, "gst_exemption": None, "gst_enrolment_id": None}
    if mode == GstMode.REGISTERED:
        errors: dict[str, Any] = {}
        # The pickup address is in the seller's district, so its state is the seller's.
        values["gstin"] = _checked(data, "gstin", errors, identifiers.validate_gstin,
                                   lgd_state_code=seller.state_lgd_code, pan_number=seller.pan)
        _raise_if(errors)
    if mode == GstMode.EXEMPT:
        exemption = data.get("gst_exemption") or None
        if exemption and exemption not in {e.value for e in GstExemption}:
            raise FieldErrors({"gst_exemption": _l("Choose the reason from the list.")})
        values["gst_exemption"] = exemption
        if exemption == GstExemption.ENROLMENT:
            values["gst_enrolment_id"] = _text(data, "gst_enrolment_id", 20)
    return values


def _check_bank(seller: Seller, data: dict) -> dict:
    errors: dict[str, Any] = {}
    account = confirm = ""
    if (data.get("bank_account_number") or "").strip():
        try:
            account = identifiers.validate_bank_account(data["bank_account_number"])
        except InvalidIdentifier as error:
            errors["bank_account_number"] = error
        confirm = identifiers.ascii_digits(data.get("bank_account_confirm") or "")
        if account and account != "".join(ch for ch in confirm if ch.isdigit()):
            errors["bank_account_confirm"] = _l("The two account numbers are not the same.")
    ifsc = _checked(data, "bank_ifsc", errors, identifiers.validate_ifsc)
    _raise_if(errors)
    values = {"bank_holder_name": _text(data, "bank_holder_name", 120), "bank_ifsc": ifsc}
    # A blank account field keeps the number already saved (it is never shown again).
    if account:
        values["bank_account_number"] = account
    return values


def _check_address(seller: Seller, data: dict) -> dict:
    errors: dict[str, Any] = {}
    pin = _checked(data, "address_pin", errors, identifiers.validate_pin,
                   lgd_state_code=seller.state_lgd_code)
    _raise_if(errors)
    return {"address_line1": _text(data, "address_line1", 200),
            "address_line2": _text(data, "address_line2", 200),
            "address_city": _text(data, "address_city", 120), "address_pin": pin}


def _check_certificates(seller: Seller, data: dict) -> dict:
    errors: dict[str, Any] = {}
    number = _checked(data, "fssai_number", errors, identifiers.validate_fssai)
    _raise_if(errors)
    return {"sells_processed_food": bool(data.get("sells_processed_food")),
            "fssai_number": number}


def _check_declarations(seller: Seller, data: dict) -> dict:
    if not data.get("accept_terms"):
        raise FieldErrors({"accept_terms": _l("Tick the box to accept the seller terms.")})
    version = current_app.config["SELLER_TERMS_VERSION"]
    # Accepting a new version of the terms is a new acceptance, with its own time.
    same = seller.terms_accepted_at is not None and seller.terms_version == version
    return {"terms_accepted_at": seller.terms_accepted_at if same else utcnow(),
            "terms_version": version}


_CHECKERS = {
    SectionKey.PRODUCTS: _check_products,
    SectionKey.BUSINESS: _check_business,
    SectionKey.PAN: _check_pan,
    SectionKey.UDYAM: _check_udyam,
    SectionKey.GST: _check_gst,
    SectionKey.BANK: _check_bank,
    SectionKey.ADDRESS: _check_address,
    SectionKey.CERTIFICATES: _check_certificates,
    SectionKey.DECLARATIONS: _check_declarations,
}

