"""Conversation state in memory (no Redis configured), bounded.

aiogram's MemoryStorage keeps a record for every resident who ever wrote (reading the state
creates one) and SimpleEventIsolation a lock for each: about 70 MB for 2,000 residents, never
given back. Here a record exists only while it holds a state or data and is dropped once
untouched for SOTONG_DRAFT_TTL, the lifetime drafts have in Redis; a lock exists only while an
update of that resident runs or waits."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiogram.exceptions import DataNotDictLikeError
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage, StateType, StorageKey

SWEEP_EVERY = 600.0  # seconds between looks for expired records (the expired are ignored meanwhile)


@dataclass
class _Record:
    state: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    touched: float = 0.0


class ExpiringMemoryStorage(BaseStorage):
    def __init__(self, ttl: float, now: Callable[[], float] = time.monotonic) -> None:
        self.ttl, self.now = ttl, now
        self.records: dict[StorageKey, _Record] = {}
        self.swept = now()

    def _get(self, key: StorageKey) -> _Record:
        record = self.records.get(key)
        if record is None or self.now() - record.touched > self.ttl:
            return _Record()
        return record

    def _put(self, key: StorageKey, record: _Record) -> None:
        now = self.now()
        if record.state is None and not record.data:
            self.records.pop(key, None)
        else:
            record.touched = now
            self.records[key] = record
        if now - self.swept >= min(SWEEP_EVERY, self.ttl):
            self.swept = now
            self.records = {k: r for k, r in self.records.items() if now - r.touched <= self.ttl}

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        record = self._get(key)
        record.state = state.state if isinstance(state, State) else state
        self._put(key, record)

    async def get_state(self, key: StorageKey) -> str | None:
        return self._get(key).state

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        if not isinstance(data, dict):
            raise DataNotDictLikeError(f"Data must be a dict or dict-like object, got {type(data).__name__}")
        record = self._get(key)
        record.data = data.copy()
        self._put(key, record)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return self._get(key).data.copy()

    async def close(self) -> None:
        self.records.clear()


@dataclass
class _Lock:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    holders: int = 0  # updates running or waiting


class ResidentLocks(BaseEventIsolation):
    """One update at a time per resident, like SimpleEventIsolation, forgetting idle locks."""

    def __init__(self) -> None:
        self.locks: dict[StorageKey, _Lock] = {}

    @asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncGenerator[None, None]:
        entry = self.locks.setdefault(key, _Lock())
        entry.holders += 1
        try:
            async with entry.lock:
                yield
        finally:
            entry.holders -= 1
            if entry.holders == 0:
                self.locks.pop(key, None)  # gone already if the storage was closed meanwhile

    async def close(self) -> None:
        self.locks.clear()
