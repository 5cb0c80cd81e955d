"""The shop's change log (shop_change) replaces the single shop generation (shop_state).

Every commit that changes what buyers see appends one row naming the pages it made stale, so a
cached page is built again only when something it shows changes (page_versions.py). Workers
read the log from its end when they start: no row is needed for what happened before.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 08:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('shop_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('topics', sa.Text(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shop_change')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('shop_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shop_change_changed_at'), ['changed_at'], unique=False)

    op.drop_table('shop_state')


def downgrade():
    op.create_table('shop_state',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shop_state'))
    )
    op.execute("INSERT INTO shop_state (id, generation) VALUES (1, 1)")

    with op.batch_alter_table('shop_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shop_change_changed_at'))

    op.drop_table('shop_change')
