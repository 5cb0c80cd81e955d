"""Complaints, the writes: opening a ticket, replies, and the grievance officer's acknowledgement
and resolution; reopening by the person who opened it. Each commits once; every reply and status
change leaves an audit row (workflow.record / workflow.transition).

The clocks are the Consumer Protection (E-Commerce) Rules 2020's: acknowledged within 48 hours,
resolved within one month of receipt. A reopened ticket is received again, so both restart.
"""

import calendar
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from odop_bazaar.db_types import utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models.accounts import User
from odop_bazaar.models.complaints import (
    CATEGORIES,
    COMPLAINT_TRANSITIONS,
    Complaint,
    ComplaintMessage,
    ComplaintStatus,
)
from odop_bazaar.services import outbox, workflow
from odop_bazaar.services.complaints import queries
from odop_bazaar.services.errors import DomainError, FieldErrors

ACKNOWLEDGE_WITHIN = timedelta(hours=48)
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read out on a phone
MIN_DESCRIPTION, MAX_TEXT = 20, 4000
OBJECT_TYPE = "complaint"
REPEAT_WITHIN = timedelta(minutes=10)  # the same words again this soon: the button pressed twice


class NotYourComplaint(DomainError):
    """The ticket, or what it would be about, is not this person's."""


def one_month_after(moment: datetime) -> datetime:
    """The same time on the same day of the next month (or that month's last day)."""
    year, month = (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
    return moment.replace(year=year, month=month,
                          day=min(moment.day, calendar.monthrange(year, month)[1]))


def new_reference() -> str:
    """A ticket number like CMP-7K2M9QXA: 32^8 of them, so one cannot be guessed."""
    return "CMP-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


def _text(errors: dict, field: str, value: str, *, minimum: int = 1) -> str:
    """The trimmed text, or a message for it put in errors."""
    text = (value or "").strip()
    if len(text) < minimum:
        errors[field] = (_l("Write what happened, in at least %(n)s characters.", n=minimum)
                         if minimum > 1 else _l("Write your message."))
    elif len(text) > MAX_TEXT:
        errors[field] = _l("Keep it under %(n)s characters.", n=MAX_TEXT)
    return text


@dataclass(frozen=True)
class Opened:
    complaint: Complaint
    new: bool  # False: this press of the button found the ticket an earlier press opened


def open_complaint(opener: User, kind: str, subject_id: int, *, category: str,
                   description: str, submission_key: str, return_id: int | None = None,
                   now: datetime | None = None) -> Opened:
    """Open a ticket about the opener's own order, listing or payout; its number at once.

    Raises:
        NotYourComplaint: the subject is not one this person may complain about.
        FieldErrors: no category of theirs chosen, a description too short or too long.
    """
    subject = queries.subject_for(opener, kind, subject_id)
    if subject is None:
        raise NotYourComplaint(_l("You cannot open a complaint about that."))
    role = queries.opener_role(opener)
    errors = {}
    if category not in CATEGORIES[(role, kind)]:
        errors["category"] = _l("Choose what the complaint is about.")
    text = _text(errors, "description", description, minimum=MIN_DESCRIPTION)
    if not (submission_key or "").strip():
        errors["form"] = _l("The form was incomplete. Please try again.")
    if errors:
        raise FieldErrors(errors)
    earlier = queries.by_submission(opener.id, submission_key)
    if earlier is not None:
        return Opened(earlier, new=False)
    now = now or utcnow()
    complaint = Complaint(
        reference=new_reference(), opener_id=opener.id, opener_role=role,
        seller_id=subject.seller_id, **{f"{kind}_id": subject.id},
        return_id=queries.return_of_order(subject.id, return_id) if kind == "order" else None,
        category=category, description=text,
        status=ComplaintStatus.OPEN.value, submission_key=submission_key, opened_at=now,
        acknowledge_due=now + ACKNOWLEDGE_WITHIN, resolve_due=one_month_after(now))
    return _save_new(complaint)


def _save_new(complaint: Complaint) -> Opened:
    """Write the new ticket and its audit row; a second press racing this one finds the ticket
    the first one wrote (the unique submission key decides)."""
    db.session.add(complaint)
    try:
        db.session.flush()
        workflow.record(actor_id=complaint.opener_id, object_type=OBJECT_TYPE,
                        object_id=complaint.id, action="status",
                        to_status=ComplaintStatus.OPEN.value, note=complaint.category)
        outbox.notify("complaint_opened", complaint)
        db.session.commit()
    except IntegrityError as clash:
        db.session.rollback()
        earlier = queries.by_submission(complaint.opener_id, complaint.submission_key)
        if earlier is None:  # the 1 in 10^12 clash of ticket numbers: the person tries again
            raise DomainError(_l("Something went wrong. Please press the button again.")) \
                from clash
        return Opened(earlier, new=False)
    return Opened(complaint, new=True)


def _add_message(complaint: Complaint, author: User, body: str, *, from_staff: bool,
                 action: str) -> ComplaintMessage:
    message = ComplaintMessage(complaint_id=complaint.id, author_id=author.id,
                               from_staff=from_staff, body=body)
    db.session.add(message)
    workflow.record(actor_id=author.id, object_type=OBJECT_TYPE, object_id=complaint.id,
                    action=action, note=body)
    return message


def reply(complaint: Complaint, author: User, body: str, *, as_staff: bool) -> ComplaintMessage:
    """Add a reply from the person who opened the ticket, or from staff (the caller checked
    that staff work on its place).

    Raises:
        NotYourComplaint: someone else's ticket.
        FieldErrors: an empty or overlong message.
        InvalidTransition: the opener writing on a resolved ticket (they reopen it instead).
    """
    if not as_staff and complaint.opener_id != author.id:
        raise NotYourComplaint(_l("You cannot reply on that complaint."))
    errors = {}
    text = _text(errors, "body", body)
    if errors:
        raise FieldErrors(errors)
    if complaint.is_resolved and not as_staff:
        raise workflow.InvalidTransition(
            _l("This complaint is resolved. Reopen it if the problem is not solved."))
    # One writer of the ticket at a time, so that a double click finds the reply it just sent.
    workflow.lock_row(Complaint, complaint.id)
    latest = queries.latest_message(complaint.id, author.id)
    if latest is not None and latest.body == text \
            and utcnow() - latest.created_at < REPEAT_WITHIN:
        db.session.commit()
        return latest
    message = _add_message(complaint, author, text, from_staff=as_staff, action="reply")
    if as_staff:  # the opener hears of staff replies (staff read theirs on the ticket)
        outbox.notify("complaint_update", complaint)
    db.session.commit()
    return message


def acknowledge(complaint: Complaint, staff: User, note: str = "",
                now: datetime | None = None) -> None:
    """The grievance officer says they have the ticket (with an optional message).

    Raises:
        InvalidTransition: it is not waiting for acknowledgement.
        AlreadyChanged: another staff member changed it first.
        FieldErrors: an overlong message.
    """
    errors = {}
    text = (note or "").strip() and _text(errors, "note", note)
    if errors:
        raise FieldErrors(errors)
    workflow.transition(complaint, ComplaintStatus.ACKNOWLEDGED, table=COMPLAINT_TRANSITIONS,
                        actor_id=staff.id, actor_role="staff", object_type=OBJECT_TYPE,
                        also={"acknowledged_at": now or utcnow()})
    if text:
        _add_message(complaint, staff, text, from_staff=True, action="reply")
    outbox.notify("complaint_update", complaint)
    db.session.commit()


def resolve(complaint: Complaint, staff: User, resolution: str,
            now: datetime | None = None) -> None:
    """Resolve the ticket with a note saying what was done (sent to the opener as a reply).

    Raises:
        FieldErrors: no resolution written.
        InvalidTransition: it is resolved already.
        AlreadyChanged: another staff member changed it first.
    """
    errors = {}
    text = _text(errors, "resolution", resolution)
    if errors:
        raise FieldErrors(errors)
    now = now or utcnow()
    workflow.transition(complaint, ComplaintStatus.RESOLVED, table=COMPLAINT_TRANSITIONS,
                        actor_id=staff.id, actor_role="staff", object_type=OBJECT_TYPE,
                        note=text, also={"resolved_at": now, "resolution": text,
                                         "acknowledged_at": complaint.acknowledged_at or now})
    _add_message(complaint, staff, text, from_staff=True, action="resolution")
    outbox.notify("complaint_update", complaint)
    db.session.commit()


def reopen(complaint: Complaint, opener: User, reason: str, *, reopen_days: int,
           now: datetime | None = None) -> None:
    """The person who opened a resolved ticket reopens it, within reopen_days of its
    resolution; it is received again, so both clocks restart.

    Raises:
        NotYourComplaint: someone else's ticket.
        FieldErrors: no reason written.
        InvalidTransition: not resolved, or resolved more than reopen_days ago.
    """
    if complaint.opener_id != opener.id:
        raise NotYourComplaint(_l("You cannot reopen that complaint."))
    errors = {}
    text = _text(errors, "reason", reason)
    if errors:
        raise FieldErrors(errors)
    now = now or utcnow()
    if complaint.is_resolved and not complaint.may_reopen(now, reopen_days):
        raise workflow.InvalidTransition(_l(
            "This complaint was resolved more than %(days)s days ago, so it cannot be reopened. "
            "Please open a new complaint.", days=reopen_days))
    workflow.transition(complaint, ComplaintStatus.REOPENED, table=COMPLAINT_TRANSITIONS,
                        actor_id=opener.id, actor_role=complaint.opener_role,
                        object_type=OBJECT_TYPE, note=text,
                        also={"acknowledge_due": now + ACKNOWLEDGE_WITHIN,
                              "resolve_due": one_month_after(now), "acknowledged_at": None,
                              "resolved_at": None})
    _add_message(complaint, opener, text, from_staff=False, action="reply")
    db.session.commit()
