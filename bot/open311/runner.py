"""`sotong api`: the Open311 API served over HTTP until stopped (Ctrl-C or SIGTERM)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger
from aiohttp.web import BaseRequest, StreamResponse

from bot.app import create_bot
from bot.open311.app import PREFIX, build_app, settle_heap, standalone_app
from bot.open311.media import TelegramFiles
from bot.settings import Settings, require_token
from bot.signals import until_stopped
from bot.startup import ensure_schema
from storage.city import CityConfig
from storage.database import create_engine

log = logging.getLogger(__name__)


class PathOnlyAccessLog(AbstractAccessLogger):
    """One line per request without its query string: a client may send its api_key there."""

    def log(self, request: BaseRequest, response: StreamResponse, time: float) -> None:
        self.logger.info("%s %s %s %d %.1f ms", request.remote, request.method, request.path, response.status,
                         time * 1000)

    @property
    def enabled(self) -> bool:
        return self.logger.isEnabledFor(logging.INFO)


def changeset_of(settings: Settings) -> dt.datetime:
    """When the services last changed: they come from the city file."""
    return dt.datetime.fromtimestamp(settings.city_config.stat().st_mtime, dt.UTC)


async def serve_api(settings: Settings, city: CityConfig, host: str, port: int,
                    started: Callable[[str], None] | None = None, stop: asyncio.Event | None = None) -> None:
    """Serves until `stop` is set or the process gets SIGINT or SIGTERM. Without a bot token
    the API serves no photos (media_url stays empty)."""
    engine = create_engine(settings.database_url)
    files = TelegramFiles(create_bot(require_token(settings), settings.telegram_api_url)) \
        if settings.bot_token is not None else None
    runner: web.AppRunner | None = None
    try:
        await ensure_schema(engine, auto_migrate=settings.auto_migrate)
        app = standalone_app(build_app(engine, city, files=files, public_url=settings.api_public_url,
                                       changeset=changeset_of(settings), default_locale=settings.default_locale))
        runner = web.AppRunner(app, access_log_class=PathOnlyAccessLog, shutdown_timeout=5)
        await runner.setup()
        await web.TCPSite(runner, host, port).start()
        settle_heap()
        address = f"http://{host}:{runner.addresses[0][1]}"
        log.info("Open311 API for %s at %s%s/discovery.xml%s", city.city.name_en, address, PREFIX,
                 "" if files else " (no SOTONG_BOT_TOKEN: no photos)")
        if started is not None:
            started(address)
        await until_stopped(stop or asyncio.Event())
    finally:
        if runner is not None:
            await runner.cleanup()
        if files is not None:
            await files.close()
        await engine.dispose()
