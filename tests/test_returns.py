"""Returns after delivery, at the service level: what a buyer may ask for (within the window, no
more units than delivered, not twice), what the seller and staff decide, stock and amounts."""

import io
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from odop_bazaar.db_types import utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models import AuditEntry, Listing, Order, Role, Seller
from odop_bazaar.models.returns import ReturnLine, ReturnPhoto, ReturnRequest
from odop_bazaar.services.errors import FieldErrors, InvalidTransition
from odop_bazaar.services.returns import decisions, queries, requests
from odop_bazaar.storage import storage
from tests.checkout_helpers import client_of
from tests.conftest import submit
from tests.factories import make_jpeg, make_user
from tests.returns_helpers import delivered, user

EXCHANGE = {"resolution": "exchange"}


def ask(found, quantity=1, reason="defective", **changes) -> requests.ReturnAsk:
    values = {"quantities": {found["item"]: quantity}, "reason": reason, **EXCHANGE, **changes}
    return requests.ReturnAsk(**values)


def request(app, found, *args, now=None, **kwargs) -> int:
    """The buyer's return through the service; its id."""
    with app.test_request_context():
        order = db.session.get(Order, found["order"])
        return requests.request_return(order, user(found["buyer"]), ask(found, *args, **kwargs),
                                       now=now).id


def refused(app, found, *args, **kwargs) -> str:
    """The refusal's message(s); and nothing was stored."""
    def counts():
        with app.app_context():
            return [db.session.scalar(select(func.count()).select_from(model))
                    for model in (ReturnRequest, ReturnLine, ReturnPhoto, AuditEntry)]

    before = counts()
    with pytest.raises((FieldErrors, requests.ReturnRefused)) as caught:
        request(app, found, *args, **kwargs)
    assert counts() == before
    error = caught.value
    return " ".join(error.messages()) if isinstance(error, FieldErrors) else str(error)


def stock_of(app, listing_id) -> int:
    with app.app_context():
        return db.session.get(Listing, listing_id).stock


def act(app, return_id, action, email, **kwargs):
    with app.test_request_context():
        found = db.session.get(ReturnRequest, return_id)
        return action(found, user(email), **kwargs)


def test_a_buyer_returns_some_units_of_a_delivered_order_within_the_window(app):
    found = delivered(app)
    return_id = request(app, found, 1, details="The zari thread is loose")
    with app.test_request_context():
        made = db.session.get(ReturnRequest, return_id)
        assert (made.status, made.reason, made.resolution) == ("requested", "defective",
                                                               "exchange")
        assert [(line.order_item_id, line.quantity) for line in made.lines] == [
            (found["item"], 1)]
        # One unit at ₹100, and delivery, as a defect is the seller's fault.
        assert (made.amount_paise, made.delivery_paise) == (16000, 6000)
        assert queries.returned_quantities([found["item"]]) == {found["item"]: 1}
        order_rows = db.session.scalars(select(AuditEntry.note).where(
            AuditEntry.object_type == "order", AuditEntry.action == "return")).all()
        assert order_rows == [f"R{return_id}: Waiting for the seller"]


def test_a_return_outside_the_window_is_refused_and_nothing_is_stored(app):
    found = delivered(app)
    message = refused(app, found, now=utcnow() + timedelta(days=7, minutes=1))
    assert "7 days after delivery" in message
    request(app, found, now=utcnow() + timedelta(days=6, hours=23))  # inside: it is taken


def test_an_order_not_delivered_yet_cannot_be_returned(app):
    found = delivered(app, deliver_it=False)
    assert "can no longer be returned" in refused(app, found)


def test_more_units_than_delivered_are_refused_and_nothing_is_stored(app):
    found = delivered(app, quantity="2")
    assert "at most 2" in refused(app, found, 3)


def test_units_already_in_another_return_cannot_be_asked_for_again(app):
    found = delivered(app, quantity="2")
    request(app, found, 1)
    assert "at most 1" in refused(app, found, 2)
    request(app, found, 1)
    assert "already in a return" in refused(app, found, 1)


def test_a_withdrawn_or_refused_return_frees_its_units(app):
    found = delivered(app, quantity="1")
    first = request(app, found, 1, reason="defective")
    act(app, first, decisions.cancel, found["buyer"])
    assert request(app, found, 1)
    with app.app_context():
        assert queries.returned_quantities([found["item"]]) == {found["item"]: 1}


def test_damage_needs_a_photo_kept_privately_without_its_location(app):
    found = delivered(app)
    assert "photo of the damage" in refused(app, found, reason="damaged")
    return_id = request(app, found, reason="damaged", photos=[make_jpeg(gps=True)])
    with app.test_request_context():
        photo = db.session.scalar(select(ReturnPhoto).where(ReturnPhoto.return_id == return_id))
        data = storage("private").read(photo.storage_key)
        assert not storage("public").exists(photo.storage_key)
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG" and not image.getexif()


def test_changing_ones_mind_is_a_reason_only_where_the_seller_allows_it(app):
    found = delivered(app)
    assert "why you are returning" in refused(app, found, reason="change_of_mind")
    seller = client_of(app, found["seller"])
    assert 'name="accepts_change_of_mind"' in seller.get("/seller/returns").get_data(as_text=True)
    response = submit(seller, "/seller/returns/policy", {"accepts_change_of_mind": "y"},
                      token_from="/seller/returns")
    assert response.status_code == 303
    assert "Your return policy is saved." in seller.get("/seller/returns").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Seller, found["seller_id"]).accepts_change_of_mind
        assert db.session.scalars(select(AuditEntry.note).where(
            AuditEntry.action == "return_policy")).all() == ["change of mind accepted"]
    assert request(app, found, reason="change_of_mind")


