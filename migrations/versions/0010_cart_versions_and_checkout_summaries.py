"""Carts count their changes, and a checkout keeps the summary it was placed from, so that one
summary makes one order however often "Place order" is pressed (services/orders/checkout.py).

Existing carts start at version 0 and existing checkouts have no summary: a repeat of a summary
shown before this upgrade is refused as "changed" rather than matched to an earlier order.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 18:23:58.342503

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cart', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('placing_fingerprint', sa.String(length=32), nullable=True))

    with op.batch_alter_table('checkout', schema=None) as batch_op:
        batch_op.add_column(sa.Column('summary_fingerprint', sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_checkout_buyer_id_summary_fingerprint'), ['buyer_id', 'summary_fingerprint'])



def downgrade():
    with op.batch_alter_table('checkout', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_checkout_buyer_id_summary_fingerprint'), type_='unique')
        batch_op.drop_column('summary_fingerprint')

    with op.batch_alter_table('cart', schema=None) as batch_op:
        batch_op.drop_column('placing_fingerprint')
        batch_op.drop_column('version')

