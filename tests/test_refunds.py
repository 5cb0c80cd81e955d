"""Partial refunds at the service level: bank and UPI refunds of cash-on-delivery orders, what
may still be refunded, two refunds at once, and what the seller's ledger makes of refunds
before and after the credit."""

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from odop_bazaar.db_types import today_in_india, utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models import Order
from odop_bazaar.models.audit import AuditEntry
from odop_bazaar.models.orders import Refund
from odop_bazaar.models.settlements import LedgerEntry
from odop_bazaar.services.errors import AlreadyChanged, FieldErrors
from odop_bazaar.services.orders import bank_refunds, refunds
from odop_bazaar.services.orders.errors import RefundRefused
from odop_bazaar.services.settlements import holds, payouts
from tests.refund_helpers import PAYEE, a_return, cod_order, user

WINDOW = 7


def refund_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Refund))


def ledger(seller_id) -> list[tuple]:
    return [tuple(row) for row in db.session.execute(
        select(LedgerEntry.kind, LedgerEntry.amount_paise)
        .where(LedgerEntry.seller_id == seller_id).order_by(LedgerEntry.id))]


def post_credits() -> int:
    return payouts.post_due_credits(utcnow() + timedelta(days=WINDOW + 1),
                                    return_window_days=WINDOW)


def pay(refund_id, staff_email, reference="UTR123456789"):
    return bank_refunds.record_bank_refund_paid(
        refund_id, paid_on=today_in_india(), reference=reference, actor=user(staff_email),
        today=today_in_india())


def test_a_cash_order_is_refunded_in_part_to_a_bank_account_and_staff_record_it(app):
    sold = cod_order(app)
    with app.app_context():
        assert refunds.refundable_paise(sold["order"]) == sold["total"]
        refund = bank_refunds.add_bank_refund(sold["order"], 5000, "Damaged in transit",
                                              return_id=a_return(sold["order"]), **PAYEE)
        assert refund.status == "awaiting_transfer" and refund.amount_paise == 5000
        assert refund.masked_account == "XXXXXXXXXX5678" and refund.payee_ifsc == "HDFC0001234"
        assert refunds.refundable_paise(sold["order"]) == sold["total"] - 5000
        assert db.session.get(Order, sold["order"]).refunded_paise == 0  # not paid yet

        paid = pay(refund.id, sold["staff"], " utr 1234 56789 ")
        assert paid.status == "succeeded" and paid.payment_reference == "UTR123456789"
        assert paid.paid_on == today_in_india() and paid.succeeded_at is not None
        assert db.session.get(Order, sold["order"]).refunded_paise == 5000
        notes = db.session.scalars(select(AuditEntry.note).where(
            AuditEntry.object_type == "refund", AuditEntry.object_id == refund.id)).all()
        assert notes == ["₹50.00 UTR123456789"]
        assert "50100012345678" not in " ".join(db.session.scalars(select(AuditEntry.note)))

        # A double click: the second is told it was done, and nothing more is written.
        with pytest.raises(AlreadyChanged):
            pay(refund.id, sold["staff"], "UTR999999999")
        assert db.session.get(Refund, refund.id).payment_reference == "UTR123456789"
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.object_type == "refund")) == 1


def test_the_same_return_is_refunded_once(app):
    sold = cod_order(app)
    with app.app_context():
        return_id = a_return(sold["order"])
        first = bank_refunds.add_bank_refund(sold["order"], 3000, "Defective", return_id=return_id,
                                             upi_id="Asha.Verma@okaxis", payee_name="Asha")
        again = bank_refunds.add_bank_refund(sold["order"], 3000, "Defective", return_id=return_id,
                                             upi_id="asha.verma@okaxis", payee_name="Asha")
        assert again.id == first.id and first.payee_upi_id == "asha.verma@okaxis"
        assert first.payee_destination == "asha.verma@okaxis" and refund_count() == 1


def test_refunds_never_add_up_to_more_than_was_paid(app):
    sold = cod_order(app)
    total = sold["total"]
    with app.app_context():
        bank_refunds.add_bank_refund(sold["order"], total - 1000, "Most of it", **PAYEE)
        with pytest.raises(FieldErrors) as refused:
            bank_refunds.add_bank_refund(sold["order"], 1001, "One paisa too many", **PAYEE)
        assert "more than can still be refunded" in str(refused.value.errors["amount"])
        assert "₹10.00" in str(refused.value.errors["amount"])
        bank_refunds.add_bank_refund(sold["order"], 1000, "The rest", **PAYEE)
        assert refunds.refundable_paise(sold["order"]) == 0 and refund_count() == 2
        for amount in (0, -5):
            with pytest.raises(FieldErrors):
                bank_refunds.add_bank_refund(sold["order"], amount, "Nothing", **PAYEE)
        assert refund_count() == 2


