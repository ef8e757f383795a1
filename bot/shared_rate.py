"""One send budget for every `sotong worker` of a bot, kept in Redis (SOTONG_REDIS_URL).

The same rule as bot/rate.py, on Redis's clock: a send starts only while the sends in flight
plus those answered within the last window (one second at rates of one and more) are fewer than
the rate, counted over every worker. Each check and start is one Lua script, which Redis runs
alone, so two workers never both take the last place. A 429's retry_after pauses every worker
(a key that expires then), and a chat's next message waits a second after the answer to its
last, whichever worker sent it (a key per chat).

A worker killed mid-send leaves its sends counted as in flight: they are forgotten after
STALE seconds (longer than a send may take), so a kill costs the others some of the budget
for that long, never more than the budget.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import math
import secrets

from redis.asyncio import Redis
from redis.commands.core import AsyncScript
from redis.exceptions import RedisError

from bot.failures import first_line
from bot.rate import CHAT_SPACING, Pacing

log = logging.getLogger(__name__)
STALE = 120.0  # seconds after which a send still counted in flight is taken for lost (aiogram's timeout is 60)
MICRO = 1_000_000

# KEYS: in flight (token -> start), finished (token -> answer), pause. ARGV: capacity, window (µs),
# token, stale (µs). Returns 0 when the send may start, else the µs to wait before asking again.
ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local paused = redis.call('PTTL', KEYS[3])
if paused > 0 then return paused * 1000 end
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[4]))
if redis.call('ZCARD', KEYS[1]) + redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[1]) then
  local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  if oldest[2] then return math.max(1000, tonumber(oldest[2]) + window - now) end
  return 10000
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], math.ceil(tonumber(ARGV[4]) / 1000))
return 0
"""
# KEYS: in flight, finished. ARGV: token, window (µs).
RELEASE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], now, ARGV[1])
redis.call('PEXPIRE', KEYS[2], math.ceil(tonumber(ARGV[2]) / 1000) + 1000)
return 1
"""
# KEYS: pause. ARGV: ms. A pause only ever grows.
PAUSE = """
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], 1, 'PX', ARGV[1])
end
return 1
"""


class RedisPacer:
    """bot/rate.py's Pacer over Redis: `key` names the budget (one per bot and rate)."""

    def __init__(self, redis: Redis, key: str, rate: float) -> None:
        if rate <= 0:
            raise ValueError("the send rate must be positive")
        self.redis = redis
        self.key = key
        self.capacity = max(1, math.floor(rate))
        self.window = math.ceil(self.capacity / rate * MICRO)
        self.keys = [f"{key}:in_flight", f"{key}:finished"]
        self.pause_key = f"{key}:paused"
        self._acquire = redis.register_script(ACQUIRE)
        self._release = redis.register_script(RELEASE)
        self._pause = redis.register_script(PAUSE)
        self.me = secrets.token_hex(6)
        self.counter = itertools.count()
        self.tokens: list[str] = []  # this process's sends in flight, oldest first
        # One coroutine of this process asks Redis at a time; the others queue here in order.
        self.turn = asyncio.Lock()
        self.down = False

    async def acquire(self) -> None:
        token = f"{self.me}:{next(self.counter)}"
        async with self.turn:
            while True:
                wait = await self._ask(self._acquire, [*self.keys, self.pause_key],
                                       [self.capacity, self.window, token, int(STALE * MICRO)])
                if wait == 0:
                    self.tokens.append(token)
                    return
                await asyncio.sleep(min(wait / MICRO, 1.0) if wait > 0 else 0.5)

    async def release(self) -> None:
        token = self.tokens.pop(0)  # any of ours: they are counted alike
        await self._ask(self._release, self.keys, [token, self.window], once=True)

    async def pause(self, seconds: float) -> None:
        await self._ask(self._pause, [self.pause_key], [max(1, math.ceil(seconds * 1000))], once=True)

    async def _ask(self, script: AsyncScript, keys: list[str], args: list[str | int], once: bool = False) -> int:
        """Runs a script; while Redis is unreachable, waits and tries again (sending waits with
        it), one log line when it goes and one when it is back. -1: `once` and it failed."""
        delay = 0.1
        while True:
            try:
                result = int(await script(keys=keys, args=args))
            except (RedisError, OSError) as exc:
                if not self.down:
                    log.warning("Redis is unreachable (%s); sending waits until it is back", first_line(exc))
                    self.down = True
                if once:
                    return -1
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            if self.down:
                log.info("Redis is reachable again; sending resumed")
                self.down = False
            return result


class RedisChatSpacing:
    """A key per chat that lives for a second after the answer to its last message."""

    def __init__(self, redis: Redis, key: str, spacing: float = CHAT_SPACING) -> None:
        self.redis = redis
        self.key = key
        self.spacing_ms = math.ceil(spacing * 1000)

    async def wait(self, chat_id: int) -> float:
        try:
            left = int(await self.redis.pttl(f"{self.key}:{chat_id}"))
        except (RedisError, OSError):
            return 0.0  # the pacer waits for Redis itself; a 429 for the chat would pause it anyway
        return max(0, left) / 1000

    async def answered(self, chat_id: int) -> None:
        try:
            await self.redis.set(f"{self.key}:{chat_id}", 1, px=self.spacing_ms)
        except (RedisError, OSError):
            pass


def shared_pacing(redis: Redis, bot_id: int, rate: float, paid_rate: float | None) -> Pacing:
    """The budgets of bot `bot_id`, shared by its workers: keys under sotong:send:<bot id>."""
    base = f"sotong:send:{bot_id}"
    paid = RedisPacer(redis, f"{base}:paid", paid_rate) if paid_rate else None
    return Pacing(RedisPacer(redis, f"{base}:all", rate), paid, RedisChatSpacing(redis, f"{base}:chat"))
