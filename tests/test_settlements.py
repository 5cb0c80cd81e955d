"""Settlements: delivered orders credited to their sellers once the return window has passed,
less the commission; payouts that never exceed the balance; a ledger that only grows."""

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select, update

from odop_bazaar.db_types import today_in_india, utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models import Listing, Order, Role, Seller, User
from odop_bazaar.models.audit import AuditEntry
from odop_bazaar.models.settlements import ImmutableEntry, LedgerEntry
from odop_bazaar.services.catalogue import listings
from odop_bazaar.services.orders import marketplace_settings
from odop_bazaar.services.settlements import payouts
from tests.checkout_helpers import add, place
from tests.conftest import BACKEND, check_access, log_in, submit
from tests.factories import make_places, make_seller, make_user, shop

WINDOW = 7  # RETURN_WINDOW_DAYS


def post(now=None) -> int:
    return payouts.post_due_credits(now, return_window_days=WINDOW)


def later(days: float):
    return utcnow() + timedelta(days=days)


def ledger(app, seller_id) -> list[tuple]:
    with app.app_context():
        return [tuple(row) for row in db.session.execute(
            select(LedgerEntry.kind, LedgerEntry.amount_paise, LedgerEntry.bank_reference)
            .where(LedgerEntry.seller_id == seller_id).order_by(LedgerEntry.id))]


def balance(app, seller_id) -> int:
    with app.app_context():
        return payouts.balance(seller_id)


def client_of(app, email):
    client = app.test_client()
    log_in(client, email)
    return client


@pytest.fixture
def sold(app):
    """Two sellers in one checkout: a saree at ₹100.21 (₹160.21 with delivery) and a stole at
    ₹100 (₹160.00); commission 2.5 % set by the admin on the settings page."""
    saree, stole, buyer_email = shop(app)
    with app.test_request_context():
        item = db.session.get(Listing, saree)
        listings.update_price_and_stock(item.seller, item, {"price": "100.21", "mrp": "200",
                                                            "stock": "3"})
    admin_email = make_user(app, Role.ADMIN)
    admin = client_of(app, admin_email)
    assert submit(admin, "/staff/settings", {"charge": "60", "free_from": "999",
                                             "commission": "2.5"}).status_code == 303
    with app.app_context():
        assert marketplace_settings.current("commission_bps") == {"commission_bps": 250}
    buyer = client_of(app, buyer_email)
    add(buyer, saree)
    add(buyer, stole)
    reference = place(buyer).headers["Location"].rsplit("/", 1)[1]
    with app.app_context():
        by_seller = {order.seller_id: order for order in db.session.scalars(select(Order))}
        saree_seller = db.session.get(Listing, saree).seller_id
        stole_seller = db.session.get(Listing, stole).seller_id
        first, second = by_seller[saree_seller], by_seller[stole_seller]
        assert (first.total_paise, second.total_paise) == (16021, 16000)
        return {
            "reference": reference, "buyer": buyer, "admin": admin, "admin_email": admin_email,
            "first": {"seller": saree_seller, "order": first.id, "ref": first.reference,
                      "email": first.seller.user.email},
            "second": {"seller": stole_seller, "order": second.id, "ref": second.reference,
                       "email": second.seller.user.email},
        }


def deliver(app, who: dict) -> None:
    """The seller takes the order to delivered on their orders page."""
    seller = client_of(app, who["email"])
    for step in ("accepted", "packed", "shipped", "delivered"):
        response = submit(seller, f"/seller/orders/{who['order']}/next",
                          {"step": step, "carrier": "India Post", "tracking": "EE123456789IN"},
                          token_from="/seller/orders")
        assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Order, who["order"]).status == "delivered"


