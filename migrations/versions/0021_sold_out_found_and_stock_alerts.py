"""Sold-out listings stay findable, and buyers may ask to be told when one is back:

- `stock_alert`: a buyer's "tell me when it is back" on a listing;
- `shop_listing` also holds the sold-out listings on the shop (list pages show only those for
  sale; search finds and marks the others): their rows are added here;
- the search documents gain the sound keys of their words (search across scripts): a fourth
  FTS5 column on SQLite, weight D of the tsvector on PostgreSQL. Every document is written again.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05 07:10:00

The SQL is copied here rather than imported, so this revision stays as it was written; the sound
keys are worked out by the application's own pure function (word_forms.py): `flask
reindex-search` writes them again if that ever changes.
"""
from alembic import op
import sqlalchemy as sa

from odop_bazaar.services.catalogue import word_forms
from odop_bazaar.services.catalogue.search_index import words_of


revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

_MARKS = "".join(chr(code) for start, end in
                 ((0x900, 0x903), (0x93A, 0x94F), (0x951, 0x957), (0x962, 0x963))
                 for code in range(start, end + 1))
_FTS5 = ("CREATE VIRTUAL TABLE listing_search USING fts5(title, places, body{sounds}, "
         f"tokenize=\"unicode61 remove_diacritics 2 tokenchars '{_MARKS}'\")")
_LIVE = ("FROM listing l JOIN listing_content c ON c.id = l.live_content_id "
         "JOIN odop_product p ON p.id = c.odop_product_id "
         "JOIN district d ON d.lgd_code = p.district_lgd_code "
         "JOIN state s ON s.lgd_code = d.state_lgd_code")
_TEXTS = ("SELECT l.id, c.title || ' ' || coalesce(c.title_hi, ''), "
          "p.name || ' ' || coalesce(p.name_hi, '') || ' ' || p.sector || ' ' || d.name || "
          "' ' || coalesce(d.name_hi, '') || ' ' || d.lgd_name || ' ' || "
          "p.district_spelling || ' ' || s.name || ' ' || coalesce(s.name_hi, ''), "
          "c.description || ' ' || coalesce(c.description_hi, '') " + _LIVE)
_SOLD_OUT_ROWS = """
INSERT INTO shop_listing (listing_id, seller_id, odop_product_id, title, title_hi, price_paise,
    mrp_paise, made_to_order, in_stock, product_name, product_name_hi, sector, gi_tagged,
    district_lgd_code, district_name, district_name_hi, state_lgd_code, seller_name,
    cover_digest, cover_width, cover_height, first_approved_at, approved_at, rating_count,
    rating_total)
SELECT l.id, l.seller_id, c.odop_product_id, c.title, c.title_hi, l.price_paise, l.mrp_paise,
    l.made_to_order, l.stock > 0, p.name, p.name_hi, p.sector, p.gi_tagged, d.lgd_code, d.name,
    d.name_hi, d.state_lgd_code, coalesce(sl.display_name, sl.legal_name, ''), ph.digest,
    ph.width, ph.height, coalesce(l.first_approved_at, l.approved_at), l.approved_at,
    (SELECT count(r.id) FROM review r WHERE r.listing_id = l.id AND r.status = 'published'),
    (SELECT coalesce(sum(r.rating), 0) FROM review r
     WHERE r.listing_id = l.id AND r.status = 'published')
FROM listing l JOIN listing_content c ON c.id = l.live_content_id
JOIN odop_product p ON p.id = c.odop_product_id
JOIN district d ON d.lgd_code = p.district_lgd_code
JOIN seller sl ON sl.id = l.seller_id
LEFT OUTER JOIN listing_photo ph ON ph.content_id = c.id AND ph.position = 0
    AND ph.status = 'ready'
WHERE l.status IN ('approved', 'submitted', 'changes_requested') AND sl.status = 'approved'
    AND l.id NOT IN (SELECT listing_id FROM shop_listing)
"""


def upgrade():
    op.create_table(
        "stock_alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("told_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["listing_id"], ["listing.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("listing_id", "user_id", name="uq_stock_alert_listing_user"),
    )
    with op.batch_alter_table("stock_alert", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stock_alert_user_id"), ["user_id"], unique=False)
    op.execute(_SOLD_OUT_ROWS)
    _write_documents(with_sounds=True)


def _write_documents(*, with_sounds: bool) -> None:
    connection = op.get_bind()
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        op.execute("DROP TABLE listing_search")
        op.execute(_FTS5.format(sounds=", sounds" if with_sounds else ""))
    else:
        op.execute("DELETE FROM listing_search")
    documents = [{"id": row[0], "title": row[1], "places": row[2], "body": row[3],
                  "sounds": word_forms.document_keys(words_of(" ".join(row[1:4])))
                  if with_sounds else ""}
                 for row in connection.execute(sa.text(_TEXTS))]
    if not documents:
        return
    if sqlite:
        columns = "rowid, title, places, body" + (", sounds" if with_sounds else "")
        values = ":id, :title, :places, :body" + (", :sounds" if with_sounds else "")
        statement = f"INSERT INTO listing_search ({columns}) VALUES ({values})"
    else:
        statement = ("INSERT INTO listing_search (listing_id, document) VALUES (:id, "
                     "setweight(to_tsvector('simple', :title), 'A') || "
                     "setweight(to_tsvector('simple', :places), 'B') || "
                     "setweight(to_tsvector('simple', :body), 'C') || "
                     "setweight(to_tsvector('simple', :sounds), 'D'))")
    connection.execute(sa.text(statement), documents)


def downgrade():
    _write_documents(with_sounds=False)
    op.execute("DELETE FROM shop_listing WHERE NOT in_stock AND NOT made_to_order")
    with op.batch_alter_table("stock_alert", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stock_alert_user_id"))
    op.drop_table("stock_alert")
