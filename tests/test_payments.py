"""Card payments through the real stripe library, over HTTP, against localstripe.

localstripe is a stateful Stripe stand-in. What it does not do, and how these tests live with it:
it does not replay idempotency keys (the app stores the PaymentIntent id and never asks twice);
it declines at charge time only with card 4000000000000341; it has no Checkout or Connect (not
used); it sends signed webhooks only to URLs registered at /_config/webhooks/<id>, so the tests
that need Stripe's own webhook serve the app on a real local port. Duplicate, forged and
wrong-amount events are signed here with the same scheme Stripe uses.
"""

import re
import threading
import time
import urllib.request

import pytest
import stripe
from sqlalchemy import func, select
from werkzeug.serving import make_server

from odop_bazaar.extensions import db
from odop_bazaar.models import Checkout, Listing, Order, Payment, Refund
from tests.checkout_helpers import ADDRESS, add, fingerprint
from tests.conftest import WEBHOOK_SECRET, free_port, log_in, submit
from tests.factories import shop
from tests.stripe_helpers import (
    intent_id,
    pay_in_browser,
    place_card_order,
    post_event,
    stripe_client,
    succeeded_event,
)


def payments(card_app) -> int:
    with card_app.app_context():
        return db.session.scalar(select(func.count()).select_from(Payment))


def test_a_card_payment_is_recorded_once_from_the_return_page(card_app):
    outbox = card_app.extensions["mail_outbox"]
    client = card_app.test_client()
    saree, _stole, buyer = shop(card_app)
    reference = place_card_order(card_app, client, buyer, saree, "2")
    page = client.get(f"/checkout/{reference}/pay").get_data(as_text=True)
    assert "/js.stripe.com/v3/" in page and re.search(r'data-client-secret="pi_\w+_secret_', page)
    assert "Waiting for payment" in client.get(f"/orders/{reference}").get_data(as_text=True)
    with card_app.app_context():
        placed = db.session.scalar(select(Checkout))
        assert db.session.get(Listing, saree).stock == 1  # held while waiting for payment
    intent = stripe_client(card_app).v1.payment_intents.retrieve(placed.stripe_payment_intent_id)
    assert intent.amount == placed.total_paise and intent.currency == "inr"
    assert intent.metadata["checkout_reference"] == reference

    assert pay_in_browser(card_app, reference).status == "succeeded"
    for _ in range(2):  # the buyer reloads the return page
        response = client.get(f"/checkout/{reference}/return")
        assert response.status_code == 302
    assert "payment is received" in client.get(f"/orders/{reference}").get_data(as_text=True)
    assert payments(card_app) == 1
    with card_app.app_context():
        assert {o.status for o in db.session.scalars(select(Order))} == {"paid"}
    assert sum(1 for message in outbox if message["To"] == buyer) == 1  # confirmed once


def test_duplicate_forged_and_wrong_webhooks_record_nothing_more(card_app):
    client = card_app.test_client()
    saree, _stole, buyer = shop(card_app)
    reference = place_card_order(card_app, client, buyer, saree)
    pay_in_browser(card_app, reference)
    pid = intent_id(card_app, reference)
    with card_app.app_context():
        total = db.session.scalar(select(Checkout.total_paise))
    hook = card_app.test_client()

    assert post_event(hook, succeeded_event(pid, total), secret="whsec_someone_else") \
        .status_code == 400
    assert post_event(hook, succeeded_event(pid, total + 100, "evt_wrong_amount")) \
        .status_code == 400
    assert post_event(hook, succeeded_event(pid, total, "evt_wrong_cur", currency="usd")) \
        .status_code == 400
    assert hook.post("/payments/stripe/webhook", data=b"{}").status_code == 400  # unsigned
    assert payments(card_app) == 0

    first = post_event(hook, succeeded_event(pid, total))
    again = post_event(hook, succeeded_event(pid, total))
    other_delivery = post_event(hook, succeeded_event(pid, total, "evt_test_2"))
    assert first.json["status"] == "recorded"
    assert again.json["status"] == "duplicate"
    assert other_delivery.json["status"] == "already"
    client.get(f"/checkout/{reference}/return")
    assert payments(card_app) == 1


def test_the_return_and_the_webhook_racing_record_one_payment(card_app):
    client = card_app.test_client()
    saree, _stole, buyer = shop(card_app)
    reference = place_card_order(card_app, client, buyer, saree)
    pay_in_browser(card_app, reference)
    pid = intent_id(card_app, reference)
    with card_app.app_context():
        total = db.session.scalar(select(Checkout.total_paise))

    barrier, answers = threading.Barrier(4), []

    def webhook(number):
        hook = card_app.test_client()
        barrier.wait()
        answers.append(post_event(hook, succeeded_event(pid, total, f"evt_race_{number}"))
                       .status_code)

    def back_from_stripe():
        barrier.wait()
        answers.append(client.get(f"/checkout/{reference}/return").status_code)

    threads = [threading.Thread(target=webhook, args=(n,)) for n in range(3)]
    threads.append(threading.Thread(target=back_from_stripe))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(answers) == [200, 200, 200, 302]
    assert payments(card_app) == 1
    with card_app.app_context():
        assert db.session.scalar(select(Checkout.state)) == "paid"


