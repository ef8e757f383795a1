"""partial indexes for browse, search, My submissions, My endorsements and comments

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 15:30:00

Each browse order (newest, most endorsed, ending soon), with and without a district, gets
a partial index over public items only. The predicates are a frozen copy of the functions
the queries use (storage/visibility.py, storage/listing.py): PostgreSQL matches them
character for character, and a migration must not change when that code does later;
tests/test_schema.py compares them with the models' on both engines.
On PostgreSQL, search gets trigram (pg_trgm) GIN indexes on title and body.
`ix_stances_item_id_created_at` served no query: comments are read by `updated_at`.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

items = sa.table(
    "items",
    sa.column("is_private", sa.Boolean()),
    sa.column("status", sa.String()),
)


def public_clause(table: sa.TableClause) -> sa.ColumnElement[bool]:
    return sa.and_(table.c.is_private.is_(sa.false()), table.c.status != sa.literal_column("'hidden'"))


def public_window_clause(table: sa.TableClause) -> sa.ColumnElement[bool]:
    window = table.c.status.in_([sa.literal_column("'collecting'"), sa.literal_column("'discussion'")])
    return sa.and_(public_clause(table), window)


Columns = list[str | sa.TextClause]


def _browse_indexes() -> list[tuple[str, Columns, sa.ColumnElement[bool]]]:
    public, window = public_clause(items), public_window_clause(items)
    orders: list[tuple[str, Columns, sa.ColumnElement[bool]]] = [
        ("created", [sa.text("created_at DESC"), sa.text("id DESC")], public),
        ("endorsed", [sa.text("endorsement_count DESC"), sa.text("id DESC")], public),
        ("ending", ["stage_deadline", "id"], window),
    ]
    indexes = []
    for name, columns, where in orders:
        indexes.append((f"ix_items_public_{name}", columns, where))
        indexes.append((f"ix_items_public_district_{name}", ["district", *columns], where))
    return indexes


def _trigram_indexes() -> None:
    """Search's ILIKE '%word%' on title and body; pg_trgm is a trusted extension (PostgreSQL 13+)."""
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in ("title", "body"):
        op.create_index(f"ix_items_public_{column}_trgm", "items", [column], postgresql_using="gin",
                        postgresql_ops={column: "gin_trgm_ops"}, postgresql_where=public_clause(items))


def upgrade() -> None:
    for name, columns, where in _browse_indexes():
        op.create_index(name, "items", columns, postgresql_where=where, sqlite_where=where)
    if op.get_bind().dialect.name == "postgresql":
        _trigram_indexes()
    op.create_index("ix_items_resident_id_created_at", "items", ["resident_id", "created_at"])
    op.drop_index("ix_items_resident_id", table_name="items")
    op.create_index("ix_endorsements_resident_id_created_at", "endorsements", ["resident_id", "created_at"])
    op.drop_index("ix_endorsements_resident_id", table_name="endorsements")
    op.create_index("ix_stances_item_id_updated_at", "stances", ["item_id", "updated_at"])
    op.drop_index("ix_stances_item_id_created_at", table_name="stances")


def downgrade() -> None:
    op.create_index("ix_stances_item_id_created_at", "stances", ["item_id", "created_at"])
    op.drop_index("ix_stances_item_id_updated_at", table_name="stances")
    op.create_index("ix_endorsements_resident_id", "endorsements", ["resident_id"])
    op.drop_index("ix_endorsements_resident_id_created_at", table_name="endorsements")
    op.create_index("ix_items_resident_id", "items", ["resident_id"])
    op.drop_index("ix_items_resident_id_created_at", table_name="items")
    if op.get_bind().dialect.name == "postgresql":
        for column in ("title", "body"):
            op.drop_index(f"ix_items_public_{column}_trgm", table_name="items")
    for name, _, _ in reversed(_browse_indexes()):
        op.drop_index(name, table_name="items")
