"""When each listing first went on the shop, so "newest" is not reset by every approved edit.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 15:25:02.178191

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('listing', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_approved_at', sa.DateTime(timezone=True), nullable=True))
    # Until now the last approval is all we know.
    op.execute("UPDATE listing SET first_approved_at = approved_at")
    with op.batch_alter_table('listing', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_listing_first_approved_at'), ['first_approved_at'], unique=False)



def downgrade():
    with op.batch_alter_table('listing', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_listing_first_approved_at'))
        batch_op.drop_column('first_approved_at')

