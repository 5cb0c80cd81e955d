"""The mail outbox: notifications written in the transaction of their cause, delivered after it.

How a change and its mail are saved together: a service calls notify("order_status", order)
before its one commit. Just before COMMIT, a session hook renders each noted notification
(services/notifications.py, in the recipient's language) into outbox rows in the same
transaction; a rollback forgets them. So the change and its mail commit together or not at all,
and nothing is sent inside the request: a dead mail server costs the person nothing.

After the commit, delivery is started: a job on the queue (JOB_QUEUE_URL), or, with no queue,
here and now on a session of its own (so `make run` and the tests see mail at once). A failed
try schedules the next delivery for when it is due (RQ's enqueue_in). If the queue cannot be
reached the rows wait; sweep(), scheduled every minute, delivers whatever is due.

Delivery claims due rows (pending -> sending, a compare-and-set: two workers never send one
row twice), sends them over one connection, and marks each sent, or pending again with a longer
wait (OUTBOX_RETRY_SECONDS doubled per try, at most an hour), or failed after
OUTBOX_MAX_ATTEMPTS tries, where admins see it at /staff/mail and can put it back in line.
"""

import logging
from datetime import timedelta

import redis
from flask import current_app
from sqlalchemy import delete, event, func, select
from sqlalchemy.orm import Session

from odop_bazaar import jobs, mail
from odop_bazaar.db_types import utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models.outbox import MAIL_TRANSITIONS, MailStatus, OutboxMessage
from odop_bazaar.services import workflow

log = logging.getLogger(__name__)
_NOTED = "odop_notifications"
BATCH = 50
# A row still "sending" this long after its claim belongs to a worker that died mid-batch.
STALE_CLAIM = timedelta(minutes=10)
SENT_KEPT = timedelta(days=7)


def notify(kind: str, *args) -> None:
    """Note that notifications.send_<kind>(*args) is to be written when this unit of work
    commits (and forgotten if it rolls back). Call it before the service's commit."""
    db.session.info.setdefault(_NOTED, []).append((kind, args))


@event.listens_for(Session, "before_commit")
def _write_noted(session: Session) -> None:
    noted = session.info.pop(_NOTED, None)
    if not noted:
        return
    from odop_bazaar.services import notifications  # renders templates; imports services

    # Render from what this transaction wrote, as the views did after the commit: flushed,
    # and read again (a relationship loaded before the change would otherwise be stale).
    session.flush()
    for _kind, args in noted:
        for value in args:
            if isinstance(value, db.Model) and value in session:
                session.expire(value)
    for kind, args in noted:
        getattr(notifications, f"send_{kind}")(*args)


@event.listens_for(Session, "after_commit")
def _deliver_after_commit(session: Session) -> None:
    if session.info.pop(mail.MAIL_ADDED, False):
        start_delivery()


@event.listens_for(Session, "after_rollback")
def _forget_noted(session: Session) -> None:
    session.info.pop(_NOTED, None)
    session.info.pop(mail.MAIL_ADDED, None)


def start_delivery() -> None:
    """Deliver what is due: as a job on the queue, or at once when there is none. Never raises:
    the mail is saved, and the sweep delivers it if this does not."""
    try:
        jobs.enqueue(deliver_due)
    except redis.RedisError as error:
        log.warning("Mail waits in the outbox: the job queue is unreachable (%s)", error)
    except Exception:  # in process, after a commit that must stand whatever happens here
        log.exception("Delivering the outbox failed; the sweep will try again")


def deliver_due(batch: int = BATCH) -> int:
    """Send the outbox's due messages, a batch per SMTP connection; the number sent. A job."""
    sent, session = 0, Session(db.engine)
    try:
        while ids := _claim(session, batch):
            sent += _send_batch(session, ids)
            if len(ids) < batch:
                break
    finally:
        session.close()
    return sent


def _claim(session: Session, batch: int) -> list[int]:
    now = utcnow()
    ids = workflow.move_rows(
        session, OutboxMessage, MailStatus.PENDING, MailStatus.SENDING, table=MAIL_TRANSITIONS,
        actor_role="system", where=(OutboxMessage.next_attempt_at <= now,), limit=batch,
        also={"claimed_at": now, "attempts": OutboxMessage.attempts + 1})
    session.commit()
    return ids


