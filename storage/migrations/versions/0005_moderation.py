"""moderation: reports, moderators' decisions, bans, hidden comments

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 18:35:45.299469

Reports of items and comments (one per resident and target), the moderators' decisions, a
resident's ban (`banned_until`, and when they were last told), a hidden flag on comments, and
two more kinds of outbox message (`moderation`, `moderated`).
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

KINDS = "'assignment', 'assignment_album', 'assignment_location', 'status', 'answer', 'reply', 'reminder', 'followup', 'admin'"


def upgrade() -> None:
    op.create_table('moderation_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('moderator_id', sa.Integer(), nullable=True),
    sa.Column('decision', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('banned_until', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("decision IN ('restore', 'keep_hidden', 'ban')", name=op.f('ck_moderation_decisions_decision')),
    sa.CheckConstraint("target IN ('item', 'comment')", name=op.f('ck_moderation_decisions_target')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_moderation_decisions_item_id_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['moderator_id'], ['residents.id'], name=op.f('fk_moderation_decisions_moderator_id_residents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_decisions'))
    )
    with op.batch_alter_table('moderation_decisions', schema=None) as batch_op:
        batch_op.create_index('ix_moderation_decisions_target_target_id', ['target', 'target_id'], unique=False)

    op.create_table('reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('cleared_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("reason IN ('spam', 'offensive', 'personal_data', 'not_city', 'other')", name=op.f('ck_reports_reason')),
    sa.CheckConstraint("target IN ('item', 'comment')", name=op.f('ck_reports_target')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_reports_item_id_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_reports_resident_id_residents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reports')),
    sa.UniqueConstraint('target', 'target_id', 'resident_id', name=op.f('uq_reports_target_target_id_resident_id'))
    )
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.create_index('ix_reports_resident_id_created_at', ['resident_id', 'created_at'], unique=False)
        batch_op.create_index('ix_reports_target_target_id_cleared_at', ['target', 'target_id', 'cleared_at'], unique=False)

    with op.batch_alter_table('residents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('banned_until', storage.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('ban_notice_at', storage.types.UTCDateTime(timezone=True), nullable=True))

    with op.batch_alter_table('stances', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hidden', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index('ix_stances_resident_id_updated_at', ['resident_id', 'updated_at'], unique=False)

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_outbox_kind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_outbox_kind'), f"kind IN ({KINDS}, 'moderation', 'moderated')")



def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_outbox_kind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_outbox_kind'), f"kind IN ({KINDS})")

    with op.batch_alter_table('stances', schema=None) as batch_op:
        batch_op.drop_index('ix_stances_resident_id_updated_at')
        batch_op.drop_column('hidden')

    with op.batch_alter_table('residents', schema=None) as batch_op:
        batch_op.drop_column('ban_notice_at')
        batch_op.drop_column('banned_until')

    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index('ix_reports_target_target_id_cleared_at')
        batch_op.drop_index('ix_reports_resident_id_created_at')

    op.drop_table('reports')
    with op.batch_alter_table('moderation_decisions', schema=None) as batch_op:
        batch_op.drop_index('ix_moderation_decisions_target_target_id')

    op.drop_table('moderation_decisions')
