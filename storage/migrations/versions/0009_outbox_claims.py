"""outbox claims: several workers share the outbox

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27 01:30:00

Each `sotong worker` claims the rows it is about to send (claimed_by, claimed_until: a lease
the worker renews while it holds them), so that on PostgreSQL several workers send each
message once and a chat's messages from one worker at a time (storage/repositories/delivery.py).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_by', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('claimed_until', storage.types.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('claimed_until')
        batch_op.drop_column('claimed_by')
