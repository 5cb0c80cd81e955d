"""The seller's writes to their application: saving sections and documents, and submitting.

Modelled on GeM seller onboarding. Each section is saved on its own (half-done is fine); which
sections are required depends on the seller type and products. Each function commits once.
"""

import secrets
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from odop_bazaar import identifiers
from odop_bazaar.db_types import utcnow
from odop_bazaar.extensions import db
from odop_bazaar.identifiers import InvalidIdentifier
from odop_bazaar.models.accounts import Role, User
from odop_bazaar.models.checklist import (
    SENT_SECTION_STATUSES,
    UNSENT_SECTION_STATUSES,
    DocumentKind,
    SectionKey,
    SectionStatus,
    SellerDocument,
)
from odop_bazaar.models.sellers import SELLER_TRANSITIONS, Seller, SellerStatus
from odop_bazaar.services import outbox, workflow
from odop_bazaar.services.errors import FieldErrors
from odop_bazaar.services.sellers import kept
from odop_bazaar.services.sellers.documents import DocumentRefused, check_document
from odop_bazaar.services.sellers.errors import (
    EmailNotConfirmed,
    IncompleteApplication,
    NotEditable,
    OnboardingError,
    SectionRefused,
)
from odop_bazaar.services.sellers.kept import KeptFile
from odop_bazaar.services.sellers.progress import checklist, section_status
from odop_bazaar.services.sellers.sections import SECTIONS, SPEC
from odop_bazaar.services.sellers.transitions import (
    lock_seller,
    move_section,
    section_row,
    touch_section,
)
from odop_bazaar.storage import storage


@dataclass(frozen=True)
class Upload:
    kind: DocumentKind
    filename: str
    data: bytes


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


def _editable(seller: Seller) -> None:
    lock_seller(seller)
    if not seller.can_edit_application:
        raise NotEditable(_l("Your application is with our staff, so it cannot be changed now."))


def _checked_answers(seller: Seller, key: SectionKey, data: dict[str, Any],
                     uploads: list[Upload]) -> tuple[dict, list, dict]:
    """The section's answers and the files that passed their own check, with the refusals by
    field (every one at once)."""
    check = SPEC[key].check
    if check is None:
        raise OnboardingError(f"The {key.value} section is saved by its own service")
    errors: dict[str, Any] = {}
    try:
        values = check(seller, data)
    except FieldErrors as error:
        errors.update(error.errors)
        values = {}
    cleaned, refused = check_uploads(key, uploads)
    errors.update(refused)
    return values, cleaned, errors


def check_uploads(key: SectionKey, uploads: list[Upload]) -> tuple[list, dict[str, Any]]:
    """Each upload checked and cleaned alone: (kind, file name, clean document) for those that
    passed, and the refusals by field."""
    cleaned, errors = [], {}
    for upload in uploads:
        if upload.kind.section != key:
            errors[upload.kind.value] = _l("This document belongs to another section.")
            continue
        try:
            cleaned.append((upload.kind, upload.filename,
                            check_document(upload.filename, upload.data)))
        except DocumentRefused as error:
            errors[upload.kind.value] = error
    return cleaned, errors


def hold_files(seller: Seller, key: SectionKey, uploads: list[Upload],
               kept_tokens: dict[str, str]) -> tuple[dict[str, KeptFile], dict[str, Any]]:
    """Keep what can be kept of a submission refused before its answers were read (a form
    that did not even have the right shape): the files kept by kind, and the files' refusals.

    Stores files only (privately, for a day); nothing in the database changes.
    """
    cleaned, errors = check_uploads(key, uploads)
    redeemed, gone = kept.redeem_all(seller, key, kept_tokens)
    errors.update({name: message for name, message in gone.items() if name not in errors})
    return _keep_for_next_try(seller, key, cleaned, redeemed), errors


def _keep_for_next_try(seller: Seller, key: SectionKey, cleaned: list,
                       redeemed: dict) -> dict[str, KeptFile]:
    """The files to offer again by kind: the new ones kept, else those kept before. A kept file
    that a new one replaces is deleted."""
    fresh = {kind.value: kept.keep(seller, key, kind, filename, clean)
             for kind, filename, clean in cleaned}
    kept.discard(r.storage_key for kind, r in redeemed.items() if kind.value in fresh)
    return fresh | {kind.value: r.kept for kind, r in redeemed.items()
                    if kind.value not in fresh}


def _add_documents(seller: Seller, cleaned: list, store, stored_keys: list[str]) -> list[str]:
    """Store the checked files (noting their keys as they go) in place of the seller's earlier
    ones of the same kinds; the storage keys of those, to delete once committed."""
    replaced_keys = []
    for kind, _filename, clean in cleaned:
        storage_key = f"documents/{secrets.token_hex(16)}"
        store.save(storage_key, clean.data)
        stored_keys.append(storage_key)
        for old in seller.documents_of(kind):
            replaced_keys.append(old.storage_key)
            seller.documents.remove(old)
        seller.documents.append(SellerDocument(
            kind=kind.value, storage_key=storage_key, content_type=clean.content_type,
            size=len(clean.data), sha256=clean.sha256))
    return replaced_keys


