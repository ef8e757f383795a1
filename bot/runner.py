"""Long polling: the way `sotong run` serves residents."""

from __future__ import annotations

import logging

from bot.app import Application
from storage.migrate import pending, upgrade

log = logging.getLogger(__name__)


async def prepare_database(app: Application) -> None:
    if app.settings.auto_migrate:
        await upgrade(app.engine)
        return
    missing = await pending(app.engine)
    if missing:
        log.warning(
            "the database lacks migrations %s and SOTONG_AUTO_MIGRATE=false: run `sotong migrate`",
            ", ".join(missing),
        )


async def run_polling(app: Application, *, handle_signals: bool = True) -> None:
    """Applies migrations, then polls until stopped; closes everything on the way out."""
    try:
        await prepare_database(app)
        me = await app.bot.me()
        log.info("Sotong is running as @%s for %s", me.username, app.city.city.name_en)
        await app.dispatcher.start_polling(
            app.bot,
            polling_timeout=app.settings.polling_timeout,
            handle_signals=handle_signals,
            allowed_updates=app.dispatcher.resolve_used_update_types(),
            close_bot_session=False,
        )
    finally:
        await app.close()
