"""residents, items, attachments, status events

Revision ID: 0001
Revises: 
Create Date: 2026-11-24 08:32:31.520888
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('number_counters',
    sa.Column('prefix', sa.String(length=8), nullable=False),
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('prefix', 'year', name=op.f('pk_number_counters'))
    )
    op.create_table('residents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('telegram_id', sa.BigInteger(), nullable=False),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('full_name', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
    sa.Column('username', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('district', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=True),
    sa.Column('blocked', sa.Boolean(), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_residents')),
    sa.UniqueConstraint('telegram_id', name=op.f('uq_residents_telegram_id'))
    )
    op.create_table('items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_number', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
    sa.Column('public_token', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
    sa.Column('district', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('is_anonymous', sa.Boolean(), nullable=False),
    sa.Column('is_private', sa.Boolean(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('endorsement_count', sa.Integer(), nullable=False),
    sa.Column('participant_count', sa.Integer(), nullable=False),
    sa.Column('endorsement_goal', sa.Integer(), nullable=True),
    sa.Column('participant_goal', sa.Integer(), nullable=True),
    sa.Column('discussion_days', sa.Integer(), nullable=True),
    sa.Column('stage_deadline', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('submission_key', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('complaint', 'proposal')", name=op.f('ck_items_kind')),
    sa.CheckConstraint("status IN ('received', 'in_progress', 'answered', 'resolved', 'closed', 'reopened', 'collecting', 'discussion', 'review', 'committee', 'planned', 'policy', 'expired', 'rejected', 'withdrawn', 'hidden')", name=op.f('ck_items_status')),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_items_resident_id_residents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_items')),
    sa.UniqueConstraint('public_number', name=op.f('uq_items_public_number')),
    sa.UniqueConstraint('public_token', name=op.f('uq_items_public_token')),
    sa.UniqueConstraint('submission_key', name=op.f('uq_items_submission_key'))
    )
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.create_index('ix_items_category_district_status', ['category', 'district', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_items_resident_id'), ['resident_id'], unique=False)
        batch_op.create_index('ix_items_status_created_at', ['status', 'created_at'], unique=False)

    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('file_id', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
    sa.Column('file_unique_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_attachments_item_id_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments')),
    sa.UniqueConstraint('item_id', 'file_unique_id', name=op.f('uq_attachments_item_id_file_unique_id'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachments_item_id'), ['item_id'], unique=False)

    op.create_table('status_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('to_status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_status_events_item_id_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_status_events'))
    )
    with op.batch_alter_table('status_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_status_events_item_id'), ['item_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('status_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_status_events_item_id'))

    op.drop_table('status_events')
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachments_item_id'))

    op.drop_table('attachments')
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_index('ix_items_status_created_at')
        batch_op.drop_index(batch_op.f('ix_items_resident_id'))
        batch_op.drop_index('ix_items_category_district_status')

    op.drop_table('items')
    op.drop_table('residents')
    op.drop_table('number_counters')
