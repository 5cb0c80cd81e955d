"""Hindi: the reference data's Hindi names (states, districts, ODOP products), a listing's
title and description in Hindi beside English, and the same Hindi names copied into the shop's
read model so that cards and search show them without a join.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 00:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

# (table, column, type): every column is optional, so existing rows need no value.
_COLUMNS = (
    ("state", "name_hi", sa.String(length=120)),
    ("district", "name_hi", sa.String(length=120)),
    ("odop_product", "name_hi", sa.String(length=255)),
    ("listing_content", "title_hi", sa.String(length=120)),
    ("listing_content", "description_hi", sa.Text()),
    ("shop_listing", "title_hi", sa.String(length=120)),
    ("shop_listing", "product_name_hi", sa.String(length=255)),
    ("shop_listing", "district_name_hi", sa.String(length=120)),
)


def upgrade():
    for table, column, column_type in _COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column(column, column_type, nullable=True))


def downgrade():
    for table, column, _type in reversed(_COLUMNS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column(column)
