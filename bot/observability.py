"""Monitoring: `/healthz` and `/metrics` (Prometheus' text format) on any of our aiohttp
servers, and the counters behind them.

Each process builds one `Metrics`, with a CollectorRegistry of its own rather than
prometheus_client's global one: the dispatcher's middleware (`UpdateMetrics`) and the outbox's
sender count into the object they are given, so tests and the console can build several bots
and senders in one process without their counts mixing or names clashing.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update
from aiohttp import web
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, PlatformCollector, ProcessCollector
from prometheus_client.aiohttp import make_aiohttp_handler
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.failures import first_line
from storage.clock import Clock, system_clock
from storage.repositories import monitoring

log = logging.getLogger(__name__)

# A check that gets no answer within this many seconds has failed: a probe must not hang on a
# database or Redis that accepts connections and then says nothing.
HEALTH_TIMEOUT = 2.0
# Handling an update takes milliseconds; a slow Telegram or a database outage, seconds.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    """One process's metrics (the names are listed in README.md, "Monitoring")."""

    def __init__(self) -> None:
        self.registry = registry = CollectorRegistry()
        self.updates = Counter("sotong_updates", "Updates handled, by update type", ["type"], registry=registry)
        self.update_errors = Counter("sotong_update_errors", "Updates whose handling raised an error, by update type",
                                     ["type"], registry=registry)
        self.update_seconds = Histogram("sotong_update_duration_seconds",
                                        "Time from an update's arrival in the dispatcher to the end of its handling",
                                        ["type"], buckets=LATENCY_BUCKETS, registry=registry)
        self.outbox_pending = Gauge("sotong_outbox_pending", "Outbox messages waiting to be sent (read at scrape time)",
                                    registry=registry)
        self.outbox_oldest = Gauge("sotong_outbox_oldest_pending_age_seconds",
                                   "Seconds since the oldest waiting outbox message was queued (0: none waits)",
                                   registry=registry)
        self.sent = Counter("sotong_messages_sent", "Outbox messages Telegram accepted", registry=registry)
        self.failed = Counter("sotong_messages_failed", "Outbox messages given up after their last attempt",
                              registry=registry)
        # By who met them: the outbox's sender ("outbox") or the handlers' replies ("replies").
        self.throttled = Counter("sotong_telegram_429", "429 Too Many Requests answers, by sender", ["sender"],
                                 registry=registry)
        self.forbidden = Counter("sotong_telegram_403", "403 Forbidden answers (the bot blocked), by sender",
                                 ["sender"], registry=registry)
        ProcessCollector(registry=registry)  # memory, CPU, open files of this process
        PlatformCollector(registry=registry)

    async def read_outbox(self, engine: AsyncEngine, clock: Clock, timeout: float = HEALTH_TIMEOUT) -> None:
        """Sets the outbox's gauges from the database; NaN when it cannot be read, so a scrape
        during an outage shows no stale figure."""
        try:
            async with asyncio.timeout(timeout), engine.connect() as connection:
                backlog = await monitoring.outbox_backlog(connection, clock())
        except Exception as exc:  # the other metrics are served all the same
            log.debug("outbox depth not read: %s", first_line(exc))
            self.outbox_pending.set(math.nan)
            self.outbox_oldest.set(math.nan)
            return
        self.outbox_pending.set(backlog.pending)
        self.outbox_oldest.set(backlog.oldest_age)


Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class UpdateMetrics(BaseMiddleware):
    """An outer middleware on dp.update: counts each update by type, its time, and the errors
    that leave the handlers (the dispatcher's error handler, outside every middleware, then
    answers the resident)."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        kind = update_type(event)
        started = time.perf_counter()
        try:
            return await handler(event, data)
        except Exception:
            self.metrics.update_errors.labels(kind).inc()
            raise
        finally:
            self.metrics.updates.labels(kind).inc()
            self.metrics.update_seconds.labels(kind).observe(time.perf_counter() - started)


def update_type(event: TelegramObject) -> str:
    if not isinstance(event, Update):
        return "other"
    try:
        return event.event_type
    except LookupError:  # a kind of update newer than this aiogram
        return "other"


class Health:
    """The checks behind /healthz: the database and Redis (when configured) answer in time."""

    def __init__(self, engine: AsyncEngine, redis_url: str | None, timeout: float = HEALTH_TIMEOUT) -> None:
        self.engine = engine
        # A probe reports; it does not retry (redis-py's default would back off for seconds).
        self.redis = Redis.from_url(redis_url, socket_connect_timeout=timeout, socket_timeout=timeout,
                                    retry=Retry(NoBackoff(), 0)) if redis_url else None
        self.timeout = timeout
        self.failing: set[str] = set()

    async def check(self) -> dict[str, str]:
        """Each check's verdict: "ok", "not configured", "timeout" or "unreachable"."""
        names = ["database", "redis"]
        verdicts = await asyncio.gather(self._run("database", self._database()),
                                        self._run("redis", self._redis()) if self.redis else _not_configured())
        return dict(zip(names, verdicts, strict=True))

    async def _database(self) -> None:
        async with self.engine.connect() as connection:
            await monitoring.ping(connection)

    async def _redis(self) -> None:
        assert self.redis is not None
        await self.redis.ping()

    async def _run(self, name: str, check: Awaitable[None]) -> str:
        try:
            async with asyncio.timeout(self.timeout):
                await check
        except (TimeoutError, RedisTimeoutError):  # ours, or Redis' socket timeout of the same length
            return self._failed(name, "timeout", f"no answer within {self.timeout:g} s")
        except Exception as exc:
            return self._failed(name, "unreachable", first_line(exc))
        if name in self.failing:
            self.failing.discard(name)
            log.info("health: %s is reachable again", name)
        return "ok"

    def _failed(self, name: str, verdict: str, detail: str) -> str:
        """One log line when a check starts failing (a probe every few seconds would repeat it)."""
        if name not in self.failing:
            self.failing.add(name)
            log.warning("health: %s check failed (%s)", name, detail)
        return verdict

    async def close(self) -> None:
        if self.redis is not None:
            await self.redis.aclose()


