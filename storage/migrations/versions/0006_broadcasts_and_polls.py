"""broadcasts and polls: city announcements, "Asking Citizens", residents' broadcast settings

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 20:23:58.966832

Broadcasts (announcements, polls, poll results) with their photos; polls, their options,
answers and choices; a resident's broadcast setting and topics. The outbox gains the broadcast
a message belongs to, a priority (notices before broadcasts, in the sender's index), two
states (`paused`, `cancelled`) and four kinds.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

KINDS = ("'assignment', 'assignment_album', 'assignment_location', 'status', 'answer', 'reply', 'reminder', "
         "'followup', 'admin', 'moderation', 'moderated'")
STATES = "'pending', 'sent', 'failed', 'dropped'"


def upgrade() -> None:
    op.create_table('polls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_ko', sa.Text(), nullable=False),
    sa.Column('question_en', sa.Text(), nullable=False),
    sa.Column('multiple', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('show_results', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('audience', sa.JSON(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closes_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['residents.id'], name=op.f('fk_polls_author_id_residents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_polls'))
    )
    with op.batch_alter_table('polls', schema=None) as batch_op:
        batch_op.create_index('ix_polls_closed_at_closes_at', ['closed_at', 'closes_at'], unique=False)

    op.create_table('resident_topics',
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=24), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_resident_topics_resident_id_residents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('resident_id', 'topic', name=op.f('pk_resident_topics'))
    )
    with op.batch_alter_table('resident_topics', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resident_topics_topic'), ['topic'], unique=False)

    op.create_table('broadcasts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('text_ko', sa.Text(), nullable=True),
    sa.Column('text_en', sa.Text(), nullable=True),
    sa.Column('poll_id', sa.Integer(), nullable=True),
    sa.Column('audience', sa.JSON(), nullable=False),
    sa.Column('paid', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('audience_size', sa.Integer(), nullable=False),
    sa.Column('progress_chat_id', sa.BigInteger(), nullable=True),
    sa.Column('progress_message_id', sa.Integer(), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('announcement', 'poll', 'poll_results')", name=op.f('ck_broadcasts_kind')),
    sa.CheckConstraint("state IN ('sending', 'paused', 'cancelled', 'done')", name=op.f('ck_broadcasts_state')),
    sa.ForeignKeyConstraint(['author_id'], ['residents.id'], name=op.f('fk_broadcasts_author_id_residents')),
    sa.ForeignKeyConstraint(['poll_id'], ['polls.id'], name=op.f('fk_broadcasts_poll_id_polls')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_broadcasts'))
    )
    with op.batch_alter_table('broadcasts', schema=None) as batch_op:
        batch_op.create_index('ix_broadcasts_state', ['state'], unique=False)

    op.create_table('poll_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('district', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['poll_id'], ['polls.id'], name=op.f('fk_poll_answers_poll_id_polls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], name=op.f('fk_poll_answers_resident_id_residents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_poll_answers')),
    sa.UniqueConstraint('poll_id', 'resident_id', name=op.f('uq_poll_answers_poll_id_resident_id'))
    )
    op.create_table('poll_options',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.Column('text_ko', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('text_en', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.ForeignKeyConstraint(['poll_id'], ['polls.id'], name=op.f('fk_poll_options_poll_id_polls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_poll_options')),
    sa.UniqueConstraint('poll_id', 'position', name=op.f('uq_poll_options_poll_id_position'))
    )
    op.create_table('broadcast_photos',
    sa.Column('broadcast_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=True),
    sa.Column('file_id', sa.String(length=256), nullable=True),
    sa.CheckConstraint('data IS NOT NULL OR file_id IS NOT NULL', name=op.f('ck_broadcast_photos_source')),
    sa.ForeignKeyConstraint(['broadcast_id'], ['broadcasts.id'], name=op.f('fk_broadcast_photos_broadcast_id_broadcasts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('broadcast_id', 'language', name=op.f('pk_broadcast_photos'))
    )
    op.create_table('poll_choices',
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('option_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['poll_answers.id'], name=op.f('fk_poll_choices_answer_id_poll_answers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['option_id'], ['poll_options.id'], name=op.f('fk_poll_choices_option_id_poll_options'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('answer_id', 'option_id', name=op.f('pk_poll_choices'))
    )
    with op.batch_alter_table('poll_choices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_poll_choices_option_id'), ['option_id'], unique=False)

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('broadcast_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('priority', sa.SmallInteger(), server_default=sa.text('0'), nullable=False))
        batch_op.drop_index('ix_outbox_pending')
        batch_op.create_index('ix_outbox_pending', ['priority', 'id'], unique=False, postgresql_where=sa.text("state = 'pending'"), sqlite_where=sa.text("state = 'pending'"))
        batch_op.create_index('ix_outbox_broadcast_id_state', ['broadcast_id', 'state'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_outbox_broadcast_id_broadcasts'), 'broadcasts', ['broadcast_id'], ['id'], ondelete='CASCADE')
        batch_op.drop_constraint(op.f('ck_outbox_kind'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_outbox_kind'), f"kind IN ({KINDS}, 'broadcast', 'poll', 'poll_results', 'broadcast_progress')")
        batch_op.drop_constraint(op.f('ck_outbox_state'), type_='check')
        batch_op.create_check_constraint(op.f('ck_outbox_state'), f"state IN ({STATES}, 'paused', 'cancelled')")

    with op.batch_alter_table('residents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('broadcasts', sa.String(length=8), server_default='all', nullable=False))
        batch_op.create_check_constraint(op.f('ck_residents_broadcasts'), "broadcasts IN ('all', 'topics', 'none')")



def downgrade() -> None:
    with op.batch_alter_table('residents', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_residents_broadcasts'), type_='check')
        batch_op.drop_column('broadcasts')

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_outbox_state'), type_='check')
        batch_op.create_check_constraint(op.f('ck_outbox_state'), f"state IN ({STATES})")
        batch_op.drop_constraint(op.f('ck_outbox_kind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_outbox_kind'), f"kind IN ({KINDS})")
        batch_op.drop_constraint(batch_op.f('fk_outbox_broadcast_id_broadcasts'), type_='foreignkey')
        batch_op.drop_index('ix_outbox_broadcast_id_state')
        batch_op.drop_index('ix_outbox_pending', postgresql_where=sa.text("state = 'pending'"), sqlite_where=sa.text("state = 'pending'"))
        batch_op.create_index('ix_outbox_pending', ['not_before', 'id'], unique=False, postgresql_where=sa.text("state = 'pending'"), sqlite_where=sa.text("state = 'pending'"))
        batch_op.drop_column('priority')
        batch_op.drop_column('broadcast_id')

    with op.batch_alter_table('poll_choices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_poll_choices_option_id'))

    op.drop_table('poll_choices')
    op.drop_table('broadcast_photos')
    op.drop_table('poll_options')
    op.drop_table('poll_answers')
    with op.batch_alter_table('broadcasts', schema=None) as batch_op:
        batch_op.drop_index('ix_broadcasts_state')

    op.drop_table('broadcasts')
    with op.batch_alter_table('resident_topics', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resident_topics_topic'))

    op.drop_table('resident_topics')
    with op.batch_alter_table('polls', schema=None) as batch_op:
        batch_op.drop_index('ix_polls_closed_at_closes_at')

    op.drop_table('polls')
