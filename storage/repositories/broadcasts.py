"""Broadcasts in the database: queueing a whole audience into the outbox in one statement,
pausing, resuming and cancelling its pending messages, counting its progress, and what the
sender needs to render its messages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import String, and_, bindparam, cast, func, insert, literal, select, update
from sqlalchemy.types import JSON
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.audience import Audience
from storage.models import Broadcast, BroadcastPhoto, OutboxMessage, Poll, PollOption, table_of
from storage.repositories import polls as polls_repository
from storage.vocabulary import BroadcastKind, BroadcastState, NoticeKind, OutboxPriority, OutboxState

broadcasts = table_of(Broadcast)
photos = table_of(BroadcastPhoto)
outbox = table_of(OutboxMessage)
polls = table_of(Poll)
options = table_of(PollOption)

# What each broadcast state does to its messages still in the outbox.
HELD = (OutboxState.PENDING.value, OutboxState.PAUSED.value)


@dataclass(frozen=True)
class Photo:
    data: bytes | None
    file_id: str | None


@dataclass(frozen=True)
class PollContent:
    id: int
    question: dict[str, str]  # language -> text
    options: list[tuple[int, dict[str, str]]]  # (position, language -> text)
    multiple: bool
    closes_at: dt.datetime
    closed: bool
    # A poll_results broadcast's final counts: option position -> residents who chose it,
    # and residents who answered (counted once, when the broadcast's content is loaded).
    counts: dict[int, int] = field(default_factory=dict)
    answered: int = 0


@dataclass
class BroadcastContent:
    """What the sender needs to render a broadcast's messages, loaded once per broadcast."""

    id: int
    kind: str
    state: str
    paid: bool
    texts: dict[str, str] = field(default_factory=dict)
    photos: dict[str, Photo] = field(default_factory=dict)
    poll: PollContent | None = None

    def text(self, language: str) -> str:
        """The text in `language`, else in the other one ("" when it has none)."""
        return self.texts.get(language) or next(iter(self.texts.values()), "")

    def photo(self, language: str) -> Photo | None:
        return self.photos.get(language) or next(iter(self.photos.values()), None)


@dataclass(frozen=True)
class Progress:
    """A broadcast's messages by outbox state."""

    total: int
    sent: int
    failed: int  # gave up after retries
    blocked: int  # dropped: the resident blocked the bot
    pending: int  # pending or paused
    cancelled: int

    @classmethod
    def of(cls, counts: dict[str, int]) -> Progress:
        return cls(total=sum(counts.values()), sent=counts.get(OutboxState.SENT.value, 0),
                   failed=counts.get(OutboxState.FAILED.value, 0), blocked=counts.get(OutboxState.DROPPED.value, 0),
                   pending=counts.get(OutboxState.PENDING.value, 0) + counts.get(OutboxState.PAUSED.value, 0),
                   cancelled=counts.get(OutboxState.CANCELLED.value, 0))


async def audience_size(session: AsyncSession, audience: Audience) -> int:
    query = select(func.count()).select_from(audience.residents().subquery())
    return int((await (await session.connection()).execute(query)).scalar_one())


async def queue(session: AsyncSession, broadcast_id: int, kind: NoticeKind, audience: Audience,
                now: dt.datetime) -> int:
    """Writes one pending outbox message per resident of the audience, in one INSERT … SELECT
    (100,000 rows are one statement, not 100,000); returns how many. Run twice, it adds none."""
    chosen = audience.residents().subquery()
    rows = select(
        chosen.c.telegram_id, chosen.c.id, literal(kind.value), chosen.c.language,
        bindparam("args", {}, type_=JSON), literal(f"b:{broadcast_id}:") + cast(chosen.c.id, String),
        literal(OutboxState.PENDING.value), literal(0), literal(now, type_=outbox.c.not_before.type),
        literal(now, type_=outbox.c.created_at.type), literal(broadcast_id), literal(OutboxPriority.BULK),
    ).where(~select(outbox.c.id).where(outbox.c.broadcast_id == broadcast_id,
                                        outbox.c.resident_id == chosen.c.id).exists())
    columns = ["chat_id", "resident_id", "kind", "language", "args", "dedupe_key", "state", "attempts",
               "not_before", "created_at", "broadcast_id", "priority"]
    connection = await session.connection()
    result = await connection.execute(insert(outbox).from_select(columns, rows))
    return int(result.rowcount or 0)


async def progress(session: AsyncSession, broadcast_id: int) -> Progress:
    query = (select(outbox.c.state, func.count()).where(outbox.c.broadcast_id == broadcast_id)
             .group_by(outbox.c.state))
    rows = (await (await session.connection()).execute(query)).all()
    return Progress.of({state: int(count) for state, count in rows})


@dataclass(frozen=True)
class Summary:
    """A broadcast as an operator lists it (`sotong broadcasts list`)."""

    id: int
    kind: str
    state: str
    audience_size: int
    created_at: dt.datetime
    progress: Progress


