"""Each update handled once across every process of the bot, also when Telegram delivers it
again (a webhook answer that came too late, a process killed before it answered).

The first process to see an update claims it (Redis `SET NX` on
`sotong:<bot id>:update:<update id>`), renews the claim while it works, and marks it done for
24 hours (how long Telegram keeps an update) when it has handled it. Another delivery of it:

- done: dropped, and answered as handled so that Telegram stops retrying;
- claimed by a live process: waits for that one to finish, then is dropped;
- claimed by a process that died (its claim was not renewed and expired): taken over and
  handled, so an update whose handling was cut short by a crash is not lost;
- handling failed with an exception: the claim is released, so a later delivery handles it.

Redis failing: fail-open, the update is handled. Failing closed would drop every update
while Redis is down, and the resident would get no answer at all; failing open risks a
double handling only if Redis is down *and* Telegram delivers the same update twice, and the
handlers themselves then refuse a second endorsement or vote (unique keys). Without Redis
(one process) a bounded table in memory stands in for it.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update
from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]

CLAIM_SECONDS = 15.0  # a claim lapses this long after its holder last renewed it
RENEW_SECONDS = 5.0
DONE_SECONDS = 24 * 3600  # Telegram keeps an undelivered update for 24 hours
WAIT_SECONDS = CLAIM_SECONDS + 5.0  # how long a second delivery waits for the holder
POLL_SECONDS = 0.05
DONE = "done"
LEDGER_ERRORS = (RedisError, OSError, TimeoutError)


def update_key(bot_id: int, update_id: int) -> str:
    return f"sotong:{bot_id}:update:{update_id}"


class Ledger(Protocol):
    async def claim(self, key: str, token: str, seconds: float) -> str:
        """Claims the key for `token` unless it is held; returns what it holds now
        (`token` when the claim was taken, DONE, or another process's token)."""

    async def renew(self, key: str, token: str, seconds: float) -> None: ...

    async def settle(self, key: str, seconds: float) -> None:
        """Marks the update done."""

    async def release(self, key: str, token: str) -> None: ...


# Compare and act in one step: a claim that lapsed and was taken over is not touched.
CLAIM = "local v = redis.call('get', KEYS[1]) if v then return v end " \
        "redis.call('set', KEYS[1], ARGV[1], 'px', ARGV[2]) return ARGV[1]"
RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('pexpire', KEYS[1], ARGV[2]) end return 1"
RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('del', KEYS[1]) end return 1"


class RedisLedger:
    """Shared by every process using the same Redis."""

    def __init__(self, redis: Redis) -> None:
        self.redis = redis
        self._claim = redis.register_script(CLAIM)
        self._renew = redis.register_script(RENEW)
        self._release = redis.register_script(RELEASE)

    async def claim(self, key: str, token: str, seconds: float) -> str:
        held = await self._claim(keys=[key], args=[token, int(seconds * 1000)])
        return held.decode() if isinstance(held, bytes) else str(held)

    async def renew(self, key: str, token: str, seconds: float) -> None:
        await self._renew(keys=[key], args=[token, int(seconds * 1000)])

    async def settle(self, key: str, seconds: float) -> None:
        await self.redis.set(key, DONE, ex=int(seconds))

    async def release(self, key: str, token: str) -> None:
        await self._release(keys=[key], args=[token])


class MemoryLedger:
    """One process's own: at most `size` updates remembered, the oldest forgotten first."""

    def __init__(self, size: int = 100_000) -> None:
        self.size = size
        self.entries: OrderedDict[str, tuple[str, float]] = OrderedDict()

    async def claim(self, key: str, token: str, seconds: float) -> str:
        held = self.entries.get(key)
        if held is not None and held[1] > time.monotonic():
            return held[0]
        self._put(key, token, seconds)
        return token

    async def renew(self, key: str, token: str, seconds: float) -> None:
        if self.entries.get(key, ("", 0.0))[0] == token:
            self._put(key, token, seconds)

    async def settle(self, key: str, seconds: float) -> None:
        self._put(key, DONE, seconds)

    async def release(self, key: str, token: str) -> None:
        if self.entries.get(key, ("", 0.0))[0] == token:
            del self.entries[key]

    def _put(self, key: str, value: str, seconds: float) -> None:
        self.entries[key] = (value, time.monotonic() + seconds)
        self.entries.move_to_end(key)
        while len(self.entries) > self.size:
            self.entries.popitem(last=False)


class OnceOnly(BaseMiddleware):
    """The first middleware of all (before aiogram's own error handling and conversation
    state): a duplicate costs one Redis call and nothing else."""

    def __init__(self, ledger: Ledger, claim_seconds: float = CLAIM_SECONDS, renew_seconds: float = RENEW_SECONDS,
                 wait_seconds: float = WAIT_SECONDS) -> None:
        self.ledger = ledger
        self.claim_seconds = claim_seconds
        self.renew_seconds = renew_seconds
        self.wait_seconds = wait_seconds

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        bot = data.get("bot")
        if not isinstance(event, Update) or bot is None:
            return await handler(event, data)
        key, token = update_key(bot.id, event.update_id), secrets.token_hex(8)
        try:
            mine = await self._claim(key, token)
        except LEDGER_ERRORS as exc:
            log.warning("update %s: cannot tell whether another process handled it (%s: %s); handling it",
                        event.update_id, type(exc).__name__, exc)
            return await handler(event, data)
        if not mine:
            log.info("update %s was delivered again and is handled elsewhere or already: dropped", event.update_id)
            return None
        renewing = asyncio.create_task(self._renew(key, token))
        try:
            result = await handler(event, data)
        except BaseException:
            renewing.cancel()
            await self._quietly(self.ledger.release(key, token))
            raise
        renewing.cancel()
        await self._quietly(self.ledger.settle(key, DONE_SECONDS))
        return result

    async def _claim(self, key: str, token: str) -> bool:
        """True when this process is to handle the update."""
        deadline = time.monotonic() + self.wait_seconds
        while True:
            held = await self.ledger.claim(key, token, self.claim_seconds)
            if held == token:
                return True
            if held == DONE or time.monotonic() > deadline:
                # Past the deadline the holder is alive (it keeps renewing) and will finish.
                return False
            await asyncio.sleep(POLL_SECONDS)

    async def _renew(self, key: str, token: str) -> None:
        while True:
            await asyncio.sleep(self.renew_seconds)
            await self._quietly(self.ledger.renew(key, token, self.claim_seconds))

    @staticmethod
    async def _quietly(step: Awaitable[None]) -> None:
        try:
            await step
        except LEDGER_ERRORS as exc:
            log.warning("the record of handled updates could not be updated (%s: %s)", type(exc).__name__, exc)
