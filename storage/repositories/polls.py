""""Asking Citizens" in the database: answering (one answer per resident and poll, its choices
replaced or toggled), counting in SQL (GROUP BY, never reading every answer), which open polls
ask a resident, and claiming polls due to close. SQLAlchemy Core in the session's transaction;
the caller commits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, select, update
from sqlalchemy.engine import RowMapping
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.audience import Audience
from storage.models import Broadcast, Poll, PollAnswer, PollChoice, PollOption, Resident, table_of
from storage.repositories.base import insert_for
from storage.vocabulary import BroadcastKind

polls = table_of(Poll)
options = table_of(PollOption)
answers = table_of(PollAnswer)
choices = table_of(PollChoice)
residents = table_of(Resident)
broadcasts = table_of(Broadcast)


def is_open(now: dt.datetime) -> ColumnElement[bool]:
    """A poll takes answers: not closed by the worker, and its closing time still ahead."""
    return and_(polls.c.closed_at.is_(None), polls.c.closes_at > now)


@dataclass(frozen=True)
class Tally:
    """A poll's answers counted by district (None: residents who had chosen no district)."""

    chosen: dict[tuple[str | None, int], int]  # (district, option position) -> residents who chose it
    answered: dict[str | None, int]  # district -> residents who answered


async def _execute(session: AsyncSession, statement: Any, params: dict[str, Any] | None = None) -> Any:
    return await (await session.connection()).execute(statement, params)


async def poll(session: AsyncSession, poll_id: int) -> RowMapping | None:
    return (await _execute(session, select(polls).where(polls.c.id == poll_id))).mappings().first()


async def open_poll_locked(session: AsyncSession, poll_id: int, now: dt.datetime) -> RowMapping | None:
    """The poll if it is open, held (FOR SHARE on PostgreSQL) until the answer commits: the
    worker's closing UPDATE waits for answers in flight and those after it find it closed, so
    no answer lands after its results were counted. (SQLite writes one at a time anyway.)"""
    query = select(polls).where(polls.c.id == poll_id, is_open(now)).with_for_update(read=True)
    return (await _execute(session, query)).mappings().first()


async def options_of(session: AsyncSession, poll_ids: list[int]) -> list[RowMapping]:
    if not poll_ids:
        return []
    query = select(options).where(options.c.poll_id.in_(poll_ids)).order_by(options.c.poll_id, options.c.position)
    return list((await _execute(session, query)).mappings().all())


async def option_id(session: AsyncSession, poll_id: int, position: int) -> int | None:
    query = select(options.c.id).where(options.c.poll_id == poll_id, options.c.position == position)
    found = (await _execute(session, query)).scalar_one_or_none()
    return int(found) if found is not None else None


async def answer_row(session: AsyncSession, poll_id: int, resident_id: int, now: dt.datetime) -> int:
    """The resident's answer row, made or touched (their district now, updated_at): one per
    resident and poll by the unique key. A second tap of the same resident at the same moment
    waits here on the row (ON CONFLICT … DO UPDATE locks it) until the first commits."""
    district = select(residents.c.district).where(residents.c.id == resident_id).scalar_subquery()
    statement = insert_for(session, answers).values(poll_id=poll_id, resident_id=resident_id, district=district,
                                                     created_at=now, updated_at=now)
    upsert = statement.on_conflict_do_update(
        index_elements=["poll_id", "resident_id"],
        set_={"district": statement.excluded.district, "updated_at": statement.excluded.updated_at},
    ).returning(answers.c.id)
    return int((await _execute(session, upsert)).scalar_one())


async def pick(session: AsyncSession, answer_id: int, option: int) -> None:
    """Single choice: this option, and no other."""
    await _execute(session, delete(choices).where(choices.c.answer_id == answer_id, choices.c.option_id != option))
    await _execute(session, insert_for(session, choices).values(answer_id=answer_id, option_id=option)
                   .on_conflict_do_nothing())


async def toggle(session: AsyncSession, answer_id: int, option: int) -> None:
    """Multiple choice: this option chosen if it was not, unchosen if it was; an answer with no
    option left is deleted (the resident has not answered any more)."""
    removed = await _execute(session, delete(choices).where(choices.c.answer_id == answer_id,
                                                            choices.c.option_id == option))
    if removed.rowcount:
        left = select(choices.c.option_id).where(choices.c.answer_id == answer_id).exists()
        await _execute(session, delete(answers).where(answers.c.id == answer_id, ~left))
    else:
        await _execute(session, insert_for(session, choices).values(answer_id=answer_id, option_id=option))


async def chosen(session: AsyncSession, poll_id: int, resident_id: int) -> set[int]:
    """The positions of the options the resident chose (empty: not answered)."""
    query = (select(options.c.position)
             .select_from(choices.join(answers, answers.c.id == choices.c.answer_id)
                          .join(options, options.c.id == choices.c.option_id))
             .where(answers.c.poll_id == poll_id, answers.c.resident_id == resident_id))
    return {int(position) for position in (await _execute(session, query)).scalars()}


