"""Returns after delivery: return_request, return_line, return_photo, and the seller's choice to
take back goods a buyer no longer wants (seller.accepts_change_of_mind).

The CHECK constraints write out the values as they are at this revision (models/returns.py:
ReturnStatus, ReturnReason, Resolution).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 16:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('seller', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accepts_change_of_mind', sa.Boolean(),
                                      server_default=sa.false(), nullable=False))

    op.create_table('return_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('resolution', sa.String(length=10), nullable=False),
    sa.Column('amount_paise', sa.Integer(), nullable=False),
    sa.Column('delivery_paise', sa.Integer(), nullable=False),
    sa.Column('refund_name', sa.String(length=120), nullable=True),
    sa.Column('refund_account', sa.String(length=18), nullable=True),
    sa.Column('refund_ifsc', sa.String(length=11), nullable=True),
    sa.Column('refund_upi', sa.String(length=100), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.Column('pickup_carrier', sa.String(length=80), nullable=True),
    sa.Column('pickup_tracking', sa.String(length=80), nullable=True),
    sa.Column('buyer_sends', sa.Boolean(), nullable=False),
    sa.Column('restocked', sa.Boolean(), nullable=True),
    sa.Column('exchange_carrier', sa.String(length=80), nullable=True),
    sa.Column('exchange_tracking', sa.String(length=80), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint(
        "status IN ('requested', 'accepted', 'refused', 'escalated', 'received', 'refunded', "
        "'exchanged', 'cancelled')", name=op.f('ck_return_request_status')),
    sa.CheckConstraint(
        "reason IN ('damaged', 'defective', 'not_as_described', 'wrong_item', 'late', "
        "'change_of_mind')", name=op.f('ck_return_request_reason')),
    sa.CheckConstraint("resolution IN ('refund', 'exchange')",
                       name=op.f('ck_return_request_resolution')),
    sa.ForeignKeyConstraint(['buyer_id'], ['user.id'],
                            name=op.f('fk_return_request_buyer_id_user')),
    sa.ForeignKeyConstraint(['order_id'], ['seller_order.id'],
                            name=op.f('fk_return_request_order_id_seller_order')),
    sa.ForeignKeyConstraint(['seller_id'], ['seller.id'],
                            name=op.f('fk_return_request_seller_id_seller')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_request'))
    )
    with op.batch_alter_table('return_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_request_buyer_id'), ['buyer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_return_request_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_return_request_seller_id'), ['seller_id'],
                              unique=False)
        batch_op.create_index('ix_return_request_status_created', ['status', 'created_at'],
                              unique=False)

    op.create_table('return_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('return_id', sa.Integer(), nullable=False),
    sa.Column('order_item_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_return_line_quantity_positive')),
    sa.ForeignKeyConstraint(['order_item_id'], ['order_item.id'],
                            name=op.f('fk_return_line_order_item_id_order_item')),
    sa.ForeignKeyConstraint(['return_id'], ['return_request.id'],
                            name=op.f('fk_return_line_return_id_return_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_line'))
    )
    with op.batch_alter_table('return_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_line_order_item_id'), ['order_item_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_return_line_return_id'), ['return_id'], unique=False)

    op.create_table('return_photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('return_id', sa.Integer(), nullable=False),
    sa.Column('storage_key', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['return_id'], ['return_request.id'],
                            name=op.f('fk_return_photo_return_id_return_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_photo'))
    )
    with op.batch_alter_table('return_photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_photo_return_id'), ['return_id'], unique=False)

    # The refund that pays for a return (0013 left it a plain column for this revision).
    with op.batch_alter_table('refund', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_refund_return_id_return_request'),
                                    'return_request', ['return_id'], ['id'])


def downgrade():
    with op.batch_alter_table('refund', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_refund_return_id_return_request'),
                                 type_='foreignkey')
    with op.batch_alter_table('return_photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_return_photo_return_id'))
    op.drop_table('return_photo')
    with op.batch_alter_table('return_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_return_line_return_id'))
        batch_op.drop_index(batch_op.f('ix_return_line_order_item_id'))
    op.drop_table('return_line')
    with op.batch_alter_table('return_request', schema=None) as batch_op:
        batch_op.drop_index('ix_return_request_status_created')
        batch_op.drop_index(batch_op.f('ix_return_request_seller_id'))
        batch_op.drop_index(batch_op.f('ix_return_request_order_id'))
        batch_op.drop_index(batch_op.f('ix_return_request_buyer_id'))
    op.drop_table('return_request')
    with op.batch_alter_table('seller', schema=None) as batch_op:
        batch_op.drop_column('accepts_change_of_mind')