@pytest.fixture
def live_card_app(card_app, stripe_server):
    """The app on a real port, registered with localstripe for its signed webhooks."""
    port = free_port()
    server = make_server("127.0.0.1", port, card_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    data = f"url=http://localhost:{port}/payments/stripe/webhook&secret={WEBHOOK_SECRET}".encode()
    urllib.request.urlopen(urllib.request.Request(
        f"{stripe_server}/_config/webhooks/odop-tests", data=data, method="POST"), timeout=5)
    yield card_app
    urllib.request.urlopen(urllib.request.Request(
        f"{stripe_server}/_config/webhooks/odop-tests",
        data=b"url=http://127.0.0.1:9/&secret=unused", method="POST"), timeout=5)
    server.shutdown()


def test_stripes_own_webhook_records_the_payment_when_the_buyer_never_returns(live_card_app):
    app = live_card_app
    client = app.test_client()
    saree, _stole, buyer = shop(app)
    reference = place_card_order(app, client, buyer, saree)
    pay_in_browser(app, reference)  # the buyer closes the tab here
    deadline = time.monotonic() + 15
    while payments(app) == 0 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert payments(app) == 1, "localstripe's signed webhook should have recorded it"
    with app.app_context():
        assert db.session.scalar(select(Payment.source)) == "webhook"
    client.get(f"/checkout/{reference}/return")
    assert payments(app) == 1


def test_a_declined_card_leaves_the_order_waiting_and_records_nothing(card_app):
    client = card_app.test_client()
    saree, _stole, buyer = shop(card_app)
    reference = place_card_order(card_app, client, buyer, saree)
    with pytest.raises(stripe.CardError):
        pay_in_browser(card_app, reference, number="4000000000000341")
    response = client.get(f"/checkout/{reference}/return")
    assert response.headers["Location"].endswith(f"/checkout/{reference}/pay")
    assert payments(card_app) == 0


def test_cancelling_a_paid_order_refunds_that_orders_total(card_app):
    client = card_app.test_client()
    saree, stole, buyer = shop(card_app)
    reference = place_card_order(card_app, client, buyer, saree, also=[stole])
    pay_in_browser(card_app, reference)
    client.get(f"/checkout/{reference}/return")
    with card_app.app_context():
        order = db.session.scalar(select(Order).join(Order.items).where(
            Order.items.any(listing_id=saree)))
        order_id, order_total = order.id, order.total_paise
    submit(client, f"/orders/{reference}/{order_id}/cancel", {"reason": "Changed my mind"},
           token_from=f"/orders/{reference}")
    with card_app.app_context():
        refund = db.session.scalar(select(Refund))
        assert refund.status == "succeeded" and refund.amount_paise == order_total
        assert db.session.get(Order, order_id).status == "refunded"
        assert db.session.get(Listing, saree).stock == 3
        others = db.session.scalars(select(Order.status).where(Order.id != order_id)).all()
        assert others == ["paid"]
    on_stripe = stripe_client(card_app).v1.refunds.retrieve(refund.provider_reference)
    assert on_stripe.amount == order_total


def test_unpaid_card_orders_expire_and_give_their_stock_back(card_app):
    client = card_app.test_client()
    saree, _stole, buyer = shop(card_app)
    reference = place_card_order(card_app, client, buyer, saree, "2")
    with card_app.app_context():
        placed = db.session.scalar(select(Checkout))
        placed.expires_at = placed.created_at.replace(year=2000)
        db.session.commit()
    runner = card_app.test_cli_runner()
    for _ in range(2):  # cron may run it twice
        result = runner.invoke(args=["expire-unpaid-orders"])
        assert result.exit_code == 0, result.output
    with card_app.app_context():
        assert db.session.get(Listing, saree).stock == 3
        assert db.session.scalar(select(Checkout.state)) == "expired"
        assert db.session.scalar(select(Order.status)) == "cancelled"
    intent = stripe_client(card_app).v1.payment_intents.retrieve(intent_id(card_app, reference))
    assert intent.status == "canceled"
    assert "lapsed" in client.get(f"/orders/{reference}").get_data(as_text=True)


def test_when_stripe_cannot_be_reached_nothing_is_ordered(shared_database_url, tmp_path):
    from tests.conftest import make_test_app

    for app in make_test_app(shared_database_url, tmp_path, STRIPE_SECRET_KEY="sk_test_odop",
                         STRIPE_API_BASE=f"http://127.0.0.1:{free_port()}",
                         STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET):
        client = app.test_client()
        saree, _stole, buyer = shop(app)
        log_in(client, buyer)
        add(client, saree)
        response = submit(client, "/checkout", {**ADDRESS, "payment_method": "card",
                                                "fingerprint": fingerprint(client)})
        assert response.status_code == 303  # to the checkout page, which says why
        assert "Nothing was ordered" in client.get("/checkout").get_data(as_text=True)
        with app.app_context():
            assert db.session.scalar(select(func.count()).select_from(Checkout)) == 0
            assert db.session.get(Listing, saree).stock == 3
        assert "Banarasi saree" in client.get("/cart").get_data(as_text=True)


def test_a_payment_that_arrives_after_the_order_lapsed_is_refunded_in_full(card_app):
    client = card_app.test_client()
    saree, _stole, buyer = shop(card_app)
    reference = place_card_order(card_app, client, buyer, saree)
    pay_in_browser(card_app, reference)
    with card_app.test_request_context():
        from odop_bazaar.services.orders import status_changes as orders

        placed = db.session.scalar(select(Checkout))
        # The expiry ran while Stripe could not be asked: the order lapsed, stock went back.
        orders.expire_checkout(placed, "Not paid in time.")
        db.session.commit()
        total = placed.total_paise
    answer = post_event(card_app.test_client(), succeeded_event(intent_id(card_app, reference),
                                                                 total))
    assert answer.json["status"] == "refunded_late"
    with card_app.app_context():
        refund = db.session.scalar(select(Refund))
        assert refund.status == "succeeded" and refund.amount_paise == total
        assert db.session.scalar(select(Checkout.state)) == "expired"
        assert db.session.get(Listing, saree).stock == 3
    assert payments(card_app) == 1
    again = post_event(card_app.test_client(), succeeded_event(intent_id(card_app, reference),
                                                                total, "evt_again"))
    assert again.json["status"] in ("already", "refunded_late")
    with card_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Refund)) == 1


