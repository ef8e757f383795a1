""""Asking Citizens": creating a poll and sending it to its audience; answering it (one answer
per resident, changeable while it is open); what a resident sees of it; the counts by option
and district; the admins' view; closing it and sending its results. Who may answer a poll is
who it asks: its audience's groups (storage/audience.py), whatever their Settings › Broadcasts,
which only decide what is pushed to them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.engine import RowMapping
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import rules
from storage.audience import Audience, AudienceError
from storage.city import CityConfig
from storage.clock import Clock, system_clock
from storage.models import Broadcast, Poll, PollOption, stored_id
from storage.repositories import polls as repository
from storage.repositories.officials import OfficialsRepository
from storage.services.broadcasts import BroadcastService, PhotoSource
from storage.vocabulary import LANGUAGES, BroadcastKind, NoticeKind


class PollRefused(Exception):
    """Not allowed, or not valid: `reason` is a locales key suffix (poll-refused-<reason>)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class PollDraft:
    """A poll as an admin composed it (in the bot or in a TOML file)."""

    question: dict[str, str]  # language -> question, both languages
    options: list[dict[str, str]]  # each: language -> option text, both languages
    audience: Audience
    closes_at: dt.datetime
    multiple: bool = False
    show_results: bool = True


# Why a draft is refused, checked in this order (poll-refused-<reason> in locales/).
REASONS = ("not-allowed", "question", "options-count", "option", "closes", "audience")


def problem(draft: PollDraft, city: CityConfig, now: dt.datetime) -> str | None:
    """The first reason the draft cannot be sent, or None."""
    if any(not 1 <= len(draft.question.get(language, "").strip()) <= rules.POLL_QUESTION_MAX
           for language in LANGUAGES):
        return "question"
    if not rules.POLL_OPTIONS_MIN <= len(draft.options) <= rules.POLL_OPTIONS_MAX:
        return "options-count"
    if any(not 1 <= len(option.get(language, "").strip()) <= rules.POLL_OPTION_MAX
           for option in draft.options for language in LANGUAGES):
        return "option"
    if not now < draft.closes_at <= now + dt.timedelta(days=rules.POLL_DAYS_MAX):
        return "closes"
    try:
        draft.audience.check(city)
    except AudienceError:
        return "audience"
    return None


