"""Staff paying bank refunds through their pages: the queue oldest first, the account shown
masked on every page and email (whole only in the admins' bank file, whose download is
audited), bad answers refused beside their fields, and a double click recording once (real
concurrent requests through a live server)."""

from sqlalchemy import func, select

from odop_bazaar.extensions import db
from odop_bazaar.models import Role
from odop_bazaar.models.audit import AuditEntry
from odop_bazaar.models.orders import Refund
from odop_bazaar.services.orders import bank_refunds
from tests.conftest import submit
from tests.factories import make_user
from tests.live import Visitor, at_once, serve
from tests.refund_helpers import PAYEE, client_of, cod_order

FULL_NUMBER = PAYEE["account_number"]
MASKED = "XXXXXXXXXX5678"


def bank_refund(app, sold, amount=5000, **payee) -> int:
    with app.app_context():
        return bank_refunds.add_bank_refund(sold["order"], amount, "Damaged in transit",
                                            **(payee or PAYEE)).id


def test_staff_pay_a_bank_refund_and_see_only_the_masked_account(app, outbox):
    sold = cod_order(app)
    first = bank_refund(app, sold)
    second = bank_refund(app, sold, 700, payee_name="Asha", upi_id="asha@okaxis")
    staff = client_of(app, sold["staff"])
    queue = staff.get("/staff/refunds").get_data(as_text=True)
    assert queue.index(f"Refund {first}") < queue.index(f"Refund {second}")  # oldest first
    assert MASKED in queue and "asha@okaxis" in queue and "₹50.00" in queue
    page = staff.get(f"/staff/refunds/{first}").get_data(as_text=True)
    assert MASKED in page and "HDFC0001234" in page and sold["reference"] in page

    wrong = submit(staff, f"/staff/refunds/{first}/paid",
                   {"paid_on": "2999-01-01", "reference": "no!"})
    text = wrong.get_data(as_text=True)
    assert wrong.status_code == 422 and "cannot be in the future" in text
    assert "4 to 40 letters and digits" in text and 'value="no!"' in text
    with app.app_context():
        assert db.session.get(Refund, first).status == "awaiting_transfer"

    paid = submit(staff, f"/staff/refunds/{first}/paid",
                  {"paid_on": "2026-11-20", "reference": "UTR123456789"})
    assert paid.status_code == 303 and paid.headers["Location"].endswith("/staff/refunds")
    queue = staff.get("/staff/refunds").get_data(as_text=True)
    assert "Refund recorded as paid" in queue and f"Refund {first}<" not in queue
    assert "UTR123456789" in staff.get(f"/staff/refunds/{first}").get_data(as_text=True)
    mail = [m for m in outbox if m["To"] == sold["buyer"]][-1].get_content()
    assert "₹50.00" in mail and MASKED in mail and "UTR123456789" in mail
    order_page = sold["buyer_client"].get(f"/orders/{sold['reference']}").get_data(as_text=True)
    assert "Refunded ₹50.00" in order_page and "Refund: ₹50.00 Damaged in transit" in order_page

    admin = client_of(app, make_user(app, Role.ADMIN))
    seen = [staff.get(f"/staff/refunds/{first}"), staff.get("/staff/refunds"),
            admin.get("/staff/audit"), admin.get(f"/staff/refunds/{second}"),
            sold["buyer_client"].get(f"/orders/{sold['reference']}")]
    for response in seen:
        assert FULL_NUMBER not in response.get_data(as_text=True)
    assert all(FULL_NUMBER not in m.get_content() for m in outbox)


def test_the_bank_file_is_for_admins_and_each_download_is_audited(app):
    sold = cod_order(app)
    bank_refund(app, sold)
    admin = client_of(app, make_user(app, Role.ADMIN))
    response = admin.get("/staff/refunds/to-pay.csv")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert FULL_NUMBER in body and "HDFC0001234" in body and "50.00" in body
    assert client_of(app, sold["staff"]).get("/staff/refunds/to-pay.csv").status_code == 403
    with app.app_context():
        notes = db.session.scalars(select(AuditEntry.note).where(
            AuditEntry.action == "export:refunds")).all()
        assert notes == ["1 refunds, ₹50.00"]


def test_two_staff_clicking_paid_at_once_record_it_once(app, outbox):
    sold = cod_order(app)
    refund_id = bank_refund(app, sold)
    second_staff = make_user(app, Role.STAFF)  # all India
    mails_before = len(outbox)
    page, path = f"/staff/refunds/{refund_id}", f"/staff/refunds/{refund_id}/paid"
    with serve(app) as base:
        people = [Visitor(base).log_in(email) for email in (sold["staff"], second_staff)]
        forms = [person.form(path, {"paid_on": "2026-11-20", "reference": f"UTR00000{n}"},
                             token_from=page) for n, person in enumerate(people)]
        answers = at_once([lambda p=person, f=form: p.post(path, f)
                           for person, form in zip(people, forms, strict=True)
                           for _ in range(3)])
        assert not [a for a in answers if isinstance(a, Exception)], answers
        assert {answer.status_code for answer in answers} == {303}
        told = [person.get(page).text for person in people]
    assert any("already recorded as paid" in text for text in told)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.object_type == "refund", AuditEntry.object_id == refund_id)) == 1
        assert db.session.get(Refund, refund_id).status == "succeeded"
    assert len([m for m in outbox[mails_before:] if m["To"] == sold["buyer"]]) == 1
