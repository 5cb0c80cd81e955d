"""A complaint form sent several times at once (a double click, a retried request) opens one
ticket, with one email, and every press lands on that ticket's page. Two grievance officers
resolving the same ticket at once resolve it once. Real concurrent requests through a live
server, on SQLite and PostgreSQL."""

import re

from sqlalchemy import func, select

from odop_bazaar.extensions import db
from odop_bazaar.models import AuditEntry, Complaint, ComplaintMessage, Order, Role, User
from odop_bazaar.services.complaints import tickets
from tests.checkout_helpers import add, place
from tests.conftest import log_in
from tests.factories import make_user, shop
from tests.live import Visitor, at_once, serve

PRESSES = 4
DESCRIPTION = "The saree arrived torn along the border."


def _ordered(app) -> tuple[str, int]:
    """A buyer with a cash-on-delivery order; (their email, the order's id)."""
    saree, _stole, buyer = shop(app)
    client = app.test_client()
    log_in(client, buyer)
    add(client, saree)
    assert place(client).status_code == 303
    with app.app_context():
        return buyer, db.session.scalar(select(Order.id))


def _count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_pressing_open_several_times_at_once_opens_one_ticket(app, outbox):
    buyer, order_id = _ordered(app)
    path = f"/complaints/new?order={order_id}"
    with serve(app) as base:
        visitor = Visitor(base).log_in(buyer)
        page = visitor.get(path).text
        key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', page).group(1)
        form = visitor.form(path, {"category": "damaged", "description": DESCRIPTION,
                                   "submission_key": key})
        answers = at_once([lambda: visitor.post(path, form) for _ in range(PRESSES)])
    assert not [a for a in answers if isinstance(a, Exception)], answers
    assert {a.status_code for a in answers} == {303}, [(a.status_code, a.text[:300])
                                                       for a in answers]
    assert _count(app, Complaint) == 1
    with app.app_context():
        ticket = db.session.scalar(select(Complaint))
        # Every press is sent to the one ticket's page.
        assert {a.headers["Location"].rsplit("/", 1)[1] for a in answers} == {ticket.reference}
        assert _count(app, AuditEntry, AuditEntry.object_type == "complaint") == 1
    assert len([m for m in outbox if m["To"] == buyer and "complaint" in m["Subject"]]) == 1


def test_two_grievance_officers_resolving_at_once_resolve_it_once(app, outbox):
    buyer, order_id = _ordered(app)
    with app.test_request_context():
        opener = db.session.scalar(select(User).where(User.email == buyer))
        ticket = tickets.open_complaint(opener, "order", order_id, category="damaged",
                                        description=DESCRIPTION,
                                        submission_key="once").complaint
        reference, complaint_id = ticket.reference, ticket.id
    page = f"/staff/complaints/{reference}"
    with serve(app) as base:
        officers = [Visitor(base).log_in(make_user(app, Role.STAFF)) for _ in range(2)]
        forms = [officer.form(f"{page}/resolve", {"resolution": "Refunded in full."},
                              token_from=page) for officer in officers]
        answers = at_once([lambda o=officer, f=form: o.post(f"{page}/resolve", f)
                           for officer, form in zip(officers, forms, strict=True)
                           for _ in range(2)])
    assert not [a for a in answers if isinstance(a, Exception)], answers
    assert {a.status_code for a in answers} <= {303, 422}, [a.status_code for a in answers]
    assert _count(app, AuditEntry, AuditEntry.object_type == "complaint",
                  AuditEntry.object_id == complaint_id, AuditEntry.to_status == "resolved") == 1
    assert _count(app, AuditEntry, AuditEntry.object_type == "complaint",
                  AuditEntry.action == "resolution") == 1
    assert len([m for m in outbox if m["To"] == buyer and "Resolved" in m["Subject"]]) == 1


def test_a_reply_sent_several_times_at_once_is_added_once(app):
    buyer, order_id = _ordered(app)
    with app.test_request_context():
        opener = db.session.scalar(select(User).where(User.email == buyer))
        reference = tickets.open_complaint(opener, "order", order_id, category="damaged",
                                           description=DESCRIPTION,
                                           submission_key="reply").complaint.reference
    page = f"/complaints/{reference}"
    with serve(app) as base:
        visitor = Visitor(base).log_in(buyer)
        form = visitor.form(f"{page}/reply", {"body": "Photos are on their way."},
                            token_from=page)
        answers = at_once([lambda: visitor.post(f"{page}/reply", form) for _ in range(PRESSES)])
    assert not [a for a in answers if isinstance(a, Exception)], answers
    assert {a.status_code for a in answers} == {303}, [a.status_code for a in answers]
    assert _count(app, ComplaintMessage) == 1
    assert _count(app, AuditEntry, AuditEntry.action == "reply") == 1
