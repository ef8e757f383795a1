"""The statistics' SQL: per district and category, over the items filed in a period.

One statement, the same on both engines, returning a few dozen rows. The database joins the
period's items with their first department answer, their earliest due date and whether they
reached discussion, and folds them at once into a small histogram: one row per district,
category and whole hours to the first answer (a few thousand rows for a million items).
Every figure is then summed from that histogram at four levels (district × category,
district, category, city); the median and the 90th percentile are picked from its running
counts with window functions (SQLite has no percentile function) and interpolated linearly
between the two nearest values, as PostgreSQL's percentile_cont does.

Counting the time to the first answer in whole hours (truncated, from whole seconds) is what
keeps the histogram small; a percentile is therefore a number of hours, shown as days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    CTE,
    BigInteger,
    ColumnElement,
    Select,
    and_,
    case,
    cast,
    func,
    literal_column,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.lifecycle import STATISTICS_LEFT_OUT, STATISTICS_OPEN, STATISTICS_RESOLVED, Kind, Status
from storage.models import Answer, Assignment, Item, StatusEvent, table_of
from storage.statistics_clauses import department_answer_clause, discussion_event_clause

items = table_of(Item)
answers = table_of(Answer)
assignments = table_of(Assignment)
status_events = table_of(StatusEvent)

# The percentiles given, in per cent.
MEDIAN, P90 = 50, 90
HOUR = 3600


class EpochSeconds(FunctionElement[int]):
    """An instant as whole seconds since 1970 (SQLite stores times as text, PostgreSQL as
    timestamptz); the same truncation on both, so both count the same hours."""

    type = BigInteger()
    name = "epoch_seconds"
    inherit_cache = True


@compiles(EpochSeconds, "postgresql")
def _epoch_postgresql(element: EpochSeconds, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(floor(date_part('epoch', {compiler.process(element.clauses, **kw)})) AS BIGINT)"


@compiles(EpochSeconds, "sqlite")
def _epoch_sqlite(element: EpochSeconds, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(strftime('%s', {compiler.process(element.clauses, **kw)}) AS INTEGER)"


@dataclass(frozen=True)
class Row:
    """One level's figures: district and category are None where the level sums over them."""

    district: str | None
    category: str | None
    filed: int
    open: int
    resolved: int
    answered: int  # items with a first department answer
    median_hours: float | None
    p90_hours: float | None
    sla_counted: int  # items whose first answer was due by now, or that have one
    sla_met: int  # of those, answered at or before the earliest due date
    proposals: int
    discussion: int  # proposals that reached discussion


def _literals(statuses: frozenset[Status]) -> list[ColumnElement[Any]]:
    return [literal_column(f"'{status.value}'") for status in sorted(statuses)]


def _flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return case((condition, 1), else_=0)


