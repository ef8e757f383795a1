"""Endorsing, following and discussing a proposal, and the threshold move they can cause.

Every action here is one short transaction on the session, ended (commit or rollback)
before the method returns, so no lock or connection outlives it. The rules an action needs
are written once, as the conditions of storage.repositories.participation, and checked
under the item's row lock; a refusal is explained by asking which of them failed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.city import Moderation
from storage.clock import Clock
from storage.lifecycle import FILER_WITHDRAWS, GOAL_REACHED, Kind, Status, can_move
from storage.models import Item, stored_id
from storage.repositories.participation import (
    NOT_FILED_BY_RESIDENT,
    VISIBLE,
    VISIBLE_PROPOSAL,
    ParticipationRepository,
    Rules,
    at_stage,
)
from storage.rules import COMMENT_MAX
from storage.services import limits, status
from storage.services.items import Card
from storage.vocabulary import FollowReason, Stance


class Outcome(StrEnum):
    DONE = "done"
    ALREADY = "already"          # endorsing twice, or withdrawing what was never given
    OWN_ITEM = "own_item"        # a filer endorsing their own proposal
    CLOSED = "closed"            # not (or no longer) at the stage that allows it
    UNAVAILABLE = "unavailable"  # no such item, private, hidden, or not a proposal
    LIMITED = "limited"          # past the city's comments-per-hour limit: see Result.until


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    count: int | None = None
    moved_to: str | None = None  # set when this action moved the proposal to a new stage
    card: Card | None = None  # the item as the resident sees it afterwards, when at hand
    until: dt.datetime | None = None  # LIMITED: when the resident may comment again


ENDORSING: Rules = (VISIBLE_PROPOSAL, NOT_FILED_BY_RESIDENT, at_stage(Status.COLLECTING))
WITHDRAWING: Rules = (VISIBLE_PROPOSAL, at_stage(Status.COLLECTING))
DISCUSSING: Rules = (VISIBLE_PROPOSAL, at_stage(Status.DISCUSSION))


class ParticipationService:
    def __init__(self, session: AsyncSession, clock: Clock, moderation: Moderation | None = None) -> None:
        self.session = session
        self.repo = ParticipationRepository(session)
        self.clock = clock
        self.moderation = moderation or Moderation()  # the city file's limits (defaults without one)

    async def endorse(self, item_id: int, resident_id: int) -> Result:
        """Counts first (the row lock, with the rules re-checked under it), then stores the
        endorsement; either refusing rolls both back. The result carries the card as it
        stands afterwards, so the reply needs no more queries."""
        now = self.clock()
        item = await self.repo.count_endorsement(item_id, ENDORSING, resident_id, now)
        if item is None or not await self.repo.add_endorsement(item_id, resident_id, now):
            return await self._refuse_endorsement(item_id, resident_id, now)
        moved = await self._cross_threshold(item, now)
        await self.repo.follow(item_id, resident_id, FollowReason.ENDORSED, now)
        await self.session.commit()
        return Result(Outcome.DONE, item.endorsement_count, moved, Card(item, True, True, None, {}))

    async def _cross_threshold(self, item: Item, now: dt.datetime) -> Status | None:
        """The update that brought a collecting proposal to its goal opens its discussion.
        Only one update can: the row lock orders them, and the next one finds it closed."""
        if item.endorsement_goal is None or item.endorsement_count < item.endorsement_goal:
            return None
        if item.status != GOAL_REACHED[0] or not can_move(item.kind, *GOAL_REACHED):
            return None
        note = f"threshold reached: {item.endorsement_goal} endorsements"
        if not await status.move(self.session, stored_id(item), item.kind, *GOAL_REACHED, "system", note, now=now):
            return None
        item.status = GOAL_REACHED[1]
        item.stage_deadline = now + dt.timedelta(days=item.discussion_days or 0)
        await self.repo.open_discussion(stored_id(item), item.stage_deadline, now)
        return GOAL_REACHED[1]

    async def _refuse_endorsement(self, item_id: int, resident_id: int, now: dt.datetime) -> Result:
        """Why the endorsement was not stored, with the card, read before the rollback."""
        outcome = Outcome(await self.repo.refusal(item_id, ENDORSING, resident_id, now) or Outcome.ALREADY)
        if outcome is Outcome.UNAVAILABLE:
            await self.session.rollback()
            return Result(outcome)
        item = await self.repo.item(item_id)
        endorsed, following, _ = await self.repo.relations(item_id, resident_id)
        await self.session.rollback()
        assert item is not None
        return Result(outcome, item.endorsement_count, card=Card(item, endorsed, following, None, {}))

    async def withdraw(self, item_id: int, resident_id: int) -> Result:
        """The endorsement's mirror: uncount under the lock, then delete the row."""
        now = self.clock()
        counted = await self.repo.uncount_endorsement(item_id, WITHDRAWING, resident_id, now)
        if counted is None:
            refusal = await self.repo.refusal(item_id, WITHDRAWING, resident_id, now)
            return await self._refuse(Outcome(refusal or Outcome.CLOSED))
        if not await self.repo.remove_endorsement(item_id, resident_id):
            await self.session.rollback()
            return Result(Outcome.ALREADY, counted.endorsement_count + 1)
        await self.session.commit()
        return Result(Outcome.DONE, counted.endorsement_count)

    async def _refuse(self, outcome: Outcome) -> Result:
        """Ends the transaction, so no connection or lock outlives a refusal."""
        await self.session.rollback()
        return Result(outcome)

    async def retract(self, item_id: int, resident_id: int) -> Result:
        """The filer withdraws their proposal while it is still collecting endorsements."""
        item = await self.repo.lock_item(item_id, (), resident_id, self.clock())
        if item is None or item.resident_id != resident_id or item.kind != Kind.PROPOSAL:
            return await self._refuse(Outcome.UNAVAILABLE)
        moved = await status.move(
            self.session, item_id, item.kind, *FILER_WITHDRAWS, f"resident:{resident_id}",
            "withdrawn by the filer", resident_id=resident_id, now=self.clock())
        await self.session.commit()
        return Result(Outcome.DONE if moved else Outcome.CLOSED)

    async def follow(self, item_id: int, resident_id: int) -> Result:
        if await self.repo.lock_item(item_id, (VISIBLE,), resident_id, self.clock()) is None:
            return await self._refuse(Outcome.UNAVAILABLE)
        added = await self.repo.follow(item_id, resident_id, FollowReason.ASKED, self.clock())
        await self.session.commit()
        return Result(Outcome.DONE if added else Outcome.ALREADY)

    async def unfollow(self, item_id: int, resident_id: int) -> Result:
        if await self.repo.lock_item(item_id, (VISIBLE,), resident_id, self.clock()) is None:
            return await self._refuse(Outcome.UNAVAILABLE)
        removed = await self.repo.unfollow(item_id, resident_id)
        await self.session.commit()
        return Result(Outcome.DONE if removed else Outcome.ALREADY)

    async def take_stance(self, item_id: int, resident_id: int, stance: str, comment: str | None) -> Result:
        """One stance per resident, which they may change; the first one makes them a participant."""
        if stance not in tuple(Stance):
            raise ValueError(f"unknown stance {stance!r}")
        if comment is not None and not 0 < len(comment) <= COMMENT_MAX:
            raise ValueError("comment length")
        now = self.clock()
        item = await self.repo.lock_item(item_id, DISCUSSING, resident_id, now)
        if item is None:
            refusal = await self.repo.refusal(item_id, DISCUSSING, resident_id, now)
            return await self._refuse(Outcome(refusal or Outcome.CLOSED))
        if comment is not None:
            try:
                await limits.check(self.session, limits.Limit.COMMENTS, resident_id, now, self.moderation)
            except limits.LimitReached as reached:
                await self.session.rollback()
                return Result(Outcome.LIMITED, until=reached.until)
        count = item.participant_count
        if await self.repo.add_stance(item_id, resident_id, stance, comment, now):
            count = await self.repo.count_participant(item_id, now)
        else:
            await self.repo.change_stance(item_id, resident_id, stance, comment, now)
        await self.repo.follow(item_id, resident_id, FollowReason.DISCUSSED, now)
        await self.session.commit()
        return Result(Outcome.DONE, count)
