"""Outgoing mail: send_mail() writes the message to the outbox (odop_bazaar/models/outbox.py) in
the caller's transaction; services/outbox.py delivers it after the commit, through the backend
MAIL_BACKEND names.

console: printed to the log (development); file: one .eml per message under MAIL_FILE_DIR;
smtp: a real server (production); memory: kept in app.extensions["mail_outbox"] (tests).
"""

import contextlib
import logging
import smtplib
import uuid
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path

from flask import Flask, current_app

from odop_bazaar.extensions import db
from odop_bazaar.models.outbox import OutboxMessage

log = logging.getLogger(__name__)
BACKENDS = ("console", "file", "smtp", "memory")
# Set on a session that has added mail, so that its commit is followed by a delivery.
MAIL_ADDED = "odop_mail_added"


def init_app(app: Flask) -> None:
    backend = app.config["MAIL_BACKEND"]
    if backend not in BACKENDS:
        raise ValueError(f"MAIL_BACKEND must be one of {', '.join(BACKENDS)}, not {backend!r}")
    app.extensions["mail_outbox"] = []


def send_mail(to: str, subject: str, body: str) -> OutboxMessage:
    """Put a plain-text message (UTF-8, so Hindi travels) in the outbox, in the current
    transaction: it leaves after the commit, and not at all if the transaction rolls back."""
    row = OutboxMessage(to_address=to, subject=subject[:300], body=body)
    db.session.add(row)
    db.session.info[MAIL_ADDED] = True
    return row


def build_message(row: OutboxMessage) -> EmailMessage:
    """The email of one outbox row; its Message-ID is the row's, the same on every try, so a
    server that got it twice (a lost answer, then a retry) can tell."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = row.to_address
    message["Subject"] = row.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = f"<outbox-{row.id}.{row.created_at:%Y%m%d%H%M%S}@odop-bazaar>"
    message.set_content(row.body)
    return message


@contextlib.contextmanager
def connection():
    """One connection to the configured backend for a batch; yields send(message).

    Raises OSError (smtplib.SMTPException among them) when the server cannot be reached or
    refuses; send() raises it for the one message it could not hand over."""
    config = current_app.config
    backend = config["MAIL_BACKEND"]
    if backend != "smtp":
        yield _local_backends[backend]
        return
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        yield smtp.send_message


def _to_memory(message: EmailMessage) -> None:
    current_app.extensions["mail_outbox"].append(message)


def _to_console(message: EmailMessage) -> None:
    # The body (with its sign-in and reset links) goes to the terminal only, never the log.
    log.warning("Mail %r (console backend: printed, not sent)", str(message["Subject"]))
    print(f"\n----- mail to {message['To']} -----\n{message.get_content()}\n-----",  # noqa: T201
          flush=True)


def _to_file(message: EmailMessage) -> None:
    folder = Path(current_app.config["MAIL_FILE_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{uuid.uuid4().hex}.eml").write_bytes(bytes(message))


_local_backends = {"memory": _to_memory, "console": _to_console, "file": _to_file}