def _histogram(since: dt.datetime, until: dt.datetime) -> CTE:
    """The period's items (hidden ones left out), counted per district, category and whole
    hours to the first department answer (null: not answered yet)."""
    first = (select(answers.c.item_id, func.min(answers.c.created_at).label("at"))
             .where(department_answer_clause(answers), answers.c.created_at >= since)
             .group_by(answers.c.item_id).subquery("first_answers"))
    # Both bounds only spare work: an item of the period has no answer before its filing, and
    # no due date before it either (a department's sla_days is at least one).
    due = (select(assignments.c.item_id, func.min(assignments.c.due_at).label("at"))
           .where(assignments.c.due_at >= since)
           .group_by(assignments.c.item_id).subquery("first_due"))
    discussed = select(status_events.c.item_id).where(discussion_event_clause(status_events))
    proposal = items.c.kind == Kind.PROPOSAL.value
    hours = ((EpochSeconds(first.c.at) - EpochSeconds(items.c.created_at)) // HOUR).label("hours")
    counted = and_(due.c.at.is_not(None), or_(first.c.at.is_not(None), due.c.at < until))
    return (select(
        items.c.district, items.c.category, hours, func.count().label("filed"),
        func.sum(_flag(items.c.status.in_(_literals(STATISTICS_OPEN)))).label("open"),
        func.sum(_flag(items.c.status.in_(_literals(STATISTICS_RESOLVED)))).label("resolved"),
        func.sum(_flag(proposal)).label("proposals"),
        func.sum(_flag(and_(proposal, items.c.id.in_(discussed)))).label("discussion"),
        func.sum(_flag(counted)).label("sla_counted"),
        func.sum(_flag(first.c.at <= due.c.at)).label("sla_met"),
    ).select_from(items.outerjoin(first, first.c.item_id == items.c.id).outerjoin(due, due.c.item_id == items.c.id))
        .where(items.c.created_at >= since, items.c.created_at < until,
               items.c.status != literal_column(f"'{STATISTICS_LEFT_OUT.value}'"))
        .group_by(items.c.district, items.c.category, hours).cte("histogram"))


# Each level: its name and the columns it groups by.
LEVELS: dict[str, tuple[str, ...]] = {
    "cell": ("district", "category"), "district": ("district",), "category": ("category",), "city": ()}
SUMMED = ("filed", "open", "resolved", "proposals", "discussion", "sla_counted", "sla_met")


def _running(histogram: CTE) -> CTE:
    """Each histogram row with, per level, the answered items up to its hours (ties included)
    and all the answered items of its group."""
    answered = case((histogram.c.hours.is_not(None), histogram.c.filed), else_=0)
    columns: list[ColumnElement[Any]] = [*histogram.c, answered.label("answered")]
    for level, keys in LEVELS.items():
        group = [histogram.c[key] for key in keys] or None
        # Cast: PostgreSQL sums bigints to numeric, whose division would not be an integer one.
        upto = func.sum(answered).over(partition_by=group, order_by=histogram.c.hours)
        columns.append(cast(upto, BigInteger).label(f"upto_{level}"))
        columns.append(cast(func.sum(answered).over(partition_by=group), BigInteger).label(f"n_{level}"))
    return select(*columns).cte("running")


def _percentile(running: CTE, level: str, percent: int) -> ColumnElement[Any]:
    """Linear interpolation between the values at 0-based positions floor and ceil of
    (n - 1) × p: the value at position k is the least hours whose running count exceeds k."""
    hours, upto, n = running.c.hours, running.c[f"upto_{level}"], running.c[f"n_{level}"]

    def at(position: ColumnElement[Any]) -> ColumnElement[Any]:
        return func.min(case((and_(hours.is_not(None), upto > position), hours)))

    low, high = at((n - 1) * percent // 100), at(((n - 1) * percent + 99) // 100)
    return low + (high - low) * ((func.max(n) - 1) * percent % 100 / 100.0)


def _level(running: CTE, level: str) -> Select[Any]:
    keys = LEVELS[level]
    key_columns = [running.c[key] if key in keys else null().label(key) for key in ("district", "category")]
    return (select(*key_columns, *(func.sum(running.c[name]).label(name) for name in SUMMED),
                   func.sum(running.c.answered).label("answered"),
                   _percentile(running, level, MEDIAN).label("median_hours"),
                   _percentile(running, level, P90).label("p90_hours"))
            .group_by(*(running.c[key] for key in keys)))


def statement(since: dt.datetime, until: dt.datetime) -> Select[Any]:
    running = _running(_histogram(since, until))
    combined = union_all(*(_level(running, level) for level in LEVELS)).subquery()
    return select(*combined.c)


class StatisticsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def figures(self, since: dt.datetime, until: dt.datetime) -> list[Row]:
        """Every level's figures for the items filed in [since, until)."""
        connection = await self.session.connection()
        if connection.dialect.name == "postgresql":
            # Its plan's cost makes PostgreSQL compile it with JIT, which takes longer (seconds)
            # than it saves on these simple per-row sums.
            await connection.exec_driver_sql("SET LOCAL jit = off")
        rows = (await connection.execute(statement(since, until))).mappings().all()
        return [Row(district=row["district"], category=row["category"],
                    **{name: int(row[name] or 0) for name in (*SUMMED, "answered")},
                    median_hours=_number(row["median_hours"]), p90_hours=_number(row["p90_hours"]))
                for row in rows]


def _number(value: Any) -> float | None:
    return None if value is None else float(value)
