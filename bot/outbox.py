"""The outbox's sender: the one place the bot sends messages on its own initiative.

It reads due `outbox` rows in id order, renders each in its resident's language
(bot/notices.py) and sends it within Telegram's limits: at most `rate` messages a second in all
(bot/rate.py) and one a second to any one chat, a chat's messages one after another in id order,
notices before broadcasts (outbox.priority). A broadcast's message is rendered from the
broadcast's content, loaded once per broadcast, and is not sent once its broadcast is paused
or cancelled (the states are read again at every look at the table, every 0.05 s while sending,
so a pause or cancel stops it within the sends in flight and a look's worth).

Delivery is at least once. A row is marked sent right after Telegram accepts it, and a send
holds one of `concurrency` slots from before its request until that mark is committed; so a
process killed at any moment leaves pending only what it had not sent plus at most
`concurrency` messages Telegram may already have accepted, which the next run sends again.

Several workers share the table: each claims the rows it takes (storage/repositories/delivery.py
`claim`, FOR UPDATE SKIP LOCKED on PostgreSQL) for `lease` seconds, renews the claim while it
holds them and sends a row only while its claim has a third of the lease left; a chat's rows
are claimed by one worker at a time. Rows of a killed worker are taken by another once their
lease has passed, so each kill still repeats at most the `concurrency` sends it had in flight.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import secrets
import socket
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError, TelegramRetryAfter
from aiogram_i18n.cores import FluentRuntimeCore
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import async_sessionmaker

from bot.failures import first_line
from bot.i18n import create_core
from bot.notices import Outgoing, Texts, forgetter, render
from bot.observability import Metrics
from bot.rate import Budget, Pacing
from bot.telegram import message_gone
from storage.city import CityConfig
from storage.clock import Clock, system_clock
from storage.repositories import broadcasts, delivery
from storage.repositories.broadcasts import BroadcastContent
from storage.repositories.delivery import Due
from storage.vocabulary import BroadcastState

log = logging.getLogger(__name__)
# A database that is down, restarting or unreachable (not a bug: no traceback for these).
OUTAGE = (OSError, TimeoutError, OperationalError, InterfaceError)
# Telegram's 400 for an edit that would change nothing (a progress message already showing its counts).
NOT_MODIFIED = "message is not modified"


@dataclass(frozen=True)
class SendPolicy:
    rate: float = 25.0  # messages a second in all (SOTONG_SEND_RATE)
    concurrency: int = 16  # sends at once; also the most a kill can make repeat
    max_attempts: int = 5  # failed sends (not 429s) before a message is marked failed
    backoff: float = 2.0  # seconds before the first retry; doubled each time
    per_chat_queue: int = 2  # a chat's messages held in memory at once
    idle_poll: float = 0.5  # seconds between looks at an empty outbox
    # Paid broadcasts (the city file's [broadcasts] paid = true): their own, higher rate.
    # None: paid broadcasts are off and every message keeps to `rate`.
    paid_rate: float | None = None
    # Seconds a worker's claim on the rows it holds lasts (SOTONG_OUTBOX_LEASE); renewed while it
    # holds them. A killed worker's rows wait this long for another worker.
    lease: float = 30.0

    @classmethod
    def of(cls, rate: float, city: CityConfig, **overrides: Any) -> SendPolicy:
        """The policy for a city: paid broadcasts get their own rate only when the city allows them."""
        paid = float(city.broadcasts.paid_rate) if city.broadcasts.paid else None
        return cls(rate=rate, paid_rate=paid, **overrides)

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
                 core: FluentRuntimeCore, clock: Clock = system_clock, policy: SendPolicy = SendPolicy(),
                 pacing: Pacing | None = None, metrics: Metrics | None = None) -> None:
        self.session_factory = session_factory
        self.city = city
        self.bot = bot
        self.core = core
        self.clock = clock
        self.policy = policy
        pacing = pacing or Pacing.local(policy.rate, policy.paid_rate)
        self.pacer, self.paid_pacer, self.chats = pacing.pacer, pacing.paid_pacer, pacing.chats
        # Who claims rows (outbox.claimed_by): unique among the workers sharing the database.
        self.worker = f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(4)}"
        self.lease_end = 0.0  # (loop time) until when the claim on every row held lasts
        self.contents: dict[int, BroadcastContent] = {}
        self.slots = asyncio.Semaphore(policy.concurrency)
        self.marks = SentMarks(self._store, clock)
        self.lanes: dict[int, Lane] = {}
        self.taken: set[int] = set()
        # Rows let go of while a fill's query ran: its snapshot may be older than their commit.
        self.let_go: set[int] = set()
        self.lost: set[int] = set()  # rows held whose claim another worker took (after a stall)
        self.sent = 0
        self.metrics = metrics or Metrics()  # the process's, which /metrics serves
        self.stopping = False

    # -- the loops (bot/worker.py runs them) -----------------------------------
    def wants_rows(self) -> bool:
        return not self.stopping and len(self.taken) <= self.policy.queue // 2

    def pause(self) -> float:
        """Seconds until the next look at the table."""
        return 0.05 if self.taken else self.policy.idle_poll

    async def send_due(self) -> int:
        """Sends everything due now (and what becomes due meanwhile), also what another worker
        holds once its claim lapses (a killed one's, after the lease); returns how many were sent."""
        before = self.sent
        while True:
            added = await self.step()
            if not added and not self.lanes and not await self._held_elsewhere():
                return self.sent - before
            await asyncio.sleep(self.pause())

    async def _held_elsewhere(self) -> bool:
        async with self.session_factory() as session:
            return await delivery.held_elsewhere(session, self.worker, self.clock())

    async def take_over(self) -> None:
        """For the only worker there can be (SQLite's): claims left by earlier ones, killed, are void."""
        async with self.session_factory() as session:
            await delivery.release(session, None)

    async def step(self) -> int:
        """What the loop does at each look: takes more rows when the lanes run low, else only
        re-reads the states of the broadcasts they hold. Returns how many rows it took."""
        if self.taken and self._lease_left() < self.policy.lease * 2 / 3:
            await self.renew()
        if self.wants_rows():
            return await self.fill()
        await self.look_at_broadcasts()
        return 0

    async def close(self, grace: float = 5.0) -> None:
        """Starts nothing new; waits up to `grace` seconds for sends already started."""
        self.stopping = True
        tasks = [lane.task for lane in self.lanes.values() if lane.task]
        if tasks:
            _done, pending = await asyncio.wait(tasks, timeout=grace)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        try:
            async with self.session_factory() as session:
                await delivery.release(session, self.worker)
        except OUTAGE:
            log.warning("the sender stopped without freeing its claims (the database is unreachable): "
                        "other workers take its rows after the lease (%g s)", self.policy.lease)
        else:
            log.info("the sender stopped after %d message(s); its unsent rows are free for other workers",
                     self.sent)
        await self.bot.session.close()

    async def fill(self) -> int:
        """Takes due rows into the chats' lanes; returns how many new ones it took."""
        room = self.policy.queue - len(self.taken)
        if room <= 0 or self.stopping:
            return 0
        self.let_go = set()
        started, now = self._now(), self.clock()
        async with self.session_factory() as session:
            rows = await delivery.claim(session, self.worker, now, now + dt.timedelta(seconds=self.policy.lease),
                                        len(self.taken) + room, self.policy.per_chat_queue)
            if not self.taken:  # else the rows held before end first, and `renew` keeps them
                self.lease_end = started + self.policy.lease
            new = [row for row in rows if row.id not in self.taken and row.id not in self.let_go]
            await delivery.drop(session, [row.id for row in new if row.blocked])
            await self._load_broadcasts(session, new)
        for row in new:
            if not row.blocked:
                self._take(row)
        return len(new)

    async def renew(self) -> None:
        """Extends the claim on the rows held; rows whose claim lapsed and went to another worker
        are not sent here (`_holds`)."""
        started, now = self._now(), self.clock()
        held = list(self.taken)
        async with self.session_factory() as session:
            kept = await delivery.renew(session, self.worker, held, now + dt.timedelta(seconds=self.policy.lease))
        self.lease_end = started + self.policy.lease
        self.lost |= set(held) - kept

    @staticmethod
    def _now() -> float:
        return asyncio.get_running_loop().time()

    def _lease_left(self) -> float:
        return self.lease_end - self._now()

    def _holds(self, row: Due) -> bool:
        """Whether this worker may send `row`: its claim is its own and has a third of the lease
        left (a send still in flight when it lapses is one of the sends a kill may repeat)."""
        return row.id not in self.lost and self._lease_left() > self.policy.lease / 3

    async def _load_broadcasts(self, session: Any, new: list[Due]) -> None:
        """Loads the content of broadcasts first seen, and refreshes the state of those in the
        lanes (a pause or cancel is seen here); forgets those no row refers to any more."""
        wanted = {row.broadcast_id for lane in self.lanes.values() for row in lane.rows if row.broadcast_id}
        wanted |= {row.broadcast_id for row in new if row.broadcast_id}
        self.contents = {i: content for i, content in self.contents.items() if i in wanted}
        missing = wanted - self.contents.keys()
        self.contents.update(await broadcasts.contents(session, missing))
        for broadcast_id, state in (await broadcasts.states(session, wanted - missing)).items():
            self.contents[broadcast_id].state = state

    async def look_at_broadcasts(self) -> None:
        """Re-reads the states of the broadcasts whose messages wait in the lanes. `fill` does it
        too, but only when the lanes run low (about once a second during a broadcast): this makes
        a pause or a cancel stop the sends within one look (`pause()`), not within a second's worth."""
        if not self.contents:  # those of the rows in the lanes (and of some just sent, until the next fill)
            return
        async with self.session_factory() as session:
            for broadcast_id, state in (await broadcasts.states(session, set(self.contents))).items():
                self.contents[broadcast_id].state = state

    def _held(self, row: Due) -> bool:
        """A broadcast's message whose broadcast is paused, cancelled or gone: not sent now."""
        if row.broadcast_id is None:
            return False
        content = self.contents.get(row.broadcast_id)
        return content is None or content.state != BroadcastState.SENDING.value

    def _take(self, row: Due) -> None:
        self.taken.add(row.id)
        lane = self.lanes.setdefault(row.chat_id, Lane())
        lane.rows.append(row)
        if len(lane.rows) > 1 and lane.rows[-2].order > row.order:  # committed late, or a notice
            lane.rows = deque(sorted(lane.rows, key=lambda due: due.order))
        if lane.task is None:
            lane.task = asyncio.create_task(self._drain(row.chat_id, lane))

    # -- one chat -----------------------------------------------------------
    async def _drain(self, chat_id: int, lane: Lane) -> None:
        try:
            while lane.rows and not self.stopping:
                delay = await self.chats.wait(chat_id)
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
        self.lost -= ids
        self.let_go |= ids

    async def _send(self, row: Due) -> bool:
        """Sends `row` until Telegram accepts or refuses it; False: the lane stops here."""
        pacer = self._pacer(row)
        async with self.slots:
            while True:
                await pacer.acquire()
                if self.stopping or not self._holds(row):  # stopping, or the claim lapsed: not ours now
                    await pacer.release()
                    return False
                if self._held(row):  # seen after the wait: a pause meanwhile holds it too
                    await pacer.release()
                    return True  # its row is paused or cancelled in the table: the lane goes on without it
                try:
                    result = await self.bot(self._render(row))
                except TelegramRetryAfter as exc:
                    await pacer.pause(exc.retry_after)  # every send waits; this one then goes again
                    self.metrics.throttled.labels(sender="outbox").inc()
                    log.warning("Telegram asked to wait %s s; sending paused", exc.retry_after)
                    continue
                except TelegramForbiddenError:
                    self.metrics.forbidden.labels(sender="outbox").inc()
                    await self._store(delivery.blocked_by, row.chat_id, row.resident_id, self.clock())
                    return False
                except TelegramBadRequest as exc:
                    if message_gone(exc.message):  # an edit of a message the chat deleted: final
                        await self._store(self._gone, row, exc)
                        return True
                    if NOT_MODIFIED not in exc.message:
                        await self._retry(row, exc)
                        return False
                    result = None  # an edit to what the message already shows: done, not to be retried
                except Exception as exc:
                    await self._retry(row, exc)
                    return False
                finally:
                    await pacer.release()
                    await self.chats.answered(row.chat_id)
                await self.marks.mark(row.id)
                self.sent += 1
                self.metrics.sent.inc()
                await self._learn_photo(row, result)
                return True

    def _pacer(self, row: Due) -> Budget:
        content = self.contents.get(row.broadcast_id) if row.broadcast_id else None
        return self.paid_pacer if content is not None and content.paid and self.paid_pacer else self.pacer

    def _render(self, row: Due) -> Any:
        texts = Texts(self.core, row.language)
        content = self.contents.get(row.broadcast_id) if row.broadcast_id else None
        return render(row.kind, Outgoing(row.chat_id, row.args, texts, self.city, row.resident_id, content))

    async def _learn_photo(self, row: Due, result: Any) -> None:
        """The first message that uploaded a broadcast's photo gives its file_id to the rest."""
        content = self.contents.get(row.broadcast_id) if row.broadcast_id else None
        photo = content.photo(row.language) if content else None
        sizes = getattr(result, "photo", None)
        if content is None or photo is None or photo.file_id or not sizes:
            return
        language = row.language if row.language in content.photos else next(iter(content.photos))
        content.photos[language] = broadcasts.Photo(None, sizes[-1].file_id)
        await self._store(broadcasts.remember_photo, content.id, language, sizes[-1].file_id)

    async def _retry(self, row: Due, exc: Exception) -> None:
        attempts, error = row.attempts + 1, f"{type(exc).__name__}: {first_line(exc)}"
        if attempts >= self.policy.max_attempts:
            log.warning("outbox message %s failed %d times, giving up: %s", row.id, attempts, error)
            self.metrics.failed.inc()
            await self._store(delivery.give_up, row.id, attempts, error)
            return
        wait = self.policy.backoff * 2 ** (attempts - 1)
        await self._store(delivery.retry_later, row.id, attempts, error, self.clock() + dt.timedelta(seconds=wait))

    async def _gone(self, session: Any, row: Due, exc: TelegramBadRequest) -> None:
        """The message `row` edits is gone: the row fails at once (no retry can succeed), and
        its kind forgets the message, so that nothing more is queued for it."""
        error = f"{type(exc).__name__}: {first_line(exc)}"
        log.info("outbox message %s: the message it edits is gone (%s)", row.id, exc.message)
        if (forget := forgetter(row.kind)) is not None:
            await forget(session, row.args)
        await delivery.give_up(session, row.id, row.attempts + 1, error)

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
                        clock: Clock = system_clock, policy: SendPolicy = SendPolicy(),
                        pacing: Pacing | None = None, metrics: Metrics | None = None) -> Sender:
    """`pacing`: the budgets the sender keeps to; None: its own (one worker), see bot/shared_rate.py."""
    core = create_core(default_locale)
    await core.startup()
    return Sender(session_factory, city, bot, core, clock, policy, pacing, metrics)