def _send_batch(session: Session, ids: list[int]) -> int:
    rows = session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids))
                           .order_by(OutboxMessage.id)).all()
    sent, failures = [], {}
    try:
        with mail.connection() as send:
            for row in rows:
                try:
                    send(mail.build_message(row))
                except OSError as error:  # this recipient or message; the next may go
                    failures[row.id] = _describe(error)
                else:
                    sent.append(row.id)
    except OSError as error:  # no connection, or it broke: the rest of the batch waits
        failures.update({row.id: _describe(error) for row in rows
                         if row.id not in sent and row.id not in failures})
    _mark(session, rows, sent, failures)
    return len(sent)


def _describe(error: OSError) -> str:
    """What went wrong, for staff: the exception's class and the server's words. smtplib's
    errors carry the server's reply, never the credentials sent."""
    return f"{type(error).__name__}: {error}"[:500]


def _mark(session: Session, rows, sent: list[int], failures: dict[int, str]) -> None:
    now = utcnow()
    move = {"table": MAIL_TRANSITIONS, "actor_role": "system"}
    if sent:
        workflow.move_rows(session, OutboxMessage, MailStatus.SENDING, MailStatus.SENT,
                           where=(OutboxMessage.id.in_(sent),),
                           also={"sent_at": now, "last_error": ""}, **move)
    most = current_app.config["OUTBOX_MAX_ATTEMPTS"]
    for row in rows:
        if row.id not in failures:
            continue
        gave_up = row.attempts >= most
        workflow.move_rows(
            session, OutboxMessage, MailStatus.SENDING,
            MailStatus.FAILED if gave_up else MailStatus.PENDING,
            where=(OutboxMessage.id == row.id,),
            also={"last_error": failures[row.id], "next_attempt_at": now + _wait(row.attempts)},
            **move)
        log.warning("Mail %s not sent (try %s of %s): %s", row.id, row.attempts, most,
                    failures[row.id])
    session.commit()
    retrying = [row.attempts for row in rows if row.id in failures and row.attempts < most]
    if retrying:
        # A second late: RQ's scheduler may move a job up to a second early, before it is due.
        jobs.enqueue_later(_wait(min(retrying)) + timedelta(seconds=1), deliver_due)


def _wait(attempts: int) -> timedelta:
    """Backoff after `attempts` tries: OUTBOX_RETRY_SECONDS, doubled per try, at most an hour."""
    first = current_app.config["OUTBOX_RETRY_SECONDS"]
    return timedelta(seconds=min(first * 2 ** max(attempts - 1, 0), 3600))


def sweep() -> int:
    """Put back in line the mail of workers that died mid-batch, forget mail sent more than
    SENT_KEPT ago, then deliver what is due; the number sent. Scheduled every minute: it is
    what delivers mail the queue never heard of."""
    session = Session(db.engine)
    try:
        workflow.move_rows(session, OutboxMessage, MailStatus.SENDING, MailStatus.PENDING,
                           table=MAIL_TRANSITIONS, actor_role="system",
                           where=(OutboxMessage.claimed_at < utcnow() - STALE_CLAIM,))
        # Sent mail holds sign-in links; the mail server's log is the record of what went.
        session.execute(delete(OutboxMessage).where(OutboxMessage.status == MailStatus.SENT,
                                                    OutboxMessage.sent_at < utcnow() - SENT_KEPT))
        session.commit()
    finally:
        session.close()
    return deliver_due()


def retry(message_id: int) -> bool:
    """An admin puts a failed message back in line, to be sent at once; False if it is not
    failed (already put back by someone else)."""
    moved = workflow.move_rows(
        db.session, OutboxMessage, MailStatus.FAILED, MailStatus.PENDING, table=MAIL_TRANSITIONS,
        actor_role="admin", where=(OutboxMessage.id == message_id,),
        also={"next_attempt_at": utcnow()})
    db.session.info[mail.MAIL_ADDED] = bool(moved)  # deliver after this commit
    db.session.commit()
    return bool(moved)


def waiting() -> list[OutboxMessage]:
    """Mail not sent yet, failed first, then oldest first: for the staff page (at most 200)."""
    order = (OutboxMessage.status != MailStatus.FAILED, OutboxMessage.id)
    return list(db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.status != MailStatus.SENT)
        .order_by(*order).limit(200)))


def backlog() -> dict[str, int]:
    """How many messages are in each status but sent: for metrics and the staff page."""
    rows = db.session.execute(select(OutboxMessage.status, func.count())
                              .where(OutboxMessage.status != MailStatus.SENT)
                              .group_by(OutboxMessage.status))
    return {status: 0 for status in (MailStatus.PENDING, MailStatus.SENDING,
                                     MailStatus.FAILED)} | dict(rows.all())
