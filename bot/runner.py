"""Long polling: the way `sotong run` serves residents."""

from __future__ import annotations

import logging

from bot.app import Application
from bot.startup import check_redis, ensure_schema
from bot.telegram import PollingOutageLog, remove_webhook, telegram_host, wait_for_telegram

log = logging.getLogger(__name__)


async def prepare_database(app: Application) -> None:
    """The schema check every command shares (see bot.startup.ensure_schema)."""
    await ensure_schema(app.engine, auto_migrate=app.settings.auto_migrate)


async def run_polling(app: Application, *, handle_signals: bool = True) -> None:
    """Checks the database and Redis, waits for Telegram, then polls until stopped; closes
    everything on the way out."""
    outages = PollingOutageLog()
    logging.getLogger("aiogram.dispatcher").addFilter(outages)
    try:
        await prepare_database(app)
        # The outage answer promises a kept draft only when the state storage can keep it.
        app.dispatcher["drafts_kept"] = await check_redis(app.dispatcher.storage, app.settings.redis_url)
        me = await wait_for_telegram(app.bot, telegram_host(app.settings.telegram_api_url))
        await remove_webhook(app.bot)
        log.info("Sotong is running as @%s for %s", me.username, app.city.city.name_en)
        await app.dispatcher.start_polling(
            app.bot,
            polling_timeout=app.settings.polling_timeout,
            handle_signals=handle_signals,
            allowed_updates=app.dispatcher.resolve_used_update_types(),
            close_bot_session=False,
            tasks_concurrency_limit=app.settings.max_concurrent_updates,
        )
    finally:
        logging.getLogger("aiogram.dispatcher").removeFilter(outages)
        await app.close()