def test_a_delivered_order_is_credited_once_after_the_return_window(app, sold):
    first, second = sold["first"], sold["second"]
    with app.app_context():
        assert db.session.get(Order, first["order"]).delivered_at is None
    deliver(app, first)
    with app.app_context():
        delivered_at = db.session.get(Order, first["order"]).delivered_at
        assert delivered_at is not None and abs(delivered_at - utcnow()) < timedelta(minutes=1)

        # Inside the window nothing is credited, even a day before it ends.
        assert post() == 0 and post(later(WINDOW - 1)) == 0
    assert ledger(app, first["seller"]) == []
    seller = client_of(app, first["email"])
    page = seller.get("/seller/payouts").get_data(as_text=True)
    assert "On its way" in page and first["ref"] in page and "₹160.21" in page
    assert "ODOP Bazaar owes you" in page and "₹0.00" in page

    with app.app_context():
        assert post(later(WINDOW + 1)) == 2
        assert post(later(WINDOW + 1)) == 0  # a second run adds nothing
        assert post(later(WINDOW + 30)) == 0
    # ₹160.21 less 2.5 % (₹4.00525, to the nearest paisa ₹4.01).
    assert ledger(app, first["seller"]) == [("sale", 16021, None), ("commission", -401, None)]
    assert balance(app, first["seller"]) == 15620
    page = seller.get("/seller/payouts").get_data(as_text=True)
    assert "₹156.20" in page and "On its way" not in page
    assert "+₹160.21" in page and "−₹4.01" in page
    # The undelivered order of the other seller waits.
    assert ledger(app, second["seller"]) == []

    # A later change of rate changes no credit already made.
    submit(sold["admin"], "/staff/settings", {"charge": "60", "free_from": "999",
                                              "commission": "10"})
    with app.app_context():
        assert post(later(WINDOW + 40)) == 0
    assert balance(app, first["seller"]) == 15620


def test_the_window_runs_from_delivery_not_from_the_order(app, sold):
    first = sold["first"]
    with app.app_context():
        db.session.execute(update(Order).where(Order.id == first["order"]).values(
            placed_at=utcnow() - timedelta(days=30)))
        db.session.commit()
    deliver(app, first)
    with app.app_context():
        assert post() == 0
        # A delivery a full window ago is due now.
        db.session.execute(update(Order).where(Order.id == first["order"]).values(
            delivered_at=utcnow() - timedelta(days=WINDOW, minutes=1)))
        db.session.commit()
        assert post() == 2
    assert balance(app, first["seller"]) == 15620


def test_a_cancelled_order_is_never_credited(app, sold):
    second = sold["second"]
    buyer = sold["buyer"]
    assert submit(buyer, f"/orders/{sold['reference']}/{second['order']}/cancel",
                  {"reason": "Ordered by mistake"},
                  token_from=f"/orders/{sold['reference']}").status_code == 303
    deliver(app, sold["first"])
    with app.app_context():
        assert db.session.get(Order, second["order"]).status == "cancelled"
        assert post(later(WINDOW + 1)) == 2  # the saree's sale and commission only
        assert post(later(365)) == 0
    assert ledger(app, second["seller"]) == []
    page = client_of(app, second["email"]).get("/seller/payouts").get_data(as_text=True)
    assert "On its way" not in page and "₹0.00" in page


def test_each_seller_sees_only_their_own_ledger(app, sold):
    first, second = sold["first"], sold["second"]
    deliver(app, first)
    deliver(app, second)
    with app.app_context():
        assert post(later(WINDOW + 1)) == 4
    assert balance(app, second["seller"]) == 16000 - 400
    mine = client_of(app, second["email"]).get("/seller/payouts").get_data(as_text=True)
    assert "₹156.00" in mine and "₹156.20" not in mine
    assert second["ref"] in mine and first["ref"] not in mine
    theirs = client_of(app, first["email"]).get("/seller/payouts").get_data(as_text=True)
    assert "₹156.20" in theirs and second["ref"] not in theirs


@pytest.fixture
def owed(app, sold):
    """The saree's seller is owed ₹156.20; an all-India staff member to pay them."""
    deliver(app, sold["first"])
    with app.app_context():
        post(later(WINDOW + 1))
        staff_email = db.session.scalar(select(User.email).where(User.role == "staff"))
    return {**sold, "staff": client_of(app, staff_email), "seller_id": sold["first"]["seller"]}


def pay(client, seller_id, **fields):
    data = {"amount": "100", "paid_on": today_in_india().isoformat(),
            "bank_reference": "SBIN326112345678", "note": "", **fields}
    return submit(client, f"/staff/settlements/{seller_id}/payouts", data,
                  token_from=f"/staff/settlements/{seller_id}")