def _checked_section(seller: Seller, key: SectionKey, data: dict[str, Any],
                     uploads: list[Upload], kept_tokens: dict[str, str] | None):
    """The checked answers, the documents to store (new or kept from an earlier try) and the
    storage keys of the kept ones used.

    Raises:
        SectionRefused: with the files that passed kept for the next try (when the caller
            sends kept_tokens, even empty: a page the seller comes back to).
    """
    values, cleaned, errors = _checked_answers(seller, key, data, uploads)
    redeemed: dict = {}
    if kept_tokens is not None:
        redeemed, gone = kept.redeem_all(seller, key, kept_tokens)
        new_kinds = {kind for kind, _filename, _clean in cleaned}
        errors.update({name: message for name, message in gone.items() if name not in errors})
        if errors:
            raise SectionRefused(errors, _keep_for_next_try(seller, key, cleaned, redeemed))
        kept.discard(r.storage_key for kind, r in redeemed.items() if kind in new_kinds)
        redeemed = {kind: r for kind, r in redeemed.items() if kind not in new_kinds}
    if errors:
        raise FieldErrors(errors)
    used = [(kind, r.kept.filename, r.clean) for kind, r in redeemed.items()]
    return values, cleaned + used, [r.storage_key for r in redeemed.values()]


def save_section(seller: Seller, key: SectionKey, data: dict[str, Any],
                 uploads: list[Upload] = (), kept_tokens: dict[str, str] | None = None) -> bool:
    """Check and store a section's answers and documents; half-done is fine. Commits once.

    Every upload and answer is checked before anything is stored, so a refused file or answer
    stores nothing in the seller's application. With kept_tokens (by document kind: tokens of
    files kept from an earlier try, see kept.py) a kept file is used where no new one is
    chosen, and a refusal keeps the files that passed for the next try. Returns whether
    anything changed (an unchanged section keeps its review status).

    Raises:
        NotEditable: the application is under review or decided.
        FieldErrors: an answer or a file breaks a rule; nothing was saved (SectionRefused,
            with the files kept, when kept_tokens were given).
    """
    _editable(seller)
    values, cleaned, used_keys = _checked_section(seller, key, data, list(uploads), kept_tokens)
    changed = SPEC[key].store(seller, values)
    store = storage("private")
    stored_keys: list[str] = []
    try:
        replaced_keys = _add_documents(seller, cleaned, store, stored_keys)
        if changed or cleaned:
            touch_section(seller, key)
            _reopen_dependents(seller, key)
            changed = True
        db.session.commit()
    except BaseException:
        db.session.rollback()
        for storage_key in stored_keys:
            store.delete(storage_key)
        raise
    for storage_key in replaced_keys + used_keys:
        store.delete(storage_key)
    return changed


def _reopen_dependents(seller: Seller, changed: SectionKey) -> None:
    """Sections that depend on the changed one are checked again, if they were sent."""
    for spec in SECTIONS:
        if changed in spec.reopened_by and section_status(seller, spec.key) in \
                SENT_SECTION_STATUSES:
            touch_section(seller, spec.key)


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
        touch_section(seller, SectionKey.AADHAAR)
    db.session.commit()


def remove_aadhaar(seller: Seller) -> None:
    """Forget the Aadhaar digits (the section is optional). Commits."""
    _editable(seller)
    if seller.aadhaar_last4:
        seller.aadhaar_last4 = None
        seller.aadhaar_entered_at = None
        touch_section(seller, SectionKey.AADHAAR)
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
    touch_section(seller, document.kind_enum.section)
    db.session.commit()
    storage("private").delete(key)


def submit_application(seller: Seller, actor: User) -> None:
    """Send the application (or the changed sections) to staff. Commits.

    Raises:
        NotEditable; IncompleteApplication with what is still due; EmailNotConfirmed.
    """
    _editable(seller)
    if not actor.email_verified:
        raise EmailNotConfirmed()
    state = checklist(seller)
    if state.due:
        raise IncompleteApplication(state.due)
    seller.submitted_at = utcnow()
    try:
        for item in state.items:
            if item.complete and item.status in UNSENT_SECTION_STATUSES:
                row = section_row(seller, item.spec.key, SectionStatus.SUBMITTED)
                if row.status != SectionStatus.SUBMITTED:
                    move_section(row, SectionStatus.SUBMITTED, actor_role="seller")
                row.reviewer_note = None
        workflow.transition(seller, SellerStatus.SUBMITTED.value, table=SELLER_TRANSITIONS,
                            actor_id=actor.id, actor_role="seller", object_type="seller")
    except workflow.AlreadyChanged as error:  # a second press of "Submit"
        raise NotEditable(_l("Your application is with our staff, so it cannot be changed "
                             "now.")) from error
    outbox.notify("seller_submitted", seller)
    db.session.commit()
