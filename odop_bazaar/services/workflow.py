"""Status changes and the audit log: the one place where a workflow status is set."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import inspect, select, update

from odop_bazaar.extensions import db
from odop_bazaar.models.audit import AuditEntry
from odop_bazaar.services.errors import AlreadyChanged, InvalidTransition

__all__ = ["AlreadyChanged", "InvalidTransition", "claim", "lock_row", "move_rows", "record",
           "transition"]


def lock_row(model, object_id: int) -> None:
    """Make this unit of work the only writer of one row until it commits, so that the checks
    that follow read what others have committed and act on it alone.

    PostgreSQL: SELECT ... FOR UPDATE. SQLite has no row locks and ignores FOR UPDATE, so a
    no-op UPDATE, as the unit of work's first statement, takes the database's write lock instead
    (columns with an onupdate default are written as they are, so nothing appears changed).
    """
    if db.session.get_bind().dialect.name == "sqlite":
        table = model.__table__
        unchanged = {column.key: column for column in table.c
                     if column.primary_key or column.onupdate is not None}
        db.session.execute(update(table).where(table.c.id == object_id).values(unchanged))
    else:
        db.session.execute(select(model.id).where(model.id == object_id).with_for_update())


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
               object_type: str, note: str = "", field: str = "status",
               also: dict | None = None, audit: bool = True) -> None:
    """Move obj's status (or the column `field` names: a checkout's "state") to to_status if the
    workflow table allows it for actor_role; audit it. `also`: other columns written with it.
    `audit=False` for a move that is part of a decision audited in its own words (a section of
    a seller's application).

    Raises:
        InvalidTransition: the table has no such move for this actor.
        AlreadyChanged: someone else changed it since this request read it (rolled back).
    """
    from_status = getattr(obj, field)
    if not claim(obj, from_status, to_status, table=table, actor_id=actor_id,
                 actor_role=actor_role, object_type=object_type, note=note, field=field,
                 also=also, audit=audit):
        _refuse_as_changed(obj, field)


def claim(obj, from_status: str, to_status: str, *, table: dict, actor_id: int | None,
          actor_role: str, object_type: str, note: str = "", field: str = "status",
          also: dict | None = None, audit: bool = True) -> bool:
    """The move from from_status to to_status for whichever request makes it first; audited.

    For a race with an expected loser (the buyer's return and the Stripe webhook reporting one
    payment at once; the expiry job as the payment arrives): the loser gets False, with nothing
    written and nothing rolled back (what it added to the session stays), and reads the row to
    learn what happened instead.

    Raises:
        InvalidTransition: the table has no such move for this actor.
    """
    allowed_for = table.get((from_status, to_status)) or ()
    # A move may be open to one role ("staff") or to several ({"buyer", "seller"}).
    if actor_role not in ((allowed_for,) if isinstance(allowed_for, str) else allowed_for):
        label = getattr(getattr(obj, f"{field}_enum", None), "label", from_status)
        raise InvalidTransition(_l("This cannot be done now: the status is “%(status)s”.",
                                   status=label))
    if not _set_if_still(obj, field, from_status, to_status, also):
        return False
    if audit:
        record(actor_id=actor_id, object_type=object_type, object_id=obj.id, action=field,
               from_status=from_status, to_status=to_status, note=note)
    return True


def move_rows(session, model, from_status: str, to_status: str, *, table: dict,
              actor_role: str, where=(), limit: int | None = None,
              also: dict | None = None) -> list[int]:
    """Move, in one statement, the rows of `model` in from_status (and matching `where`) to
    to_status; the ids moved. For rows whose moves need no audit row each (mail in the outbox).

    It is a compare-and-set: a row another transaction moved first is not moved again. With
    `limit`, only the first rows by id, skipping on PostgreSQL those another transaction holds
    (FOR UPDATE SKIP LOCKED), so that two workers claim different rows; SQLite runs one writer
    at a time, which is as safe.

    Raises:
        InvalidTransition: the table has no such move for this actor.
    """
    allowed_for = table.get((from_status, to_status)) or ()
    if actor_role not in ((allowed_for,) if isinstance(allowed_for, str) else allowed_for):
        raise InvalidTransition(_l("This cannot be done now: the status is “%(status)s”.",
                                   status=from_status))
    chosen = select(model.id).where(model.status == from_status, *where).order_by(model.id)
    if limit is not None:
        chosen = chosen.limit(limit).with_for_update(skip_locked=True)
    statement = (update(model).where(model.id.in_(chosen), model.status == from_status)
                 .values(status=to_status, **(also or {})).returning(model.id)
                 .execution_options(synchronize_session=False))
    return list(session.scalars(statement))


def _set_if_still(obj, field: str, from_status: str, to_status: str,
                  also: dict | None = None) -> bool:
    """The compare-and-set: `UPDATE ... SET field = to_status WHERE field = from_status` (and
    the version, for rows that count their changes). True if this request made the change."""
    db.session.flush()  # the request's other changes first, so they are checked too
    model = type(obj)
    condition = [model.id == obj.id, getattr(model, field) == from_status]
    version = inspect(model).version_id_col  # orders also count every change they go through
    if version is not None:
        condition.append(version == getattr(obj, version.key))
    values = {field: to_status, **(also or {})}
    changed = db.session.execute(update(model).where(*condition).values(values)
                                 .execution_options(synchronize_session=False))
    if changed.rowcount != 1:
        return False
    # The row is this request's now. The change goes through the ORM as well, so the session
    # events that follow status changes (shop rows, versions) see it.
    for key, value in values.items():
        setattr(obj, key, value)
    db.session.flush()
    return True


def _refuse_as_changed(obj, field: str):
    """Raises AlreadyChanged, after rolling back, naming the status the row has now."""
    db.session.rollback()
    label = getattr(getattr(obj, f"{field}_enum", None), "label", getattr(obj, field))
    raise AlreadyChanged(_l("Someone else changed this a moment ago: it is now "
                            "“%(status)s”. Nothing more was done.", status=label))