def test_a_payout_lowers_the_balance_and_the_seller_sees_it(app, owed):
    seller_id = owed["seller_id"]
    page = owed["staff"].get(f"/staff/settlements/{seller_id}").get_data(as_text=True)
    assert "₹156.20" in page and "Record a payout" in page
    assert "Correct the ledger" not in page  # corrections are for admins
    response = pay(owed["staff"], seller_id, bank_reference="sbin 3261 1234 5678",
                   note="NEFT batch 12")
    assert response.status_code == 303
    assert balance(app, seller_id) == 5620
    assert ledger(app, seller_id)[-1] == ("payout", -10000, "SBIN326112345678")
    mine = client_of(app, owed["first"]["email"]).get("/seller/payouts").get_data(as_text=True)
    assert "₹56.20" in mine and "SBIN326112345678" in mine and "−₹100.00" in mine
    with app.app_context():
        audit = db.session.scalars(select(AuditEntry.note).where(
            AuditEntry.object_type == "seller", AuditEntry.object_id == seller_id,
            AuditEntry.action == "payout")).all()
    assert len(audit) == 1 and "SBIN326112345678" in audit[0]


@pytest.mark.parametrize("fields, message", [
    ({"amount": "156.21"}, "more than the seller is owed"),
    ({"amount": "5000"}, "more than the seller is owed"),
    ({"amount": "0"}, "more than zero"),
    ({"amount": "0.00"}, "more than zero"),
    ({"amount": "-10"}, "Enter an amount"),
    ({"amount": "ten"}, "Enter an amount"),
    ({"amount": ""}, "Enter an amount"),
    ({"amount": "1.234"}, "Enter an amount"),
    ({"paid_on": "tomorrow"}, "Not a valid date"),
    ({"paid_on": ""}, "Enter the date"),
    ({"bank_reference": ""}, "Enter the bank"),
    ({"bank_reference": "??"}, "Enter the bank"),
])
def test_a_wrong_payout_is_refused_and_stores_nothing(app, owed, fields, message):
    seller_id = owed["seller_id"]
    before = ledger(app, seller_id)
    response = pay(owed["staff"], seller_id, **fields)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    if fields.get("amount"):
        assert f'value="{fields["amount"]}"' in page  # what they typed comes back
    assert ledger(app, seller_id) == before and balance(app, seller_id) == 15620


def test_a_payout_dated_in_the_future_is_refused(app, owed):
    seller_id = owed["seller_id"]
    tomorrow = (today_in_india() + timedelta(days=1)).isoformat()
    response = pay(owed["staff"], seller_id, paid_on=tomorrow)
    assert response.status_code == 422
    assert "cannot be in the future" in response.get_data(as_text=True)
    assert balance(app, seller_id) == 15620


def test_the_same_bank_reference_is_recorded_once(app, owed):
    seller_id = owed["seller_id"]
    assert pay(owed["staff"], seller_id, amount="50").status_code == 303
    again = pay(owed["staff"], seller_id, amount="50", bank_reference="sbin326112345678")
    assert again.status_code == 422
    assert "already recorded" in again.get_data(as_text=True)
    assert balance(app, seller_id) == 15620 - 5000
    assert [kind for kind, *_ in ledger(app, seller_id)] == ["sale", "commission", "payout"]
    # The whole balance can be paid, and then nothing more.
    assert pay(owed["staff"], seller_id, amount="106.20", bank_reference="UT2").status_code \
        == 422  # too short to be a bank reference
    assert pay(owed["staff"], seller_id, amount="106.20",
               bank_reference="UTR20261120").status_code == 303
    assert balance(app, seller_id) == 0
    assert pay(owed["staff"], seller_id, amount="0.01",
               bank_reference="UTR20261121").status_code == 422


def test_ledger_entries_cannot_be_changed_or_deleted(app, owed):
    seller_id = owed["seller_id"]
    before = ledger(app, seller_id)
    with app.app_context():
        entry = db.session.scalar(select(LedgerEntry).where(LedgerEntry.kind == "sale"))
        entry.amount_paise = 99999999
        with pytest.raises(ImmutableEntry):
            db.session.commit()
        db.session.rollback()
        entry = db.session.scalar(select(LedgerEntry).where(LedgerEntry.kind == "sale"))
        db.session.delete(entry)
        with pytest.raises(ImmutableEntry):
            db.session.commit()
        db.session.rollback()
        # Nor through a bulk statement, which skips the object's own checks.
        with pytest.raises(ImmutableEntry):
            db.session.execute(update(LedgerEntry).values(amount_paise=1))
        db.session.rollback()
        with pytest.raises(ImmutableEntry):
            db.session.execute(delete(LedgerEntry).where(LedgerEntry.seller_id == seller_id))
        db.session.rollback()
    assert ledger(app, seller_id) == before and balance(app, seller_id) == 15620