async def recent(session: AsyncSession, limit: int) -> list[Summary]:
    """The last `limit` broadcasts, newest first, each with its messages counted by state."""
    connection = await session.connection()
    listed = (await connection.execute(select(broadcasts).order_by(broadcasts.c.id.desc()).limit(limit))).mappings().all()
    ids = [row["id"] for row in listed]
    counts: dict[int, dict[str, int]] = {i: {} for i in ids}
    query = (select(outbox.c.broadcast_id, outbox.c.state, func.count()).where(outbox.c.broadcast_id.in_(ids))
             .group_by(outbox.c.broadcast_id, outbox.c.state))
    for broadcast_id, state, count in (await connection.execute(query)).all():
        counts[broadcast_id][state] = int(count)
    return [Summary(row["id"], row["kind"], row["state"], row["audience_size"], row["created_at"],
                    Progress.of(counts[row["id"]])) for row in listed]


async def move(session: AsyncSession, broadcast_id: int, from_states: tuple[str, ...], to_state: BroadcastState,
               now: dt.datetime) -> bool:
    """Moves the broadcast (if it is in one of `from_states`) and its messages not yet sent:
    paused → outbox `paused`, sending → `pending`, cancelled → `cancelled`. False if it was not
    in those states (someone else moved it first). The caller commits."""
    finished = now if to_state in (BroadcastState.CANCELLED, BroadcastState.DONE) else None
    connection = await session.connection()
    moved = await connection.execute(
        update(broadcasts).where(broadcasts.c.id == broadcast_id, broadcasts.c.state.in_(from_states))
        .values(state=to_state.value, finished_at=finished))
    if not moved.rowcount:
        return False
    held = {BroadcastState.PAUSED: OutboxState.PAUSED, BroadcastState.SENDING: OutboxState.PENDING,
            BroadcastState.CANCELLED: OutboxState.CANCELLED}.get(to_state)
    if held is not None:
        await connection.execute(update(outbox).where(outbox.c.broadcast_id == broadcast_id,
                                                      outbox.c.state.in_(HELD)).values(state=held.value))
    return True


async def finish_done(session: AsyncSession, now: dt.datetime) -> list[int]:
    """Marks done the broadcasts being sent that have nothing left pending; returns their ids.
    The caller commits."""
    left = select(outbox.c.id).where(outbox.c.broadcast_id == broadcasts.c.id,
                                     outbox.c.state.in_(HELD)).exists()
    connection = await session.connection()
    result = await connection.execute(
        update(broadcasts).where(broadcasts.c.state == BroadcastState.SENDING.value, ~left)
        .values(state=BroadcastState.DONE.value, finished_at=now).returning(broadcasts.c.id))
    return [int(row[0]) for row in result.all()]


async def contents(session: AsyncSession, ids: set[int]) -> dict[int, BroadcastContent]:
    """The broadcasts' texts, photos, polls and states, for the sender."""
    if not ids:
        return {}
    connection = await session.connection()
    found: dict[int, BroadcastContent] = {}
    for row in (await connection.execute(select(broadcasts).where(broadcasts.c.id.in_(ids)))).mappings():
        texts = {language: row[f"text_{language}"] for language in ("ko", "en") if row[f"text_{language}"]}
        poll = await _poll(session, row["poll_id"], row["kind"] == BroadcastKind.POLL_RESULTS) if row["poll_id"] else None
        found[row["id"]] = BroadcastContent(row["id"], row["kind"], row["state"], row["paid"], texts, poll=poll)
    for photo in (await connection.execute(select(photos).where(photos.c.broadcast_id.in_(ids)))).mappings():
        found[photo["broadcast_id"]].photos[photo["language"]] = Photo(photo["data"], photo["file_id"])
    return found


async def _poll(session: AsyncSession, poll_id: int, counted: bool) -> PollContent | None:
    connection = await session.connection()
    poll = (await connection.execute(select(polls).where(polls.c.id == poll_id))).mappings().first()
    if poll is None:
        return None
    listed = (await connection.execute(select(options).where(options.c.poll_id == poll_id)
                                       .order_by(options.c.position))).mappings().all()
    counts: dict[int, int] = {}
    answered = 0
    if counted:
        tally = await polls_repository.tally(session, poll_id)
        for (_district, position), count in tally.chosen.items():
            counts[position] = counts.get(position, 0) + count
        answered = sum(tally.answered.values())
    return PollContent(poll_id, {"ko": poll["question_ko"], "en": poll["question_en"]},
                       [(o["position"], {"ko": o["text_ko"], "en": o["text_en"]}) for o in listed],
                       poll["multiple"], poll["closes_at"], poll["closed_at"] is not None, counts, answered)


async def states(session: AsyncSession, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    query = select(broadcasts.c.id, broadcasts.c.state).where(broadcasts.c.id.in_(ids))
    return {int(i): str(s) for i, s in (await (await session.connection()).execute(query)).all()}


async def remember_photo(session: AsyncSession, broadcast_id: int, language: str, file_id: str) -> None:
    """Telegram has the photo now: later messages send its file_id, and its bytes are let go."""
    await (await session.connection()).execute(
        update(photos).where(and_(photos.c.broadcast_id == broadcast_id, photos.c.language == language))
        .values(file_id=file_id, data=None))
    await session.commit()
