"""Listing photos processed in the background: each photo's status (processing, ready,
failed) with its CHECK, why it failed, and the private key of its original while it waits.
Photos already stored are ready.

Revision ID: 0018
Revises: 0016 (the lead re-chains it after 0017 at merge)
Create Date: 2026-12-04 20:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('listing_photo', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=20), server_default='ready',
                                      nullable=False))
        batch_op.add_column(sa.Column('failure', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('original_key', sa.String(length=120), nullable=True))
        batch_op.create_check_constraint(batch_op.f('ck_listing_photo_status'),
                                         "status IN ('processing', 'ready', 'failed')")
        batch_op.create_check_constraint(
            batch_op.f('ck_listing_photo_failure'),
            "failure IS NULL OR failure IN ('empty', 'too_big', 'not_image', 'damaged', "
            "'too_many_pixels', 'animated', 'too_small')")


def downgrade():
    # Photos not yet processed have no files to show: they go with the columns.
    op.execute("DELETE FROM listing_photo WHERE status <> 'ready'")
    with op.batch_alter_table('listing_photo', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_listing_photo_failure'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_listing_photo_status'), type_='check')
        batch_op.drop_column('original_key')
        batch_op.drop_column('failure')
        batch_op.drop_column('status')
