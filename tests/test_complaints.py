"""Complaint tickets: a buyer or seller opens one about their own order, listing or payout and has
its number at once (shown and emailed); the grievance officer's clocks (acknowledged within 48
hours, resolved within one month) with the time moved; the queue, overdue first; every reply and
status change in the audit log; reopening within the window and not after it; another person's
ticket is not found; bad answers come back beside their fields with what was typed."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from odop_bazaar.extensions import db
from odop_bazaar.models import AuditEntry, Complaint, LedgerEntry, Listing, Order, Role, User
from odop_bazaar.services.accounts.staff_scope import ALL_INDIA
from odop_bazaar.services.complaints import queries, tickets
from odop_bazaar.services.errors import FieldErrors, InvalidTransition
from tests.checkout_helpers import add, place
from tests.conftest import log_in, submit
from tests.factories import listing, make_reviewer, make_user, shop

T0 = datetime(2027, 1, 31, 4, 30, tzinfo=UTC)  # 10:00 IST; one month on is the 28th of February
DESCRIPTION = "The saree arrived torn along the border & the zari is loose."


@pytest.fixture
def ordered(app):
    """A buyer's cash-on-delivery order of one saree: (buyer client, buyer email, order id,
    checkout reference, seller id)."""
    saree, _stole, buyer = shop(app)
    client = app.test_client()
    log_in(client, buyer)
    add(client, saree)
    response = place(client)
    assert response.status_code == 303
    reference = response.location.rsplit("/", 1)[1]
    with app.app_context():
        order = db.session.scalar(select(Order))
        return client, buyer, order.id, reference, order.seller_id


def user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def staff_member() -> User:
    return db.session.scalar(select(User).where(User.role == Role.STAFF))


def open_one(email: str, order_id: int, *, now=T0, key="k1", category="damaged") -> Complaint:
    return tickets.open_complaint(user(email), "order", order_id, category=category,
                                  description=DESCRIPTION, submission_key=key,
                                  now=now).complaint


def audit(complaint_id: int) -> list[tuple[str, str | None, str | None]]:
    return [(row.action, row.from_status, row.to_status) for row in db.session.scalars(
        select(AuditEntry).where(AuditEntry.object_type == "complaint",
                                 AuditEntry.object_id == complaint_id).order_by(AuditEntry.id))]


# --- Opening one, through the pages ---------------------------------------------------------

def test_a_buyer_opens_a_complaint_from_their_order_and_has_its_number_at_once_and_by_email(
        app, ordered, outbox):
    client, buyer, order_id, reference, _seller = ordered
    order_page = client.get(f"/orders/{reference}").get_data(as_text=True)
    assert f"/complaints/new?order={order_id}" in order_page
    path = f"/complaints/new?order={order_id}"
    form = client.get(path).get_data(as_text=True)
    key = re.search(r'name="submission_key" type="hidden" value="([^"]+)"', form).group(1)
    response = submit(client, path, {"category": "damaged", "description": DESCRIPTION,
                                     "submission_key": key})
    assert response.status_code == 303
    ticket = response.location.rsplit("/", 1)[1]
    assert re.fullmatch(r"CMP-[2-9A-HJ-NP-Z]{8}", ticket)
    page = client.get(response.location).get_data(as_text=True)
    assert ticket in page and "torn along the border &amp; the zari" in page
    assert f"Its ticket number is {ticket}" in page
    mail = [m for m in outbox if m["To"] == buyer and ticket in m["Subject"]]
    assert len(mail) == 1
    body = mail[0].get_content()
    assert f"Its ticket number is {ticket}" in body and f"/complaints/{ticket}" in body
    assert ticket in client.get("/complaints").get_data(as_text=True)
    with app.app_context():
        complaint = db.session.scalar(select(Complaint))
        assert audit(complaint.id) == [("status", None, "open")]


def test_bad_answers_come_back_beside_their_fields_with_what_was_typed(app, ordered):
    client, _buyer, order_id, _reference, _seller = ordered
    path = f"/complaints/new?order={order_id}"
    response = submit(client, path, {"category": "payout_missing", "description": "Torn",
                                     "submission_key": "abc"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(r'id="category-error">.*?Choose what the complaint is about', page, re.S)
    assert re.search(r'id="description-error">.*?at least 20 characters', page, re.S)
    assert re.search(r">\s*Torn</textarea>", page)
    with app.app_context():
        assert db.session.scalar(select(Complaint)) is None


def test_another_persons_order_or_ticket_is_not_found(app, ordered):
    client, _buyer, order_id, _reference, _seller = ordered
    other = app.test_client()
    log_in(other, make_user(app))
    assert other.get(f"/complaints/new?order={order_id}").status_code == 404
    assert submit(other, f"/complaints/new?order={order_id}",
                  {"category": "damaged", "description": DESCRIPTION, "submission_key": "x"},
                  token_from="/complaints").status_code == 404
    with app.test_request_context():
        ticket = open_one(_buyer, order_id).reference
    assert other.get(f"/complaints/{ticket}").status_code == 404
    assert submit(other, f"/complaints/{ticket}/reply", {"body": "Me too"},
                  token_from="/complaints").status_code == 404
    assert client.get(f"/complaints/{ticket}").status_code == 200
    # Staff whose places do not include the seller's district neither see nor open it.
    elsewhere = app.test_client()
    log_in(elsewhere, make_reviewer(app, states=(30,)))
    assert elsewhere.get(f"/staff/complaints/{ticket}").status_code == 404
    assert ticket not in elsewhere.get("/staff/complaints").get_data(as_text=True)
    here = app.test_client()
    log_in(here, make_reviewer(app, districts=(187,)))
    assert ticket in here.get("/staff/complaints").get_data(as_text=True)


def test_a_product_page_links_to_a_complaint_about_it(app, ordered):
    client, *_ = ordered
    with app.app_context():
        listing = db.session.scalar(select(Listing).order_by(Listing.id))
    page = client.get(f"/products/{listing.id}", follow_redirects=True).get_data(as_text=True)
    assert f"/complaints/new?listing={listing.id}" in page
    assert client.get(f"/complaints/new?listing={listing.id}").status_code == 200


def test_a_seller_opens_a_complaint_about_their_own_payout_only(app, ordered):
    _client, _buyer, _order_id, _reference, seller_id = ordered
    with app.app_context():
        seller_email = db.session.get(Order, _order_id).seller.user.email
        payout = LedgerEntry(seller_id=seller_id, kind="payout", amount_paise=-10000,
                             paid_on=date(2027, 1, 5), bank_reference="UTR123456")
        db.session.add(payout)
        db.session.commit()
        payout_id = payout.id
    seller = app.test_client()
    log_in(seller, seller_email)
    assert f"/complaints/new?payout={payout_id}" in seller.get("/seller/payouts").get_data(
        as_text=True)
    response = submit(seller, f"/complaints/new?payout={payout_id}", {
        "category": "payout_amount", "description": "The payout was Rs 100 short of my balance.",
        "submission_key": "s1"})
    assert response.status_code == 303
    other_seller = app.test_client()
    with app.app_context():
        other_email = db.session.scalar(select(User).where(
            User.role == Role.SELLER, User.email != seller_email)).email
    log_in(other_seller, other_email)
    assert other_seller.get(f"/complaints/new?payout={payout_id}").status_code == 404
    # A buyer complains about orders and listings, not payouts.
    assert _client.get(f"/complaints/new?payout={payout_id}").status_code == 404


# --- The clocks, with the time moved --------------------------------------------------------

def test_acknowledgement_is_due_48_hours_after_opening_and_resolution_one_month_after(
        app, ordered):
    _client, buyer, order_id, *_ = ordered
    with app.test_request_context():
        complaint = open_one(buyer, order_id)
        assert complaint.acknowledge_due == T0 + timedelta(hours=48)
        assert complaint.resolve_due == datetime(2027, 2, 28, 4, 30, tzinfo=UTC)
        assert not complaint.overdue(T0 + timedelta(hours=47, minutes=59))
        assert complaint.overdue(T0 + timedelta(hours=48, minutes=1))
        tickets.acknowledge(complaint, staff_member(), now=T0 + timedelta(hours=47))
        assert not complaint.overdue(T0 + timedelta(days=27))
        assert complaint.overdue(datetime(2027, 2, 28, 4, 31, tzinfo=UTC))
        tickets.resolve(complaint, staff_member(), "Replaced.", now=T0 + timedelta(days=29))
        assert not complaint.overdue(T0 + timedelta(days=400))


def test_the_queue_puts_overdue_tickets_first_then_the_soonest_due(app, ordered, monkeypatch):
    client, buyer, order_id, *_ = ordered
    now = datetime.now(UTC)
    with app.test_request_context():
        fresh = open_one(buyer, order_id, now=now - timedelta(hours=1), key="fresh").reference
        late_ack = open_one(buyer, order_id, now=now - timedelta(hours=50), key="ack").reference
        late_fix = open_one(buyer, order_id, now=now - timedelta(days=40), key="fix")
        tickets.acknowledge(late_fix, staff_member(), now=now - timedelta(days=39))
        late_fix = late_fix.reference
        done = open_one(buyer, order_id, now=now - timedelta(days=3), key="done")
        tickets.resolve(done, staff_member(), "Refunded in full.")
        done = done.reference
        assert [c.reference for c in queries.staff_queue(ALL_INDIA)] == [
            late_fix, late_ack, fresh]
        assert [c.reference for c in queries.staff_queue(ALL_INDIA, show_all=True)] == [
            late_fix, late_ack, fresh, done]
    staff = app.test_client()
    log_in(staff, make_reviewer(app, all_india=True))
    page = staff.get("/staff/complaints").get_data(as_text=True)
    rows = re.findall(r"<tr( class=\"overdue\")?>\s*<th scope=\"row\"><a [^>]*>(CMP-\w+)", page)
    assert rows == [(' class="overdue"', late_fix), (' class="overdue"', late_ack), ("", fresh)]
    assert done in staff.get("/staff/complaints?show=all").get_data(as_text=True)


# --- Replies, status changes, the audit log -------------------------------------------------

def test_every_reply_and_status_change_is_in_the_audit_log_and_emailed(app, ordered, outbox):
    client, buyer, order_id, *_ = ordered
    with app.test_request_context():
        complaint = open_one(buyer, order_id)
        ticket, complaint_id = complaint.reference, complaint.id
    assert submit(client, f"/complaints/{ticket}/reply",
                  {"body": "Photos are attached to my email."}).status_code == 303
    staff = app.test_client()
    log_in(staff, make_reviewer(app, districts=(187,)))
    page = f"/staff/complaints/{ticket}"
    assert submit(staff, f"{page}/acknowledge", {"note": "We are on it."}).status_code == 303
    assert submit(staff, f"{page}/reply", {"body": "The seller will call you."}).status_code == 303
    assert submit(staff, f"{page}/resolve", {"resolution": ""}).status_code == 422
    assert submit(staff, f"{page}/resolve",
                  {"resolution": "A new saree was sent."}).status_code == 303
    with app.app_context():
        assert audit(complaint_id) == [
            ("status", None, "open"), ("reply", None, None), ("status", "open", "acknowledged"),
            ("reply", None, None), ("reply", None, None),
            ("status", "acknowledged", "resolved"), ("resolution", None, None)]
        notes = db.session.scalars(select(AuditEntry.note).where(
            AuditEntry.action == "reply")).all()
        assert notes == ["Photos are attached to my email.", "We are on it.",
                         "The seller will call you."]
    updates = [m for m in outbox if m["To"] == buyer and "Resolved" in m["Subject"]]
    assert len(updates) == 1 and "A new saree was sent." in updates[0].get_content()
    buyer_page = client.get(f"/complaints/{ticket}").get_data(as_text=True)
    assert "A new saree was sent." in buyer_page and "Reopen the complaint" in buyer_page
    # Pressed again: told it is done, nothing more written.
    assert submit(staff, f"{page}/acknowledge", {"note": ""}).status_code == 303
    with app.app_context():
        assert len(audit(complaint_id)) == 7


# --- Reopening ------------------------------------------------------------------------------

def test_the_opener_reopens_within_the_window_and_the_clocks_start_again(app, ordered):
    _client, buyer, order_id, *_ = ordered
    days = app.config["RESOLVED_REOPEN_DAYS"]
    assert days == 14
    with app.test_request_context():
        complaint = open_one(buyer, order_id)
        tickets.resolve(complaint, staff_member(), "Refunded.", now=T0 + timedelta(days=2))
        with pytest.raises(FieldErrors):
            tickets.reopen(complaint, user(buyer), " ", reopen_days=days)
        later = T0 + timedelta(days=2 + days, hours=-1)
        tickets.reopen(complaint, user(buyer), "The refund never arrived.", reopen_days=days,
                       now=later)
        assert complaint.status == "reopened" and complaint.resolved_at is None
        assert complaint.acknowledge_due == later + timedelta(hours=48)
        assert complaint.resolve_due == tickets.one_month_after(later)
        assert audit(complaint.id)[-2:] == [("status", "resolved", "reopened"),
                                            ("reply", None, None)]


def test_a_ticket_resolved_longer_ago_than_the_window_cannot_be_reopened(app, ordered):
    client, buyer, order_id, *_ = ordered
    days = app.config["RESOLVED_REOPEN_DAYS"]
    with app.test_request_context():
        complaint = open_one(buyer, order_id)
        resolved_at = datetime.now(UTC) - timedelta(days=days, hours=1)
        tickets.resolve(complaint, staff_member(), "Refunded.", now=resolved_at)
        ticket = complaint.reference
        with pytest.raises(InvalidTransition):
            tickets.reopen(complaint, user(buyer), "Still not refunded.", reopen_days=days)
        assert db.session.get(Complaint, complaint.id).status == "resolved"
    page = client.get(f"/complaints/{ticket}").get_data(as_text=True)
    assert "Reopen the complaint" not in page and "open a new complaint" in page
    response = submit(client, f"/complaints/{ticket}/reopen", {"reason": "Still not refunded."},
                      token_from="/complaints")
    assert response.status_code == 422
    assert "cannot be reopened" in response.get_data(as_text=True)


def test_someone_else_cannot_reopen_or_reply_through_the_service(app, ordered):
    _client, buyer, order_id, *_ = ordered
    stranger = make_user(app)
    with app.test_request_context():
        complaint = open_one(buyer, order_id)
        with pytest.raises(tickets.NotYourComplaint):
            tickets.reply(complaint, user(stranger), "Hello", as_staff=False)
        tickets.resolve(complaint, staff_member(), "Done.")
        with pytest.raises(tickets.NotYourComplaint):
            tickets.reopen(complaint, user(stranger), "Again", reopen_days=14)
        with pytest.raises(tickets.NotYourComplaint):
            tickets.open_complaint(user(stranger), "order", order_id, category="damaged",
                                   description=DESCRIPTION, submission_key="z")


def test_a_seller_complains_about_their_own_order_and_staff_of_their_place_see_it(app, ordered):
    _client, _buyer, order_id, _reference, _seller_id = ordered
    with app.app_context():
        seller_email = db.session.get(Order, order_id).seller.user.email
    seller = app.test_client()
    log_in(seller, seller_email)
    assert f"/complaints/new?order={order_id}" in seller.get("/seller/orders").get_data(
        as_text=True)
    response = submit(seller, f"/complaints/new?order={order_id}", {
        "category": "buyer_conduct", "description": "The buyer refused the parcel twice.",
        "submission_key": "s2"})
    assert response.status_code == 303
    ticket = response.location.rsplit("/", 1)[1]
    assert ticket in seller.get("/complaints").get_data(as_text=True)
    here = app.test_client()
    log_in(here, make_reviewer(app, districts=(187,)))
    assert "The buyer refused the parcel twice." in here.get(
        f"/staff/complaints/{ticket}").get_data(as_text=True)


def test_a_listing_the_buyer_cannot_see_cannot_be_complained_about(app, ordered):
    client, *_ = ordered
    with app.app_context():
        seller_id = db.session.scalar(select(Listing.seller_id))
    draft = listing(app, seller_id, "Unreviewed stole", approve=False)
    assert client.get(f"/complaints/new?listing={draft}").status_code == 404
    assert client.get("/complaints/new?listing=abc").status_code == 404


def test_a_complaint_from_a_return_page_names_that_return_and_no_other_orders(app):
    from odop_bazaar.models.returns import ReturnRequest
    from odop_bazaar.services.returns import requests as returns
    from tests.returns_helpers import delivered
    found = delivered(app)
    with app.test_request_context():
        asked = returns.ReturnAsk(quantities={found["item"]: 1}, reason="defective",
                                  resolution="exchange")
        return_id = returns.request_return(db.session.get(Order, found["order"]),
                                           user(found["buyer"]), asked).id
    client = found["client"]
    path = f"/complaints/new?order={found['order']}&return={return_id}"
    assert path.replace("&", "&amp;") in client.get(f"/returns/{return_id}").get_data(
        as_text=True)
    for key, named in ((path, return_id), (path.replace(f"&return={return_id}", "&return=999999"), None)):
        response = submit(client, key, {"category": "damaged", "description": DESCRIPTION,
                                        "submission_key": key[-12:]})
        assert response.status_code == 303, response.get_data(as_text=True)
        with app.app_context():
            ticket = response.location.rsplit("/", 1)[1]
            opened = db.session.scalar(select(Complaint).where(Complaint.reference == ticket))
            assert opened.return_id == named
            assert named is None or db.session.get(ReturnRequest, named).order_id == opened.order_id
