"""open311: items filed through the Open311 GeoReport v2 API

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 10:00:00

An item filed by an Open311 client (the city's web platform, a kiosk) has no resident:
`items.resident_id` becomes nullable, `channel` says how the item came (`telegram` or
`open311`), `api_client` names the client of the city file's `[[open311.clients]]`, and a
CHECK keeps exactly one filer per item. `address` keeps the address_string a client sent.
An index serves each client's daily limit, another the API's list of one service.

On SQLite the items table is rebuilt (a column's NOT NULL cannot be dropped in place);
storage/migrate.py runs migrations with foreign keys off there, so rebuilding does not
cascade into the tables that reference items.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

# Frozen copies of storage/models.py's checks (tests/test_schema.py compares them).
CHANNEL_CHECK = "channel IN ('telegram', 'open311')"
FILER_CHECK = ("(channel = 'telegram' AND resident_id IS NOT NULL AND api_client IS NULL) OR "
               "(channel = 'open311' AND resident_id IS NULL AND api_client IS NOT NULL)")
CLIENT_ROWS = sa.text("api_client IS NOT NULL")
# A frozen copy of storage/visibility.py's public clause, as 0003 has it.
items = sa.table("items", sa.column("is_private", sa.Boolean()), sa.column("status", sa.String()))
PUBLIC = sa.and_(items.c.is_private.is_(sa.false()), items.c.status != sa.literal_column("'hidden'"))


def _sqlite_indexes() -> dict[str, str]:
    rows = op.get_bind().exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'items' AND sql IS NOT NULL")
    return {name: sql for name, sql in rows}


def _restore_sqlite_indexes(before: dict[str, str]) -> None:
    """Alembic's rebuild recreates the indexes from reflection, which loses DESC: put back
    each one as it was, word for word."""
    after = _sqlite_indexes()
    for name, sql in before.items():
        if name in after and after[name] != sql:
            op.execute(f"DROP INDEX {name}")
            op.execute(sql)


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    before = _sqlite_indexes() if sqlite else {}
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=16), server_default='telegram', nullable=False))
        batch_op.add_column(sa.Column('api_client', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('address', sa.String(length=250), nullable=True))
        batch_op.alter_column('resident_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_check_constraint(op.f('ck_items_channel'), CHANNEL_CHECK)
        batch_op.create_check_constraint(op.f('ck_items_filer'), FILER_CHECK)
        batch_op.create_index('ix_items_api_client_created_at', ['api_client', 'created_at'], unique=False,
                              postgresql_where=CLIENT_ROWS, sqlite_where=CLIENT_ROWS)
    if sqlite:
        _restore_sqlite_indexes(before)
    # The Open311 API's list of one service, newest first.
    op.create_index("ix_items_public_category_created", "items",
                    ["category", sa.text("created_at DESC"), sa.text("id DESC")],
                    postgresql_where=PUBLIC, sqlite_where=PUBLIC)


def downgrade() -> None:
    # Items filed through Open311 have no resident to give back: they go with the columns.
    op.execute("DELETE FROM items WHERE resident_id IS NULL")
    op.drop_index("ix_items_public_category_created", table_name="items")
    sqlite = op.get_bind().dialect.name == "sqlite"
    before = _sqlite_indexes() if sqlite else {}
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_index('ix_items_api_client_created_at')
        batch_op.drop_constraint(op.f('ck_items_filer'), type_='check')
        batch_op.drop_constraint(op.f('ck_items_channel'), type_='check')
        batch_op.alter_column('resident_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('address')
        batch_op.drop_column('api_client')
        batch_op.drop_column('channel')
    if sqlite:
        before.pop('ix_items_api_client_created_at', None)
        _restore_sqlite_indexes(before)
