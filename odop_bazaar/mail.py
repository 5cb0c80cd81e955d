"""Outgoing mail behind one function, send_mail(), with a backend chosen by MAIL_BACKEND.

console: printed to the log (development); file: one .eml per message under MAIL_FILE_DIR;
smtp: a real server (production); memory: kept in app.extensions["mail_outbox"] (tests).
"""

import logging
import smtplib
import uuid
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import Flask, current_app

log = logging.getLogger(__name__)
BACKENDS = ("console", "file", "smtp", "memory")


def init_app(app: Flask) -> None:
    backend = app.config["MAIL_BACKEND"]
    if backend not in BACKENDS:
        raise ValueError(f"MAIL_BACKEND must be one of {', '.join(BACKENDS)}, not {backend!r}")
    app.extensions["mail_outbox"] = []


def build_message(to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="odop-bazaar")
    message.set_content(body)
    return message


def send_mail(to: str, subject: str, body: str) -> None:
    """Send a plain-text message (UTF-8, so Hindi travels) through the configured backend."""
    message = build_message(to, subject, body)
    config = current_app.config
    backend = config["MAIL_BACKEND"]
    if backend == "memory":
        current_app.extensions["mail_outbox"].append(message)
    elif backend == "console":
        # The body (with its sign-in and reset links) goes to the terminal only, never the log.
        log.warning("Mail %r (console backend: printed, not sent)", subject)
        print(f"\n----- mail to {to} -----\n{body}\n-----", flush=True)  # noqa: T201
    elif backend == "file":
        folder = Path(config["MAIL_FILE_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{uuid.uuid4().hex}.eml").write_bytes(bytes(message))
    else:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            smtp.send_message(message)
