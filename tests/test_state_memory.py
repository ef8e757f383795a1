"""Conversation state kept in memory stays bounded: nothing for residents who hold no state,
and nothing for those idle beyond the draft lifetime."""

from __future__ import annotations

import asyncio

from aiogram.fsm.storage.base import StorageKey

from bot.state_storage import ExpiringMemoryStorage, ResidentLocks


def key(resident: int) -> StorageKey:
    return StorageKey(bot_id=1, chat_id=resident, user_id=resident)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_reading_a_resident_without_state_keeps_nothing():
    storage = ExpiringMemoryStorage(ttl=3600)
    for resident in range(2000):
        assert await storage.get_state(key(resident)) is None
        assert await storage.get_data(key(resident)) == {}
    assert storage.records == {}


async def test_state_lives_until_idle_beyond_the_lifetime():
    clock = Clock()
    storage = ExpiringMemoryStorage(ttl=100, now=clock)
    await storage.set_state(key(1), "filing:title")
    await storage.update_data(key(1), {"draft": {"title": "Crosswalk"}})
    clock.now = 90
    assert await storage.get_data(key(1)) == {"draft": {"title": "Crosswalk"}}
    await storage.set_data(key(2), {"browse": {"page": 2}})
    clock.now = 150  # resident 1 idle for 150 s, resident 2 for 60 s
    assert await storage.get_state(key(1)) is None and await storage.get_data(key(1)) == {}
    assert await storage.get_data(key(2)) == {"browse": {"page": 2}}
    await storage.set_state(key(3), "discussion:comment")  # a write sweeps the expired away
    assert set(storage.records) == {key(2), key(3)}
    await storage.set_state(key(3), None)
    await storage.set_data(key(2), {})
    assert storage.records == {}


async def test_locks_serialise_one_resident_and_are_forgotten():
    locks = ResidentLocks()
    order: list[str] = []

    async def update(resident: int, name: str) -> None:
        async with locks.lock(key(resident)):
            order.append(f"{name} in")
            await asyncio.sleep(0.01)
            order.append(f"{name} out")

    await asyncio.gather(update(1, "a"), update(1, "b"), *(update(r, "x") for r in range(2, 2000)))
    assert order.index("a out") < order.index("b in")
    assert locks.locks == {}
