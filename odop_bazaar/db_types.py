"""Column helpers shared by the model modules."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """The current time in UTC, timezone-aware."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware.

    SQLite keeps no zone, so a value read from it would otherwise come back naive.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("timestamps must be timezone-aware")
            value = value.astimezone(UTC)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def render_alembic_item(type_, obj, autogen_context):
    """Write our column types into migrations as plain SQLAlchemy types, importable anywhere."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


# Tables the search index adds that the models do not describe (FTS5 keeps shadow tables).
SEARCH_INDEX_TABLES = {"listing_search", "listing_search_data", "listing_search_idx",
                       "listing_search_content", "listing_search_docsize",
                       "listing_search_config"}


def include_in_migrations(name, type_, parent_names) -> bool:
    """Alembic filter: the search index is created by its migration, not from the models."""
    return not (type_ == "table" and name in SEARCH_INDEX_TABLES)


INDIA = ZoneInfo("Asia/Kolkata")


def today_in_india() -> date:
    """Today's date in India (dates people type and read are Indian dates)."""
    return datetime.now(INDIA).date()
