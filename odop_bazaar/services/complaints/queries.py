"""Complaints, the reads: what a complaint may be about, a person's own tickets, the grievance
officer's queue. Never commits."""

from dataclasses import dataclass

from sqlalchemy import case, exists, select
from sqlalchemy.orm import selectinload

from odop_bazaar.extensions import db
from odop_bazaar.localized import localized
from odop_bazaar.models.accounts import User
from odop_bazaar.models.catalogue import Listing
from odop_bazaar.models.complaints import Complaint, ComplaintMessage, ComplaintStatus
from odop_bazaar.models.orders import Order, OrderItem
from odop_bazaar.models.returns import ReturnRequest
from odop_bazaar.models.sellers import Seller
from odop_bazaar.models.settlements import EntryKind, LedgerEntry
from odop_bazaar.services.accounts.staff_scope import Scope

SUBJECT_KINDS = ("order", "listing", "payout")


@dataclass(frozen=True)
class Subject:
    """What a complaint is about, found among the things its opener may complain about."""

    kind: str  # "order", "listing" or "payout"
    id: int
    seller_id: int
    name: str  # what the person reads: an order reference, a listing title, a payout's date
    row: object


def opener_role(user: User) -> str | None:
    """"buyer" or "seller" for the people who may open complaints; None for anyone else."""
    if user.is_authenticated and user.is_buyer:
        return "buyer"
    if user.is_authenticated and user.is_seller:
        return "seller"
    return None


def _seller_id_of(user: User) -> int | None:
    return db.session.scalar(select(Seller.id).where(Seller.user_id == user.id))


def _buyer_may_see_listing(user: User, listing: Listing) -> bool:
    if listing.is_visible_to_buyers:
        return True
    return db.session.scalar(select(exists().where(
        OrderItem.listing_id == listing.id, OrderItem.order_id == Order.id,
        Order.buyer_id == user.id)))


def subject_for(user: User, kind: str, subject_id: int | None) -> Subject | None:
    """The order, listing or payout `user` may complain about, or None (not theirs, not found,
    or not a kind their role complains about)."""
    role = opener_role(user)
    if subject_id is None or role is None or kind not in SUBJECT_KINDS:
        return None
    if kind == "order":
        order = db.session.get(Order, subject_id)
        mine = order is not None and (order.buyer_id == user.id if role == "buyer"
                                      else order.seller_id == _seller_id_of(user))
        return Subject(kind, order.id, order.seller_id, order.reference, order) if mine else None
    if kind == "listing" and role == "buyer":
        listing = db.session.get(Listing, subject_id)
        if listing is None or listing.live_content is None \
                or not _buyer_may_see_listing(user, listing):
            return None
        return Subject(kind, listing.id, listing.seller_id, localized(listing.live_content, "title"),
                       listing)
    if kind == "payout" and role == "seller":
        entry = db.session.get(LedgerEntry, subject_id)
        if entry is None or entry.kind != EntryKind.PAYOUT \
                or entry.seller_id != _seller_id_of(user):
            return None
        name = entry.bank_reference or str(entry.paid_on or entry.id)
        return Subject(kind, entry.id, entry.seller_id, name, entry)
    return None


def return_of_order(order_id: int, return_id: int | None) -> int | None:
    """The return named beside an order, when it is one of that order's returns; else none."""
    if return_id is None:
        return None
    return db.session.scalar(select(ReturnRequest.id).where(
        ReturnRequest.id == return_id, ReturnRequest.order_id == order_id))


def subject_of(complaint: Complaint) -> str:
    """What the ticket is about, in the words the person reads."""
    if complaint.order_id:
        return complaint.order.reference
    if complaint.listing_id:
        return localized(complaint.listing.live_content, "title")  # "" for none
    return complaint.payout.bank_reference or str(complaint.payout.paid_on or "")


def by_submission(opener_id: int, submission_key: str) -> Complaint | None:
    """The ticket one press of a form opened, if it was opened already."""
    return db.session.scalar(select(Complaint).where(Complaint.opener_id == opener_id,
                                                     Complaint.submission_key == submission_key))


def latest_message(complaint_id: int, author_id: int) -> ComplaintMessage | None:
    """The author's latest reply on the ticket."""
    return db.session.scalar(select(ComplaintMessage).where(
        ComplaintMessage.complaint_id == complaint_id, ComplaintMessage.author_id == author_id)
        .order_by(ComplaintMessage.id.desc()).limit(1))


def mine(user: User) -> list[Complaint]:
    """The person's own tickets, newest first."""
    return db.session.scalars(select(Complaint).where(Complaint.opener_id == user.id)
                              .order_by(Complaint.id.desc()).limit(200)).all()


def own_ticket(user: User, reference: str) -> Complaint | None:
    """The person's own ticket by its number; another person's is as good as missing."""
    complaint = db.session.scalar(select(Complaint).where(Complaint.reference == reference)
                                  .options(selectinload(Complaint.messages)))
    if complaint is None or complaint.opener_id != user.id:
        return None
    return complaint


def _in_scope(scope: Scope):
    return Complaint.seller_id.in_(scope.seller_ids())


def staff_ticket(scope: Scope, reference: str) -> Complaint | None:
    """A ticket about a seller in the staff member's places; else None."""
    return db.session.scalar(select(Complaint).where(Complaint.reference == reference,
                                                     _in_scope(scope)))


def next_due():
    """SQL: the next due time of a ticket (the acknowledgement while it waits for one)."""
    return case((Complaint.status.in_(sorted(ComplaintStatus.UNACKNOWLEDGED)),
                 Complaint.acknowledge_due), else_=Complaint.resolve_due)


def staff_queue(scope: Scope, *, show_all: bool = False) -> list[Complaint]:
    """The grievance officer's queue: overdue tickets first, then by the next due time;
    resolved ones (with show_all) last, the latest resolved first.

    A ticket is overdue exactly when its next due time has passed (the acknowledgement is due
    before the resolution), so sorting on that time puts the overdue ones first.
    """
    resolved = Complaint.status == ComplaintStatus.RESOLVED
    query = (select(Complaint).where(_in_scope(scope))
             .options(selectinload(Complaint.opener))
             .order_by(case((resolved, 1), else_=0), case((resolved, None), else_=next_due()),
                       Complaint.resolved_at.desc(), Complaint.id))
    if not show_all:
        query = query.where(~resolved)
    return db.session.scalars(query.limit(300)).all()
