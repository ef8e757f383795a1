"""The issue's broadcast test, on SQLite and PostgreSQL: an announcement to 2,000 residents (Korean
and English; some opted out, some only for topics, some blocked, some blocking the bot during the
run, which the fake answers with 403) through the fake Bot API with its per-chat limit on and 429s
when its global rate is exceeded. Everyone who should get it gets exactly one message, in their
language; the others get none; Cancel stops it; a `sotong worker` killed with SIGKILL mid-way and
started again finishes it, repeating at most the sends it had in flight (SendPolicy().concurrency).
The broadcasts are made as the command line makes them (no progress message)."""

from __future__ import annotations

import asyncio
import signal

from sqlalchemy import func, select

from bench.broadcast import TEXTS, Person, seed
from bot.notices import load_renderers
from bot.outbox import SendPolicy, create_sender, sending_bot
from bot.worker import run_worker
from storage.audience import Audience
from storage.database import create_session_factory
from storage.models import OutboxMessage, Resident, table_of
from storage.services.broadcasts import BroadcastService
from storage.types import utcnow
from storage.vocabulary import BroadcastState
from tests.test_broadcast_cli import operator
from tests.test_broadcast_cli import texts as text_files
from tests.test_outbox_kill import start_worker

FIRST = 930_000
COUNT = 2_000
AUDIENCE = Audience(everyone=True, topics=("water_cuts",))
outbox, residents = table_of(OutboxMessage), table_of(Resident)
IN_FLIGHT = SendPolicy().concurrency  # the most a kill can make repeat (README, bot/outbox.py)
RATE = 200  # messages a second the sender sends and the fake takes (the cancel test)


def population() -> list[Person]:
    """2,000 residents: a tenth opted out (half of them with a topic picked, which does not
    count), a tenth blocked, a tenth taking only their topics (half picked water_cuts), a tenth
    taking everything with a topic too (in the audience twice, told once); ko and en mixed."""
    people = []
    for n in range(COUNT):
        language = "en" if n % 3 == 0 else "ko"
        scope, topic, blocked = "all", None, False
        if n % 10 == 3:
            scope, topic = "none", "water_cuts" if n % 20 == 3 else None
        elif n % 10 == 5:
            blocked = True
        elif n % 10 == 7:
            scope, topic = "topics", "water_cuts" if n % 20 == 7 else "culture_events"
        elif n % 10 == 1:
            topic = "water_cuts"
        people.append(Person(FIRST + n, language, scope, topic, blocked))
    return people


async def prepare(engine, fake) -> tuple[list[Person], list[Person]]:
    """Seeds the residents and the fake's chats; returns everyone and those who should get it."""
    load_renderers()
    people = population()
    await seed(engine, people)
    for person in people:
        fake.user(person.chat, language_code=person.language)
    wanted = [p for p in people if p.wants(AUDIENCE)]
    assert 1000 < len(wanted) < COUNT
    return people, wanted


async def announce(engine, city) -> int:
    async with create_session_factory(engine)() as session:
        broadcast = await BroadcastService(session, city).announce(None, TEXTS, AUDIENCE)
    return broadcast.id


def accepted(fake) -> int:
    return sum(len(times) for times in fake.limits.sends.values())


def received(fake, person: Person) -> list[str]:
    return [m.text for m in fake.chats[person.chat].transcript() if m.from_bot]


def in_their_language(fake, person: Person) -> bool:
    heading = "📢 " + ("광주광역시" if person.language == "ko" else "Gwangju")
    return all(text.startswith(heading) and text.endswith(TEXTS[person.language]) for text in received(fake, person))


async def outbox_states(engine) -> dict[str, int]:
    async with engine.connect() as connection:
        query = select(outbox.c.state, func.count()).group_by(outbox.c.state)
        return {state: int(count) for state, count in (await connection.execute(query)).all()}


async def test_each_resident_gets_it_once_in_their_language(engine, fake_telegram, city):
    fake = fake_telegram
    people, wanted = await prepare(engine, fake)
    fake.limits.per_second, fake.limits.per_chat = 40, 1  # at first a tight cap: the sender meets 429s
    broadcast_id = await announce(engine, city)
    leaving = wanted[-40:]  # sent last (id order): they block the bot while it runs

    async def meanwhile() -> None:
        while not fake.limits.throttles:
            await asyncio.sleep(0.01)
        fake.limits.per_second = 300  # then a quick one, for the test's time
        while accepted(fake) < 300:
            await asyncio.sleep(0.01)
        assert all(received(fake, p) == [] for p in leaving)
        for person in leaving:
            fake.block(person.chat, notify=False)  # the bot is not told: only the 403 says it

    sender = await create_sender(create_session_factory(engine), city, sending_bot(fake.token, fake.base_url), "ko",
                                 policy=SendPolicy(rate=300))
    happening = asyncio.create_task(meanwhile())
    try:
        async with asyncio.timeout(120):
            sent = await sender.send_due()
    finally:
        await sender.close()
    await happening

    told = [p for p in wanted if p not in leaving]
    assert sent == accepted(fake) == len(told)
    assert [p.chat for p in told if len(received(fake, p)) != 1] == []
    assert [p.chat for p in told if not in_their_language(fake, p)] == []
    assert [p.chat for p in people if p not in told and received(fake, p)] == []
    assert {t.scope for t in fake.limits.throttles} == {"global"}  # 429s came, were waited out, lost nothing
    assert fake.limits.busiest_second() <= 300
    assert await outbox_states(engine) == {"sent": len(told), "dropped": len(leaving)}
    async with engine.connect() as connection:
        query = select(residents.c.telegram_id).where(residents.c.blocked)
        blocked = set((await connection.execute(query)).scalars())
    assert blocked == {p.chat for p in people if p.blocked or p in leaving}
    async with create_session_factory(engine)() as session:
        service = BroadcastService(session, city)
        progress = await service.progress(broadcast_id)
        assert (progress.total, progress.sent, progress.blocked, progress.pending) == \
            (len(wanted), len(told), len(leaving), 0)
        assert await service.finish_done(utcnow()) == [broadcast_id]


