"""Per-resident limits of the city file (`[moderation]`): items filed a day, comments an hour,
reports a day. One rule for all of them, counted from the rows the resident already has:

    past `limit` rows within the last `window`, the resident may go on once the limit-th most
    recent of them is older than `window`.

So nothing is kept beside the rows themselves, and a limit changed in the city file applies at
once. Callers check inside the transaction that would store the new row, and refuse before
storing anything. A resident's updates are handled one at a time (the dispatcher's event
isolation, per chat and user, shared through Redis when configured), so two of their own
updates do not both pass the check.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Column, ColumnElement, Table, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.city import CityConfig, Moderation, Open311Client
from storage.models import Item, Report, Resident, Stance, table_of


class Limit(StrEnum):
    ITEMS = "items"        # items filed per day
    COMMENTS = "comments"  # comments written or changed per hour
    REPORTS = "reports"    # reports made per day


@dataclass(frozen=True)
class Rule:
    table: Table
    who: Column  # whose rows: the resident, or the Open311 client
    when: Column
    window: dt.timedelta
    only: tuple[ColumnElement[bool], ...] = ()


_items, _stances, _reports = table_of(Item), table_of(Stance), table_of(Report)
_residents = table_of(Resident)

RULES: dict[Limit, Rule] = {
    Limit.ITEMS: Rule(_items, _items.c.resident_id, _items.c.created_at, dt.timedelta(days=1)),
    # A stance whose comment was written or changed lately (its updated_at moves with it).
    Limit.COMMENTS: Rule(_stances, _stances.c.resident_id, _stances.c.updated_at, dt.timedelta(hours=1),
                         (_stances.c.comment.is_not(None),)),
    Limit.REPORTS: Rule(_reports, _reports.c.resident_id, _reports.c.created_at, dt.timedelta(days=1)),
}
# An Open311 client's items a day: the same rule, counted by the client that filed them.
CLIENT_ITEMS = Rule(_items, _items.c.api_client, _items.c.created_at, dt.timedelta(days=1))


def allowed(kind: Limit, moderation: Moderation) -> int:
    return {Limit.ITEMS: moderation.items_per_day, Limit.COMMENTS: moderation.comments_per_hour,
            Limit.REPORTS: moderation.reports_per_day}[kind]


class LimitReached(Exception):
    """The resident is past a limit; `until` is when they may go on."""

    def __init__(self, kind: Limit, until: dt.datetime) -> None:
        super().__init__(f"{kind.value} limit reached until {until.isoformat()}")
        self.kind = kind
        self.until = until


async def wait_until(
    session: AsyncSession, kind: Limit, resident_id: int, now: dt.datetime, city: CityConfig,
) -> dt.datetime | None:
    """None when the resident may act now; otherwise the moment they may. Reads on the caller's
    session, inside its transaction."""
    return await _wait(session, kind, resident_id, now, allowed(kind, city.moderation))


async def check(session: AsyncSession, kind: Limit, resident_id: int, now: dt.datetime,
                moderation: Moderation) -> None:
    """Raises LimitReached when the resident is past the limit; holds the resident's row lock
    until the caller's transaction ends."""
    lock = select(_residents.c.id).where(_residents.c.id == resident_id).with_for_update()
    await (await session.connection()).execute(lock)
    until = await _wait(session, kind, resident_id, now, allowed(kind, moderation))
    if until is not None:
        raise LimitReached(kind, until)


async def check_client(session: AsyncSession, client: Open311Client, now: dt.datetime) -> None:
    """Raises LimitReached when the Open311 client filed its `items_per_day` in the last 24
    hours. A client has no row to lock, so two of its requests at once may both take the last
    place: the limit stops a runaway script, it is not an exact quota."""
    until = await _counted(session, CLIENT_ITEMS, client.name, now, client.items_per_day)
    if until is not None:
        raise LimitReached(Limit.ITEMS, until)


async def _wait(session: AsyncSession, kind: Limit, resident_id: int, now: dt.datetime,
                limit: int) -> dt.datetime | None:
    return await _counted(session, RULES[kind], resident_id, now, limit)


async def _counted(session: AsyncSession, rule: Rule, who: int | str, now: dt.datetime,
                   limit: int) -> dt.datetime | None:
    statement = (select(rule.when)
                 .where(rule.who == who, rule.when > now - rule.window, *rule.only)
                 .order_by(rule.when.desc()).limit(limit))
    recent = list((await (await session.connection()).execute(statement)).scalars())
    if len(recent) < limit:
        return None
    return recent[-1] + rule.window