async def _not_configured() -> str:
    return "not configured"


def add_routes(web_app: web.Application, *, engine: AsyncEngine, redis_url: str | None, metrics: Metrics,
               clock: Clock = system_clock, timeout: float = HEALTH_TIMEOUT) -> None:
    """Adds GET /healthz and GET /metrics to `web_app` (any aiohttp application, before it
    starts). /healthz: 200 and {"status": "ok", "checks": {"database": "ok", "redis": ...}}, or
    503 with "status": "unavailable" and the failing check's verdict; never longer than
    `timeout`. /metrics: `metrics`' registry, the outbox's gauges read from the database first."""
    health = Health(engine, redis_url, timeout)
    exposition = make_aiohttp_handler(metrics.registry, disable_compression=True)

    async def healthz(_request: web.Request) -> web.Response:
        checks = await health.check()
        ok = all(verdict in ("ok", "not configured") for verdict in checks.values())
        body = {"status": "ok" if ok else "unavailable", "checks": checks}
        return web.json_response(body, status=200 if ok else 503)

    async def metrics_page(request: web.Request) -> web.StreamResponse:
        await metrics.read_outbox(engine, clock, timeout)
        return await exposition(request)

    async def close_health(_app: web.Application) -> None:
        await health.close()

    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/metrics", metrics_page)
    web_app.on_cleanup.append(close_health)


@asynccontextmanager
async def serving(host: str, port: int | None, *, engine: AsyncEngine, redis_url: str | None,
                  metrics: Metrics) -> AsyncIterator[None]:
    """Serves /healthz and /metrics on host:port beside whatever runs inside (no port: nothing).
    A port in use raises OSError (EADDRINUSE) at once, which the CLI turns into exit status 7."""
    if port is None:
        yield
        return
    web_app = web.Application()
    add_routes(web_app, engine=engine, redis_url=redis_url, metrics=metrics)
    runner = web.AppRunner(web_app, access_log=None)  # a scrape every few seconds is not news
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
        log.info("monitoring on http://%s:%d/healthz and /metrics", host, port)
        yield
    finally:
        await runner.cleanup()
