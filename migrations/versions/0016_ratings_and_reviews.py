"""Ratings and reviews: one review per order line, its photos, reports of it; the count and total
of published ratings on each shop row, for product cards. A review's status has its CHECK.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 16:08:36.170867

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_item_id', sa.Integer(), nullable=False),
    sa.Column('listing_id', sa.Integer(), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('hidden_reason', sa.String(length=20), nullable=True),
    sa.Column('reply_text', sa.Text(), nullable=True),
    sa.Column('replied_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("hidden_reason IS NULL OR hidden_reason IN ('abuse', 'personal_data', 'off_topic')", name=op.f('ck_review_hidden_reason')),
    sa.CheckConstraint("status IN ('published', 'hidden')", name=op.f('ck_review_status')),
    sa.CheckConstraint('rating BETWEEN 1 AND 5', name=op.f('ck_review_rating')),
    sa.ForeignKeyConstraint(['buyer_id'], ['user.id'], name=op.f('fk_review_buyer_id_user')),
    sa.ForeignKeyConstraint(['listing_id'], ['listing.id'], name=op.f('fk_review_listing_id_listing')),
    sa.ForeignKeyConstraint(['order_item_id'], ['order_item.id'], name=op.f('fk_review_order_item_id_order_item')),
    sa.ForeignKeyConstraint(['seller_id'], ['seller.id'], name=op.f('fk_review_seller_id_seller')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review')),
    sa.UniqueConstraint('order_item_id', name=op.f('uq_review_order_item_id'))
    )
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_buyer_id'), ['buyer_id'], unique=False)
        batch_op.create_index('ix_review_listing_newest', ['listing_id', 'status', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_seller_id'), ['seller_id'], unique=False)

    op.create_table('review_photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['review_id'], ['review.id'], name=op.f('fk_review_photo_review_id_review'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_photo'))
    )
    with op.batch_alter_table('review_photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_photo_review_id'), ['review_id'], unique=False)

    op.create_table('review_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("reason IN ('abuse', 'personal_data', 'off_topic')", name=op.f('ck_review_report_reason')),
    sa.ForeignKeyConstraint(['reporter_id'], ['user.id'], name=op.f('fk_review_report_reporter_id_user')),
    sa.ForeignKeyConstraint(['review_id'], ['review.id'], name=op.f('fk_review_report_review_id_review'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_report')),
    sa.UniqueConstraint('review_id', 'reporter_id', name=op.f('uq_review_report_review_id_reporter_id'))
    )
    with op.batch_alter_table('review_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_report_review_id'), ['review_id'], unique=False)

    with op.batch_alter_table('shop_listing', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rating_count', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('rating_total', sa.Integer(), server_default='0', nullable=False))



def downgrade():
    with op.batch_alter_table('shop_listing', schema=None) as batch_op:
        batch_op.drop_column('rating_total')
        batch_op.drop_column('rating_count')

    with op.batch_alter_table('review_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_report_review_id'))

    op.drop_table('review_report')
    with op.batch_alter_table('review_photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_photo_review_id'))

    op.drop_table('review_photo')
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_seller_id'))
        batch_op.drop_index('ix_review_listing_newest')
        batch_op.drop_index(batch_op.f('ix_review_buyer_id'))

    op.drop_table('review')
