"""Sends what the outbox holds, for end-to-end tests, until the worker's sender is wired in:
each pending row rendered by bot.notices.render and sent through the running bot."""

from __future__ import annotations

import json

from sqlalchemy import text

from bot.i18n import create_core
from bot.notices import Outgoing, Texts, render


async def deliver(harness) -> int:  # type: ignore[no-untyped-def]
    """Sends every pending outbox message in the order queued; returns how many."""
    app = harness.app
    core = create_core(app.settings.default_locale)
    await core.startup()
    async with app.engine.connect() as connection:
        rows = (await connection.execute(text(
            "SELECT id, chat_id, kind, language, args FROM outbox WHERE state = 'pending' ORDER BY id"))).all()
    for row in rows:
        args = row.args if isinstance(row.args, dict) else json.loads(row.args)
        method = render(row.kind, Outgoing(row.chat_id, args, Texts(core, row.language), app.city))
        await app.bot(method)
        async with app.engine.begin() as connection:
            await connection.execute(text("UPDATE outbox SET state = 'sent', sent_at = CURRENT_TIMESTAMP "
                                          "WHERE id = :id"), {"id": row.id})
    return len(rows)
