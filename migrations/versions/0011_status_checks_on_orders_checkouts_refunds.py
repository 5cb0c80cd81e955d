"""Every status column holds only its workflow's values: a CHECK on the seller order's status,
the checkout's state and the refund's status, as the seller, section and listing have had.

The values are written out here, as they are at this revision (models/orders.py: OrderStatus,
CheckoutState, RefundStatus), so that a later change of an enum needs a migration of its own.
No stored row breaks them: the code has only ever written these values.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 06:10:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('checkout', schema=None) as batch_op:
        batch_op.create_check_constraint(
            batch_op.f('ck_checkout_state'),
            "state IN ('awaiting_payment', 'paid', 'cod', 'expired', 'cancelled')")

    with op.batch_alter_table('seller_order', schema=None) as batch_op:
        batch_op.create_check_constraint(
            batch_op.f('ck_seller_order_status'),
            "status IN ('pending_payment', 'paid', 'confirmed', 'accepted', 'packed', 'shipped', "
            "'delivered', 'cancelled', 'refunded')")

    with op.batch_alter_table('refund', schema=None) as batch_op:
        batch_op.create_check_constraint(
            batch_op.f('ck_refund_status'), "status IN ('pending', 'succeeded')")


def downgrade():
    with op.batch_alter_table('refund', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_refund_status'), type_='check')

    with op.batch_alter_table('seller_order', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_seller_order_status'), type_='check')

    with op.batch_alter_table('checkout', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_checkout_state'), type_='check')
