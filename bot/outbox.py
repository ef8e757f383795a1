"""The outbox's sender: the one place the bot sends messages on its own initiative.

It reads due `outbox` rows in id order, renders each in its resident's language
(bot/notices.py) and sends it within Telegram's limits: at most `rate` messages a second in all
(bot/rate.py) and one a second to any one chat, a chat's messages one after another in id order.

Delivery is at least once. A row is marked sent right after Telegram accepts it, and a send
holds one of `concurrency` slots from before its request until that mark is committed; so a
process killed at any moment leaves pending only what it had not sent plus at most
`concurrency` messages Telegram may already have accepted, which the next run sends again.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramForbiddenError, TelegramRetryAfter
from aiogram_i18n.cores import FluentRuntimeCore
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import async_sessionmaker

from bot.failures import first_line
from bot.i18n import create_core
from bot.notices import Outgoing, Texts, render
from bot.rate import Pacer
from storage.city import CityConfig
from storage.clock import Clock, system_clock
from storage.repositories import delivery
from storage.repositories.delivery import Due

log = logging.getLogger(__name__)
# A database that is down, restarting or unreachable (not a bug: no traceback for these).
OUTAGE = (OSError, TimeoutError, OperationalError, InterfaceError)
CHAT_SPACING = 1.0  # seconds between the answer to one message and the next to the same chat


@dataclass(frozen=True)
class SendPolicy:
    rate: float = 25.0  # messages a second in all (SOTONG_SEND_RATE)
    concurrency: int = 16  # sends at once; also the most a kill can make repeat
    max_attempts: int = 5  # failed sends (not 429s) before a message is marked failed
    backoff: float = 2.0  # seconds before the first retry; doubled each time
    per_chat_queue: int = 2  # a chat's messages held in memory at once
    idle_poll: float = 0.5  # seconds between looks at an empty outbox

    @property
    def queue(self) -> int:
        """Messages held in memory: about two seconds' worth."""
        return max(100, int(self.rate * 2))


class SentMarks:
    """Marks accepted messages sent, many in one transaction (one commit per row would cap the
    rate at what the database commits a second); each send still waits for its own commit."""

    def __init__(self, store: Callable[..., Awaitable[None]], clock: Clock) -> None:
        self.store = store
        self.clock = clock
        self.waiting: list[tuple[int, asyncio.Future[None]]] = []
        self.flusher: asyncio.Task[None] | None = None

    async def mark(self, message_id: int) -> None:
        done = asyncio.get_running_loop().create_future()
        self.waiting.append((message_id, done))
        if self.flusher is None or self.flusher.done():
            self.flusher = asyncio.create_task(self._flush())
        await done

    async def _flush(self) -> None:
        while self.waiting:
            batch, self.waiting = self.waiting, []
            try:
                await self.store(delivery.mark_sent, [message_id for message_id, _ in batch], self.clock())
            except Exception as exc:
                for _, done in batch:
                    if not done.done():
                        done.set_exception(exc)
            else:
                for _, done in batch:
                    if not done.done():
                        done.set_result(None)


@dataclass
class Lane:
    """One chat's messages, sent one after another."""

    rows: deque[Due] = field(default_factory=deque)
    task: asyncio.Task[None] | None = None


