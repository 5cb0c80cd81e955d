"""Carts, checkouts, seller orders, order items, payments, refunds, webhook events, settings.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 16:27:10.511934

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('processed_event',
    sa.Column('event_id', sa.String(length=80), nullable=False),
    sa.Column('event_type', sa.String(length=60), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_processed_event'))
    )
    op.create_table('cart',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_cart_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cart')),
    sa.UniqueConstraint('user_id', name=op.f('uq_cart_user_id'))
    )
    op.create_table('checkout',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=20), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('payment_method', sa.String(length=10), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('items_paise', sa.Integer(), nullable=False),
    sa.Column('delivery_paise', sa.Integer(), nullable=False),
    sa.Column('total_paise', sa.Integer(), nullable=False),
    sa.Column('delivery_name', sa.String(length=120), nullable=False),
    sa.Column('delivery_phone', sa.String(length=15), nullable=False),
    sa.Column('delivery_line1', sa.String(length=200), nullable=False),
    sa.Column('delivery_line2', sa.String(length=200), nullable=True),
    sa.Column('delivery_city', sa.String(length=80), nullable=False),
    sa.Column('delivery_state_lgd_code', sa.Integer(), nullable=False),
    sa.Column('delivery_pin', sa.String(length=6), nullable=False),
    sa.Column('stripe_payment_intent_id', sa.String(length=80), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('paid_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['buyer_id'], ['user.id'], name=op.f('fk_checkout_buyer_id_user')),
    sa.ForeignKeyConstraint(['delivery_state_lgd_code'], ['state.lgd_code'], name=op.f('fk_checkout_delivery_state_lgd_code_state')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkout')),
    sa.UniqueConstraint('reference', name=op.f('uq_checkout_reference')),
    sa.UniqueConstraint('stripe_payment_intent_id', name=op.f('uq_checkout_stripe_payment_intent_id'))
    )
    with op.batch_alter_table('checkout', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checkout_buyer_id'), ['buyer_id'], unique=False)
        batch_op.create_index('ix_checkout_state_expires', ['state', 'expires_at'], unique=False)

    op.create_table('marketplace_setting',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_marketplace_setting_updated_by_id_user')),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_marketplace_setting'))
    )
    op.create_table('payment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('checkout_id', sa.Integer(), nullable=False),
    sa.Column('provider', sa.String(length=10), nullable=False),
    sa.Column('provider_reference', sa.String(length=80), nullable=False),
    sa.Column('amount_paise', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['checkout_id'], ['checkout.id'], name=op.f('fk_payment_checkout_id_checkout')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment')),
    sa.UniqueConstraint('checkout_id', name=op.f('uq_payment_checkout_id')),
    sa.UniqueConstraint('provider_reference', name=op.f('uq_payment_provider_reference'))
    )
    op.create_table('seller_order',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=24), nullable=False),
    sa.Column('checkout_id', sa.Integer(), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('items_paise', sa.Integer(), nullable=False),
    sa.Column('taxable_paise', sa.Integer(), nullable=False),
    sa.Column('gst_paise', sa.Integer(), nullable=False),
    sa.Column('delivery_paise', sa.Integer(), nullable=False),
    sa.Column('total_paise', sa.Integer(), nullable=False),
    sa.Column('seller_legal_name', sa.String(length=200), nullable=False),
    sa.Column('seller_address', sa.Text(), nullable=False),
    sa.Column('seller_state_lgd_code', sa.Integer(), nullable=True),
    sa.Column('seller_gstin', sa.String(length=15), nullable=True),
    sa.Column('carrier', sa.String(length=80), nullable=True),
    sa.Column('tracking_number', sa.String(length=80), nullable=True),
    sa.Column('cancel_reason', sa.Text(), nullable=True),
    sa.Column('cancelled_by', sa.String(length=10), nullable=True),
    sa.Column('stock_released', sa.Boolean(), nullable=False),
    sa.Column('refunded_paise', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('placed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['buyer_id'], ['user.id'], name=op.f('fk_seller_order_buyer_id_user')),
    sa.ForeignKeyConstraint(['checkout_id'], ['checkout.id'], name=op.f('fk_seller_order_checkout_id_checkout')),
    sa.ForeignKeyConstraint(['seller_id'], ['seller.id'], name=op.f('fk_seller_order_seller_id_seller')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seller_order')),
    sa.UniqueConstraint('reference', name=op.f('uq_seller_order_reference'))
    )
    with op.batch_alter_table('seller_order', schema=None) as batch_op:
        batch_op.create_index('ix_order_seller_placed', ['seller_id', 'placed_at'], unique=False)
        batch_op.create_index('ix_order_status_placed', ['status', 'placed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_seller_order_buyer_id'), ['buyer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_seller_order_checkout_id'), ['checkout_id'], unique=False)

    op.create_table('refund',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('amount_paise', sa.Integer(), nullable=False),
    sa.Column('provider_reference', sa.String(length=80), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('idempotency_key', sa.String(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['seller_order.id'], name=op.f('fk_refund_order_id_seller_order')),
    sa.ForeignKeyConstraint(['payment_id'], ['payment.id'], name=op.f('fk_refund_payment_id_payment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refund')),
    sa.UniqueConstraint('order_id', name=op.f('uq_refund_order_id')),
    sa.UniqueConstraint('provider_reference', name=op.f('uq_refund_provider_reference'))
    )
    with op.batch_alter_table('refund', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refund_payment_id'), ['payment_id'], unique=False)

    op.create_table('cart_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cart_id', sa.Integer(), nullable=False),
    sa.Column('listing_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_cart_item_quantity_positive')),
    sa.ForeignKeyConstraint(['cart_id'], ['cart.id'], name=op.f('fk_cart_item_cart_id_cart'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['listing_id'], ['listing.id'], name=op.f('fk_cart_item_listing_id_listing'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cart_item')),
    sa.UniqueConstraint('cart_id', 'listing_id', name=op.f('uq_cart_item_cart_id_listing_id'))
    )
    with op.batch_alter_table('cart_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cart_item_listing_id'), ['listing_id'], unique=False)

    op.create_table('order_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('listing_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('hsn_code', sa.String(length=8), nullable=True),
    sa.Column('gst_rate', sa.Integer(), nullable=False),
    sa.Column('unit_price_paise', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('from_stock', sa.Boolean(), nullable=False),
    sa.Column('taxable_paise', sa.Integer(), nullable=False),
    sa.Column('gst_paise', sa.Integer(), nullable=False),
    sa.Column('total_paise', sa.Integer(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_order_item_quantity_positive')),
    sa.ForeignKeyConstraint(['listing_id'], ['listing.id'], name=op.f('fk_order_item_listing_id_listing')),
    sa.ForeignKeyConstraint(['order_id'], ['seller_order.id'], name=op.f('fk_order_item_order_id_seller_order')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_item'))
    )
    with op.batch_alter_table('order_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_item_listing_id'), ['listing_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_order_item_order_id'), ['order_id'], unique=False)



def downgrade():
    with op.batch_alter_table('order_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_item_order_id'))
        batch_op.drop_index(batch_op.f('ix_order_item_listing_id'))

    op.drop_table('order_item')
    with op.batch_alter_table('cart_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cart_item_listing_id'))

    op.drop_table('cart_item')
    with op.batch_alter_table('refund', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refund_payment_id'))

    op.drop_table('refund')
    with op.batch_alter_table('seller_order', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seller_order_checkout_id'))
        batch_op.drop_index(batch_op.f('ix_seller_order_buyer_id'))
        batch_op.drop_index('ix_order_status_placed')
        batch_op.drop_index('ix_order_seller_placed')

    op.drop_table('seller_order')
    op.drop_table('payment')
    op.drop_table('marketplace_setting')
    with op.batch_alter_table('checkout', schema=None) as batch_op:
        batch_op.drop_index('ix_checkout_state_expires')
        batch_op.drop_index(batch_op.f('ix_checkout_buyer_id'))

    op.drop_table('checkout')
    op.drop_table('cart')
    op.drop_table('processed_event')
