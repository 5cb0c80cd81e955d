"""The listing search index: FTS5 on SQLite, a tsvector with a GIN index on PostgreSQL.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23

The statements are copied here rather than imported, so this revision stays as it was written
whatever later code does. Listings already approved are indexed here too, as the application
would index them (title; product, sector, district and state names; description).
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


_LIVE = ("FROM listing l JOIN listing_content c ON c.id = l.live_content_id "
         "JOIN odop_product p ON p.id = c.odop_product_id "
         "JOIN district d ON d.lgd_code = p.district_lgd_code "
         "JOIN state s ON s.lgd_code = d.state_lgd_code")
_PLACES = ("p.name || ' ' || p.sector || ' ' || d.name || ' ' || d.lgd_name || ' ' || "
           "p.district_spelling || ' ' || s.name")


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE listing_search USING fts5(title, places, body, "
                   f"tokenize=\"unicode61 remove_diacritics 2 tokenchars '{_MARKS}'\")")
        op.execute("INSERT INTO listing_search (rowid, title, places, body) "
                   f"SELECT l.id, c.title, {_PLACES}, c.description {_LIVE}")
    else:
        op.execute("CREATE TABLE listing_search (listing_id INTEGER PRIMARY KEY "
                   "REFERENCES listing (id) ON DELETE CASCADE, document TSVECTOR NOT NULL)")
        op.execute("CREATE INDEX ix_listing_search_document ON listing_search "
                   "USING GIN (document)")
        op.execute("INSERT INTO listing_search (listing_id, document) SELECT l.id, "
                   "setweight(to_tsvector('simple', c.title), 'A') || "
                   f"setweight(to_tsvector('simple', {_PLACES}), 'B') || "
                   f"setweight(to_tsvector('simple', c.description), 'C') {_LIVE}")


def downgrade():
    op.execute("DROP TABLE listing_search")
