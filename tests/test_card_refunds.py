"""A card order refunded in part through localstripe, checked on Stripe's side through the real
stripe library."""

import pytest
from sqlalchemy import select

from odop_bazaar.extensions import db
from odop_bazaar.models import Order
from odop_bazaar.models.orders import Refund
from odop_bazaar.payments import GatewayError
from odop_bazaar.services.errors import FieldErrors
from odop_bazaar.services.orders import bank_refunds, refunds
from odop_bazaar.services.orders.errors import RefundRefused
from tests.factories import shop
from tests.refund_helpers import PAYEE, a_return
from tests.stripe_helpers import pay_in_browser, place_card_order, stripe_client


def paid_card_order(card_app):
    client = card_app.test_client()
    saree, stole, buyer = shop(card_app)
    reference = place_card_order(card_app, client, buyer, saree, "2", also=[stole])
    pay_in_browser(card_app, reference)
    client.get(f"/checkout/{reference}/return")
    with card_app.app_context():
        order = db.session.scalar(select(Order).where(Order.items.any(listing_id=saree)))
        return order.id, order.total_paise


def test_a_card_order_is_refunded_in_part_for_exactly_the_amount(card_app):
    order_id, total = paid_card_order(card_app)
    with card_app.app_context():
        return_id = a_return(order_id)
        first = refunds.add_card_refund(order_id, 12345, "One saree came damaged",
                                        return_id=return_id)
        assert first.status == "succeeded" and first.provider_reference
        assert first.idempotency_key.startswith("refund-") and first.method == "card"
        second = refunds.add_card_refund(order_id, 1000, "Late delivery")
        assert db.session.get(Order, order_id).refunded_paise == 13345
        assert refunds.refundable_paise(order_id) == total - 13345
        with pytest.raises(FieldErrors):
            refunds.add_card_refund(order_id, total - 13345 + 1, "Too much")
        with pytest.raises(RefundRefused):
            bank_refunds.add_bank_refund(order_id, 100, "To a bank?", **PAYEE)
        # The same return asked again: the first refund, nothing sent twice.
        assert refunds.add_card_refund(order_id, 12345, "again", return_id=return_id).id == first.id
        assert len(db.session.scalars(select(Refund)).all()) == 2
        references = [first.provider_reference, second.provider_reference]
    stripe = stripe_client(card_app)
    on_stripe = [stripe.v1.refunds.retrieve(reference) for reference in references]
    assert [refund.amount for refund in on_stripe] == [12345, 1000]
    assert {refund.status for refund in on_stripe} == {"succeeded"}
    assert on_stripe[0].payment_intent == on_stripe[1].payment_intent


def test_a_refund_stripe_does_not_take_waits_and_is_retried(card_app, monkeypatch):
    order_id, _total = paid_card_order(card_app)
    gateway = type(card_app.extensions["stripe_gateway"])
    real_refund = gateway.refund

    def unreachable(*args):
        raise GatewayError("Stripe did not answer")

    monkeypatch.setattr(gateway, "refund", unreachable)
    with card_app.app_context():
        refund = refunds.add_card_refund(order_id, 5000, "Damaged")
        monkeypatch.setattr(gateway, "refund", real_refund)
        assert refund.status == "pending" and refund.provider_reference is None
        assert db.session.get(Order, order_id).refunded_paise == 0
        assert refunds.retry_refunds() == 1
        assert db.session.get(Refund, refund.id).status == "succeeded"
        assert db.session.get(Order, order_id).refunded_paise == 5000
        reference = db.session.get(Refund, refund.id).provider_reference
    assert stripe_client(card_app).v1.refunds.retrieve(reference).amount == 5000
