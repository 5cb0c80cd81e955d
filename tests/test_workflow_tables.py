"""Every workflow is a table of allowed moves, applied by the one function workflow.transition.

For each table, one real row is walked through every pair of statuses: a move the table allows
works for each role it names (the row has the new status and an audit row says so), while a move
it does not allow, or an allowed move asked for by another role, raises InvalidTransition and
leaves the row as it was. (tests/test_structure.py checks that no status is set anywhere else.)
"""

import itertools

import pytest
from sqlalchemy import func, select, update

from odop_bazaar.extensions import db
from odop_bazaar.models import Listing, Seller, SellerSection
from odop_bazaar.models.audit import AuditEntry
from odop_bazaar.models.catalogue import (
    LISTING_TRANSITIONS,
    PHOTO_TRANSITIONS,
    ListingPhoto,
    ListingStatus,
    PhotoStatus,
)
from odop_bazaar.models.checklist import SECTION_TRANSITIONS, SectionStatus
from odop_bazaar.models.complaints import COMPLAINT_TRANSITIONS, Complaint, ComplaintStatus
from odop_bazaar.models.orders import (
    CHECKOUT_TRANSITIONS,
    ORDER_TRANSITIONS,
    REFUND_TRANSITIONS,
    Checkout,
    CheckoutState,
    Order,
    OrderStatus,
    Payment,
    Refund,
    RefundStatus,
)
from odop_bazaar.models.returns import RETURN_TRANSITIONS, ReturnRequest, ReturnStatus
from odop_bazaar.models.reviews import REVIEW_TRANSITIONS, Review, ReviewStatus
from odop_bazaar.models.sellers import SELLER_TRANSITIONS, SellerStatus
from odop_bazaar.services import workflow
from odop_bazaar.services.complaints import tickets
from odop_bazaar.services.errors import InvalidTransition
from tests.checkout_helpers import add, place
from tests.conftest import log_in
from tests.factories import make_seller, shop

ROLES = ("buyer", "seller", "staff", "admin", "system")

# table name -> (model, status column, its enum, the table)
WORKFLOWS = {
    "seller": (Seller, "status", SellerStatus, SELLER_TRANSITIONS),
    "seller_section": (SellerSection, "status", SectionStatus, SECTION_TRANSITIONS),
    "listing": (Listing, "status", ListingStatus, LISTING_TRANSITIONS),
    "listing_photo": (ListingPhoto, "status", PhotoStatus, PHOTO_TRANSITIONS),
    "order": (Order, "status", OrderStatus, ORDER_TRANSITIONS),
    "checkout": (Checkout, "state", CheckoutState, CHECKOUT_TRANSITIONS),
    "refund": (Refund, "status", RefundStatus, REFUND_TRANSITIONS),
    "complaint": (Complaint, "status", ComplaintStatus, COMPLAINT_TRANSITIONS),
    "return": (ReturnRequest, "status", ReturnStatus, RETURN_TRANSITIONS),
    "review": (Review, "status", ReviewStatus, REVIEW_TRANSITIONS),
}


def _roles(allowed) -> set[str]:
    if not allowed:
        return set()
    return {allowed} if isinstance(allowed, str) else set(allowed)


def _row_of_each_kind(app, client) -> dict[str, int]:
    """One real row of each workflow's model, made the way the app makes them; their ids."""
    saree, _, buyer = shop(app)
    log_in(client, buyer)
    add(client, saree)
    assert place(client).status_code == 303
    with app.app_context():
        _, seller_id = make_seller(app, "new")
        seller = db.session.get(Seller, seller_id)
        section = SellerSection(seller_id=seller_id, key="pan")
        db.session.add(section)
        order = db.session.scalars(select(Order)).one()
        payment = Payment(checkout_id=order.checkout_id, provider="stripe",
                          provider_reference="pi_walk", amount_paise=100, currency="inr",
                          source="webhook")
        db.session.add(payment)
        db.session.flush()
        refund = Refund(payment_id=payment.id, amount_paise=100, status=RefundStatus.PENDING,
                        idempotency_key="walk")
        db.session.add(refund)
        returned = ReturnRequest(order_id=order.id, buyer_id=order.buyer_id,
                                 seller_id=order.seller_id, status=ReturnStatus.REQUESTED,
                                 reason="defective", resolution="refund", amount_paise=100)
        db.session.add(returned)
        review = Review(order_item_id=order.items[0].id, listing_id=saree,
                        seller_id=order.seller_id, buyer_id=order.buyer_id, rating=3)
        db.session.add(review)
        photo = ListingPhoto(content_id=db.session.get(Listing, saree).live_content_id,
                             position=9, digest="0" * 64, width=0, height=0,
                             status=PhotoStatus.PROCESSING)
        db.session.add(photo)
        db.session.commit()
        complaint = tickets.open_complaint(order.buyer, "order", order.id, category="damaged",
                                           description="The saree arrived torn at one end.",
                                           submission_key="walk").complaint
        return {"seller": seller.id, "seller_section": section.id, "listing": saree,
                "order": order.id, "checkout": order.checkout_id, "refund": refund.id,
                "complaint": complaint.id,
                "return": returned.id,
                "review": review.id, "listing_photo": photo.id}


def _put(model, field, row_id, status) -> None:
    """Set the row's status behind the workflow's back: the starting point of one move."""
    db.session.execute(update(model).where(model.id == row_id).values({field: status}))
    db.session.commit()
    db.session.expire_all()


def _status(model, field, row_id) -> str:
    db.session.expire_all()
    return db.session.scalar(select(getattr(model, field)).where(model.id == row_id))


def _audit_rows() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry))


@pytest.mark.parametrize("name", WORKFLOWS)
def test_every_move_in_the_table_works_and_every_other_is_refused(app, client, name):
    model, field, statuses, table = WORKFLOWS[name]
    row_id = _row_of_each_kind(app, client)[name]
    assert all(a in set(statuses) and b in set(statuses) for a, b in table), "unknown status"
    with app.test_request_context():
        for from_status, to_status in itertools.product(statuses, repeat=2):
            allowed = _roles(table.get((from_status, to_status)))
            for role in ROLES:
                _put(model, field, row_id, from_status)
                before = _audit_rows()
                row = db.session.get(model, row_id)
                move = f"{name}: {from_status} -> {to_status} by {role}"
                if role in allowed:
                    workflow.transition(row, to_status, table=table, actor_id=None,
                                        actor_role=role, object_type=name, field=field)
                    db.session.commit()
                    assert _status(model, field, row_id) == to_status, move
                    assert _audit_rows() == before + 1, move
                else:
                    with pytest.raises(InvalidTransition) as refusal:
                        workflow.transition(row, to_status, table=table, actor_id=None,
                                            actor_role=role, object_type=name, field=field)
                    # The person is told where it stands in words, not the stored code.
                    assert f"“{statuses(from_status).label}”" in str(refusal.value), move
                    db.session.rollback()
                    assert _status(model, field, row_id) == from_status, move
                    assert _audit_rows() == before, move


def test_every_table_allows_some_moves_and_names_known_roles():
    for name, (_, _, _, table) in WORKFLOWS.items():
        assert table, name
        assert set().union(*(_roles(roles) for roles in table.values())) <= set(ROLES), name
