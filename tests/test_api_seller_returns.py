"""The seller's returns through the API: a return asked for on a delivered order waits in the
seller's list; accepting it for a pickup needs the tracking number (refused by field without);
the parcel received puts its units back on sale, and the same item is sent again; refusing a
protected reason sends it to staff; another seller's return is not found; an answer given twice
is a conflict."""

import pytest

from odop_bazaar.extensions import db
from odop_bazaar.models import Listing, Order
from odop_bazaar.services.returns import requests
from tests.factories import make_seller
from tests.returns_helpers import delivered, user
from tests.seller_api_helpers import ask, token_for


@pytest.fixture
def asked(app):
    """Two sarees delivered (stock 3, so one left); one of them sent back as defective, for
    the same item again."""
    found = delivered(app, quantity="2", stock="3")
    with app.test_request_context():
        order = db.session.get(Order, found["order"])
        found["return"] = requests.request_return(order, user(found["buyer"]), requests.ReturnAsk(
            {found["item"]: 1}, "defective", "exchange", details="A loose thread")).id
    found["token"] = token_for(app, found["seller"], ["read", "seller:write"])
    found["other"] = token_for(app, make_seller(app, "approved")[0], ["read", "seller:write"])
    return found


def answer(client, asked, action, body, token=None):
    return ask(client, "POST", f"/api/v1/seller/returns/{asked['return']}/{action}",
               token or asked["token"], body)


def stock_of(app, listing_id) -> int:
    with app.app_context():
        return db.session.get(Listing, listing_id).stock


def test_a_return_waiting_on_the_seller_is_in_their_list(client, asked):
    listed = ask(client, "GET", "/api/v1/seller/returns", asked["token"])
    assert listed.status_code == 200
    [waiting] = listed.json["items"]
    assert (waiting["id"], waiting["status"], waiting["reason"], waiting["resolution"]) == (
        asked["return"], "requested", "defective", "exchange")
    assert waiting["protected"] is True and waiting["details"] == "A loose thread"
    assert waiting["lines"] == [{"order_item_id": asked["item"], "title": "Banarasi saree",
                                 "quantity": 1}]
    assert waiting["amount_paise"] > 0
    assert ask(client, "GET", "/api/v1/seller/returns", asked["other"]).json["items"] == []


def test_a_pickup_needs_its_tracking_number_and_the_exchange_is_sent_after_the_parcel(
        app, client, asked):
    refused = answer(client, asked, "accept", {"carrier": "Delhivery"})
    assert refused.status_code == 422
    assert set(refused.json["errors"]) == {"tracking_number"}
    accepted = answer(client, asked, "accept", {"carrier": "Delhivery",
                                                "tracking_number": "DL 998877"})
    assert accepted.status_code == 200
    assert (accepted.json["status"], accepted.json["pickup_carrier"],
            accepted.json["pickup_tracking_number"]) == ("accepted", "Delhivery", "DL998877")
    assert stock_of(app, asked["saree"]) == 0  # the exchange's unit is taken at once
    assert answer(client, asked, "accept", {"buyer_sends": True}).status_code == 409
    assert answer(client, asked, "received", {}).status_code == 422  # restock not said
    back = answer(client, asked, "received", {"restock": True})
    assert back.status_code == 200 and back.json["status"] == "received"
    assert stock_of(app, asked["saree"]) == 1
    assert answer(client, asked, "received", {"restock": True}).status_code == 409
    assert stock_of(app, asked["saree"]) == 1
    unsent = answer(client, asked, "send-exchange", {"tracking_number": "EE1IN"})
    assert unsent.status_code == 422 and set(unsent.json["errors"]) == {"carrier"}
    sent = answer(client, asked, "send-exchange", {"carrier": "India Post",
                                                   "tracking_number": "EE 99 IN"})
    assert sent.status_code == 200
    assert (sent.json["status"], sent.json["exchange_carrier"],
            sent.json["exchange_tracking_number"]) == ("exchanged", "India Post", "EE99IN")
    assert ask(client, "GET", "/api/v1/seller/returns", asked["token"]).json["items"] == []


def test_refusing_a_protected_reason_sends_the_return_to_staff(client, asked):
    no_reason = answer(client, asked, "refuse", {"reason": " "})
    assert no_reason.status_code == 422 and set(no_reason.json["errors"]) == {"reason"}
    refused = answer(client, asked, "refuse", {"reason": "It left here perfect"})
    assert refused.status_code == 200
    assert refused.json["status"] == "escalated"
    assert refused.json["decision_note"] == "It left here perfect"
    page = asked["client"].get(f"/returns/{asked['return']}").get_data(as_text=True)
    assert "staff are deciding" in page


def test_another_sellers_return_is_not_found_and_changes_nothing(app, client, asked):
    for action, body in (("accept", {"buyer_sends": True}), ("refuse", {"reason": "No"}),
                         ("received", {"restock": True}), ("accept", {})):
        assert answer(client, asked, action, body, asked["other"]).status_code == 404
    reader = token_for(app, asked["seller"], ["read"])
    assert answer(client, asked, "accept", {"buyer_sends": True}, reader).status_code == 403
    assert stock_of(app, asked["saree"]) == 1  # no exchange unit taken
    [waiting] = ask(client, "GET", "/api/v1/seller/returns", asked["token"]).json["items"]
    assert waiting["status"] == "requested"