class Sender:
    def __init__(self, session_factory: async_sessionmaker, city: CityConfig, bot: Bot,
                 core: FluentRuntimeCore, clock: Clock = system_clock, policy: SendPolicy = SendPolicy()) -> None:
        self.session_factory = session_factory
        self.city = city
        self.bot = bot
        self.core = core
        self.clock = clock
        self.policy = policy
        self.pacer = Pacer(policy.rate)
        self.slots = asyncio.Semaphore(policy.concurrency)
        self.marks = SentMarks(self._store, clock)
        self.lanes: dict[int, Lane] = {}
        self.taken: set[int] = set()
        # Rows let go of while a fill's query ran: its snapshot may be older than their commit.
        self.let_go: set[int] = set()
        self.chat_free_at: dict[int, float] = {}  # (pacer time) when a chat may get its next message
        self.sent = 0
        self.stopping = False

    # -- the loops (bot/worker.py runs them) -----------------------------------
    def wants_rows(self) -> bool:
        return not self.stopping and len(self.taken) <= self.policy.queue // 2

    def pause(self) -> float:
        """Seconds until the next look at the table."""
        return 0.05 if self.taken else self.policy.idle_poll

    async def send_due(self) -> int:
        """Sends everything due now (and what becomes due meanwhile); returns how many were sent."""
        before = self.sent
        while True:
            added = await self.fill() if self.wants_rows() else 0
            if not added and not self.lanes:
                return self.sent - before
            await asyncio.sleep(self.pause())

    async def close(self, grace: float = 5.0) -> None:
        """Starts nothing new; waits up to `grace` seconds for sends already started."""
        self.stopping = True
        tasks = [lane.task for lane in self.lanes.values() if lane.task]
        if tasks:
            _done, pending = await asyncio.wait(tasks, timeout=grace)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        await self.bot.session.close()

    async def fill(self) -> int:
        """Takes due rows into the chats' lanes; returns how many new ones it took."""
        room = self.policy.queue - len(self.taken)
        if room <= 0 or self.stopping:
            return 0
        self.let_go = set()
        async with self.session_factory() as session:
            rows = await delivery.due(session, self.clock(), len(self.taken) + room, self.policy.per_chat_queue)
            new = [row for row in rows if row.id not in self.taken and row.id not in self.let_go]
            await delivery.drop(session, [row.id for row in new if row.blocked])
        for row in new:
            if not row.blocked:
                self._take(row)
        now = self.pacer.now()
        self.chat_free_at = {chat: at for chat, at in self.chat_free_at.items() if at > now}
        return len(new)

    def _take(self, row: Due) -> None:
        self.taken.add(row.id)
        lane = self.lanes.setdefault(row.chat_id, Lane())
        lane.rows.append(row)
        if len(lane.rows) > 1 and lane.rows[-2].id > row.id:  # committed late, queued earlier
            lane.rows = deque(sorted(lane.rows, key=lambda due: due.id))
        if lane.task is None:
            lane.task = asyncio.create_task(self._drain(row.chat_id, lane))

    # -- one chat -----------------------------------------------------------
    async def _drain(self, chat_id: int, lane: Lane) -> None:
        try:
            while lane.rows and not self.stopping:
                delay = self.chat_free_at.get(chat_id, 0.0) - self.pacer.now()
                if delay > 0:
                    await asyncio.sleep(delay)
                row = lane.rows[0]
                if not await self._send(row):
                    break  # refused, or to be retried later: the chat's next ones wait in the table
                self._let_go([lane.rows.popleft()])
        except Exception:
            log.exception("sending to chat %s failed", chat_id)
        finally:
            self._let_go(lane.rows)
            del self.lanes[chat_id]

    def _let_go(self, rows: Iterable[Due]) -> None:
        ids = {row.id for row in rows}
        self.taken -= ids
        self.let_go |= ids

    async def _send(self, row: Due) -> bool:
        """Sends `row` until Telegram accepts or refuses it; False: the lane stops here."""
        async with self.slots:
            while True:
                await self.pacer.acquire()
                try:
                    await self.bot(self._render(row))
                except TelegramRetryAfter as exc:
                    self.pacer.pause(exc.retry_after)  # every send waits; this one then goes again
                    log.warning("Telegram asked to wait %s s; sending paused", exc.retry_after)
                    continue
                except TelegramForbiddenError:
                    await self._store(delivery.blocked_by, row.chat_id, row.resident_id, self.clock())
                    return False
                except Exception as exc:
                    await self._retry(row, exc)
                    return False
                finally:
                    self.pacer.release()
                    self.chat_free_at[row.chat_id] = self.pacer.now() + CHAT_SPACING
                await self.marks.mark(row.id)
                self.sent += 1
                return True

    def _render(self, row: Due) -> Any:
        texts = Texts(self.core, row.language)
        return render(row.kind, Outgoing(row.chat_id, row.args, texts, self.city, row.resident_id))

    async def _retry(self, row: Due, exc: Exception) -> None:
        attempts, error = row.attempts + 1, f"{type(exc).__name__}: {first_line(exc)}"
        if attempts >= self.policy.max_attempts:
            log.warning("outbox message %s failed %d times, giving up: %s", row.id, attempts, error)
            await self._store(delivery.give_up, row.id, attempts, error)
            return
        wait = self.policy.backoff * 2 ** (attempts - 1)
        await self._store(delivery.retry_later, row.id, attempts, error, self.clock() + dt.timedelta(seconds=wait))

    async def _store(self, write: Any, *args: Any) -> None:
        """Writes what became of a message; while the database is down, tries again, holding
        the slot (a message Telegram accepted must be marked before the slot is free)."""
        delay = 0.1
        while True:
            try:
                async with self.session_factory() as session:
                    await write(session, *args)
                return
            except OUTAGE:
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)


def sending_bot(token: str, api_url: str | None = None) -> Bot:
    """A Bot for the sender: unlike the handlers' (bot/app.py), its session does not retry 429s
    itself, so the sender sees them and pauses every send, not just the one."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_url)) if api_url else AiohttpSession()
    return Bot(token, session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))


async def create_sender(session_factory: async_sessionmaker, city: CityConfig, bot: Bot, default_locale: str,
                        clock: Clock = system_clock, policy: SendPolicy = SendPolicy()) -> Sender:
    core = create_core(default_locale)
    await core.startup()
    return Sender(session_factory, city, bot, core, clock, policy)
