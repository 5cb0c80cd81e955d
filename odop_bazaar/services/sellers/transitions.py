"""How the seller's and staff's writes change an application safely: the seller's row lock, and
section statuses moved along SECTION_TRANSITIONS."""

from odop_bazaar.db_types import utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models.checklist import SECTION_TRANSITIONS, SectionKey, SectionStatus, SellerSection
from odop_bazaar.models.sellers import Seller
from odop_bazaar.services import workflow


def lock_seller(seller: Seller) -> None:
    """Take the seller's row lock for this unit of work and reread it.

    Two tabs, or two reviewers, acting at once are then applied one after the other, each
    seeing what the other did, on PostgreSQL and on SQLite.
    """
    workflow.lock_row(Seller, seller.id)
    db.session.refresh(seller)
    for row in seller.sections:
        db.session.refresh(row)


def move_section(row: SellerSection, to_status: SectionStatus, *, actor_role: str) -> None:
    """Move a section to to_status if SECTION_TRANSITIONS allows it for actor_role.

    Section moves are not audited as status changes: staff decisions record their own
    'section:<key>' row, and a seller's edits are not decisions.

    Raises:
        InvalidTransition: no such move for this actor; AlreadyChanged: someone moved it first.
    """
    workflow.transition(row, to_status.value, table=SECTION_TRANSITIONS, actor_id=None,
                        actor_role=actor_role, object_type="seller_section", audit=False)


def section_row(seller: Seller, key: SectionKey, status: SectionStatus) -> SellerSection:
    """The seller's row for a section, made with `status` if it has none yet."""
    row = seller.section(key)
    if row is None:
        row = SellerSection(key=key.value, status=status.value)
        seller.sections.append(row)
    return row


def touch_section(seller: Seller, key: SectionKey) -> None:
    """A section changed: it goes back to 'in progress' until the seller submits again."""
    row = section_row(seller, key, SectionStatus.IN_PROGRESS)
    if row.status != SectionStatus.IN_PROGRESS:
        move_section(row, SectionStatus.IN_PROGRESS, actor_role="seller")
    row.updated_at = utcnow()
