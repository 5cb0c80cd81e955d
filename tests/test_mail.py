"""Mail leaves through a real SMTP conversation, or lands in files in development."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from odop_bazaar.mail import send_mail
from tests.conftest import submit
from tests.factories import make_user


class Inbox(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def test_a_password_reset_in_hindi_goes_out_over_smtp(app, client, smtp_server):
    controller, inbox = smtp_server
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
    address = make_user(app, locale="hi")
    submit(client, "/forgot-password", {"email": address})
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["To"] == address
    body = message.get_payload(decode=True).decode(message.get_content_charset())
    assert "/reset-password/" in body
    assert any("\u0900" <= ch <= "\u097f" for ch in body), "the mail is in the user's Hindi"


def test_the_file_backend_writes_one_message_per_file(app, tmp_path):
    app.config.update(MAIL_BACKEND="file", MAIL_FILE_DIR=str(tmp_path / "mail"))
    with app.test_request_context():
        send_mail("asha@example.com", "नमस्ते", "आपका स्वागत है")
    files = list((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 1
    parsed = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert parsed["To"] == "asha@example.com" and parsed["Subject"] == "नमस्ते"
    assert parsed.get_content().strip() == "आपका स्वागत है"
