"""Queueing messages for `sotong worker` to send (bot/outbox.py sends them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import OutboxMessage, Resident, stored_id, table_of
from storage.repositories.base import insert_for
from storage.vocabulary import NoticeKind, OutboxState

outbox = table_of(OutboxMessage)


@dataclass(frozen=True)
class Notice:
    """One message to one resident, rendered in their language when it is sent."""

    chat_id: int
    resident_id: int | None
    language: str
    kind: NoticeKind
    args: dict[str, Any] = field(default_factory=dict)
    # Queued once: a second notice with the same key is ignored (fan-out retried, worker restarted).
    dedupe_key: str | None = None

    @classmethod
    def to(cls, resident: Resident, kind: NoticeKind, args: dict[str, Any], dedupe_key: str | None = None) -> Notice:
        return cls(resident.telegram_id, stored_id(resident), resident.language, kind, args, dedupe_key)


async def enqueue(session: AsyncSession, notices: list[Notice], now: dt.datetime) -> None:
    """Adds the notices to the outbox in the caller's transaction (one already queued under
    the same dedupe_key is skipped). Notices for one chat are sent in the order queued."""
    if not notices:
        return
    rows = [dict(chat_id=n.chat_id, resident_id=n.resident_id, kind=n.kind.value, language=n.language,
                 args=n.args, dedupe_key=n.dedupe_key, state=OutboxState.PENDING.value, attempts=0,
                 not_before=now, created_at=now) for n in notices]
    statement = insert_for(session, outbox).on_conflict_do_nothing(index_elements=["dedupe_key"])
    connection = await session.connection()
    await connection.execute(statement, rows)