def test_a_seller_refuses_a_change_of_mind_outright(app):
    found = delivered(app)
    with app.app_context():
        db.session.get(Seller, found["seller_id"]).accepts_change_of_mind = True
        db.session.commit()
    return_id = request(app, found, reason="change_of_mind")
    assert act(app, return_id, decisions.refuse, found["seller"],
               reason="Opened and used") == "refused"
    with app.app_context():
        assert queries.returned_quantities([found["item"]]) == {}


def test_refusing_a_protected_reason_goes_to_staff_who_decide_on_the_record(app):
    found = delivered(app)
    return_id = request(app, found, reason="not_as_described")
    assert act(app, return_id, decisions.refuse, found["seller"],
               reason="It matches the photos") == "escalated"
    staff = make_user(app, Role.STAFF)
    with pytest.raises(FieldErrors):  # staff write down their reasons
        act(app, return_id, decisions.staff_decide, staff, uphold_return=True, note=" ")
    act(app, return_id, decisions.staff_decide, staff, uphold_return=True,
        note="The colour differs from the page")
    with app.app_context():
        made = db.session.get(ReturnRequest, return_id)
        assert made.status == "accepted" and made.buyer_sends
        rows = db.session.execute(select(AuditEntry.from_status, AuditEntry.to_status,
                                         AuditEntry.note).where(
            AuditEntry.object_type == "return", AuditEntry.object_id == return_id)
            .order_by(AuditEntry.id)).all()
        assert [tuple(row) for row in rows][-2:] == [
            ("requested", "escalated", "It matches the photos"),
            ("escalated", "accepted", "The colour differs from the page")]


def test_a_seller_cannot_decide_an_escalated_return_nor_staff_a_fresh_one(app):
    found = delivered(app)
    return_id = request(app, found, reason="late")
    staff = make_user(app, Role.STAFF)
    with pytest.raises(InvalidTransition):
        act(app, return_id, decisions.staff_decide, staff, uphold_return=False, note="No")
    act(app, return_id, decisions.refuse, found["seller"], reason="Not late")
    with pytest.raises(InvalidTransition):
        act(app, return_id, decisions.accept, found["seller"], buyer_sends=True)


def test_a_pickup_needs_its_carrier_and_tracking(app):
    found = delivered(app)
    return_id = request(app, found)
    with pytest.raises(FieldErrors) as caught:
        act(app, return_id, decisions.accept, found["seller"], buyer_sends=False)
    assert set(caught.value.errors) == {"carrier", "tracking"}
    act(app, return_id, decisions.accept, found["seller"], buyer_sends=False,
        carrier="Delhivery", tracking="DL 123 456")
    with app.app_context():
        made = db.session.get(ReturnRequest, return_id)
        assert (made.status, made.pickup_carrier, made.pickup_tracking) == (
            "accepted", "Delhivery", "DL123456")


def test_received_units_go_back_on_sale_only_when_the_seller_says_so(app):
    found = delivered(app, quantity="2", stock="5")  # 3 left after the order
    assert stock_of(app, found["saree"]) == 3
    with app.app_context():
        db.session.get(Seller, found["seller_id"]).accepts_change_of_mind = True
        db.session.commit()
    kept = request(app, found, 1, reason="change_of_mind", resolution="exchange")
    act(app, kept, decisions.accept, found["seller"], buyer_sends=True)
    assert stock_of(app, found["saree"]) == 2  # the exchange's unit is taken at acceptance
    act(app, kept, decisions.mark_received, found["seller"], restock=True)
    assert stock_of(app, found["saree"]) == 3
    act(app, kept, decisions.send_exchange, found["seller"], carrier="India Post",
        tracking="EE1IN")
    with app.app_context():
        assert db.session.get(ReturnRequest, kept).status == "exchanged"


def test_an_exchange_cannot_take_more_than_is_in_stock(app):
    found = delivered(app, quantity="2", stock="3")  # 1 left
    first = request(app, found, 1)
    second = request(app, found, 1)
    act(app, first, decisions.accept, found["seller"], buyer_sends=True)
    assert stock_of(app, found["saree"]) == 0
    with pytest.raises(decisions.NoStockForExchange):
        act(app, second, decisions.accept, found["seller"], buyer_sends=True)
    assert stock_of(app, found["saree"]) == 0
    with app.app_context():
        assert db.session.get(ReturnRequest, second).status == "requested"


def test_delivery_comes_back_with_the_whole_order_or_the_sellers_fault_once(app):
    found = delivered(app, quantity="2")
    with app.app_context():
        db.session.get(Seller, found["seller_id"]).accepts_change_of_mind = True
        db.session.commit()
    first = request(app, found, 1, reason="change_of_mind")
    second = request(app, found, 1, reason="change_of_mind")  # the rest: the whole order
    with app.app_context():
        amounts = [(r.amount_paise, r.delivery_paise) for r in
                   (db.session.get(ReturnRequest, first), db.session.get(ReturnRequest, second))]
    assert amounts == [(10000, 0), (16000, 6000)]
