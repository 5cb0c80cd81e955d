"""Where a list continues after its last row (keyset paging), for the staff lists the API reads
in pages: the condition on the sort columns that comes after a given row."""

from datetime import datetime

from sqlalchemy import and_, or_


def oldest_first(time_column, id_column) -> tuple:
    """The order of a review queue: who waited longest first (rows without a time, which a
    queue should not have, first on every database)."""
    return time_column.asc().nulls_first(), id_column.asc()


def after_oldest_first(time_column, id_column, after: tuple[datetime | None, int]):
    """Rows after (time, id) in the oldest_first order."""
    when, last_id = after
    if when is None:
        return or_(time_column.is_not(None), and_(time_column.is_(None), id_column > last_id))
    return or_(time_column > when, and_(time_column == when, id_column > last_id))
