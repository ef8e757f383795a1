"""The SQL predicates that the browse queries and their partial indexes share.

PostgreSQL uses a partial index only when it can prove the query's WHERE implies the
index's predicate, and it cannot see through bound parameters: both sides are therefore
built here, from literals, by the same functions (storage/models.py for the indexes,
storage/services/browse.py and storage/repositories/items.py for the queries).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Table, and_, literal_column

from storage.lifecycle import Status
from storage.visibility import public_clause

# Stages whose window ends at `stage_deadline`: the "ending soon" order lists these.
WINDOW_STATUSES: tuple[str, ...] = (Status.COLLECTING.value, Status.DISCUSSION.value)


def window_clause(items: Table) -> ColumnElement[bool]:
    """`status IN ('collecting', 'discussion')`, in literals."""
    return items.c.status.in_([literal_column(f"'{status}'") for status in WINDOW_STATUSES])


def public_window_clause(items: Table) -> ColumnElement[bool]:
    """Public items in a stage with a deadline: the predicate of the "ending soon" indexes."""
    return and_(public_clause(items), window_clause(items))
