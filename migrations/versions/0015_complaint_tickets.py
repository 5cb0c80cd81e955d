"""Complaint tickets and their replies: the grievance officer's work under the Consumer
Protection (E-Commerce) Rules 2020 (acknowledge within 48 hours, resolve within one month).

A ticket is about exactly one order, listing or payout (a CHECK says so); its status, its
opener's role and its category hold only the values written out here, as they are at this
revision (models/complaints.py). A complaint about an order may also name one of its returns.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 15:46:31.973883

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('complaint',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=16), nullable=False),
    sa.Column('opener_id', sa.Integer(), nullable=False),
    sa.Column('opener_role', sa.String(length=10), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=True),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('listing_id', sa.Integer(), nullable=True),
    sa.Column('payout_id', sa.Integer(), nullable=True),
    sa.Column('return_id', sa.Integer(), nullable=True),
    sa.Column('category', sa.String(length=24), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('submission_key', sa.String(length=40), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('acknowledge_due', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolve_due', sa.DateTime(timezone=True), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolution', sa.Text(), nullable=True),
    sa.CheckConstraint("category IN ('not_delivered', 'damaged', 'not_as_described', 'wrong_item', 'refund', 'misleading_listing', 'seller_conduct', 'payout_missing', 'payout_amount', 'order_problem', 'buyer_conduct', 'other')", name=op.f('ck_complaint_category')),
    sa.CheckConstraint("opener_role IN ('buyer', 'seller')", name=op.f('ck_complaint_opener_role')),
    sa.CheckConstraint("status IN ('open', 'acknowledged', 'resolved', 'reopened')", name=op.f('ck_complaint_status')),
    sa.CheckConstraint('(CASE WHEN order_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN listing_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN payout_id IS NULL THEN 0 ELSE 1 END) = 1', name=op.f('ck_complaint_one_subject')),
    sa.ForeignKeyConstraint(['listing_id'], ['listing.id'], name=op.f('fk_complaint_listing_id_listing')),
    sa.ForeignKeyConstraint(['opener_id'], ['user.id'], name=op.f('fk_complaint_opener_id_user')),
    sa.ForeignKeyConstraint(['order_id'], ['seller_order.id'], name=op.f('fk_complaint_order_id_seller_order')),
    sa.ForeignKeyConstraint(['return_id'], ['return_request.id'], name=op.f('fk_complaint_return_id_return_request')),
    sa.ForeignKeyConstraint(['payout_id'], ['ledger_entry.id'], name=op.f('fk_complaint_payout_id_ledger_entry')),
    sa.ForeignKeyConstraint(['seller_id'], ['seller.id'], name=op.f('fk_complaint_seller_id_seller')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint')),
    sa.UniqueConstraint('opener_id', 'submission_key', name=op.f('uq_complaint_opener_id_submission_key')),
    sa.UniqueConstraint('reference', name=op.f('uq_complaint_reference'))
    )
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_listing_id'), ['listing_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_opener_id'), ['opener_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_payout_id'), ['payout_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_seller_id'), ['seller_id'], unique=False)
        batch_op.create_index('ix_complaint_status_due', ['status', 'resolve_due'], unique=False)

    op.create_table('complaint_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('from_staff', sa.Boolean(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_complaint_message_author_id_user')),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaint.id'], name=op.f('fk_complaint_message_complaint_id_complaint')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_message'))
    )
    with op.batch_alter_table('complaint_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_message_complaint_id'), ['complaint_id'], unique=False)



def downgrade():
    with op.batch_alter_table('complaint_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_message_complaint_id'))

    op.drop_table('complaint_message')
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.drop_index('ix_complaint_status_due')
        batch_op.drop_index(batch_op.f('ix_complaint_seller_id'))
        batch_op.drop_index(batch_op.f('ix_complaint_payout_id'))
        batch_op.drop_index(batch_op.f('ix_complaint_order_id'))
        batch_op.drop_index(batch_op.f('ix_complaint_opener_id'))
        batch_op.drop_index(batch_op.f('ix_complaint_listing_id'))

    op.drop_table('complaint')