async def answered_polls(session: AsyncSession, poll_ids: list[int], resident_id: int) -> set[int]:
    if not poll_ids:
        return set()
    query = select(answers.c.poll_id).where(answers.c.poll_id.in_(poll_ids), answers.c.resident_id == resident_id)
    return {int(found) for found in (await _execute(session, query)).scalars()}


async def tally(session: AsyncSession, poll_id: int) -> Tally:
    """Counts by district and option, and residents who answered by district: two GROUP BYs."""
    by_option = (select(answers.c.district, options.c.position, func.count())
                 .select_from(choices.join(answers, answers.c.id == choices.c.answer_id)
                              .join(options, options.c.id == choices.c.option_id))
                 .where(answers.c.poll_id == poll_id).group_by(answers.c.district, options.c.position))
    by_district = (select(answers.c.district, func.count()).where(answers.c.poll_id == poll_id)
                   .group_by(answers.c.district))
    chosen_counts = {(district, int(position)): int(count)
                     for district, position, count in (await _execute(session, by_option)).all()}
    answered = {district: int(count) for district, count in (await _execute(session, by_district)).all()}
    return Tally(chosen_counts, answered)


async def answered_counts(session: AsyncSession, poll_ids: list[int]) -> dict[int, int]:
    if not poll_ids:
        return {}
    query = (select(answers.c.poll_id, func.count()).where(answers.c.poll_id.in_(poll_ids))
             .group_by(answers.c.poll_id))
    return {int(poll_id): int(count) for poll_id, count in (await _execute(session, query)).all()}


async def open_polls(session: AsyncSession, now: dt.datetime, limit: int) -> list[RowMapping]:
    """Open polls, the soonest to close first."""
    query = select(polls).where(is_open(now)).order_by(polls.c.closes_at, polls.c.id).limit(limit)
    return list((await _execute(session, query)).mappings().all())


async def closed_since(session: AsyncSession, now: dt.datetime, since: dt.datetime, limit: int) -> list[RowMapping]:
    """Polls that closed between `since` and now, the latest first."""
    query = (select(polls).where(~is_open(now), polls.c.closes_at >= since)
             .order_by(polls.c.closes_at.desc(), polls.c.id.desc()).limit(limit))
    return list((await _execute(session, query)).mappings().all())


async def latest(session: AsyncSession, limit: int) -> list[RowMapping]:
    query = select(polls).order_by(polls.c.id.desc()).limit(limit)
    return list((await _execute(session, query)).mappings().all())


async def asked(session: AsyncSession, resident_id: int, audiences: dict[int, Audience]) -> set[int]:
    """Which of these polls ask the resident, in one query: a column per poll with its audience's
    groups (residents' Settings › Broadcasts aside: those say what is pushed to them)."""
    if not audiences:
        return set()
    columns = [audience.condition(settings=False).label(f"poll_{poll_id}") for poll_id, audience in audiences.items()]
    query = select(*columns).select_from(residents).where(residents.c.id == resident_id)
    row = (await _execute(session, query)).first()
    if row is None:
        return set()
    return {poll_id for poll_id, yes in zip(audiences, row, strict=True) if yes}


async def audience_size(session: AsyncSession, poll_id: int) -> int | None:
    """How many residents the poll was sent to (its `poll` broadcast)."""
    query = select(broadcasts.c.audience_size).where(broadcasts.c.poll_id == poll_id,
                                                     broadcasts.c.kind == BroadcastKind.POLL.value)
    found = (await _execute(session, query.limit(1))).scalar_one_or_none()
    return int(found) if found is not None else None


async def next_due(session: AsyncSession, now: dt.datetime) -> int | None:
    """The next poll whose time has come and that nobody closed yet (a read: `claim` closes it)."""
    query = (select(polls.c.id).where(polls.c.closed_at.is_(None), polls.c.closes_at <= now)
             .order_by(polls.c.closes_at, polls.c.id).limit(1))
    found = (await _execute(session, query)).scalar_one_or_none()
    return int(found) if found is not None else None


async def claim(session: AsyncSession, poll_id: int, now: dt.datetime) -> bool:
    """Closes the poll with one conditional UPDATE: of two workers (or two runs) at once, only
    one gets True. The caller commits."""
    statement = (update(polls).where(polls.c.id == poll_id, polls.c.closed_at.is_(None), polls.c.closes_at <= now)
                 .values(closed_at=now))
    return bool((await _execute(session, statement)).rowcount)


async def close_early(session: AsyncSession, poll_id: int, now: dt.datetime) -> bool:
    """Brings the closing time of an open poll forward to now (the worker then closes it)."""
    statement = update(polls).where(polls.c.id == poll_id, is_open(now)).values(closes_at=now)
    return bool((await _execute(session, statement)).rowcount)
