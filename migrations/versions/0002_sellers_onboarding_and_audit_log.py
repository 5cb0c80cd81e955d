"""Sellers, their onboarding sections and documents, and the audit log.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 14:12:11.331942

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('object_type', sa.String(length=40), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('from_status', sa.String(length=40), nullable=True),
    sa.Column('to_status', sa.String(length=40), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_audit_entry_actor_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry'))
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entry_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_audit_entry_object', ['object_type', 'object_id'], unique=False)

    op.create_table('seller',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('seller_type', sa.String(length=20), nullable=True),
    sa.Column('state_lgd_code', sa.Integer(), nullable=True),
    sa.Column('district_lgd_code', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('legal_name', sa.String(length=200), nullable=True),
    sa.Column('display_name', sa.String(length=120), nullable=True),
    sa.Column('year_started', sa.Integer(), nullable=True),
    sa.Column('story', sa.Text(), nullable=True),
    sa.Column('languages', sa.String(length=200), nullable=True),
    sa.Column('grievance_name', sa.String(length=120), nullable=True),
    sa.Column('grievance_phone', sa.String(length=10), nullable=True),
    sa.Column('grievance_email', sa.String(length=254), nullable=True),
    sa.Column('pan', sa.String(length=10), nullable=True),
    sa.Column('pan_name', sa.String(length=120), nullable=True),
    sa.Column('aadhaar_last4', sa.String(length=4), nullable=True),
    sa.Column('aadhaar_entered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('udyam_number', sa.String(length=19), nullable=True),
    sa.Column('gst_mode', sa.String(length=12), nullable=True),
    sa.Column('gstin', sa.String(length=15), nullable=True),
    sa.Column('gst_exemption', sa.String(length=20), nullable=True),
    sa.Column('gst_enrolment_id', sa.String(length=20), nullable=True),
    sa.Column('bank_holder_name', sa.String(length=120), nullable=True),
    sa.Column('bank_account_number', sa.String(length=18), nullable=True),
    sa.Column('bank_ifsc', sa.String(length=11), nullable=True),
    sa.Column('address_line1', sa.String(length=200), nullable=True),
    sa.Column('address_line2', sa.String(length=200), nullable=True),
    sa.Column('address_city', sa.String(length=120), nullable=True),
    sa.Column('address_pin', sa.String(length=6), nullable=True),
    sa.Column('sells_processed_food', sa.Boolean(), nullable=True),
    sa.Column('fssai_number', sa.String(length=14), nullable=True),
    sa.Column('terms_accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('terms_version', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['district_lgd_code'], ['district.lgd_code'], name=op.f('fk_seller_district_lgd_code_district')),
    sa.ForeignKeyConstraint(['state_lgd_code'], ['state.lgd_code'], name=op.f('fk_seller_state_lgd_code_state')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_seller_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seller')),
    sa.CheckConstraint("status IN ('draft', 'submitted', 'in_review', 'approved', 'changes_requested', 'suspended')", name=op.f('ck_seller_status')),
    sa.UniqueConstraint('user_id', name=op.f('uq_seller_user_id'))
    )
    with op.batch_alter_table('seller', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seller_district_lgd_code'), ['district_lgd_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_seller_state_lgd_code'), ['state_lgd_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_seller_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_seller_submitted_at'), ['submitted_at'], unique=False)

    op.create_table('seller_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('storage_key', sa.String(length=80), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['seller_id'], ['seller.id'], name=op.f('fk_seller_document_seller_id_seller'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seller_document')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_seller_document_storage_key'))
    )
    with op.batch_alter_table('seller_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seller_document_seller_id'), ['seller_id'], unique=False)

    op.create_table('seller_product',
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('odop_product_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['odop_product_id'], ['odop_product.id'], name=op.f('fk_seller_product_odop_product_id_odop_product')),
    sa.ForeignKeyConstraint(['seller_id'], ['seller.id'], name=op.f('fk_seller_product_seller_id_seller'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('seller_id', 'odop_product_id', name=op.f('pk_seller_product'))
    )
    op.create_table('seller_section',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reviewer_note', sa.Text(), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['user.id'], name=op.f('fk_seller_section_reviewed_by_id_user')),
    sa.ForeignKeyConstraint(['seller_id'], ['seller.id'], name=op.f('fk_seller_section_seller_id_seller'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seller_section')),
    sa.CheckConstraint("status IN ('not_started', 'in_progress', 'submitted', 'verified', 'needs_changes')", name=op.f('ck_seller_section_status')),
    sa.UniqueConstraint('seller_id', 'key', name=op.f('uq_seller_section_seller_id_key'))
    )
    with op.batch_alter_table('seller_section', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seller_section_seller_id'), ['seller_id'], unique=False)



def downgrade():
    with op.batch_alter_table('seller_section', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seller_section_seller_id'))

    op.drop_table('seller_section')
    op.drop_table('seller_product')
    with op.batch_alter_table('seller_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seller_document_seller_id'))

    op.drop_table('seller_document')
    with op.batch_alter_table('seller', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seller_submitted_at'))
        batch_op.drop_index(batch_op.f('ix_seller_status'))
        batch_op.drop_index(batch_op.f('ix_seller_state_lgd_code'))
        batch_op.drop_index(batch_op.f('ix_seller_district_lgd_code'))

    op.drop_table('seller')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entry_object')
        batch_op.drop_index(batch_op.f('ix_audit_entry_created_at'))
        batch_op.drop_index(batch_op.f('ix_audit_entry_actor_id'))

    op.drop_table('audit_entry')
