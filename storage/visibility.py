"""Which items any resident may see: the one definition, in Python and in SQL.

The SQL form is written with literals, not bound parameters, so that PostgreSQL's planner
can match it against the partial indexes built from this same expression
(storage/models.py); a predicate spelled differently (say `NOT is_private`) would not use them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Table, and_, false, literal_column

from storage.lifecycle import Status


def public_clause(items: Table) -> ColumnElement[bool]:
    """`is_private IS false AND status <> 'hidden'` on the given items table."""
    return and_(items.c.is_private.is_(false()), items.c.status != literal_column(f"'{Status.HIDDEN.value}'"))


def is_public(item: Any) -> bool:
    """The same rule for a row already loaded: not private, not hidden by moderation."""
    return item is not None and not item.is_private and item.status != Status.HIDDEN
