"""Status changes and the audit log: the one place where a workflow status is set."""

from flask_babel import lazy_gettext as _l

from odop_bazaar.extensions import db
from odop_bazaar.models.audit import AuditEntry


class InvalidTransition(Exception):
    """The object cannot move to that status from where it is, or not by this actor."""


def record(*, actor_id: int | None, object_type: str, object_id: int, action: str,
           from_status: str | None = None, to_status: str | None = None,
           note: str = "") -> AuditEntry:
    """Add an audit row to the session (the caller's unit of work commits it)."""
    entry = AuditEntry(actor_id=actor_id, object_type=object_type, object_id=object_id,
                       action=action, from_status=from_status, to_status=to_status,
                       note=note or "")
    db.session.add(entry)
    return entry


def transition(obj, to_status: str, *, table: dict, actor_id: int | None, actor_role: str,
               object_type: str, note: str = "") -> None:
    """Move obj.status to to_status if the workflow table allows it for actor_role; audit it.

    Raises:
        InvalidTransition: the table has no such move for this actor.
    """
    from_status = obj.status
    allowed_for = table.get((from_status, to_status)) or ()
    # A move may be open to one role ("staff") or to several ({"buyer", "seller"}).
    if actor_role not in ((allowed_for,) if isinstance(allowed_for, str) else allowed_for):
        label = getattr(getattr(obj, "status_enum", None), "label", from_status)
        raise InvalidTransition(_l("This cannot be done now: the status is “%(status)s”.",
                                   status=label))
    obj.status = to_status
    db.session.flush()
    record(actor_id=actor_id, object_type=object_type, object_id=obj.id, action="status",
           from_status=from_status, to_status=to_status, note=note)
