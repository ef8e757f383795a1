"""Delivering queued notices in end-to-end tests, until `sotong worker`'s sender takes over.

Renders each pending outbox row with bot.notices.render, as the sender will, and sends it
with the running bot; rows of kinds nobody renders yet stay pending.
"""

from __future__ import annotations

from aiogram.exceptions import TelegramForbiddenError
from sqlmodel import col, select

from bot.i18n import create_core
from bot.notices import RENDERERS, Outgoing, Texts, load_renderers, render
from storage.models import OutboxMessage
from storage.types import utcnow
from storage.vocabulary import NoticeKind, OutboxState


async def deliver(harness) -> int:  # type: ignore[no-untyped-def]
    """Sends every pending notice that has a renderer; returns how many were sent."""
    app = harness.app
    core = create_core(app.settings.default_locale)
    await core.startup()
    load_renderers()
    sent = 0
    async with app.session_factory() as session:
        rows = (await session.exec(select(OutboxMessage).where(OutboxMessage.state == OutboxState.PENDING)
                                   .order_by(col(OutboxMessage.id)))).all()
        for row in rows:
            if NoticeKind(row.kind) not in RENDERERS:
                continue
            outgoing = Outgoing(row.chat_id, row.args, Texts(core, row.language), app.city, row.resident_id)
            try:
                await app.bot(render(row.kind, outgoing))
            except TelegramForbiddenError:
                row.state = OutboxState.DROPPED.value
                continue
            row.state, row.sent_at = OutboxState.SENT.value, utcnow()
            sent += 1
        await session.commit()
    return sent
