"""SQLite, the first-run database: readers and a writer at once (write-ahead log).

In SQLite's default rollback-journal mode a write waits for every reader to finish and every
reader waits for the write: under a benchmark's traffic a staff approval waited five seconds,
failed with "database is locked", and a buyer's page answered 500. With the write-ahead log,
readers see the last commit while a writer works; writers still take turns, waiting up to
busy_timeout for each other. PostgreSQL needs none of this.
"""

from sqlalchemy import event
from sqlalchemy.engine import Engine

BUSY_TIMEOUT_MS = 15_000


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    if type(dbapi_connection).__module__.split(".")[0] not in ("sqlite3", "pysqlite2"):
        return
    cursor = dbapi_connection.cursor()
    # WAL is kept in the database file (an in-memory database answers "memory" and stays as it is).
    cursor.execute("PRAGMA journal_mode=WAL")
    # Safe with WAL: a power cut may lose the last commits, never corrupt the file.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()
