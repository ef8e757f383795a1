"""Long polling: the way `sotong run` serves residents."""

from __future__ import annotations

import logging

from bot.app import Application
from bot.settings import ConfigurationError
from storage.migrate import pending, upgrade

log = logging.getLogger(__name__)


async def prepare_database(app: Application) -> None:
    """Brings the schema up to date, or with SOTONG_AUTO_MIGRATE=false refuses to serve an
    out-of-date one: handlers would fail on every update instead."""
    if app.settings.auto_migrate:
        await upgrade(app.engine)
        return
    missing = await pending(app.engine)
    if missing:
        raise ConfigurationError(
            f"the database lacks migrations {', '.join(missing)} and SOTONG_AUTO_MIGRATE=false: "
            "run `sotong migrate` first"
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
