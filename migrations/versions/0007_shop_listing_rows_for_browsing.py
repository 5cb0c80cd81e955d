"""The shop's own rows for browsing (shop_listing) and the generation cached pages are keyed on.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 16:15:20.756275

The rule of what is on the shop is copied here as SQL (not imported), so this revision stays as
it was written; listings already on the shop get their rows.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('shop_state',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shop_state'))
    )
    op.create_table('shop_listing',
    sa.Column('listing_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('odop_product_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('price_paise', sa.Integer(), nullable=False),
    sa.Column('mrp_paise', sa.Integer(), nullable=False),
    sa.Column('made_to_order', sa.Boolean(), nullable=False),
    sa.Column('in_stock', sa.Boolean(), nullable=False),
    sa.Column('product_name', sa.String(length=120), nullable=False),
    sa.Column('sector', sa.String(length=32), nullable=False),
    sa.Column('gi_tagged', sa.Boolean(), nullable=False),
    sa.Column('district_lgd_code', sa.Integer(), nullable=False),
    sa.Column('district_name', sa.String(length=120), nullable=False),
    sa.Column('state_lgd_code', sa.Integer(), nullable=False),
    sa.Column('seller_name', sa.String(length=120), nullable=False),
    sa.Column('cover_digest', sa.String(length=64), nullable=True),
    sa.Column('cover_width', sa.Integer(), nullable=True),
    sa.Column('cover_height', sa.Integer(), nullable=True),
    sa.Column('first_approved_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['listing_id'], ['listing.id'], name=op.f('fk_shop_listing_listing_id_listing'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('listing_id', name=op.f('pk_shop_listing'))
    )
    with op.batch_alter_table('shop_listing', schema=None) as batch_op:
        batch_op.create_index('ix_shop_listing_district_newest', ['district_lgd_code', 'first_approved_at', 'listing_id'], unique=False)
        batch_op.create_index('ix_shop_listing_newest', ['first_approved_at', 'listing_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shop_listing_odop_product_id'), ['odop_product_id'], unique=False)
        batch_op.create_index('ix_shop_listing_price', ['price_paise', 'listing_id'], unique=False)
        batch_op.create_index('ix_shop_listing_sector_newest', ['sector', 'first_approved_at', 'listing_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shop_listing_seller_id'), ['seller_id'], unique=False)
        batch_op.create_index('ix_shop_listing_state_district', ['state_lgd_code', 'district_lgd_code'], unique=False)

    op.execute("INSERT INTO shop_state (id, generation) VALUES (1, 1)")
    op.execute(
        "INSERT INTO shop_listing (listing_id, seller_id, odop_product_id, title, price_paise, "
        "mrp_paise, made_to_order, in_stock, product_name, sector, gi_tagged, district_lgd_code, "
        "district_name, state_lgd_code, seller_name, cover_digest, cover_width, cover_height, "
        "first_approved_at, approved_at) "
        "SELECT l.id, l.seller_id, c.odop_product_id, c.title, l.price_paise, l.mrp_paise, "
        "l.made_to_order, l.stock > 0, p.name, p.sector, p.gi_tagged, d.lgd_code, d.name, "
        "d.state_lgd_code, COALESCE(s.display_name, s.legal_name, ''), ph.digest, ph.width, "
        "ph.height, COALESCE(l.first_approved_at, l.approved_at), l.approved_at "
        "FROM listing l JOIN listing_content c ON c.id = l.live_content_id "
        "JOIN odop_product p ON p.id = c.odop_product_id "
        "JOIN district d ON d.lgd_code = p.district_lgd_code "
        "JOIN seller s ON s.id = l.seller_id "
        "LEFT JOIN listing_photo ph ON ph.content_id = c.id AND ph.position = 0 "
        "WHERE l.status IN ('approved', 'submitted', 'changes_requested') "
        "AND s.status = 'approved' AND (l.stock > 0 OR l.made_to_order)")


def downgrade():
    with op.batch_alter_table('shop_listing', schema=None) as batch_op:
        batch_op.drop_index('ix_shop_listing_state_district')
        batch_op.drop_index(batch_op.f('ix_shop_listing_seller_id'))
        batch_op.drop_index('ix_shop_listing_sector_newest')
        batch_op.drop_index('ix_shop_listing_price')
        batch_op.drop_index(batch_op.f('ix_shop_listing_odop_product_id'))
        batch_op.drop_index('ix_shop_listing_newest')
        batch_op.drop_index('ix_shop_listing_district_newest')

    op.drop_table('shop_listing')
    op.drop_table('shop_state')
