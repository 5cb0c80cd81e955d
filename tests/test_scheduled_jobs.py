"""The timed jobs of odop_bazaar/schedule.py are safe to run twice at once (two schedulers by
mistake, a run that overruns its interval): each is run in two threads at the same moment and
does its work once. (Settlements: test_settlements.py's two runs at once credit each order once.)
"""

import threading
from datetime import timedelta

import pytest
from rq.cron import CronJob
from sqlalchemy import func, select, update

from odop_bazaar import schedule
from odop_bazaar.db_types import utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models import AuditEntry, Checkout, Listing, OutboxMessage
from odop_bazaar.models.accounts import User
from odop_bazaar.models.api_access import IdempotentRequest
from odop_bazaar.services.accounts import api_tokens, users
from tests.factories import make_user, shop
from tests.smtp_helpers import Inbox, SmtpServer
from tests.stripe_helpers import place_card_order


def twice_at_once(app, job) -> list:
    """Run job() in two threads released together, each in its own app context; the results."""
    barrier, results, errors = threading.Barrier(2), [], []

    def run():
        with app.app_context():
            try:
                barrier.wait()
                results.append(job())
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return results


def test_every_scheduled_job_has_a_valid_interval_or_cron_line():
    for function, when in schedule.SCHEDULE:
        job = CronJob("odop", func=function, **when)
        assert job.interval or job.get_next_enqueue_time() > utcnow() - timedelta(minutes=1)


def test_expiring_unpaid_orders_twice_at_once_gives_the_stock_back_once(card_app):
    saree, _stole, buyer = shop(card_app)
    with card_app.app_context():
        stock_before = db.session.get(Listing, saree).stock
    reference = place_card_order(card_app, card_app.test_client(), buyer, saree, "2")
    with card_app.app_context():
        assert db.session.get(Listing, saree).stock == stock_before - 2
        db.session.execute(update(Checkout).where(Checkout.reference == reference)
                           .values(expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    results = twice_at_once(card_app, schedule.expire_unpaid_orders)
    assert sorted(results) == ["Expired 0 unpaid checkouts; 0 turned out to be paid.",
                               "Expired 1 unpaid checkouts; 0 turned out to be paid."]
    with card_app.app_context():
        assert db.session.get(Listing, saree).stock == stock_before
        assert db.session.scalar(select(Checkout.state)) == "expired"
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.object_type == "checkout", AuditEntry.to_status == "expired")) == 1


@pytest.fixture
def smtp(app):
    server = SmtpServer(Inbox())
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
    yield server
    server.stop()


def test_sweeping_the_outbox_twice_at_once_sends_each_message_once(app, smtp):
    addresses = [make_user(app) for _ in range(5)]
    with app.test_request_context():  # the server is down: the mail waits
        for address in addresses:
            users.send_password_reset(db.session.scalar(select(User).where(User.email == address)))
        db.session.execute(update(OutboxMessage).values(
            next_attempt_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    smtp.inbox.delay = 0.05
    smtp.start()
    results = twice_at_once(app, schedule.sweep_outbox)
    assert sum(int(r.removeprefix("Mail sent: ").rstrip(".")) for r in results) == 5
    assert sorted(a for m in smtp.inbox.messages for a in m.rcpt_tos) == sorted(addresses)


def test_pruning_shop_changes_twice_at_once_is_harmless(app):
    results = twice_at_once(app, schedule.prune_shop_changes)
    assert all(r.startswith("Shop changes pruned: ") for r in results)


def test_forgetting_idempotency_keys_twice_at_once_deletes_only_the_old_ones_once(app):
    email = make_user(app)
    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.email == email))
        token = api_tokens.create_token(user, name="Shop app", scopes=["read"],
                                        expires_in_days=30).token
        for key, age in (("old", timedelta(hours=25)), ("fresh", timedelta(hours=23))):
            db.session.add(IdempotentRequest(token_id=token.id, key=key, fingerprint="f" * 64,
                                             status_code=201, created_at=utcnow() - age))
        db.session.commit()
    results = twice_at_once(app, schedule.forget_idempotency_keys)
    assert sorted(results) == ["Idempotency keys forgotten: 0.",
                               "Idempotency keys forgotten: 1."]
    with app.app_context():
        assert db.session.scalars(select(IdempotentRequest.key)).all() == ["fresh"]
