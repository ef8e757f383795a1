"""statistics: indexes for the district statistics

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 21:30:00

The statistics (`sotong stats`, /stats) read, for every item of a period, its district,
category, status and filing time, its first department answer, its earliest due date and
whether it reached discussion. These indexes give each in item order from the index alone, so
a year of a million items is merged, not hashed, and the items' wide rows are not read. The predicates are a frozen copy of storage/statistics_clauses.py (tests/test_schema.py
compares them with the models' on both engines).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

answers = sa.table("answers", sa.column("author", sa.String()))
status_events = sa.table("status_events", sa.column("to_status", sa.String()))
DEPARTMENT = answers.c.author == sa.literal_column("'department'")
DISCUSSION = status_events.c.to_status == sa.literal_column("'discussion'")


def upgrade() -> None:
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.create_index('ix_items_statistics', ['id', 'created_at', 'status', 'kind', 'district', 'category'],
                              unique=False)
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.create_index('ix_answers_department_item_id_created_at', ['item_id', 'created_at'], unique=False,
                              postgresql_where=DEPARTMENT, sqlite_where=DEPARTMENT)
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index('ix_assignments_item_id_due_at', ['item_id', 'due_at'], unique=False)
    with op.batch_alter_table('status_events', schema=None) as batch_op:
        batch_op.create_index('ix_status_events_discussion_item_id', ['item_id'], unique=False,
                              postgresql_where=DISCUSSION, sqlite_where=DISCUSSION)


def downgrade() -> None:
    with op.batch_alter_table('status_events', schema=None) as batch_op:
        batch_op.drop_index('ix_status_events_discussion_item_id', postgresql_where=DISCUSSION,
                            sqlite_where=DISCUSSION)
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index('ix_assignments_item_id_due_at')
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_index('ix_answers_department_item_id_created_at', postgresql_where=DEPARTMENT,
                            sqlite_where=DEPARTMENT)
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_index('ix_items_statistics')