class PollService:
    def __init__(self, session: AsyncSession, city: CityConfig, clock: Clock = system_clock) -> None:
        self.session = session
        self.city = city
        self.clock = clock

    async def may_create(self, resident_id: int) -> bool:
        return (await OfficialsRepository(self.session).grants_of(resident_id)).creates_polls

    async def create(self, author_id: int | None, draft: PollDraft) -> Poll:
        """Stores the poll and its options and queues it to its audience, in one transaction.
        `author_id` None is the command line. Raises PollRefused."""
        if author_id is not None and not await self.may_create(author_id):
            raise PollRefused("not-allowed")
        if (reason := problem(draft, self.city, self.clock())) is not None:
            raise PollRefused(reason)
        poll = Poll(question_ko=draft.question["ko"].strip(), question_en=draft.question["en"].strip(),
                    multiple=draft.multiple, show_results=draft.show_results, audience=draft.audience.to_json(),
                    author_id=author_id, created_at=self.clock(), closes_at=draft.closes_at)
        self.session.add(poll)
        await self.session.flush()
        poll_id = stored_id(poll)
        for position, option in enumerate(draft.options, start=1):
            self.session.add(PollOption(poll_id=poll_id, position=position, text_ko=option["ko"].strip(),
                                        text_en=option["en"].strip()))
        broadcast = Broadcast(kind=BroadcastKind.POLL.value, author_id=author_id, poll_id=poll_id,
                              audience=draft.audience.to_json(), paid=self.city.broadcasts.paid,
                              created_at=self.clock())
        await BroadcastService(self.session, self.city, self.clock).send(broadcast, NoticeKind.POLL, draft.audience)
        return poll

    # -- answering and viewing (every resident) ----------------------------------------
    async def answer(self, poll_id: int, resident_id: int, position: int) -> PollView:
        """Records a tap on option `position` and commits: single choice picks it (replacing
        the earlier pick), multiple choice toggles it. Only while the poll is open, only for a
        resident it asks. Returns what they see now. Raises AnswerRefused."""
        now = self.clock()
        row = await repository.open_poll_locked(self.session, poll_id, now)
        if row is None or not await self._asks(row, resident_id):
            reason = await self._why_not(poll_id, resident_id, row)
            await self.session.rollback()
            raise AnswerRefused(reason)
        option = await repository.option_id(self.session, poll_id, position)
        if option is None:
            await self.session.rollback()
            raise AnswerRefused("unknown")
        answer_id = await repository.answer_row(self.session, poll_id, resident_id, now)
        if row["multiple"]:
            await repository.toggle(self.session, answer_id, option)
        else:
            await repository.pick(self.session, answer_id, option)
        view = await self._view(row, resident_id, now)
        await self.session.commit()
        return view

    async def _why_not(self, poll_id: int, resident_id: int, open_row: RowMapping | None) -> str:
        row = open_row or await repository.poll(self.session, poll_id)
        if row is None:
            return "unknown"
        if not await self._asks(row, resident_id):
            return "not-asked"
        return "closed"

    async def _asks(self, row: RowMapping, resident_id: int) -> bool:
        audiences = {int(row["id"]): Audience.from_json(row["audience"])}
        return bool(await repository.asked(self.session, resident_id, audiences))

    async def view(self, poll_id: int, resident_id: int) -> PollView | None:
        """The poll as this resident sees it; None if there is no such poll or it does not ask them."""
        row = await repository.poll(self.session, poll_id)
        if row is None or not await self._asks(row, resident_id):
            return None
        return await self._view(row, resident_id, self.clock())

    async def _view(self, row: RowMapping, resident_id: int, now: dt.datetime) -> PollView:
        (head,) = await self._heads([row], now)
        chosen = frozenset(await repository.chosen(self.session, head.id, resident_id))
        counts = None
        if head.show_results and chosen:
            counts = (await self._results(head)).total
        return PollView(head, chosen, counts)

    async def open_polls_for(self, resident_id: int) -> list[PollListing]:
        """The open polls that ask this resident (at most POLLS_LISTED, soonest to close first),
        and whether they answered each."""
        now = self.clock()
        rows = await repository.open_polls(self.session, now, OPEN_POLLS_READ)
        asked = await repository.asked(self.session, resident_id,
                                       {int(row["id"]): Audience.from_json(row["audience"]) for row in rows})
        rows = [row for row in rows if int(row["id"]) in asked][:rules.POLLS_LISTED]
        heads = await self._heads(rows, now)
        answered = await repository.answered_polls(self.session, [head.id for head in heads], resident_id)
        return [PollListing(head, head.id in answered) for head in heads]

    # -- counting ------------------------------------------------------------------------
    async def results(self, poll_id: int) -> PollResults | None:
        row = await repository.poll(self.session, poll_id)
        if row is None:
            return None
        (head,) = await self._heads([row], self.clock())
        return await self._results(head)

    async def _results(self, head: PollHead) -> PollResults:
        tally = await repository.tally(self.session, head.id)
        districts = sorted(tally.answered, key=self._district_order)
        by_district = [(code, Counts({position: count for (where, position), count in tally.chosen.items()
                                      if where == code}, tally.answered[code])) for code in districts]
        total: dict[int, int] = {}
        for (_where, position), count in tally.chosen.items():
            total[position] = total.get(position, 0) + count
        return PollResults(head, Counts(total, sum(tally.answered.values())), by_district,
                           await repository.audience_size(self.session, head.id))

    def _district_order(self, code: str | None) -> tuple[int, str]:
        """The city file's order; codes it no longer lists after them; no district last."""
        codes = [district.code for district in self.city.districts]
        if code is None:
            return (len(codes) + 1, "")
        return (codes.index(code), "") if code in codes else (len(codes), code)

    async def _heads(self, rows: Sequence[RowMapping], now: dt.datetime) -> list[PollHead]:
        listed: dict[int, list[PollChoiceText]] = {}
        for option in await repository.options_of(self.session, [int(row["id"]) for row in rows]):
            listed.setdefault(int(option["poll_id"]), []).append(
                PollChoiceText(int(option["position"]), {"ko": option["text_ko"], "en": option["text_en"]}))
        return [PollHead(id=int(row["id"]), question={"ko": row["question_ko"], "en": row["question_en"]},
                         options=tuple(listed.get(int(row["id"]), ())), multiple=bool(row["multiple"]),
                         show_results=bool(row["show_results"]), closes_at=row["closes_at"],
                         closed=row["closed_at"] is not None or row["closes_at"] <= now)
                for row in rows]

    # -- admins ----------------------------------------------------------------------------
    async def overview(self, resident_id: int) -> list[PollResults]:
        """For an admin: the open polls and those closed within POLLS_RECENT_DAYS, with their
        counts and turnout by district. Raises PollRefused("not-allowed") for anyone else."""
        await self._admin(resident_id)
        now = self.clock()
        rows = await repository.open_polls(self.session, now, rules.POLLS_LISTED)
        rows += await repository.closed_since(self.session, now, now - dt.timedelta(days=rules.POLLS_RECENT_DAYS),
                                              rules.POLLS_LISTED - len(rows))
        return [await self._results(head) for head in await self._heads(rows, now)]

    async def admin_results(self, resident_id: int, poll_id: int) -> PollResults | None:
        await self._admin(resident_id)
        return await self.results(poll_id)

    async def close_now(self, resident_id: int, poll_id: int) -> bool:
        """An admin closes an open poll early: its closing time becomes now, and the worker
        closes it and sends its results as for any other. False if it was not open. Commits."""
        await self._admin(resident_id)
        closed = await repository.close_early(self.session, poll_id, self.clock())
        await self.session.commit()
        return closed

    async def _admin(self, resident_id: int) -> None:
        """The role is read in the database at every admin action, never trusted from a button."""
        if not await self.may_create(resident_id):
            await self.session.rollback()
            raise PollRefused("not-allowed")

    # -- closing (the worker) ----------------------------------------------------------------
    async def due_results(self) -> PollResults | None:
        """The counts of the next poll whose time has come and that nobody closed yet (a read,
        so that its chart is drawn without holding a write lock; `claim` then closes it)."""
        poll_id = await repository.next_due(self.session, self.clock())
        return await self.results(poll_id) if poll_id is not None else None

    async def claim(self, poll_id: int) -> PollResults | None:
        """Closes the poll and returns its final counts, in a transaction left open for
        send_results: only one worker run ever gets a poll (None for the others)."""
        if not await repository.claim(self.session, poll_id, self.clock()):
            await self.session.rollback()
            return None
        return await self.results(poll_id)

    async def send_results(self, results: PollResults, charts: dict[str, bytes]) -> Broadcast:
        """Queues the results chart (one PNG per language) to the admins and every resident who
        answered, and commits together with the claim."""
        audience = Audience(poll_answers=results.poll.id, admins=True)
        broadcast = Broadcast(kind=BroadcastKind.POLL_RESULTS.value, poll_id=results.poll.id,
                              audience=audience.to_json(), paid=self.city.broadcasts.paid, created_at=self.clock())
        photos = {language: PhotoSource(data=png) for language, png in charts.items()}
        return await BroadcastService(self.session, self.city, self.clock).send(
            broadcast, NoticeKind.POLL_RESULTS, audience, photos=photos)

    async def listing(self, limit: int) -> list[tuple[PollHead, int, int | None]]:
        """The latest polls with residents who answered and audience size (`sotong polls list`)."""
        now = self.clock()
        heads = await self._heads(await repository.latest(self.session, limit), now)
        answered = await repository.answered_counts(self.session, [head.id for head in heads])
        return [(head, answered.get(head.id, 0), await repository.audience_size(self.session, head.id))
                for head in heads]


