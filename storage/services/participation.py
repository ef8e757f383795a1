"""Endorsing, following and discussing a proposal, and the threshold move they can cause."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from types import SimpleNamespace

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.clock import Clock
from storage.lifecycle import Kind, Status
from storage.models import Item
from storage.repositories import endorsing
from storage.repositories.participation import ParticipationRepository
from storage.rules import COMMENT_MAX
from storage.services import status
from storage.services.items import Card
from storage.visibility import is_public
from storage.vocabulary import FollowReason, Stance


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
    card: Card | None = None  # the item as the resident sees it afterwards, when at hand


def _card(row: dict) -> Card:
    """The card from the endorse row. A plain namespace, not an ORM Item: it is only read."""
    values = {k: row[k] for k in Item.model_fields if k in row}
    if row["inserted"]:
        values.update(endorsement_count=row["new_count"], status=row["new_status"],
                      stage_deadline=row["new_deadline"])
    item = SimpleNamespace(**values)
    endorsed = bool(row["endorsed_before"] or row["inserted"])
    following = bool(row["following_before"] or row["inserted"])
    return Card(item, endorsed, following, None, {})


class ParticipationService:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.repo = ParticipationRepository(session)
        self.clock = clock

    async def endorse(self, item_id: int, resident_id: int) -> Result:
        """Endorses in one round trip (PostgreSQL) or one short transaction (SQLite); the
        result carries the card as it stands afterwards, so the reply needs no more queries."""
        row = await self._endorse_row(item_id, resident_id, self.clock())
        if row is None:
            return Result(Outcome.UNAVAILABLE)
        card = _card(row)
        if not row["inserted"]:
            refusal = self._endorsable(card.item, resident_id, self.clock())
            return Result(refusal or Outcome.ALREADY, card.item.endorsement_count, card=card)
        return Result(Outcome.DONE, card.item.endorsement_count,
                      Status.DISCUSSION if row["crossed"] else None, card=card)

    async def _endorse_row(self, item_id: int, resident_id: int, now: dt.datetime) -> dict | None:
        engine = self.session.bind
        endorse = endorsing.endorse_postgres if engine.dialect.name == "postgresql" else endorsing.endorse_sqlite
        # Each runs its own transaction on the driver connection (see storage.repositories.endorsing).
        async with engine.connect() as connection:
            return await endorse(connection, item_id, resident_id, now)

    @staticmethod
    def _endorsable(item, resident_id: int, now: dt.datetime) -> Outcome | None:  # type: ignore[no-untyped-def]
        if not is_public(item) or item.kind != Kind.PROPOSAL:
            return Outcome.UNAVAILABLE
        if item.resident_id == resident_id:
            return Outcome.OWN_ITEM
        if item.status != Status.COLLECTING or item.stage_deadline <= now:
            return Outcome.CLOSED
        return None

    async def withdraw(self, item_id: int, resident_id: int) -> Result:
        now = self.clock()
        item = await self.repo.item_state(item_id)
        if not is_public(item) or item.kind != Kind.PROPOSAL:
            return await self._refuse(Outcome.UNAVAILABLE)
        if item.status != Status.COLLECTING or item.stage_deadline <= now:
            return await self._refuse(Outcome.CLOSED)
        if not await self.repo.remove_endorsement(item_id, resident_id):
            await self.session.rollback()
            return Result(Outcome.ALREADY, item.endorsement_count)
        counted = await self.repo.uncount_endorsement(item_id, now)
        if counted is None:
            await self.session.rollback()
            return Result(Outcome.CLOSED)
        await self.session.commit()
        return Result(Outcome.DONE, counted.endorsement_count)

    async def _refuse(self, outcome: Outcome) -> Result:
        """Ends the read-only transaction, so no connection or lock outlives a refusal."""
        await self.session.commit()
        return Result(outcome)

    async def retract(self, item_id: int, resident_id: int) -> Result:
        """The filer withdraws their proposal while it is still collecting endorsements."""
        item = await self.repo.item_state(item_id)
        if item is None or item.resident_id != resident_id or item.kind != Kind.PROPOSAL:
            return await self._refuse(Outcome.UNAVAILABLE)
        moved = await status.move(
            self.session, item_id, item.kind, Status.COLLECTING, Status.WITHDRAWN, f"resident:{resident_id}",
            "withdrawn by the filer", resident_id=resident_id, now=self.clock())
        await self.session.commit()
        return Result(Outcome.DONE if moved else Outcome.CLOSED)

    async def follow(self, item_id: int, resident_id: int) -> Result:
        if not is_public(await self.repo.item_state(item_id)):
            return await self._refuse(Outcome.UNAVAILABLE)
        added = await self.repo.follow(item_id, resident_id, FollowReason.ASKED, self.clock())
        await self.session.commit()
        return Result(Outcome.DONE if added else Outcome.ALREADY)

    async def unfollow(self, item_id: int, resident_id: int) -> Result:
        if not is_public(await self.repo.item_state(item_id)):
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
        item = await self.repo.item_state(item_id)
        if not is_public(item) or item.kind != Kind.PROPOSAL:
            return await self._refuse(Outcome.UNAVAILABLE)
        if item.status != Status.DISCUSSION or item.stage_deadline <= now:
            return await self._refuse(Outcome.CLOSED)
        count = item.participant_count
        if await self.repo.add_stance(item_id, resident_id, stance, comment, now):
            counted = await self.repo.count_participant(item_id, now)
            if counted is None:
                await self.session.rollback()
                return Result(Outcome.CLOSED)
            count = counted.participant_count
        else:
            await self.repo.change_stance(item_id, resident_id, stance, comment, now)
        await self.repo.follow(item_id, resident_id, FollowReason.DISCUSSED, now)
        await self.session.commit()
        return Result(Outcome.DONE, count)
