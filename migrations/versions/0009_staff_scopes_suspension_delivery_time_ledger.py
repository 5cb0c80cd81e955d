"""Staff scopes (states/districts a reviewer works on), account suspension, the time an order
was delivered, and the seller settlement ledger.

Existing staff keep seeing all of India (all_india true), as they did before scopes existed.
Delivered orders get their delivery time from the audit row of that step.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 17:41:07.179706

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('staff_scope',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('state_lgd_code', sa.Integer(), nullable=True),
    sa.Column('district_lgd_code', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(state_lgd_code IS NULL) <> (district_lgd_code IS NULL)', name=op.f('ck_staff_scope_state_or_district')),
    sa.ForeignKeyConstraint(['district_lgd_code'], ['district.lgd_code'], name=op.f('fk_staff_scope_district_lgd_code_district')),
    sa.ForeignKeyConstraint(['state_lgd_code'], ['state.lgd_code'], name=op.f('fk_staff_scope_state_lgd_code_state')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_staff_scope_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_scope')),
    sa.UniqueConstraint('user_id', 'district_lgd_code', name=op.f('uq_staff_scope_user_id_district_lgd_code')),
    sa.UniqueConstraint('user_id', 'state_lgd_code', name=op.f('uq_staff_scope_user_id_state_lgd_code'))
    )
    with op.batch_alter_table('staff_scope', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_scope_user_id'), ['user_id'], unique=False)

    op.create_table('ledger_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('amount_paise', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('refund_id', sa.Integer(), nullable=True),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('bank_reference', sa.String(length=40), nullable=True),
    sa.Column('corrects_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('sale', 'commission', 'refund', 'payout', 'adjustment')", name=op.f('ck_ledger_entry_kind')),
    sa.CheckConstraint('amount_paise <> 0', name=op.f('ck_ledger_entry_not_zero')),
    sa.ForeignKeyConstraint(['corrects_id'], ['ledger_entry.id'], name=op.f('fk_ledger_entry_corrects_id_ledger_entry')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_ledger_entry_created_by_id_user')),
    sa.ForeignKeyConstraint(['order_id'], ['seller_order.id'], name=op.f('fk_ledger_entry_order_id_seller_order')),
    sa.ForeignKeyConstraint(['refund_id'], ['refund.id'], name=op.f('fk_ledger_entry_refund_id_refund')),
    sa.ForeignKeyConstraint(['seller_id'], ['seller.id'], name=op.f('fk_ledger_entry_seller_id_seller')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_entry')),
    sa.UniqueConstraint('order_id', 'kind', name=op.f('uq_ledger_entry_order_id_kind')),
    sa.UniqueConstraint('refund_id', name=op.f('uq_ledger_entry_refund_id')),
    sa.UniqueConstraint('seller_id', 'bank_reference', name=op.f('uq_ledger_entry_seller_id_bank_reference'))
    )
    with op.batch_alter_table('ledger_entry', schema=None) as batch_op:
        batch_op.create_index('ix_ledger_entry_seller_created', ['seller_id', 'created_at'], unique=False)

    with op.batch_alter_table('seller_order', schema=None) as batch_op:
        batch_op.add_column(sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_seller_order_delivered_at'), ['delivered_at'], unique=False)

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('suspended_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('all_india', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.alter_column('all_india', server_default=None)

    user = sa.table('user', sa.column('role', sa.String), sa.column('all_india', sa.Boolean))
    op.execute(user.update().where(user.c.role.in_(['staff', 'admin'])).values(all_india=True))
    order = sa.table('seller_order', sa.column('id', sa.Integer),
                     sa.column('status', sa.String), sa.column('delivered_at', sa.DateTime))
    audit = sa.table('audit_entry', sa.column('object_type', sa.String),
                     sa.column('object_id', sa.Integer), sa.column('to_status', sa.String),
                     sa.column('created_at', sa.DateTime))
    delivered = (sa.select(sa.func.max(audit.c.created_at))
                 .where(audit.c.object_type == 'order', audit.c.object_id == order.c.id,
                        audit.c.to_status == 'delivered').scalar_subquery())
    op.execute(order.update().where(order.c.status == 'delivered')
               .values(delivered_at=delivered))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('all_india')
        batch_op.drop_column('suspended_at')

    with op.batch_alter_table('seller_order', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seller_order_delivered_at'))
        batch_op.drop_column('delivered_at')

    with op.batch_alter_table('ledger_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_ledger_entry_seller_created')

    op.drop_table('ledger_entry')
    with op.batch_alter_table('staff_scope', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_scope_user_id'))

    op.drop_table('staff_scope')