def test_nothing_is_refunded_before_the_cash_is_collected(app):
    sold = cod_order(app, delivered=False)
    with app.app_context():
        assert refunds.refundable_paise(sold["order"]) == 0
        with pytest.raises(FieldErrors):
            bank_refunds.add_bank_refund(sold["order"], 100, "Too early", **PAYEE)
        with pytest.raises(RefundRefused):  # and a cash order has no card to refund to
            refunds.add_card_refund(sold["order"], 100, "Card?")
        assert refund_count() == 0


@pytest.mark.parametrize("payee, fields", [
    ({"payee_name": "", "account_number": "50100012345678", "ifsc": "HDFC0001234"},
     {"payee_name"}),
    ({"payee_name": "Asha", "account_number": "1234", "ifsc": "HDFC1001234"},
     {"account_number", "ifsc"}),
    ({"payee_name": "Asha", "account_number": "50100012345678", "ifsc": ""}, {"ifsc"}),
    ({"payee_name": "Asha"}, {"account_number", "ifsc"}),
    ({"payee_name": "Asha", "upi_id": "not an id"}, {"upi_id"}),
])
def test_payee_details_are_checked_and_a_refusal_stores_nothing(app, payee, fields):
    sold = cod_order(app)
    with app.app_context():
        with pytest.raises(FieldErrors) as refused:
            bank_refunds.add_bank_refund(sold["order"], 1000, "Damaged", **payee)
        assert set(refused.value.errors) == fields
        assert refund_count() == 0


def test_two_refunds_at_once_cannot_exceed_what_was_paid(app, monkeypatch):
    """Each asks for 60 % of the order at the same moment: one is written, one refused."""
    sold = cod_order(app)
    real_written = refunds.refundable_paise

    def slow_refundable(order_id):  # both have read what is left before either writes
        value = real_written(order_id)
        time.sleep(0.3)
        return value

    monkeypatch.setattr(refunds, "refundable_paise", slow_refundable)
    barrier, outcomes = threading.Barrier(2), []

    def run():
        with app.app_context():
            try:
                barrier.wait()
                bank_refunds.add_bank_refund(sold["order"], sold["total"] * 6 // 10, "Half",
                                             **PAYEE)
                outcomes.append("written")
            except FieldErrors as error:
                outcomes.append(str(error.errors["amount"]))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes)[-1] == "written"
    assert "more than can still be refunded" in sorted(outcomes)[0]
    with app.app_context():
        assert refund_count() == 1


def test_a_refund_before_the_credit_is_left_out_of_it(app):
    sold = cod_order(app)
    with app.app_context():
        refund = bank_refunds.add_bank_refund(sold["order"], 6000, "Damaged", **PAYEE)
        assert post_credits() == 1  # no commission set: a sale only
        # Left out even before staff have paid it: the money is the buyer's.
        assert ledger(sold["seller"]) == [("sale", sold["total"] - 6000)]
        pay(refund.id, sold["staff"])
        assert post_credits() == 0
        assert ledger(sold["seller"]) == [("sale", sold["total"] - 6000)]


def test_a_refund_after_the_credit_is_a_debit_once_it_is_paid(app):
    sold = cod_order(app)
    with app.app_context():
        assert post_credits() == 1
        refund = bank_refunds.add_bank_refund(sold["order"], 6000, "Damaged", **PAYEE)
        assert post_credits() == 0  # not paid yet: nothing to debit
        pay(refund.id, sold["staff"])
        assert post_credits() == 1 and post_credits() == 0
        assert ledger(sold["seller"]) == [("sale", sold["total"]), ("refund", -6000)]
        assert payouts.balance(sold["seller"]) == sold["total"] - 6000


def test_an_order_with_an_open_return_waits_for_its_credit(app, monkeypatch):
    sold = cod_order(app)
    monkeypatch.setattr(holds, "_open_returns", lambda: {sold["order"]})
    with app.app_context():
        assert post_credits() == 0 and ledger(sold["seller"]) == []
    monkeypatch.setattr(holds, "_open_returns", set)
    with app.app_context():
        assert post_credits() == 1
