"""The progress message of a broadcast composed in the bot: its counts and the estimate of the
time left, and the worker's job that keeps it up to date through the outbox.

The estimate: the messages still pending divided by the rate this broadcast was sent at over
the last ETA_WINDOW (sent messages by their `sent_at`; over less when the broadcast is
younger). None while paused, or before anything was sent in that window.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.city import CityConfig
from storage.clock import Clock, system_clock
from storage.repositories import broadcast_progress as repository
from storage.repositories.broadcast_progress import Watched
from storage.repositories.broadcasts import Progress
from storage.repositories.outbox import Notice, enqueue
from storage.services.broadcasts import BroadcastService
from storage.vocabulary import LANGUAGES, BroadcastState, NoticeKind

ETA_WINDOW = dt.timedelta(seconds=30)
# A broadcast that ended longer ago than this gets no more edits (its last one showed the end).
TOLD_FOR = dt.timedelta(hours=1)
COUNTS = ("total", "sent", "failed", "blocked", "pending", "cancelled")


@dataclass(frozen=True)
class ProgressReport:
    """What the progress message shows."""

    broadcast_id: int
    state: str
    progress: Progress
    seconds_left: int | None  # None: paused, ended, or no pace measured yet

    @property
    def finished(self) -> bool:
        return self.state in (BroadcastState.DONE.value, BroadcastState.CANCELLED.value)

    def args(self, message_id: int) -> dict[str, Any]:
        """As a BROADCAST_PROGRESS notice's args."""
        counts = {name: getattr(self.progress, name) for name in COUNTS}
        return {"broadcast": self.broadcast_id, "message": message_id, "state": self.state,
                "seconds_left": self.seconds_left, **counts}

    @classmethod
    def of_args(cls, args: dict[str, Any]) -> ProgressReport:
        progress = Progress(**{name: int(args[name]) for name in COUNTS})
        return cls(int(args["broadcast"]), str(args["state"]), progress, args.get("seconds_left"))

    def dedupe_key(self) -> str:
        """One edit per broadcast, state and counts: the same counts are never queued twice."""
        p = self.progress
        return f"progress:{self.broadcast_id}:{self.state}:{p.sent}:{p.failed}:{p.blocked}:{p.pending}:{p.cancelled}"


def estimate(state: str, pending: int, sent_lately: int, age: dt.timedelta) -> int | None:
    """Seconds left at the pace of the last ETA_WINDOW (or of the broadcast's age when shorter)."""
    if state != BroadcastState.SENDING.value:
        return None
    if not pending:
        return 0
    span = min(max(age.total_seconds(), 1.0), ETA_WINDOW.total_seconds())
    rate = sent_lately / span
    return math.ceil(pending / rate) if rate > 0 else None


class ProgressService:
    def __init__(self, session: AsyncSession, clock: Clock = system_clock) -> None:
        self.session = session
        self.clock = clock

    async def report(self, broadcast_id: int) -> ProgressReport | None:
        found = await repository.one(self.session, broadcast_id)
        if found is None:
            return None
        return (await self._reports([found]))[found.id]

    async def remember_message(self, broadcast_id: int, chat_id: int, message_id: int) -> None:
        await repository.remember_message(self.session, broadcast_id, chat_id, message_id)

    async def forget_message(self, broadcast_id: int, message_id: int) -> None:
        """Its sender deleted the progress message: the broadcast goes on, unwatched. The caller
        commits (the sender, with the edit's row)."""
        await repository.forget_message(self.session, broadcast_id, message_id)

    async def queue_edits(self) -> int:
        """Queues one BROADCAST_PROGRESS notice for each progress message whose broadcast's state
        or counts changed since its last one, and commits. Returns how many it queued."""
        now = self.clock()
        watched = await repository.watched(self.session, now - TOLD_FOR)
        reports = await self._reports(watched)
        notices = [Notice(w.chat_id, w.author_id, w.language or LANGUAGES[0], NoticeKind.BROADCAST_PROGRESS,
                          reports[w.id].args(w.message_id), reports[w.id].dedupe_key())
                   for w in watched if w.chat_id is not None and w.message_id is not None]
        queued = await repository.queued_keys(self.session, [n.dedupe_key for n in notices if n.dedupe_key])
        fresh = [notice for notice in notices if notice.dedupe_key not in queued]
        await enqueue(self.session, fresh, now)
        await self.session.commit()
        return len(fresh)

    async def _reports(self, watched: list[Watched]) -> dict[int, ProgressReport]:
        now = self.clock()
        ids = [w.id for w in watched]
        progresses = await repository.progresses(self.session, ids)
        lately = await repository.sent_since(self.session, ids, now - ETA_WINDOW)
        return {w.id: ProgressReport(w.id, w.state, progresses[w.id],
                                     estimate(w.state, progresses[w.id].pending, lately.get(w.id, 0),
                                              now - w.created_at))
                for w in watched}


async def report_progress(session_factory: async_sessionmaker[AsyncSession], city: CityConfig, clock: Clock) -> int:
    """The worker's job: marks finished broadcasts done, then queues the progress messages'
    edits. Returns how many edits it queued."""
    async with session_factory() as session:
        await BroadcastService(session, city, clock).finish_done(clock())
        return await ProgressService(session, clock).queue_edits()
