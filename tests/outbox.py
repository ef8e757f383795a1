"""Delivering what the bot queued, in end-to-end tests: what `sotong worker` does, once.

The fan-out of new status events and answers, then the real sender (bot/outbox.py) with its
rate limits, against the harness's fake Bot API server. The other periodic jobs (the sweep,
reminders, "Is it fixed?") are left to the tests that are about them.
"""

from __future__ import annotations

from bot.outbox import create_sender, sending_bot
from bot.worker import fan_out
from storage.services import notifications


async def deliver(harness) -> int:  # type: ignore[no-untyped-def]
    """Fans out and sends everything due; returns how many messages were sent."""
    app = harness.app
    while await fan_out(app.session_factory, app.city, harness.clock) >= notifications.BATCH:
        pass
    bot = sending_bot(harness.fake.token, harness.fake.base_url)
    sender = await create_sender(app.session_factory, app.city, bot, app.settings.default_locale, harness.clock)
    try:
        return await sender.send_due()
    finally:
        await sender.close()