OPEN_POLLS_READ = 100  # open polls read to find those that ask a resident (a city has a handful)


class AnswerRefused(Exception):
    """A tap that records nothing: `reason` is unknown (no such poll or option), not-asked
    (the poll does not ask this resident) or closed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class PollChoiceText:
    """An option: its position (1, 2, …) and its text in each language."""

    position: int
    text: dict[str, str]


@dataclass(frozen=True)
class PollHead:
    id: int
    question: dict[str, str]
    options: tuple[PollChoiceText, ...]
    multiple: bool
    show_results: bool
    closes_at: dt.datetime
    closed: bool  # takes no more answers (closed by the worker, or its time has come)


@dataclass(frozen=True)
class Counts:
    """Residents who chose each option, and residents who answered (with multiple choice the
    options add up to more)."""

    chosen: dict[int, int] = field(default_factory=dict)  # option position -> residents
    answered: int = 0

    def of(self, position: int) -> int:
        return self.chosen.get(position, 0)

    def share(self, position: int) -> float:
        """The share of those who answered who chose the option (0 when nobody answered)."""
        return self.of(position) / self.answered if self.answered else 0.0


@dataclass(frozen=True)
class PollView:
    """A poll as one resident sees it: their choices, and the counts once they answered (if the
    poll shows results)."""

    poll: PollHead
    chosen: frozenset[int]
    counts: Counts | None


@dataclass(frozen=True)
class PollListing:
    poll: PollHead
    answered: bool


@dataclass(frozen=True)
class PollResults:
    poll: PollHead
    total: Counts
    by_district: list[tuple[str | None, Counts]]  # the city's order; None: residents without a district
    audience_size: int | None  # residents the poll was sent to
