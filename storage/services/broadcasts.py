"""City broadcasts: who may send them, composing and queueing one, pausing, resuming and
cancelling it, and its progress. Every message goes through the outbox and the one sender
(bot/outbox.py); a broadcast's messages wait behind every pending notice."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from storage import rules
from storage.audience import Audience
from storage.city import CityConfig
from storage.clock import Clock, system_clock
from storage.models import Broadcast, BroadcastPhoto, stored_id
from storage.repositories import broadcasts as repository
from storage.repositories.broadcasts import Progress, Summary
from storage.repositories.officials import OfficialsRepository
from storage.vocabulary import LANGUAGES, BroadcastKind, BroadcastState, NoticeKind, Role


class BroadcastRefused(Exception):
    """Not allowed, or not valid: `reason` is a locales key (broadcast-refused-<reason>)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class PhotoSource:
    """A broadcast's photo: Telegram's file_id (composed in the bot) or the file's bytes."""

    file_id: str | None = None
    data: bytes | None = None


# Who may move a broadcast from which state to which.
MOVES: dict[BroadcastState, tuple[str, ...]] = {
    BroadcastState.PAUSED: (BroadcastState.SENDING.value,),
    BroadcastState.SENDING: (BroadcastState.PAUSED.value,),
    BroadcastState.CANCELLED: (BroadcastState.SENDING.value, BroadcastState.PAUSED.value),
}


class BroadcastService:
    def __init__(self, session: AsyncSession, city: CityConfig, clock: Clock = system_clock) -> None:
        self.session = session
        self.city = city
        self.clock = clock
        self.officials = OfficialsRepository(session)

    async def may_broadcast(self, resident_id: int) -> bool:
        """Admins, and officials of the departments the city file names in [broadcasts]."""
        return (await self.officials.grants_of(resident_id)).broadcasts(self.city)

    async def audience_size(self, audience: Audience) -> int:
        audience.check(self.city)
        return await repository.audience_size(self.session, audience)

    def check_texts(self, texts: dict[str, str], photo: PhotoSource | None) -> dict[str, str]:
        """The non-empty texts, each within its limit; raises BroadcastRefused."""
        kept = {language: text.strip() for language, text in texts.items() if language in LANGUAGES and text.strip()}
        if not kept:
            raise BroadcastRefused("empty")
        limit = rules.broadcast_text_max(photo is not None)
        if any(rules.units(text) > limit for text in kept.values()):
            raise BroadcastRefused("too-long")
        if photo and photo.data is not None and len(photo.data) > rules.BROADCAST_PHOTO_MAX_BYTES:
            raise BroadcastRefused("photo-too-big")
        return kept

    async def announce(self, author_id: int | None, texts: dict[str, str], audience: Audience,
                       photo: PhotoSource | None = None, progress_chat_id: int | None = None) -> Broadcast:
        """Checks, stores and queues an announcement to its audience, and commits. `author_id`
        None is the command line (the operator); a resident must be allowed to broadcast."""
        if author_id is not None and not await self.may_broadcast(author_id):
            raise BroadcastRefused("not-allowed")
        kept = self.check_texts(texts, photo)
        audience.check(self.city)
        broadcast = Broadcast(kind=BroadcastKind.ANNOUNCEMENT.value, author_id=author_id, text_ko=kept.get("ko"),
                              text_en=kept.get("en"), audience=audience.to_json(), paid=self.city.broadcasts.paid,
                              progress_chat_id=progress_chat_id, created_at=self.clock())
        return await self.send(broadcast, NoticeKind.BROADCAST, audience, photos=self._photos(photo))

    async def send(self, broadcast: Broadcast, kind: NoticeKind, audience: Audience,
                   photos: dict[str, PhotoSource] | None = None) -> Broadcast:
        """Stores the broadcast and its photos and queues one `kind` message per resident of the
        audience, in one transaction (announcements, polls and poll results all come here)."""
        self.session.add(broadcast)
        await self.session.flush()
        broadcast_id = stored_id(broadcast)
        for language, source in (photos or {}).items():
            self.session.add(BroadcastPhoto(broadcast_id=broadcast_id, language=language,
                                            data=source.data, file_id=source.file_id))
        broadcast.audience_size = await repository.queue(self.session, broadcast_id, kind, audience, self.clock())
        if broadcast.audience_size == 0:
            broadcast.state, broadcast.finished_at = BroadcastState.DONE.value, self.clock()
        await self.session.commit()
        return broadcast

    @staticmethod
    def _photos(photo: PhotoSource | None) -> dict[str, PhotoSource]:
        return {language: photo for language in LANGUAGES} if photo else {}

    async def may_control(self, broadcast_id: int, resident_id: int) -> bool:
        """Its author or an admin may pause, resume or cancel a broadcast (False: no such one)."""
        broadcast = await self.session.get(Broadcast, broadcast_id)
        return broadcast is not None and (broadcast.author_id == resident_id
                                          or await self.officials.has_role(resident_id, Role.ADMIN))

    async def control(self, broadcast_id: int, resident_id: int, to_state: BroadcastState) -> Progress:
        """Pauses, resumes or cancels a broadcast for its author or an admin, and commits.
        Raises BroadcastRefused: not-allowed (someone else's, or no such broadcast), or
        already (it is not in a state it could move from)."""
        if not await self.may_control(broadcast_id, resident_id):
            raise BroadcastRefused("not-allowed")
        if not await repository.move(self.session, broadcast_id, MOVES[to_state], to_state, self.clock()):
            await self.session.rollback()
            raise BroadcastRefused("already")
        await self.session.commit()
        return await repository.progress(self.session, broadcast_id)

    async def control_as_operator(self, broadcast_id: int, to_state: BroadcastState) -> bool:
        """The command line's pause, resume and cancel."""
        moved = await repository.move(self.session, broadcast_id, MOVES[to_state], to_state, self.clock())
        await self.session.commit()
        return moved

    async def progress(self, broadcast_id: int) -> Progress:
        return await repository.progress(self.session, broadcast_id)

    async def recent(self, limit: int = 20) -> list[Summary]:
        """The last broadcasts with their progress, newest first (the command line's list)."""
        return await repository.recent(self.session, limit)

    async def state_of(self, broadcast_id: int) -> str | None:
        """The broadcast's state (BroadcastState), None when there is no such broadcast."""
        return (await repository.states(self.session, {broadcast_id})).get(broadcast_id)

    async def finish_done(self, now: dt.datetime) -> list[int]:
        done = await repository.finish_done(self.session, now)
        await self.session.commit()
        return done
