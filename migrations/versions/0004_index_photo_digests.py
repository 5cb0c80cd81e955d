"""Index listing photos by digest: the media route and file clean-up look them up by it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 14:56:45.786474

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('listing_photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_listing_photo_digest'), ['digest'], unique=False)



def downgrade():
    with op.batch_alter_table('listing_photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_listing_photo_digest'))

