"""command menus: a role holder's chat gets the commands of their roles

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 05:10:00

The table command_menus records the command menu last queued for a role holder's chat, so that
`sotong worker` queues a new one (outbox kind `command_menu`) only when their roles or their
language change (storage/services/command_menus.py).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

KINDS = ("'assignment', 'assignment_album', 'assignment_location', 'status', 'answer', 'reply', 'reminder', "
         "'followup', 'admin', 'moderation', 'moderated', 'broadcast', 'poll', 'poll_results', 'broadcast_progress'")


def upgrade() -> None:
    op.create_table('command_menus',
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('menu', sa.String(length=96), nullable=False),
    sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_command_menus_resident_id_residents'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('resident_id', name=op.f('pk_command_menus'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_outbox_kind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_outbox_kind'), f"kind IN ({KINDS}, 'command_menu')")


def downgrade() -> None:
    op.execute("DELETE FROM outbox WHERE kind = 'command_menu'")
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_outbox_kind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_outbox_kind'), f"kind IN ({KINDS})")
    op.drop_table('command_menus')
