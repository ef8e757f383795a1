"""Moderators' queue and decisions on what reports hid.

Every decision reads the moderator role in the database in the transaction that acts, locks
the target's row, and refuses a target that another moderator already decided (the first
decision wins; the second press is told who made it). A target waits in the queue while it is
hidden, has open reports, and no decision was made since its latest report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import desc, func, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.clock import Clock
from storage.models import Item, ModerationRecord, Report, Resident, Stance, StatusEvent, stored_id, table_of
from storage.repositories.officials import OfficialsRepository
from storage.repositories.outbox import Notice, enqueue
from storage.services import status
from storage.services.bans import FOREVER, BanService
from storage.services.reports import MODERATOR_ACTOR, Target, load_target, reason_counts, target_args
from storage.vocabulary import ModerationDecision, NoticeKind, ReportTarget, Role

reports = table_of(Report)
records = table_of(ModerationRecord)
stances = table_of(Stance)
items = table_of(Item)
events = table_of(StatusEvent)


class BanLength(StrEnum):
    DAY = "day"
    WEEK = "week"
    FOREVER = "forever"


BAN_DURATIONS = {BanLength.DAY: dt.timedelta(days=1), BanLength.WEEK: dt.timedelta(days=7)}


def ban_until(length: BanLength, now: dt.datetime) -> dt.datetime:
    return FOREVER if length == BanLength.FOREVER else now + BAN_DURATIONS[length]


class DecisionOutcome(StrEnum):
    DONE = "done"
    NOT_MODERATOR = "not_moderator"  # no moderator role now: nothing changes
    DECIDED = "decided"              # another decision came first: `by` says whose
    UNAVAILABLE = "unavailable"      # no such target, or nothing to decide on it


@dataclass(frozen=True)
class PastDecision:
    moderator: str  # the moderator's name, or "" for the city's platform
    decision: str
    created_at: dt.datetime
    banned_until: dt.datetime | None = None


@dataclass(frozen=True)
class DecisionResult:
    outcome: DecisionOutcome
    by: PastDecision | None = None
    until: dt.datetime | None = None  # a ban's end


@dataclass
class Case:
    """A hidden target waiting for a decision, as a moderator sees it."""

    target: Target
    reasons: dict[str, int]
    reported_at: dt.datetime
    past: list[PastDecision] = field(default_factory=list)

    def args(self) -> dict[str, Any]:
        return {**target_args(self.target), "reasons": self.reasons,
                "past": [{"moderator": p.moderator, "decision": p.decision} for p in self.past]}


class ModerationService:
    def __init__(self, session: AsyncSession, clock: Clock, bans: BanService | None = None) -> None:
        self.session = session
        self.clock = clock
        # The bot passes its BanService, which forgets the banned resident's cached row.
        self.bans = bans or BanService(session)
        self.officials = OfficialsRepository(session)

    async def is_moderator(self, resident_id: int) -> bool:
        return (await self.officials.grants_of(resident_id)).moderates

    async def queue(self, limit: int) -> tuple[list[Case], int]:
        """The oldest `limit` cases waiting (by their latest report) and how many wait in all."""
        latest = func.max(reports.c.created_at)
        statement = (select(reports.c.target, reports.c.target_id, latest.label("latest"))
                     .where(reports.c.cleared_at.is_(None)).group_by(reports.c.target, reports.c.target_id)
                     .order_by(latest, reports.c.target_id))
        cases = []
        for row in (await self._execute(statement)).all():
            case = await self._pending(ReportTarget(row.target), row.target_id, row.latest)
            if case is not None:
                cases.append(case)
        return cases[:limit], len(cases)

    async def case(self, kind: ReportTarget, target_id: int) -> Case | None:
        latest = await self._latest_report(kind, target_id)
        return await self._pending(kind, target_id, latest) if latest else None

    async def decide(self, moderator_id: int, kind: ReportTarget, target_id: int, decision: ModerationDecision,
                     ban: BanLength | None = None) -> DecisionResult:
        """Applies the decision in one transaction, committed or rolled back before returning."""
        try:
            result = await self._decide(moderator_id, kind, target_id, decision, ban, self.clock())
            if result.outcome is DecisionOutcome.DONE:
                await self.session.commit()
            return result
        finally:
            await self.session.rollback()

    async def _decide(self, moderator_id: int, kind: ReportTarget, target_id: int, decision: ModerationDecision,
                      ban: BanLength | None, now: dt.datetime) -> DecisionResult:
        if not await self.is_moderator(moderator_id):
            return DecisionResult(DecisionOutcome.NOT_MODERATOR)
        if (decision == ModerationDecision.BAN) != (ban is not None):
            return DecisionResult(DecisionOutcome.UNAVAILABLE)
        await self._lock(kind, target_id)
        case = await self.case(kind, target_id)
        if case is None:
            past = await self.history(kind, target_id)
            return DecisionResult(DecisionOutcome.DECIDED, past[-1]) if past else DecisionResult(DecisionOutcome.UNAVAILABLE)
        target = case.target
        until = ban_until(ban, now) if ban is not None else None
        if decision == ModerationDecision.RESTORE:
            if not await self._restore(target, moderator_id, now):
                return DecisionResult(DecisionOutcome.UNAVAILABLE)
        elif until is not None:
            if target.author_id is None:  # filed through Open311: there is no resident to ban
                return DecisionResult(DecisionOutcome.UNAVAILABLE)
            await self.bans.ban(target.author_id, until)
        top = next(iter(case.reasons), None)
        await self._execute(records.insert().values(
            target=kind.value, target_id=target_id, item_id=stored_id(target.item), moderator_id=moderator_id,
            decision=decision.value, banned_until=until, note=top, created_at=now))
        await self._tell(case, moderator_id, decision, until, top, now)
        return DecisionResult(DecisionOutcome.DONE, until=until)

    async def history(self, kind: ReportTarget, target_id: int) -> list[PastDecision]:
        """Every decision on the target, oldest first, with the moderator's name."""
        names = table_of(Resident)
        statement = (select(records, names.c.full_name).outerjoin(names, names.c.id == records.c.moderator_id)
                     .where(records.c.target == kind.value, records.c.target_id == target_id)
                     .order_by(records.c.id))
        return [PastDecision(row.full_name or "", row.decision, row.created_at, row.banned_until)
                for row in (await self._execute(statement)).all()]

    async def _pending(self, kind: ReportTarget, target_id: int, latest: dt.datetime) -> Case | None:
        target = await load_target(self.session, kind, target_id)
        if target is None or not target.hidden:
            return None
        past = await self.history(kind, target_id)
        if any(p.created_at >= latest for p in past):
            return None
        return Case(target, await reason_counts(self.session, kind, target_id), latest, past)

    async def _latest_report(self, kind: ReportTarget, target_id: int) -> dt.datetime | None:
        statement = select(func.max(reports.c.created_at)).where(
            reports.c.target == kind.value, reports.c.target_id == target_id, reports.c.cleared_at.is_(None))
        latest: dt.datetime | None = (await self._execute(statement)).scalar()
        return latest

    async def _lock(self, kind: ReportTarget, target_id: int) -> None:
        """The target's row lock (PostgreSQL): two moderators deciding at once take turns, and
        the second finds the first's decision. SQLite's writer takes its lock at BEGIN."""
        table = items if kind == ReportTarget.ITEM else stances
        await self._execute(select(table.c.id).where(table.c.id == target_id).with_for_update())

    async def _restore(self, target: Target, moderator_id: int, now: dt.datetime) -> bool:
        actor = f"{MODERATOR_ACTOR}{moderator_id}"
        if target.kind == ReportTarget.ITEM:
            hiding = await self._execute(select(events.c.from_status).where(
                events.c.item_id == target.target_id, events.c.to_status == target.item.status)
                .order_by(desc(events.c.id)).limit(1))
            previous = hiding.scalar()
            if previous is None:
                return False
            if not await status.restore(self.session, target.target_id, target.item.kind, previous, actor, now,
                                        told=True):
                return False
        else:
            await self._execute(update(stances).where(stances.c.id == target.target_id).values(hidden=False))
        await self._execute(update(reports).where(
            reports.c.target == target.kind.value, reports.c.target_id == target.target_id,
            reports.c.cleared_at.is_(None)).values(cleared_at=now))
        return True

    async def _tell(self, case: Case, moderator_id: int, decision: ModerationDecision, until: dt.datetime | None,
                    reason: str | None, now: dt.datetime) -> None:
        """The author hears the outcome; the other moderators hear who decided what."""
        target = case.target
        key = f"{target.kind.value}:{target.target_id}:{now.isoformat()}"
        item = target.item
        notices = []
        author = await self.session.get(Resident, target.author_id) if target.author_id is not None else None
        if author is not None and not author.blocked:
            state = "restored" if decision == ModerationDecision.RESTORE else "kept"
            told = {"target": target.kind.value, "number": item.public_number, "title": item.title,
                    "item_id": stored_id(item), "state": state, "reason": reason,
                    "banned_until": until.isoformat() if until else None}
            notices.append(Notice.to(author, NoticeKind.MODERATED, told, f"moderated:{key}:{decision.value}"))
        moderator = await self.session.get(Resident, moderator_id)
        decided = {**target_args(target), "decided": decision.value, "moderator": moderator.full_name if moderator else "",
                   "banned_until": until.isoformat() if until else None}
        for other in await self.officials.holders(Role.MODERATOR):
            if other.id != moderator_id and not other.blocked:
                notices.append(Notice.to(other, NoticeKind.MODERATION, decided, f"decided:{key}:{other.id}"))
        await enqueue(self.session, notices, now)

    async def _execute(self, statement: Any) -> Any:
        return await (await self.session.connection()).execute(statement)