class Looks:
    """Counts, for the cancel test, what the fake had accepted when the sender's first look at the
    broadcasts' states (`look_at_broadcasts`, or `fill`, which reads them too) that began after
    the cancel was committed came back: from then on only the sends already in flight may go out.
    Tied to the sender's looks, not to the clock, so a busy machine cannot make it fail."""

    def __init__(self, sender, fake) -> None:
        self.fake, self.cancelled, self.seen = fake, False, None
        self.seen_event = asyncio.Event()
        for name in ("look_at_broadcasts", "fill"):
            setattr(sender, name, self.watching(getattr(sender, name)))

    def watching(self, look):
        async def watched(*args, **kwargs):
            after_cancel = self.cancelled
            result = await look(*args, **kwargs)
            if after_cancel and self.seen is None:
                self.seen = accepted(self.fake)
                self.seen_event.set()
            return result
        return watched


async def test_cancel_stops_it(engine, fake_telegram, city):
    fake = fake_telegram
    people, wanted = await prepare(engine, fake)
    fake.limits.per_second, fake.limits.per_chat = RATE, 1
    broadcast_id = await announce(engine, city)
    factory = create_session_factory(engine)
    sender = await create_sender(factory, city, sending_bot(fake.token, fake.base_url), "ko",
                                 policy=SendPolicy(rate=RATE))
    looks = Looks(sender, fake)
    stop = asyncio.Event()
    worker = asyncio.create_task(run_worker(factory, city, jobs=(), stop=stop, sender=sender))
    try:
        async with asyncio.timeout(60):
            while accepted(fake) < 300:
                await asyncio.sleep(0.01)
        async with factory() as session:
            assert await BroadcastService(session, city).control_as_operator(broadcast_id, BroadcastState.CANCELLED)
        looks.cancelled = True
        async with asyncio.timeout(30):
            await looks.seen_event.wait()
        # A second's worth of sends (RATE) would go out here if the cancel were not heeded.
        await asyncio.sleep(1.0)
    finally:
        stop.set()
        await worker  # the sends in flight end (or are given up) before it returns
    settled = accepted(fake)
    late = settled - looks.seen
    # Once the sender has seen the cancel it starts no send of the broadcast: only those past that
    # check already (one per slot) may still go out. Before the sender looked at the states
    # between its reads of the table, a second's worth went out after a cancel (128 at this rate).
    assert late <= IN_FLIGHT, f"{late} messages went out after the sender saw the cancel"
    states = await outbox_states(engine)
    assert states == {"sent": settled, "cancelled": len(wanted) - settled}
    assert settled < len(wanted) // 2
    assert [p.chat for p in people if len(received(fake, p)) > 1] == []


async def test_a_killed_worker_finishes_it_with_few_repeats(engine, database_url, fake_telegram, tmp_path):
    fake = fake_telegram
    people, wanted = await prepare(engine, fake)
    fake.limits.per_second, fake.limits.per_chat = 300, 1
    said = await asyncio.to_thread(operator, database_url, "broadcast", *text_files(tmp_path, **TEXTS),
                                   "--everyone", "--topic", "water_cuts")  # `sotong broadcast`, in this process
    assert f"audience: {len(wanted):,} resident(s)" in said and "queued as broadcast 1" in said

    worker = await start_worker(database_url, fake, send_rate="300")
    async with asyncio.timeout(60):
        while accepted(fake) < 400:
            await asyncio.sleep(0.01)
    worker.send_signal(signal.SIGKILL)
    await worker.wait()
    assert accepted(fake) < len(wanted), "the worker finished before it was killed: nothing was proved"

    again = await start_worker(database_url, fake, "--once", send_rate="300")
    _out, err = await asyncio.wait_for(again.communicate(), 120)
    assert again.returncode == 0, err.decode()

    assert await outbox_states(engine) == {"sent": len(wanted)}
    counts = {p.chat: len(received(fake, p)) for p in people}
    assert [p.chat for p in wanted if counts[p.chat] < 1] == [], "someone never got it"
    assert [p.chat for p in people if not p.wants(AUDIENCE) and counts[p.chat]] == []
    assert [p.chat for p in wanted if not in_their_language(fake, p)] == []
    repeats = sum(counts.values()) - len(wanted)
    assert repeats <= IN_FLIGHT, f"{repeats} repeated messages, more than the {IN_FLIGHT} in flight"