def test_an_admin_corrects_the_ledger_with_a_new_entry_and_a_reason(app, owed):
    seller_id = owed["seller_id"]
    admin = owed["admin"]
    path = f"/staff/settlements/{seller_id}/corrections"
    page = admin.get(f"/staff/settlements/{seller_id}").get_data(as_text=True)
    assert "Correct the ledger" in page
    with app.app_context():
        sale_id = db.session.scalar(select(LedgerEntry.id).where(LedgerEntry.kind == "sale"))
    refused = submit(admin, path, {"amount": "-20.50", "corrects": str(sale_id), "reason": " "},
                     token_from=f"/staff/settlements/{seller_id}")
    assert refused.status_code == 422 and "Give the reason" in refused.get_data(as_text=True)
    for amount in ("0", "abc", ""):
        assert submit(admin, path, {"amount": amount, "reason": "x"},
                      token_from=f"/staff/settlements/{seller_id}").status_code == 422
    assert submit(admin, path, {"amount": "5", "corrects": "999999", "reason": "x"},
                  token_from=f"/staff/settlements/{seller_id}").status_code == 422
    assert balance(app, seller_id) == 15620

    response = submit(admin, path, {"amount": "-20.50", "corrects": str(sale_id),
                                    "reason": "Courier charged the seller twice"},
                      token_from=f"/staff/settlements/{seller_id}")
    assert response.status_code == 303
    assert balance(app, seller_id) == 15620 - 2050
    assert ledger(app, seller_id)[-1] == ("adjustment", -2050, None)
    assert submit(admin, path, {"amount": "+3", "reason": "Goodwill"},
                  token_from=f"/staff/settlements/{seller_id}").status_code == 303
    assert balance(app, seller_id) == 15620 - 2050 + 300
    page = client_of(app, owed["first"]["email"]).get("/seller/payouts").get_data(as_text=True)
    assert f"Corrects entry {sale_id}" in page and "Courier charged the seller twice" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(
            AuditEntry.object_type == "seller", AuditEntry.object_id == seller_id,
            AuditEntry.action == "correction")) == 2


def test_a_correction_cannot_point_at_another_sellers_entry(app, sold):
    deliver(app, sold["first"])
    deliver(app, sold["second"])
    with app.app_context():
        post(later(WINDOW + 1))
        theirs = db.session.scalar(select(LedgerEntry.id).where(
            LedgerEntry.seller_id == sold["second"]["seller"]))
    seller_id = sold["first"]["seller"]
    response = submit(sold["admin"], f"/staff/settlements/{seller_id}/corrections",
                      {"amount": "5", "corrects": str(theirs), "reason": "Wrong seller"},
                      token_from=f"/staff/settlements/{seller_id}")
    assert response.status_code == 422
    assert "Choose an entry of this seller" in response.get_data(as_text=True)
    assert balance(app, seller_id) == 15620


def test_only_admins_correct_and_only_sellers_see_their_payouts_page(app, owed):
    seller_id = owed["seller_id"]
    emails = {"buyer": make_user(app, Role.BUYER), "staff": make_user(app, Role.STAFF),
              "admin": owed["admin_email"], "seller": owed["first"]["email"]}
    correction = {"amount": "5", "reason": "x"}
    for who, want in (("anonymous", "login"), ("buyer", 403), ("seller", 403), ("staff", 403),
                      ("admin", 303)):
        check_access(app, emails.get(who), "POST", f"/staff/settlements/{seller_id}/corrections",
                     correction, want)
    assert balance(app, seller_id) == 15620 + 500  # only the admin's
    for who, want in (("anonymous", "login"), ("buyer", 403), ("seller", 200), ("staff", 403),
                      ("admin", 403)):
        check_access(app, emails.get(who), "GET", "/seller/payouts", None, want)
    for who, want in (("anonymous", "login"), ("buyer", 403), ("seller", 403), ("staff", 200),
                      ("admin", 200)):
        check_access(app, emails.get(who), "GET", f"/staff/settlements/{seller_id}", None, want)
        check_access(app, emails.get(who), "POST", "/staff/settlements/post", {},
                     303 if who == "admin" else want if want != 200 else 403)


