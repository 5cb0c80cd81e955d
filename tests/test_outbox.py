"""Mail goes through the outbox: written in the transaction of the change that causes it (both
saved or neither), delivered after the commit over one SMTP connection per batch, retried with
longer waits when the server fails, never lost, failed mail shown to admins and sent again.
A real SMTP server (aiosmtpd) on a real port; no queue here (jobs run in process): the queue and
the worker process are in test_job_queue.py."""

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from odop_bazaar.db_types import utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models import Listing, OutboxMessage, Role, User
from odop_bazaar.services import outbox as outbox_service
from odop_bazaar.services.accounts import users
from tests.checkout_helpers import add, client_of, place
from tests.conftest import free_port, log_in, submit
from tests.factories import make_user, shop
from tests.smtp_helpers import Inbox, SmtpServer


@pytest.fixture
def smtp(app):
    server = SmtpServer(Inbox())
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
    yield server
    server.stop()


def rows(app, after: int = 0) -> list[tuple]:
    """(to, status, tries) of each outbox row, oldest first (those after id `after`)."""
    with app.app_context():
        return [(m.to_address, m.status, m.attempts) for m in db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.id > after).order_by(OutboxMessage.id))]


def last_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.max(OutboxMessage.id))) or 0


def user_named(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def test_a_change_and_its_mail_are_saved_together_or_not_at_all(app, outbox):
    email = make_user(app)
    with app.test_request_context():
        user = user_named(email)
        outbox_service.notify("password_reset", user)
        db.session.add(User(email=email, full_name="Same address", role="buyer",
                            password_hash="x"))  # the change fails: the address is taken
        with pytest.raises(Exception, match="UNIQUE|unique"):
            db.session.commit()
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
        users.send_password_reset(user_named(email))  # a change that commits brings its mail
    assert rows(app) == [(email, "sent", 1)] and len(outbox) == 1


def test_every_seller_of_an_order_is_told_even_when_one_address_is_refused(app, smtp):
    saree, stole, buyer = shop(app)
    with app.app_context():
        refused = db.session.get(Listing, saree).seller.user.email
        other = db.session.get(Listing, stole).seller.user.email
    smtp.inbox.refuse = {refused}
    smtp.start()
    before = last_id(app)  # the sellers' approval mails went out when they were made
    client = client_of(app, buyer)
    add(client, saree)
    add(client, stole)
    assert place(client).status_code == 303
    assert len(smtp.inbox.to(other)) == 1 and len(smtp.inbox.to(buyer)) == 1
    assert smtp.inbox.connections == 1  # the three mails of the order over one connection
    assert sorted(rows(app, after=before)) == sorted([
        (buyer, "sent", 1), (refused, "pending", 1), (other, "sent", 1)])
    with app.app_context():
        error = db.session.scalar(select(OutboxMessage.last_error).where(
            OutboxMessage.to_address == refused, OutboxMessage.id > before))
        assert "No such mailbox" in error and "SMTPRecipientsRefused" in error


def test_a_failed_send_waits_longer_each_time_then_is_shown_to_admins_and_sent_again(
        app, smtp):
    app.config.update(OUTBOX_MAX_ATTEMPTS=3, OUTBOX_RETRY_SECONDS=30)
    email = make_user(app, locale="hi")
    submit(app.test_client(), "/forgot-password", {"email": email})  # the server is down
    waits = []
    for _ in range(2):
        with app.app_context():
            row = db.session.scalar(select(OutboxMessage))
            waits.append((row.next_attempt_at - row.claimed_at).total_seconds())
            db.session.execute(OutboxMessage.__table__.update().values(
                next_attempt_at=row.claimed_at))  # its time has come
            db.session.commit()
            outbox_service.sweep()
    assert waits == [pytest.approx(30, abs=1), pytest.approx(60, abs=1)]
    assert rows(app) == [(email, "failed", 3)]
    admin = app.test_client()
    log_in(admin, make_user(app, Role.ADMIN))
    page = admin.get("/staff/mail").get_data(as_text=True)
    assert "ConnectionRefusedError" in page and email in page and "पासवर्ड" in page
    with app.app_context():
        message_id = db.session.scalar(select(OutboxMessage.id))
    smtp.start()
    response = submit(admin, f"/staff/mail/{message_id}/retry", {}, token_from="/staff/mail")
    assert response.status_code == 303
    assert rows(app) == [(email, "sent", 4)] and len(smtp.inbox.to(email)) == 1
    assert "All email has been sent." in admin.get("/staff/mail").get_data(as_text=True)


def test_two_deliveries_at_once_send_each_message_once(app, smtp):
    smtp.inbox.delay = 0.02
    addresses = [make_user(app) for _ in range(3)]
    app.config["MAIL_PORT"] = 9  # nothing there: the requests leave their mail in the outbox
    with app.test_request_context():
        for address in addresses * 4:
            users.send_password_reset(user_named(address))
        # due now, as after a wait
        db.session.execute(OutboxMessage.__table__.update().values(
            next_attempt_at=utcnow() - timedelta(minutes=1), attempts=0))
        db.session.commit()
    app.config["MAIL_PORT"] = smtp.start().port
    barrier, errors = threading.Barrier(3), []

    def deliver():
        with app.app_context():
            try:
                barrier.wait()
                outbox_service.deliver_due(batch=2)
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)

    threads = [threading.Thread(target=deliver) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(smtp.inbox.messages) == 12 and {s for _a, s, _n in rows(app)} == {"sent"}
    assert {a: len(smtp.inbox.to(a)) for a in addresses} == dict.fromkeys(addresses, 4)


def test_asking_for_a_reset_takes_as_long_whether_or_not_the_account_exists(app, smtp):
    """Nothing is sent inside the request: with a queue (here one that cannot be reached, so
    the row waits for the sweep), the request that finds an account only writes a row."""
    from odop_bazaar import jobs

    smtp.inbox.delay = 1.0  # a server that takes a second over each message
    smtp.start()
    email = make_user(app)
    app.config["JOB_QUEUE_URL"] = f"redis://127.0.0.1:{free_port()}/0"
    jobs.init_app(app)
    visitor = app.test_client()
    timings = {}
    for address in (email, "nobody@example.com") * 2:
        started = time.perf_counter()
        response = submit(visitor, "/forgot-password", {"email": address})
        timings.setdefault(address, []).append(time.perf_counter() - started)
        assert response.status_code == 200
    assert max(timings[email]) < 0.5, timings
    assert rows(app) == [(email, "pending", 0)] * 2  # waiting, not lost
    with app.app_context():
        app.extensions.pop("job_queue")  # the sweep, run by cron or the scheduler
        assert outbox_service.sweep() == 2
    assert len(smtp.inbox.to(email)) == 2



def test_the_sweep_forgets_mail_sent_more_than_a_week_ago(app, outbox):
    with app.app_context():
        for days in (8, 1):
            db.session.add(OutboxMessage(to_address=f"{days}@example.com", subject="s", body="b",
                                         status="sent", sent_at=utcnow() - timedelta(days=days)))
        db.session.commit()
        outbox_service.sweep()
    assert rows(app) == [("1@example.com", "sent", 0)]
