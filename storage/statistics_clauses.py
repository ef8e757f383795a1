"""The SQL predicates that the statistics' query (storage/repositories/statistics.py) and its
partial indexes (storage/models.py) share, as storage/listing.py does for browse: written with
literals, so that PostgreSQL can match the query's WHERE against the indexes' predicates."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Table, literal_column

from storage.lifecycle import Status
from storage.vocabulary import AnswerAuthor


def department_answer_clause(answers: Table) -> ColumnElement[bool]:
    """`author = 'department'`: a department's answer, not the filer's reply."""
    return answers.c.author == literal_column(f"'{AnswerAuthor.DEPARTMENT.value}'")


def discussion_event_clause(status_events: Table) -> ColumnElement[bool]:
    """`to_status = 'discussion'`: a proposal reaching its discussion."""
    return status_events.c.to_status == literal_column(f"'{Status.DISCUSSION.value}'")