def test_a_seller_cannot_cancel_an_order_waiting_for_payment(card_app):
    client = card_app.test_client()
    saree, stole, buyer = shop(card_app)
    reference = place_card_order(card_app, client, buyer, saree, also=[stole])
    with card_app.app_context():
        order = db.session.scalar(select(Order).where(Order.items.any(listing_id=saree)))
        order_id, seller_email = order.id, order.seller.user.email
    seller = card_app.test_client()
    log_in(seller, seller_email)
    submit(seller, f"/seller/orders/{order_id}/cancel", {"reason": "No stock"},
           token_from="/seller/orders")
    with card_app.app_context():
        assert set(db.session.scalars(select(Order.status))) == {"pending_payment"}
        assert db.session.scalar(select(Checkout.state)) == "awaiting_payment"
    assert "Waiting for payment" in client.get(f"/orders/{reference}").get_data(as_text=True)


def test_a_refund_sent_twice_at_once_is_recorded_once_and_refuses_neither(card_app):
    """The cancelling request and `flask retry-refunds` may send one pending refund at the same
    moment (one idempotency key, so Stripe refunds once). Whichever records it second finds it
    done: the buyer who cancelled is not told 'someone else changed this', the job goes on."""
    from sqlalchemy import update

    from odop_bazaar.models import AuditEntry
    from odop_bazaar.services.orders import refunds

    client = card_app.test_client()
    saree, stole, buyer = shop(card_app)
    reference = place_card_order(card_app, client, buyer, saree, also=[stole])
    pay_in_browser(card_app, reference)
    client.get(f"/checkout/{reference}/return")
    with card_app.app_context():
        order_id = db.session.scalar(select(Order.id).where(Order.items.any(listing_id=saree)))
    submit(client, f"/orders/{reference}/{order_id}/cancel", {"reason": "Changed my mind"},
           token_from=f"/orders/{reference}")
    with card_app.test_request_context():
        sent = db.session.scalar(select(Refund))
        first_reference = sent.provider_reference
        # As the cancelling request saw it: written pending, now waiting for Stripe's answer.
        db.session.execute(update(Refund).values(status="pending", provider_reference=None))
        db.session.execute(AuditEntry.__table__.delete().where(AuditEntry.object_type == "refund"))
        db.session.commit()
        waiting = db.session.get(Refund, sent.id)
        payment_intent = db.session.get(Payment, waiting.payment_id).provider_reference
        db.session.expunge(waiting)
        # Meanwhile the retry job's answer is recorded first.
        db.session.execute(update(Refund).values(status="succeeded",
                                                 provider_reference=first_reference))
        db.session.commit()
        refunds.send_refund(db.session.merge(waiting, load=False), payment_intent)
        db.session.expire_all()
        assert db.session.get(Refund, sent.id).status == "succeeded"
        assert db.session.get(Refund, sent.id).provider_reference == first_reference
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.object_type == "refund")) == 0  # the winner's row is the only one
