"""Mail waiting to leave: one row per message, written in the transaction of the change that
causes it, so a change and its mail are saved together or not at all.

A delivery job claims pending rows that are due (pending -> sending, a compare-and-set, so two
workers never send one row twice), sends them over one SMTP connection, and marks each sent, or
pending again with a later next_attempt_at. After OUTBOX_MAX_ATTEMPTS tries a row is failed:
kept, and shown to admins at /staff/mail, who can put it back in line.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from odop_bazaar.db_types import UTCDateTime, utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models.labelled_enum import LabelledEnum


class MailStatus(LabelledEnum):
    PENDING = "pending", _l("Waiting to be sent")
    SENDING = "sending", _l("Being sent")
    SENT = "sent", _l("Sent")
    FAILED = "failed", _l("Failed")


# "system" is the delivery job; staff (admins) put a failed message back in line. A message
# left "sending" by a worker that died is put back by the sweep (sending -> pending, system).
MAIL_TRANSITIONS = {
    (MailStatus.PENDING, MailStatus.SENDING): "system",
    (MailStatus.SENDING, MailStatus.SENT): "system",
    (MailStatus.SENDING, MailStatus.PENDING): "system",
    (MailStatus.SENDING, MailStatus.FAILED): "system",
    (MailStatus.FAILED, MailStatus.PENDING): "admin",
}


class OutboxMessage(db.Model):
    """One email, from the moment its cause is committed until a server accepts it."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        CheckConstraint("status IN (" + ", ".join(f"'{s.value}'" for s in MailStatus) + ")",
                        name="status"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        # What the delivery job asks for: the pending rows that are due, oldest first.
        Index("ix_outbox_message_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=MailStatus.PENDING,
                                        server_default="pending")
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When a worker claimed it: a row "sending" for long belongs to a worker that died.
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The server's answer or the exception's class and text; never credentials (see outbox).
    last_error: Mapped[str] = mapped_column(String(500), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def status_enum(self) -> MailStatus:
        return MailStatus(self.status)
