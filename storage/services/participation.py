"""Endorsing, following and discussing a proposal, and the threshold move they can cause."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.engine import Row
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.clock import Clock
from storage.lifecycle import Status
from storage.repositories.participation import ParticipationRepository

SYSTEM = "system"
STANCES = ("support", "oppose", "neutral")
COMMENT_MAX = 1000


class Outcome(StrEnum):
    DONE = "done"
    ALREADY = "already"          # endorsing twice, or withdrawing what was never given
    OWN_ITEM = "own_item"        # a filer endorsing their own proposal
    CLOSED = "closed"            # not (or no longer) at the stage that allows it
    UNAVAILABLE = "unavailable"  # no such item, private, hidden, or not a proposal


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    count: int | None = None
    moved_to: str | None = None  # set when this action moved the proposal to a new stage


def visible(item: Row | None) -> bool:
    return item is not None and not item.is_private and item.status != Status.HIDDEN


class ParticipationService:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.repo = ParticipationRepository(session)
        self.clock = clock

    async def endorse(self, item_id: int, resident_id: int) -> Result:
        now = self.clock()
        item = await self.repo.item_state(item_id)
        refusal = self._endorsable(item, resident_id, now)
        if refusal:
            return Result(refusal)
        if not await self.repo.add_endorsement(item_id, resident_id, now):
            await self.session.rollback()
            return Result(Outcome.ALREADY, item.endorsement_count)
        deadline = now + dt.timedelta(days=item.discussion_days or 30)
        counted = await self.repo.count_endorsement(item_id, resident_id, now, deadline)
        if counted is None:  # the stage ended between our read and our write
            await self.session.rollback()
            return Result(Outcome.CLOSED)
        moved = counted.status == Status.DISCUSSION
        if moved:
            note = f"{counted.endorsement_count}/{item.endorsement_goal} endorsements"
            await self.repo.record_move(item_id, Status.COLLECTING, Status.DISCUSSION, SYSTEM, note, now)
        await self.repo.follow(item_id, resident_id, "endorsed", now)
        await self.session.commit()
        return Result(Outcome.DONE, counted.endorsement_count, Status.DISCUSSION if moved else None)

    @staticmethod
    def _endorsable(item: Row | None, resident_id: int, now: dt.datetime) -> Outcome | None:
        if not visible(item) or item.kind != "proposal":
            return Outcome.UNAVAILABLE
        if item.resident_id == resident_id:
            return Outcome.OWN_ITEM
        if item.status != Status.COLLECTING or item.stage_deadline <= now:
            return Outcome.CLOSED
        return None

    async def withdraw(self, item_id: int, resident_id: int) -> Result:
        now = self.clock()
        item = await self.repo.item_state(item_id)
        if not visible(item) or item.kind != "proposal":
            return Result(Outcome.UNAVAILABLE)
        if item.status != Status.COLLECTING or item.stage_deadline <= now:
            return Result(Outcome.CLOSED)
        if not await self.repo.remove_endorsement(item_id, resident_id):
            await self.session.rollback()
            return Result(Outcome.ALREADY, item.endorsement_count)
        counted = await self.repo.uncount_endorsement(item_id, now)
        if counted is None:
            await self.session.rollback()
            return Result(Outcome.CLOSED)
        await self.session.commit()
        return Result(Outcome.DONE, counted.endorsement_count)

    async def follow(self, item_id: int, resident_id: int) -> Result:
        if not visible(await self.repo.item_state(item_id)):
            return Result(Outcome.UNAVAILABLE)
        added = await self.repo.follow(item_id, resident_id, "asked", self.clock())
        await self.session.commit()
        return Result(Outcome.DONE if added else Outcome.ALREADY)

    async def unfollow(self, item_id: int, resident_id: int) -> Result:
        if not visible(await self.repo.item_state(item_id)):
            return Result(Outcome.UNAVAILABLE)
        removed = await self.repo.unfollow(item_id, resident_id)
        await self.session.commit()
        return Result(Outcome.DONE if removed else Outcome.ALREADY)

    async def take_stance(self, item_id: int, resident_id: int, stance: str, comment: str | None) -> Result:
        """One stance per resident, which they may change; the first one makes them a participant."""
        if stance not in STANCES:
            raise ValueError(f"unknown stance {stance!r}")
        if comment is not None and not 0 < len(comment) <= COMMENT_MAX:
            raise ValueError("comment length")
        now = self.clock()
        item = await self.repo.item_state(item_id)
        if not visible(item) or item.kind != "proposal":
            return Result(Outcome.UNAVAILABLE)
        if item.status != Status.DISCUSSION or item.stage_deadline <= now:
            return Result(Outcome.CLOSED)
        count = item.participant_count
        if await self.repo.add_stance(item_id, resident_id, stance, comment, now):
            counted = await self.repo.count_participant(item_id, now)
            if counted is None:
                await self.session.rollback()
                return Result(Outcome.CLOSED)
            count = counted.participant_count
        else:
            await self.repo.change_stance(item_id, resident_id, stance, comment, now)
        await self.repo.follow(item_id, resident_id, "discussed", now)
        await self.session.commit()
        return Result(Outcome.DONE, count)
