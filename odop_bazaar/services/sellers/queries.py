"""Reads about sellers that never commit: staff's seller lists, where a review stands, the
history of an application, and documents for the people allowed to see them."""

import logging
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, BinaryIO

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from odop_bazaar.extensions import db
from odop_bazaar.models.accounts import User
from odop_bazaar.models.audit import AuditEntry
from odop_bazaar.models.checklist import DECIDABLE_SECTION_STATUSES, SectionKey, SectionStatus, SellerDocument
from odop_bazaar.models.reference import OdopProduct
from odop_bazaar.models.sellers import UNDER_REVIEW_STATUSES, Seller, SellerStatus, seller_product
from odop_bazaar.services import keyset
from odop_bazaar.services.accounts.staff_scope import Scope, scope_of
from odop_bazaar.services.sellers.errors import DocumentNotFound
from odop_bazaar.services.sellers.progress import section_status
from odop_bazaar.services.sellers.sections import SECTIONS, SPEC
from odop_bazaar.storage import storage

log = logging.getLogger(__name__)

QUEUE_PAGE = 200
# The seller lists staff can ask for: the review queue (the default) or one other status.
WAITING = "waiting"
SELLER_LISTS: dict[str, Collection[SellerStatus] | None] = {
    WAITING: UNDER_REVIEW_STATUSES,
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


def seller_list_query(filters: QueueFilters, scope: Scope, after: tuple | None = None):
    """The sellers in the staff member's places that match the filters, in list order: the
    review queue oldest submission first (who waited longest comes first), other lists newest
    first. `after`: the list_position of the row the list continues after."""
    statuses = SELLER_LISTS.get(filters.status, SELLER_LISTS[WAITING])
    query = select(Seller).where(scope.seller_filter())
    if statuses is not None:
        query = query.where(Seller.status.in_(sorted(s.value for s in statuses)))
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
        if after is not None:
            query = query.where(keyset.after_oldest_first(Seller.submitted_at, Seller.id, after))
        return query.order_by(*keyset.oldest_first(Seller.submitted_at, Seller.id))
    if after is not None:
        query = query.where(Seller.id < after[1])
    return query.order_by(Seller.id.desc())


def list_position(seller: Seller) -> tuple:
    """Where a seller stands in a staff list, for continuing the list after them."""
    return seller.submitted_at, seller.id


def review_queue(filters: QueueFilters, scope: Scope, after: tuple | None = None, *,
                 limit: int = QUEUE_PAGE) -> tuple[list[Seller], int]:
    """Sellers in the staff member's places matching the filters (by default those waiting for
    review, oldest submission first), up to limit (after the list_position `after`), and how
    many match in all."""
    query = seller_list_query(filters, scope)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    query = seller_list_query(filters, scope, after).limit(limit).options(
        selectinload(Seller.user), selectinload(Seller.district), selectinload(Seller.state),
        selectinload(Seller.products))
    return list(db.session.scalars(query)), total


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
        if status in DECIDABLE_SECTION_STATUSES:
            decidable.add(spec.key)
        if spec.required(seller) and status != SectionStatus.VERIFIED:
            unverified_required.append(spec.key)
    return ReviewSummary(seller.under_review, pending, changes, unverified_required,
                         decidable if seller.under_review else set())


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


def document_for(user: User, document_id: int) -> tuple[SellerDocument, BinaryIO]:
    """A document and its file, open for reading (the response closes it), for its owner or
    staff who work on the seller's place.

    Raises:
        DocumentNotFound: no such document, not this person's to see, or its file is gone.
    """
    document = db.session.get(SellerDocument, document_id)
    if document is None or not (scope_of(user).covers_seller(document.seller)
                                or document.seller.user_id == user.id):
        raise DocumentNotFound(_l("That document does not exist."))
    try:
        return document, storage("private").open(document.storage_key)
    except FileNotFoundError as error:
        log.error("Document %s has no file at %s", document.id, document.storage_key)
        raise DocumentNotFound(_l("That document does not exist.")) from error