def test_the_staff_list_shows_what_each_seller_is_owed_and_the_total(app, sold):
    deliver(app, sold["first"])
    deliver(app, sold["second"])
    admin = sold["admin"]
    page = admin.get("/staff/settlements").get_data(as_text=True)
    assert "Nothing has been credited" in page
    # Staff post the credits from the page (the window has passed for both, a week on).
    with app.app_context():
        db.session.execute(update(Order).values(delivered_at=utcnow() - timedelta(days=8)))
        db.session.commit()
    assert submit(admin, "/staff/settlements/post", {},
                  token_from="/staff/settlements").status_code == 303
    page = admin.get("/staff/settlements").get_data(as_text=True)
    assert "4 new entries" in page
    assert "₹156.20" in page and "₹156.00" in page
    assert "Owed to sellers in all: ₹312.20" in page
    assert f'href="/staff/settlements/{sold["first"]["seller"]}"' in page


@pytest.mark.skipif(BACKEND != "postgresql", reason="concurrent writers need PostgreSQL")
def test_two_runs_at_once_credit_each_order_once(app, sold, monkeypatch):
    deliver(app, sold["first"])
    deliver(app, sold["second"])
    real_commission = payouts.commission_on

    def slow_commission(*args):  # both runs have read what is due before either writes
        time.sleep(0.3)
        return real_commission(*args)

    monkeypatch.setattr(payouts, "commission_on", slow_commission)
    barrier, written, errors = threading.Barrier(2), [], []

    def run():
        with app.app_context():
            try:
                barrier.wait()
                written.append(post(later(WINDOW + 1)))
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == [] and sorted(written) == [0, 4]
    assert ledger(app, sold["first"]["seller"]) == [("sale", 16021, None),
                                                   ("commission", -401, None)]
    assert balance(app, sold["second"]["seller"]) == 15600


@pytest.mark.skipif(BACKEND != "postgresql", reason="concurrent writers need PostgreSQL")
def test_two_payouts_at_once_cannot_overdraw(app, owed, monkeypatch):
    seller_id = owed["seller_id"]
    real_balance = payouts.balance

    def slow_balance(seller):  # widen the gap between reading the balance and writing
        value = real_balance(seller)
        time.sleep(0.3)
        return value

    monkeypatch.setattr(payouts, "balance", slow_balance)
    barrier, outcomes = threading.Barrier(2), []

    def run(reference):
        with app.app_context():
            staff = db.session.scalar(select(User).where(User.role == "staff"))
            try:
                barrier.wait()
                payouts.record_payout(seller_id, amount_paise=10000,
                                          paid_on=today_in_india(), bank_reference=reference,
                                          note="", actor=staff, today=today_in_india())
                outcomes.append("paid")
            except payouts.FieldErrors as error:
                outcomes.append(str(error.errors.get("amount")))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(f"UTR000{n}77",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes)[-1] == "paid" and "more than the seller is owed" in sorted(outcomes)[0]
    assert balance(app, seller_id) == 5620


def test_a_seller_without_orders_sees_an_empty_page(app):
    make_places(app)
    email, _ = make_seller(app, "approved")
    page = client_of(app, email).get("/seller/payouts").get_data(as_text=True)
    assert "Nothing yet: your first delivered order will show here" in page
    assert "₹0.00" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Seller)) == 1


@pytest.mark.parametrize("commission", ["abc", "101", "2.555", "-1", "", "2,5"])
def test_a_commission_that_is_not_a_percentage_is_refused(app, commission):
    admin = client_of(app, make_user(app, Role.ADMIN))
    response = submit(admin, "/staff/settings", {"charge": "60", "free_from": "999",
                                                 "commission": commission})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Enter the commission as a percentage" in page
    assert f'value="{commission}"' in page
    with app.app_context():
        assert marketplace_settings.current("commission_bps") == {"commission_bps": 0}


def test_only_an_admin_sets_the_commission(app):
    staff = client_of(app, make_user(app, Role.STAFF))
    response = submit(staff, "/staff/settings", {"charge": "60", "free_from": "999",
                                                 "commission": "50"})
    assert response.status_code == 403
    admin = client_of(app, make_user(app, Role.ADMIN))
    assert submit(admin, "/staff/settings", {"charge": "60", "free_from": "999",
                                             "commission": "0.05"}).status_code == 303
    with app.app_context():
        assert marketplace_settings.current("commission_bps") == {"commission_bps": 5}
    assert 'value="0.05"' in admin.get("/staff/settings").get_data(as_text=True)
