"""Residents' reports of items and comments, and the hiding that enough of them cause.

One report per resident and target, never of one's own, only of what the resident can see,
at most `city.moderation.reports_per_day` in 24 hours. The report that brings a target's open
reports to `city.moderation.report_threshold` hides it in the same transaction and queues the
push to every moderator and the polite "under review" notice to its author.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.city import CityConfig
from storage.clock import Clock
from storage.lifecycle import HIDE
from storage.models import Item, Report, Resident, Stance, stored_id, table_of
from storage.repositories.base import insert_for
from storage.repositories.officials import OfficialsRepository
from storage.repositories.outbox import Notice, enqueue
from storage.services import limits, status
from storage.services.limits import Limit
from storage.visibility import is_public
from storage.vocabulary import NoticeKind, ReportReason, ReportTarget, Role

reports = table_of(Report)
stances = table_of(Stance)
residents = table_of(Resident)
# The hiding's status event: written by Sotong, because of reports (the Notifier leaves
# these to the MODERATED notice, see storage/services/notifications.py).
SYSTEM = "system"
BY_REPORTS = "reports"
MODERATOR_ACTOR = "moderator:"


class ReportOutcome(StrEnum):
    DONE = "done"
    ALREADY = "already"          # this resident reported this target before: nothing changes
    OWN = "own"                  # one's own item or comment
    LIMIT = "limit"              # reports_per_day reached: `retry_at` says when they can go on
    UNAVAILABLE = "unavailable"  # no such target, or not visible (private, hidden)


@dataclass(frozen=True)
class ReportResult:
    outcome: ReportOutcome
    hidden: bool = False  # this report hid the target
    retry_at: dt.datetime | None = None


@dataclass(frozen=True)
class Target:
    """An item or a comment as moderation sees it."""

    kind: ReportTarget
    target_id: int
    item: Item
    author_id: int | None  # None: an item filed through Open311 has no resident to tell or ban
    text: str  # the comment, or the item's body
    hidden: bool
    stance: str | None = None

    @property
    def visible(self) -> bool:
        return not self.hidden and is_public(self.item)


async def load_target(session: AsyncSession, kind: ReportTarget, target_id: int) -> Target | None:
    """The item, or the comment with its item; None when there is no such thing."""
    if kind == ReportTarget.ITEM:
        item = await session.get(Item, target_id)
        if item is None:
            return None
        return Target(kind, target_id, item, item.resident_id, item.body, item.status == HIDE)
    row = (await (await session.connection()).execute(select(stances).where(
        stances.c.id == target_id, stances.c.comment.is_not(None)))).first()
    if row is None:
        return None
    item = await session.get(Item, row.item_id)
    if item is None:
        return None
    return Target(kind, target_id, item, row.resident_id, row.comment, bool(row.hidden), row.stance)


def target_args(target: Target) -> dict[str, Any]:
    """What a notice about the target needs to show it (the outbox stores these)."""
    item = target.item
    return {"target": target.kind.value, "target_id": target.target_id, "item_id": stored_id(item),
            "number": item.public_number, "title": item.title, "text": target.text}


class ReportService:
    def __init__(self, session: AsyncSession, city: CityConfig, clock: Clock) -> None:
        self.session = session
        self.city = city
        self.clock = clock

    async def report(self, resident_id: int, kind: ReportTarget, target_id: int, reason: str) -> ReportResult:
        """Stores the report (one transaction, committed or rolled back before returning)."""
        try:
            result = await self._report(resident_id, kind, target_id, ReportReason(reason), self.clock())
            await self.session.commit()
            return result
        finally:
            await self.session.rollback()

    async def _report(self, resident_id: int, kind: ReportTarget, target_id: int, reason: ReportReason,
                      now: dt.datetime) -> ReportResult:
        connection = await self.session.connection()
        # The resident's row lock makes their count-then-insert one step (PostgreSQL; SQLite's
        # writer takes its lock at BEGIN).
        await connection.execute(select(residents.c.id).where(residents.c.id == resident_id).with_for_update())
        target = await load_target(self.session, kind, target_id)
        if target is None or not target.visible:
            return ReportResult(ReportOutcome.UNAVAILABLE)
        if target.author_id == resident_id:
            return ReportResult(ReportOutcome.OWN)
        if await self._reported(resident_id, kind, target_id):
            return ReportResult(ReportOutcome.ALREADY)
        retry_at = await self._limit_reached(resident_id, now)
        if retry_at is not None:
            return ReportResult(ReportOutcome.LIMIT, retry_at=retry_at)
        inserted = await connection.execute(insert_for(self.session, reports).values(
            target=kind.value, target_id=target_id, item_id=stored_id(target.item), resident_id=resident_id,
            reason=reason.value, created_at=now).on_conflict_do_nothing())
        if inserted.rowcount != 1:  # the same resident's concurrent report won
            return ReportResult(ReportOutcome.ALREADY)
        if await open_reporters(self.session, kind, target_id) < self.city.moderation.report_threshold:
            return ReportResult(ReportOutcome.DONE)
        return ReportResult(ReportOutcome.DONE, hidden=await self._hide(target, now))

    async def _reported(self, resident_id: int, kind: ReportTarget, target_id: int) -> bool:
        statement = select(reports.c.id).where(reports.c.target == kind.value, reports.c.target_id == target_id,
                                               reports.c.resident_id == resident_id)
        return (await (await self.session.connection()).execute(statement)).first() is not None

    async def _limit_reached(self, resident_id: int, now: dt.datetime) -> dt.datetime | None:
        """When the resident may report again, if they reached the day's limit (the one counting
        rule of storage/services/limits.py)."""
        return await limits.wait_until(self.session, Limit.REPORTS, resident_id, now, self.city)

    async def _hide(self, target: Target, now: dt.datetime) -> bool:
        """Hides the target; False when a concurrent report hid it first (it sent the notices)."""
        if target.kind == ReportTarget.ITEM:
            hid = await status.move(self.session, target.target_id, target.item.kind, target.item.status, HIDE,
                                    SYSTEM, note=BY_REPORTS, now=now, told=True)  # MODERATED tells the author
        else:
            statement = (update(stances).where(stances.c.id == target.target_id, stances.c.hidden.is_(False))
                         .values(hidden=True).returning(stances.c.id))
            hid = (await (await self.session.connection()).execute(statement)).first() is not None
        if hid:
            await self._tell(target, now)
        return hid

    async def _tell(self, target: Target, now: dt.datetime) -> None:
        args = {**target_args(target), "reasons": await reason_counts(self.session, target.kind, target.target_id)}
        key = f"{target.kind.value}:{target.target_id}:{now.isoformat()}"
        moderators = await OfficialsRepository(self.session).holders(Role.MODERATOR)
        notices = [Notice.to(m, NoticeKind.MODERATION, args, f"moderation:{key}:{m.id}") for m in moderators
                   if not m.blocked]
        author = await self.session.get(Resident, target.author_id) if target.author_id is not None else None
        if author is not None and not author.blocked:
            told = {"target": target.kind.value, "number": target.item.public_number, "title": target.item.title,
                    "item_id": stored_id(target.item), "state": "review"}
            notices.append(Notice.to(author, NoticeKind.MODERATED, told, f"moderated:{key}"))
        await enqueue(self.session, notices, now)


async def open_reporters(session: AsyncSession, kind: ReportTarget, target_id: int) -> int:
    """Distinct residents whose reports of the target still count (not cleared by a Restore)."""
    statement = select(func.count(func.distinct(reports.c.resident_id))).where(
        reports.c.target == kind.value, reports.c.target_id == target_id, reports.c.cleared_at.is_(None))
    return int((await (await session.connection()).execute(statement)).scalar_one())


async def reason_counts(session: AsyncSession, kind: ReportTarget, target_id: int) -> dict[str, int]:
    """The open reports' reasons with how many gave each, the most given first."""
    statement = (select(reports.c.reason, func.count()).where(
        reports.c.target == kind.value, reports.c.target_id == target_id, reports.c.cleared_at.is_(None))
        .group_by(reports.c.reason))
    rows = (await (await session.connection()).execute(statement)).all()
    return dict(sorted(((reason, int(count)) for reason, count in rows), key=lambda pair: (-pair[1], pair[0])))
