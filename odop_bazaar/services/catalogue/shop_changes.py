"""The shop's change log (models/shop.py: ShopChange): which buyer pages a commit made stale.

shop_listings.py works out, as a unit of work commits, the topics its change touched (a listing's
product page, its district, state and sector pages, the home page when it is among the newest,
searches) and notes them here; `write_noted` appends one row with them, in the same transaction.
Every worker reads the rows after the last one it has seen (page_versions.py) and keys each
cached page on the versions of the topics that page shows.

Readers rely on the ids becoming visible in id order: a reader that has seen id 11 never asks
for 10 again. SQLite has one writer at a time, so it holds there by itself. On PostgreSQL two
transactions may take ids 10 and 11 and commit 11 first, so the row is written last, just before
COMMIT, under a transaction-scoped advisory lock: commits that changed the shop pass that point
one at a time, each for the length of one INSERT and its COMMIT, and no row is updated by all of
them (unlike the single shop generation this log replaced).
"""

from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.orm import Session

from odop_bazaar.db_types import utcnow
from odop_bazaar.extensions import db
from odop_bazaar.models.shop import ShopChange

_NOTED = "shop_changes.noted"
# Any constant the rest of the code does not use for an advisory lock ("shop" in ASCII).
_LOG_LOCK = 0x73686F70
# Old rows are pruned by the writer whose row id is a multiple of this (and by the command).
PRUNE_EVERY = 1000


def note(session: Session, topics) -> None:
    """Remember topics this unit of work changed; written when it commits."""
    session.info.setdefault(_NOTED, set()).update(topics)


def noted(session: Session) -> set[str]:
    """The topics noted so far in this unit of work."""
    return session.info.get(_NOTED, set())


def forget_noted(session: Session) -> None:
    """The unit of work was rolled back: nothing it noted happened."""
    session.info.pop(_NOTED, None)


def write_noted(session: Session) -> bool:
    """Append the noted topics to the log, in this transaction; whether there were any.

    Call it last before COMMIT (shop_listings' before_commit hook does): on PostgreSQL it takes
    the log's lock, which is held until the transaction ends.
    """
    topics = session.info.pop(_NOTED, None)
    if not topics:
        return False
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOG_LOCK})
    change_id = session.scalar(insert(ShopChange).values(
        topics=" ".join(sorted(topics)), changed_at=utcnow()).returning(ShopChange.id))
    if change_id % PRUNE_EVERY == 0:
        prune(session)
    return True


def prune(session: Session | None = None) -> int:
    """Delete rows older than SHOP_CHANGES_KEEP_SECONDS but the last; how many. Does not commit.

    A worker that has not read the log for half that time starts again from its end
    (page_versions.py), so it never misses a pruned row. The last row stays: a worker starting
    on an empty log would take 0 for its baseline, a version pages were cached under before.
    """
    session = session or db.session
    keep = timedelta(seconds=current_app.config["SHOP_CHANGES_KEEP_SECONDS"])
    last = select(func.max(ShopChange.id)).scalar_subquery()
    return session.execute(delete(ShopChange).where(
        ShopChange.changed_at < utcnow() - keep, ShopChange.id < last)).rowcount
