"""`sotong run --webhook`: Telegram calls this process over HTTP(S) with each update, through
aiogram's aiohttp webhook support. Several such processes behind one address share nothing
but PostgreSQL and Redis.

An update is answered 200 only once it has been handled (aiogram's `handle_in_background`
off). Telegram waits about a minute for the answer and delivers again an update it got no
2xx for: a process killed mid-update therefore loses nothing, as Telegram hands the update to
another process (bot/dedupe.py lets that one take it over). Answering first and handling
after would be faster to acknowledge but would lose, at every crash, the updates already
acknowledged. The cost is one open connection per update being handled; Telegram opens up
to `max_connections` (40) at once.

The secret token Telegram sends with every call is compared in constant time before the body
is read: without it 401, a wrong one 403, and nothing is processed. A body over
WEBHOOK_BODY_MAX is refused (413), one that is not an update (400), neither with a traceback.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import TelegramMethod
from aiogram.types import Update
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

from bot.app import SHUTDOWN_GRACE_SECONDS, Application
from bot.failures import ConfigurationError
from bot.observability import add_routes
from bot.open311.app import LINE_MAX, PREFIX, build_app
from bot.open311.media import TelegramFiles
from bot.open311.runner import PathOnlyAccessLog, changeset_of
from bot.runner import prepare_database
from bot.settings import Settings
from bot.signals import until_stopped
from bot.startup import check_redis
from bot.telegram import telegram_host, wait_for_telegram
from storage import rules

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram's largest updates (a 4,096-character message with its entities and the message it
# replies to) stay far below this.
WEBHOOK_BODY_MAX = 1024 * 1024


@dataclass(frozen=True)
class WebhookConfig:
    url: str
    secret: str
    host: str
    port: int
    path: str


def webhook_config(settings: Settings) -> WebhookConfig:
    """The webhook's settings, or one line naming what is missing."""
    if settings.webhook_url is None:
        raise ConfigurationError("SOTONG_WEBHOOK_URL is not set: give the public https:// address Telegram "
                                 "calls, e.g. https://bot.example.go.kr/telegram")
    if settings.webhook_secret is None:
        raise ConfigurationError("SOTONG_WEBHOOK_SECRET is not set: webhooks need a secret Telegram sends with "
                                 "every call (1 to 256 characters of A-Z, a-z, 0-9, _ and -), e.g. the output of "
                                 "`openssl rand -hex 32`")
    if not settings.webhook_url.startswith("https://") and settings.telegram_api_url is None:
        raise ConfigurationError("SOTONG_WEBHOOK_URL: Telegram calls only https:// addresses (plain http:// "
                                 "works only with a self-hosted Bot API server, SOTONG_TELEGRAM_API_URL)")
    return WebhookConfig(settings.webhook_url, settings.webhook_secret.get_secret_value(), settings.webhook_host,
                         settings.webhook_port, settings.webhook_path)


class UpdateEndpoint(SimpleRequestHandler):
    """aiogram's handler for one bot, with the checks in front and the update handled before
    the answer (see the module's note)."""

    def __init__(self, application: Application, secret: str) -> None:
        super().__init__(application.dispatcher, application.bot, handle_in_background=False, secret_token=secret)
        self.expected = secret.encode()
        # As with polling, SOTONG_MAX_CONCURRENT_UPDATES at once; more wait, Telegram's connection open.
        self.slots = asyncio.Semaphore(application.settings.max_concurrent_updates)

    def verify_secret(self, telegram_secret_token: str, bot: Bot) -> bool:
        # Bytes, so that a header with any character is compared, in constant time, not refused with an error.
        given = telegram_secret_token.encode("utf-8", "surrogateescape")
        return hmac.compare_digest(given, self.expected)

    async def handle(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER)
        if given is None:
            return web.Response(status=401, text="secret token missing")
        if not self.verify_secret(given, self.bot):
            return web.Response(status=403, text="secret token wrong")
        if request.content_length is not None and request.content_length > WEBHOOK_BODY_MAX:
            return web.Response(status=413, text="update too large")
        body = await request.read()  # past the server's client_max_size: 413
        update = self.parse(body)
        if update is None:
            return web.Response(status=400, text="not a Telegram update")
        try:
            update.event_type  # noqa: B018  (raises for a kind aiogram does not know)
        except LookupError:
            log.info("update %s is of a kind this bot does not handle: ignored", update.update_id)
            return web.json_response({})
        try:
            async with self.slots:
                result = await self.dispatcher.feed_update(self.bot, update, **self.data)
        except Exception:
            # Telegram delivers it again; bot/dedupe.py released it for that delivery.
            log.exception("update %s failed; Telegram will deliver it again", update.update_id)
            return web.Response(status=500, text="failed, deliver again")
        if isinstance(result, TelegramMethod):
            await self.dispatcher.silent_call_request(self.bot, result)
        return web.json_response({})

    def parse(self, body: bytes) -> Update | None:
        try:
            return Update.model_validate(json.loads(body), context={"bot": self.bot})
        except (ValueError, RecursionError):  # bad JSON or UTF-8, and pydantic's ValidationError, are ValueErrors
            return None


