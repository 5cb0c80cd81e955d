"""The listing search index: FTS5 on SQLite, a tsvector with a GIN index on PostgreSQL.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23

The statements are copied here rather than imported, so this revision stays as it was written
whatever later code does. Existing approved listings are indexed by `flask reindex-search`.
"""
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# Devanagari vowel signs and other marks are part of a word.
_MARKS = "".join(chr(code) for start, end in
                 ((0x900, 0x903), (0x93A, 0x94F), (0x951, 0x957), (0x962, 0x963))
                 for code in range(start, end + 1))


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE listing_search USING fts5(title, places, body, "
                   f"tokenize=\"unicode61 remove_diacritics 2 tokenchars '{_MARKS}'\")")
    else:
        op.execute("CREATE TABLE listing_search (listing_id INTEGER PRIMARY KEY "
                   "REFERENCES listing (id) ON DELETE CASCADE, document TSVECTOR NOT NULL)")
        op.execute("CREATE INDEX ix_listing_search_document ON listing_search "
                   "USING GIN (document)")


def downgrade():
    op.execute("DROP TABLE listing_search")
