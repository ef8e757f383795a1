"""bot/dedupe.py on its own: each update handled once, in Redis shared by processes or in one
process's memory; a claim of a process that died is taken over; Redis failing lets updates through."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
from aiogram.types import Update
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from bot.dedupe import DONE, MemoryLedger, OnceOnly, RedisLedger, update_key
from tests.backends import redis_server

BOT = SimpleNamespace(id=4242)


class Counter:
    def __init__(self, fails: bool = False) -> None:
        self.calls = 0
        self.fails = fails

    async def __call__(self, event: object, data: dict) -> str:
        self.calls += 1
        await asyncio.sleep(0.05)
        if self.fails:
            raise RuntimeError("the handler failed")
        return "handled"


@pytest.fixture(params=["memory", "redis"])
async def ledger(request):
    if request.param == "memory":
        yield MemoryLedger()
        return
    async with redis_server() as url:
        client = Redis.from_url(url)
        yield RedisLedger(client)
        await client.aclose()


async def test_an_update_is_handled_once_however_often_and_however_at_once_it_comes(ledger):
    once, handler = OnceOnly(ledger), Counter()
    results = await asyncio.gather(*(once(handler, Update(update_id=1), {"bot": BOT}) for _ in range(5)))
    assert handler.calls == 1
    assert sorted(results, key=str) == [None, None, None, None, "handled"]
    assert await once(handler, Update(update_id=1), {"bot": BOT}) is None
    assert await once(handler, Update(update_id=2), {"bot": BOT}) == "handled"
    assert handler.calls == 2


async def test_a_failed_handling_is_released_for_the_next_delivery(ledger):
    once = OnceOnly(ledger)
    with pytest.raises(RuntimeError):
        await once(Counter(fails=True), Update(update_id=7), {"bot": BOT})
    handler = Counter()
    assert await once(handler, Update(update_id=7), {"bot": BOT}) == "handled"


async def test_the_claim_of_a_process_that_died_is_taken_over(ledger):
    key = update_key(BOT.id, 9)
    assert await ledger.claim(key, "dead-process", 0.3) == "dead-process"  # never renewed
    handler = Counter()
    assert await OnceOnly(ledger, claim_seconds=5)(handler, Update(update_id=9), {"bot": BOT}) == "handled"
    assert handler.calls == 1


async def test_a_live_holder_is_left_to_finish(ledger):
    key = update_key(BOT.id, 11)
    assert await ledger.claim(key, "live-process", 0.3) == "live-process"

    async def renewing() -> None:
        for _ in range(10):
            await asyncio.sleep(0.1)
            await ledger.renew(key, "live-process", 0.3)

    keeper = asyncio.create_task(renewing())
    handler = Counter()
    assert await OnceOnly(ledger, wait_seconds=0.6)(handler, Update(update_id=11), {"bot": BOT}) is None
    assert handler.calls == 0
    await keeper
    await ledger.settle(key, 60)
    assert await ledger.claim(key, "another", 1) == DONE


async def test_redis_failing_lets_the_update_through():
    class Broken:
        async def claim(self, *args: object) -> str:
            raise RedisConnectionError("Connection refused")

    handler = Counter()
    assert await OnceOnly(Broken())(handler, Update(update_id=3), {"bot": BOT}) == "handled"  # type: ignore[arg-type]


async def test_memory_keeps_a_bounded_number_of_updates():
    ledger = MemoryLedger(size=3)
    once, handler = OnceOnly(ledger), Counter()
    for update_id in range(1, 5):
        await once(handler, Update(update_id=update_id), {"bot": BOT})
    assert len(ledger.entries) == 3
    await once(handler, Update(update_id=1), {"bot": BOT})  # forgotten: handled again
    assert handler.calls == 5
