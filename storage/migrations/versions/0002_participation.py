"""endorsements, follows, stances

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 08:44:07.029512
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('endorsements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_endorsements_item_id_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_endorsements_resident_id_residents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_endorsements')),
    sa.UniqueConstraint('item_id', 'resident_id', name=op.f('uq_endorsements_item_id_resident_id'))
    )
    with op.batch_alter_table('endorsements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_endorsements_resident_id'), ['resident_id'], unique=False)

    op.create_table('follows',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("reason IN ('filed', 'endorsed', 'discussed', 'asked')", name=op.f('ck_follows_reason')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_follows_item_id_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_follows_resident_id_residents')),
    sa.PrimaryKeyConstraint('item_id', 'resident_id', name=op.f('pk_follows'))
    )
    with op.batch_alter_table('follows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follows_resident_id'), ['resident_id'], unique=False)

    op.create_table('stances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('stance', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("stance IN ('support', 'oppose', 'neutral')", name=op.f('ck_stances_stance')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_stances_item_id_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_stances_resident_id_residents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stances')),
    sa.UniqueConstraint('item_id', 'resident_id', name=op.f('uq_stances_item_id_resident_id'))
    )
    with op.batch_alter_table('stances', schema=None) as batch_op:
        batch_op.create_index('ix_stances_item_id_created_at', ['item_id', 'created_at'], unique=False)

    # The lifecycle sweep looks for proposals whose window has ended.
    op.create_index('ix_items_status_stage_deadline', 'items', ['status', 'stage_deadline'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_items_status_stage_deadline', table_name='items')
    with op.batch_alter_table('stances', schema=None) as batch_op:
        batch_op.drop_index('ix_stances_item_id_created_at')

    op.drop_table('stances')
    with op.batch_alter_table('follows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follows_resident_id'))

    op.drop_table('follows')
    with op.batch_alter_table('endorsements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_endorsements_resident_id'))

    op.drop_table('endorsements')
