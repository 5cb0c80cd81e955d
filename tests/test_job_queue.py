"""The job queue for real: a redis-server of the test's own, `flask worker` as a separate process
on the same database (the SQLite file or the PostgreSQL database of the test), and a real SMTP
server. A page that sends mail writes an outbox row; the worker delivers it and marks it sent;
with the mail server down it is retried and delivered when the server is back; one that keeps
failing is shown on the staff page and sent again from there. With ODOP_REQUIRE_REDIS=1 a
missing redis-server fails instead of skipping."""

import email as email_parser
import email.policy as email_policy
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from odop_bazaar import jobs
from odop_bazaar.extensions import db
from odop_bazaar.models import OutboxMessage, Role
from tests.conftest import log_in, make_test_app, submit
from tests.factories import make_user
from tests.redis_helpers import redis_server
from tests.smtp_helpers import Inbox, SmtpServer

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def redis_url():
    with redis_server() as server:
        yield server.url


@pytest.fixture
def queued_app(shared_database_url, tmp_path, redis_url):
    """The web side: jobs go to the queue (a name of this test's own)."""
    yield from make_test_app(shared_database_url, tmp_path, JOB_QUEUE_URL=redis_url,
                             JOB_QUEUE_NAME=f"test-{uuid.uuid4().hex[:8]}")


class Worker:
    """`flask worker` in a process of its own, configured through the environment only, as on
    a machine of its own."""

    def __init__(self, app, smtp_port: int, tmp_path: Path, **settings):
        self.log = tmp_path / f"worker-{uuid.uuid4().hex[:6]}.log"
        env = {k: v for k, v in os.environ.items() if k not in ("ODOP_CONFIG", "DATABASE_URL")}
        env.update({
            "ODOP_CONFIG": "development", "SECRET_KEY": "worker-test-secret",
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "JOB_QUEUE_URL": app.config["JOB_QUEUE_URL"],
            "JOB_QUEUE_NAME": app.config["JOB_QUEUE_NAME"],
            "MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp_port),
            "OUTBOX_RETRY_SECONDS": "1", **{k: str(v) for k, v in settings.items()}})
        with self.log.open("w") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "flask", "--app", "wsgi", "worker"], cwd=ROOT, env=env,
                stdout=out, stderr=subprocess.STDOUT)

    def stop(self) -> None:
        self.process.terminate()  # RQ's warm shutdown: the job in hand is finished first
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture
def start_worker(queued_app, tmp_path):
    started = []

    def start(smtp_port: int, **settings) -> Worker:
        started.append(Worker(queued_app, smtp_port, tmp_path, **settings))
        return started[-1]

    yield start
    for worker in started:
        worker.stop()


def outbox_rows(app) -> list[tuple]:
    with app.app_context():
        db.session.expire_all()
        return [(m.to_address, m.status) for m in db.session.scalars(
            select(OutboxMessage).order_by(OutboxMessage.id))]


def wait_for(condition, worker: Worker, timeout: float = 30, what: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        assert worker.process.poll() is None, worker.output()
        time.sleep(0.1)
    pytest.fail(f"waited {timeout} s for {what}; worker said:\n{worker.output()[-3000:]}")


def test_a_page_action_mails_through_the_outbox_and_the_worker(queued_app, start_worker):
    smtp = SmtpServer(Inbox()).start()
    try:
        email = make_user(queued_app, locale="hi")
        worker = start_worker(smtp.port)
        response = submit(queued_app.test_client(), "/forgot-password", {"email": email})
        assert response.status_code == 200
        assert outbox_rows(queued_app) in ([(email, "pending")], [(email, "sending")],
                                           [(email, "sent")])
        wait_for(lambda: outbox_rows(queued_app) == [(email, "sent")], worker,
                 what="the row to be sent")
        assert len(smtp.inbox.to(email)) == 1
        message = email_parser.message_from_bytes(smtp.inbox.messages[0].content,
                                                  policy=email_policy.default)
        assert "/hi/reset-password/" in message.get_content()  # rendered in the web request, in Hindi
    finally:
        smtp.stop()


def test_with_the_mail_server_down_mail_is_retried_and_sent_when_it_is_back(
        queued_app, start_worker):
    smtp = SmtpServer(Inbox())  # its port, with nothing listening yet
    email = make_user(queued_app)
    worker = start_worker(smtp.port)
    submit(queued_app.test_client(), "/forgot-password", {"email": email})

    def tried_and_waiting():
        with queued_app.app_context():
            row = db.session.scalar(select(OutboxMessage))
            return row.status == "pending" and row.attempts >= 1 and row
    row = wait_for(tried_and_waiting, worker, what="a failed try")
    assert "ConnectionRefusedError" in row.last_error
    smtp.start()
    try:
        wait_for(lambda: outbox_rows(queued_app) == [(email, "sent")], worker,
                 what="the retry to deliver it")
        assert len(smtp.inbox.to(email)) == 1
    finally:
        smtp.stop()


def test_mail_that_keeps_failing_is_shown_to_admins_and_sent_again(queued_app, start_worker):
    smtp = SmtpServer(Inbox())
    email = make_user(queued_app)
    admin = queued_app.test_client()
    log_in(admin, make_user(queued_app, Role.ADMIN))
    worker = start_worker(smtp.port, OUTBOX_MAX_ATTEMPTS=2)
    submit(queued_app.test_client(), "/forgot-password", {"email": email})
    wait_for(lambda: outbox_rows(queued_app) == [(email, "failed")], worker,
             what="two tries, then failed")
    page = admin.get("/staff/mail").get_data(as_text=True)
    assert email in page and "ConnectionRefusedError" in page and "Send again" in page
    smtp.start()
    try:
        with queued_app.app_context():
            message_id = db.session.scalar(select(OutboxMessage.id))
        assert submit(admin, f"/staff/mail/{message_id}/retry", {},
                      token_from="/staff/mail").status_code == 303
        wait_for(lambda: outbox_rows(queued_app) == [(email, "sent")], worker,
                 what="the retried mail to be sent")
        assert len(smtp.inbox.to(email)) == 1
    finally:
        smtp.stop()


def test_the_queue_answers_the_readiness_probe_and_counts_jobs(queued_app, redis_url):
    with queued_app.app_context():
        assert jobs.check() and jobs.queue_depth() == 0 and jobs.failed_count() == 0
        jobs.enqueue(print, "no worker runs this one")
        assert jobs.queue_depth() == 1
    queued_app.config["JOB_QUEUE_URL"] = "redis://127.0.0.1:9/0"  # nothing there
    jobs.init_app(queued_app)
    with queued_app.app_context():
        assert not jobs.check() and jobs.queue_depth() is None
