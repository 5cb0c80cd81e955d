"""Reference data (states, districts, ODOP products, list versions) and accounts.

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 13:52:02.128493

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reference_list_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_name', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('imported_by', sa.String(length=255), nullable=True),
    sa.Column('added', sa.Integer(), nullable=False),
    sa.Column('changed', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('retired', sa.Integer(), nullable=False),
    sa.Column('rejected', sa.Integer(), nullable=False),
    sa.Column('report', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reference_list_version'))
    )
    with op.batch_alter_table('reference_list_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reference_list_version_sha256'), ['sha256'], unique=False)

    op.create_table('state',
    sa.Column('lgd_code', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('lgd_name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('census2011_code', sa.String(length=8), nullable=True),
    sa.PrimaryKeyConstraint('lgd_code', name=op.f('pk_state'))
    )
    op.create_table('user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('full_name', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('mobile', sa.String(length=10), nullable=True),
    sa.Column('locale', sa.String(length=8), nullable=True),
    sa.Column('email_verified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("role IN ('buyer', 'seller', 'staff', 'admin')", name=op.f('ck_user_role')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user')),
    sa.UniqueConstraint('email', name=op.f('uq_user_email'))
    )
    op.create_table('district',
    sa.Column('lgd_code', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('state_lgd_code', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('lgd_name', sa.String(length=120), nullable=False),
    sa.Column('census2011_code', sa.String(length=8), nullable=True),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['state_lgd_code'], ['state.lgd_code'], name=op.f('fk_district_state_lgd_code_state')),
    sa.PrimaryKeyConstraint('lgd_code', name=op.f('pk_district'))
    )
    with op.batch_alter_table('district', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_district_state_lgd_code'), ['state_lgd_code'], unique=False)

    op.create_table('odop_product',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('district_lgd_code', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('name_key', sa.String(length=255), nullable=False),
    sa.Column('sector', sa.String(length=32), nullable=False),
    sa.Column('rank', sa.String(length=16), nullable=False),
    sa.Column('gi_tagged', sa.Boolean(), nullable=False),
    sa.Column('district_spelling', sa.String(length=120), nullable=False),
    sa.Column('list_version_id', sa.Integer(), nullable=True),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("rank IN ('Primary', 'Secondary', 'Tertiary', 'Others')", name=op.f('ck_odop_product_rank')),
    sa.CheckConstraint("sector IN ('Agriculture', 'Handicraft', 'Handloom', 'Textile', 'Food Processing', 'Dairy', 'Marine', 'Manufacturing', 'Others')", name=op.f('ck_odop_product_sector')),
    sa.ForeignKeyConstraint(['district_lgd_code'], ['district.lgd_code'], name=op.f('fk_odop_product_district_lgd_code_district')),
    sa.ForeignKeyConstraint(['list_version_id'], ['reference_list_version.id'], name=op.f('fk_odop_product_list_version_id_reference_list_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_odop_product')),
    sa.UniqueConstraint('district_lgd_code', 'name_key', name=op.f('uq_odop_product_district_lgd_code_name_key'))
    )
    with op.batch_alter_table('odop_product', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_odop_product_district_lgd_code'), ['district_lgd_code'], unique=False)
        batch_op.create_index('ix_odop_product_sector_active', ['sector', 'retired_at'], unique=False)



def downgrade():
    with op.batch_alter_table('odop_product', schema=None) as batch_op:
        batch_op.drop_index('ix_odop_product_sector_active')
        batch_op.drop_index(batch_op.f('ix_odop_product_district_lgd_code'))

    op.drop_table('odop_product')
    with op.batch_alter_table('district', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_district_state_lgd_code'))

    op.drop_table('district')
    op.drop_table('user')
    op.drop_table('state')
    with op.batch_alter_table('reference_list_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reference_list_version_sha256'))

    op.drop_table('reference_list_version')
