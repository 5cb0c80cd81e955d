"""Partial refunds, by card or by bank/UPI transfer.

An order may now have several refunds (parts of it returned), so refund.order_id is no longer
unique; a bank refund has no card payment (payment_id nullable) nor Stripe key. New: the method,
the return it pays for, the reason, the payee's account or UPI id, and the transfer staff
recorded; a status for bank refunds waiting to be paid. Refunds already made succeeded when
they were written (succeeded_at = created_at), as the ledger's debits assumed until now.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 16:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('refund', schema=None) as batch_op:
        batch_op.add_column(sa.Column('method', sa.String(length=10), server_default='card',
                                      nullable=False))
        batch_op.add_column(sa.Column('return_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reason', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('payee_name', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('payee_account_number', sa.String(length=18),
                                      nullable=True))
        batch_op.add_column(sa.Column('payee_ifsc', sa.String(length=11), nullable=True))
        batch_op.add_column(sa.Column('payee_upi_id', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('paid_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('payment_reference', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('paid_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('created_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('succeeded_at', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.alter_column('payment_id', existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column('idempotency_key', existing_type=sa.String(length=60),
                              nullable=True)
        batch_op.drop_constraint(batch_op.f('uq_refund_order_id'), type_='unique')
        batch_op.create_index(batch_op.f('ix_refund_order_id'), ['order_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_refund_return_id'), ['return_id'])
        batch_op.create_foreign_key(batch_op.f('fk_refund_paid_by_id_user'), 'user',
                                    ['paid_by_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_refund_created_by_id_user'), 'user',
                                    ['created_by_id'], ['id'])
        batch_op.drop_constraint(batch_op.f('ck_refund_status'), type_='check')
        batch_op.create_check_constraint(
            batch_op.f('ck_refund_status'),
            "status IN ('pending', 'awaiting_transfer', 'succeeded')")
        batch_op.create_check_constraint(batch_op.f('ck_refund_method'),
                                         "method IN ('card', 'bank')")
        batch_op.create_check_constraint(batch_op.f('ck_refund_amount_positive'),
                                         "amount_paise > 0")
    op.execute("UPDATE refund SET succeeded_at = created_at WHERE status = 'succeeded'")


def downgrade():
    # Bank refunds and the second and later refunds of an order have no place in the old table.
    op.execute("DELETE FROM ledger_entry WHERE refund_id IN (SELECT id FROM refund WHERE "
               "method = 'bank' OR id NOT IN (SELECT MIN(id) FROM refund GROUP BY order_id))")
    op.execute("DELETE FROM refund WHERE method = 'bank' "
               "OR (order_id IS NOT NULL AND id NOT IN "
               "(SELECT MIN(id) FROM refund GROUP BY order_id))")
    with op.batch_alter_table('refund', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_refund_amount_positive'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_refund_method'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_refund_status'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_refund_status'),
                                         "status IN ('pending', 'succeeded')")
        batch_op.drop_constraint(batch_op.f('fk_refund_created_by_id_user'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_refund_paid_by_id_user'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_refund_return_id'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_refund_order_id'))
        batch_op.create_unique_constraint(batch_op.f('uq_refund_order_id'), ['order_id'])
        batch_op.alter_column('idempotency_key', existing_type=sa.String(length=60),
                              nullable=False)
        batch_op.alter_column('payment_id', existing_type=sa.Integer(), nullable=False)
        for column in ('succeeded_at', 'created_by_id', 'paid_by_id', 'payment_reference',
                       'paid_on', 'payee_upi_id', 'payee_ifsc', 'payee_account_number',
                       'payee_name', 'reason', 'return_id', 'method'):
            batch_op.drop_column(column)
