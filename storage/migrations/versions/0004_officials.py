"""officials, assignments, answers, outbox

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 17:30:01.278140

Roles and invites for officials, moderators and admins; assignments (one item routed to one
department); answers (an item's thread); the outbox the worker sends from; a resident's
notification setting; the "Is it fixed?" due time on items; and `notified_at` on status
events, set for the events already there, so that upgrading tells nobody about old history.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('invites',
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.Column('department', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=True),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('expires_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_by', sa.Integer(), nullable=True),
    sa.Column('used_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("role IN ('official', 'moderator', 'admin')", name=op.f('ck_invites_role')),
    sa.ForeignKeyConstraint(['used_by'], ['residents.id'], name=op.f('fk_invites_used_by_residents')),
    sa.PrimaryKeyConstraint('token', name=op.f('pk_invites'))
    )
    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=True),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('args', sa.JSON(), nullable=False),
    sa.Column('dedupe_key', sa.String(length=96), nullable=True),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('not_before', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('assignment', 'assignment_album', 'assignment_location', 'status', 'answer', 'reply', 'reminder', 'followup', 'admin')", name=op.f('ck_outbox_kind')),
    sa.CheckConstraint("state IN ('pending', 'sent', 'failed', 'dropped')", name=op.f('ck_outbox_state')),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_outbox_resident_id_residents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_outbox_dedupe_key'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_chat_id_state', ['chat_id', 'state'], unique=False)
        batch_op.create_index('ix_outbox_pending', ['not_before', 'id'], unique=False, postgresql_where=sa.text("state = 'pending'"), sqlite_where=sa.text("state = 'pending'"))

    op.create_table('roles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('department', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=True),
    sa.Column('granted_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(role = 'official') = (department IS NOT NULL)", name=op.f('ck_roles_department')),
    sa.CheckConstraint("role IN ('official', 'moderator', 'admin')", name=op.f('ck_roles_role')),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_roles_resident_id_residents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roles')),
    sa.UniqueConstraint('resident_id', 'role', 'department', name=op.f('uq_roles_resident_id_role_department'))
    )
    with op.batch_alter_table('roles', schema=None) as batch_op:
        batch_op.create_index('ix_roles_department', ['department'], unique=False)
        batch_op.create_index('ux_roles_resident_id_role_no_department', ['resident_id', 'role'], unique=True, postgresql_where=sa.text('department IS NULL'), sqlite_where=sa.text('department IS NULL'))

    op.create_table('answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('department', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
    sa.Column('author', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('notified_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("author IN ('department', 'filer')", name=op.f('ck_answers_author')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_answers_item_id_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_answers_resident_id_residents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answers'))
    )
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.create_index('ix_answers_item_id_created_at', ['item_id', 'created_at'], unique=False)
        batch_op.create_index('ix_answers_unnotified', ['id'], unique=False, postgresql_where=sa.text('notified_at IS NULL'), sqlite_where=sa.text('notified_at IS NULL'))

    op.create_table('assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('department', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('received_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('due_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('acknowledged_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('answered_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('transferred_from', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=True),
    sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("state IN ('new', 'acknowledged', 'answered', 'transferred', 'declined')", name=op.f('ck_assignments_state')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_assignments_item_id_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignments')),
    sa.UniqueConstraint('item_id', 'department', name=op.f('uq_assignments_item_id_department'))
    )
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index('ix_assignments_department_state_due_at', ['department', 'state', 'due_at'], unique=False)

    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('followup_due_at', storage.types.UTCDateTime(timezone=True), nullable=True))

    with op.batch_alter_table('residents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notify', sa.String(length=8), server_default='all', nullable=False))
        batch_op.create_check_constraint(op.f('ck_residents_notify'), "notify IN ('all', 'own', 'none')")

    with op.batch_alter_table('status_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notified_at', storage.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_status_events_unnotified', ['id'], unique=False, postgresql_where=sa.text('notified_at IS NULL'), sqlite_where=sa.text('notified_at IS NULL'))
    op.execute("UPDATE status_events SET notified_at = created_at")


def downgrade() -> None:
    with op.batch_alter_table('status_events', schema=None) as batch_op:
        batch_op.drop_index('ix_status_events_unnotified', postgresql_where=sa.text('notified_at IS NULL'), sqlite_where=sa.text('notified_at IS NULL'))
        batch_op.drop_column('notified_at')

    with op.batch_alter_table('residents', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_residents_notify'), type_='check')
        batch_op.drop_column('notify')

    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_column('followup_due_at')

    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index('ix_assignments_department_state_due_at')

    op.drop_table('assignments')
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_index('ix_answers_unnotified', postgresql_where=sa.text('notified_at IS NULL'), sqlite_where=sa.text('notified_at IS NULL'))
        batch_op.drop_index('ix_answers_item_id_created_at')

    op.drop_table('answers')
    with op.batch_alter_table('roles', schema=None) as batch_op:
        batch_op.drop_index('ux_roles_resident_id_role_no_department', postgresql_where=sa.text('department IS NULL'), sqlite_where=sa.text('department IS NULL'))
        batch_op.drop_index('ix_roles_department')

    op.drop_table('roles')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_pending', postgresql_where=sa.text("state = 'pending'"), sqlite_where=sa.text("state = 'pending'"))
        batch_op.drop_index('ix_outbox_chat_id_state')

    op.drop_table('outbox')
    op.drop_table('invites')