@web.middleware
async def open311_limits(request: web.Request, handler: Callable) -> web.StreamResponse:
    """The server takes bodies up to WEBHOOK_BODY_MAX; the Open311 API mounted on it keeps its own limit."""
    if request.path.startswith(PREFIX + "/"):
        request = request.clone(client_max_size=rules.OPEN311_BODY_MAX)
    response: web.StreamResponse = await handler(request)
    return response


def build_webhook_app(application: Application) -> web.Application:
    """The webhook server's application: Telegram's updates at SOTONG_WEBHOOK_PATH, the Open311
    API at /open311/v2, and /healthz and /metrics (bot/observability.py). Mount more routes on it
    before it starts."""
    settings = application.settings
    config = webhook_config(settings)
    root = web.Application(client_max_size=max(WEBHOOK_BODY_MAX, rules.OPEN311_BODY_MAX),
                           middlewares=[open311_limits],
                           handler_args={"max_line_size": LINE_MAX, "max_field_size": LINE_MAX})
    # The dispatcher's shutdown (which waits for the updates being handled) before the
    # endpoint's, which closes the bot's session: aiohttp runs them in this order.
    setup_application(root, application.dispatcher, bot=application.bot)
    UpdateEndpoint(application, config.secret).register(root, path=config.path)
    api = build_app(application.engine, application.city, files=TelegramFiles(application.bot),
                    public_url=settings.api_public_url, changeset=changeset_of(settings), clock=application.clock,
                    default_locale=settings.default_locale)
    root.add_subapp(PREFIX, api)
    add_routes(root, engine=application.engine, redis_url=settings.redis_url, metrics=application.metrics)
    return root


async def run_webhook(application: Application, *, stop: asyncio.Event | None = None,
                      started: Callable[[str], None] | None = None, handle_signals: bool = True) -> None:
    """Checks the database and Redis, waits for Telegram, serves, then tells Telegram where to
    call (setWebhook); serves until `stop` is set or SIGINT/SIGTERM, letting the updates being
    handled finish. The webhook stays set: the other processes behind the address go on."""
    config = webhook_config(application.settings)
    runner: web.AppRunner | None = None
    try:
        await prepare_database(application)
        application.dispatcher["drafts_kept"] = await check_redis(application.dispatcher.storage,
                                                                  application.settings.redis_url)
        me = await wait_for_telegram(application.bot, telegram_host(application.settings.telegram_api_url))
        runner = web.AppRunner(build_webhook_app(application), access_log_class=PathOnlyAccessLog,
                               shutdown_timeout=SHUTDOWN_GRACE_SECONDS)
        await runner.setup()
        await web.TCPSite(runner, config.host, config.port).start()
        address = f"http://{config.host}:{runner.addresses[0][1]}{config.path}"
        await set_webhook(application, config)
        log.info("Sotong is serving @%s for %s at %s; Telegram calls %s", me.username,
                 application.city.city.name_en, address, config.url)
        if started is not None:
            started(address)
        await until_stopped(stop or asyncio.Event(), handle_signals)
    finally:
        if runner is not None:
            await runner.cleanup()
        await application.close()


async def set_webhook(application: Application, config: WebhookConfig) -> None:
    try:
        await application.bot.set_webhook(
            config.url, secret_token=config.secret, drop_pending_updates=False,
            allowed_updates=application.dispatcher.resolve_used_update_types())
    except TelegramBadRequest as exc:
        raise ConfigurationError(f"SOTONG_WEBHOOK_URL: Telegram refused {config.url}: {exc.message}") from None
