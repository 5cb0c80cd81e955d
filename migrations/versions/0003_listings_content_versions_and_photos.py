"""Listings, their reviewed content versions, and photos.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 14:41:07.430869

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('listing_content',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('odop_product_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('unit', sa.String(length=10), nullable=False),
    sa.Column('net_quantity_milli', sa.Integer(), nullable=False),
    sa.Column('hsn_code', sa.String(length=8), nullable=True),
    sa.Column('gst_rate', sa.Integer(), nullable=False),
    sa.Column('weight_grams', sa.Integer(), nullable=True),
    sa.Column('length_cm', sa.Integer(), nullable=True),
    sa.Column('width_cm', sa.Integer(), nullable=True),
    sa.Column('height_cm', sa.Integer(), nullable=True),
    sa.Column('country_of_origin', sa.String(length=60), nullable=False),
    sa.Column('prepackaged', sa.Boolean(), nullable=False),
    sa.Column('manufacturer_name', sa.String(length=200), nullable=True),
    sa.Column('manufacturer_address', sa.String(length=400), nullable=True),
    sa.Column('manufactured_month', sa.String(length=7), nullable=True),
    sa.Column('consumer_care', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('gst_rate IN (0, 5, 12, 18, 28)', name=op.f('ck_listing_content_gst_rate')),
    sa.ForeignKeyConstraint(['odop_product_id'], ['odop_product.id'], name=op.f('fk_listing_content_odop_product_id_odop_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_listing_content'))
    )
    with op.batch_alter_table('listing_content', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_listing_content_odop_product_id'), ['odop_product_id'], unique=False)

    op.create_table('listing',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('price_paise', sa.Integer(), nullable=False),
    sa.Column('mrp_paise', sa.Integer(), nullable=False),
    sa.Column('stock', sa.Integer(), nullable=False),
    sa.Column('made_to_order', sa.Boolean(), nullable=False),
    sa.Column('lead_time_days', sa.Integer(), nullable=True),
    sa.Column('live_content_id', sa.Integer(), nullable=True),
    sa.Column('draft_content_id', sa.Integer(), nullable=True),
    sa.Column('review_reasons', sa.String(length=200), nullable=True),
    sa.Column('review_note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('draft', 'submitted', 'approved', 'changes_requested', 'unpublished', 'removed')", name=op.f('ck_listing_status')),
    sa.CheckConstraint('price_paise > 0 AND price_paise <= mrp_paise', name=op.f('ck_listing_price_within_mrp')),
    sa.CheckConstraint('stock >= 0', name=op.f('ck_listing_stock_not_negative')),
    sa.ForeignKeyConstraint(['draft_content_id'], ['listing_content.id'], name=op.f('fk_listing_draft_content_id_listing_content')),
    sa.ForeignKeyConstraint(['live_content_id'], ['listing_content.id'], name=op.f('fk_listing_live_content_id_listing_content')),
    sa.ForeignKeyConstraint(['seller_id'], ['seller.id'], name=op.f('fk_listing_seller_id_seller')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_listing'))
    )
    with op.batch_alter_table('listing', schema=None) as batch_op:
        batch_op.create_index('ix_listing_seller_status', ['seller_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_listing_submitted_at'), ['submitted_at'], unique=False)

    op.create_table('listing_photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('content_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['content_id'], ['listing_content.id'], name=op.f('fk_listing_photo_content_id_listing_content'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_listing_photo'))
    )
    with op.batch_alter_table('listing_photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_listing_photo_content_id'), ['content_id'], unique=False)



def downgrade():
    with op.batch_alter_table('listing_photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_listing_photo_content_id'))

    op.drop_table('listing_photo')
    with op.batch_alter_table('listing', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_listing_submitted_at'))
        batch_op.drop_index('ix_listing_seller_status')

    op.drop_table('listing')
    with op.batch_alter_table('listing_content', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_listing_content_odop_product_id'))

    op.drop_table('listing_content')
