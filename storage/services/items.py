"""What a resident may read about items: their own list and an item's timeline."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.lifecycle import Kind, Status
from storage.models import Attachment, Item, Resident, StatusEvent, stored_id
from storage.repositories.items import ItemRepository
from storage.repositories.participation import ParticipationRepository
from storage.services.thread import Thread, thread_of
from storage.visibility import is_public


@dataclass
class ItemDetail:
    item: Item
    attachments: Sequence[Attachment]
    timeline: Sequence[StatusEvent]


@dataclass
class Card:
    """An item as one resident sees it: with their own endorsement, follow and stance."""

    item: Item
    endorsed: bool
    following: bool
    stance: str | None
    stance_counts: dict[str, int]
    # The departments it went to and their answers (empty before a proposal reaches review).
    thread: Thread = field(default_factory=Thread)


# Lists count their matches up to this many (or up to the page after the one shown),
# and say "1,000+" beyond.
COUNT_CAP = 1000
# A search counts less far: its words are matched row by row, and a common word would make
# counting to COUNT_CAP read thousands of rows for a number nobody needs exactly.
SEARCH_COUNT_CAP = 100


@dataclass
class Page:
    """One page of a list. With `more`, `total` and `pages` are lower bounds: there are more."""

    items: Sequence[Item]
    page: int
    pages: int
    total: int
    more: bool = False


Counter = Callable[[int], Awaitable[int]]  # counts the matches, stopping at the limit given
Fetcher = Callable[[int, int], Awaitable[Sequence[Item]]]  # the rows at (offset, limit)


def _horizon(page: int, size: int, cap: int) -> int:
    """How far a list counts: to `cap`, or to the page after the one asked for, whichever is
    further (so ▶ still leads somewhere past the cap)."""
    return max(cap, (max(page, 0) + 2) * size)


async def paged(count: Counter, fetch: Fetcher, page: int, size: int, cap: int = COUNT_CAP) -> Page:
    """One page of a list whose count stops at `_horizon`."""
    horizon = _horizon(page, size, cap)
    counted = await count(horizon + 1)
    total = min(counted, horizon)
    page, pages = clamp_page(page, total, size)
    rows = await fetch(page * size, size)
    return Page(items=rows, page=page, pages=pages, total=total, more=counted > horizon)


IdsUpTo = Callable[[int], Awaitable[Sequence[int]]]  # the matches' ids in the list's order, at most so many
Loader = Callable[[Sequence[int]], Awaitable[Sequence[Item]]]  # the items of these ids, in that order


async def paged_by_ids(ids_up_to: IdsUpTo, load: Loader, page: int, size: int, cap: int) -> Page:
    """`paged` in one pass over the matches, for lists whose every match costs a row-by-row
    check (a search): their ids up to the horizon, in order, give both the count and the
    page, where `paged` would find them twice."""
    horizon = _horizon(page, size, cap)
    ids = await ids_up_to(horizon + 1)
    total = min(len(ids), horizon)
    page, pages = clamp_page(page, total, size)
    rows = await load(ids[page * size:(page + 1) * size])
    return Page(items=rows, page=page, pages=pages, total=total, more=len(ids) > horizon)


class ItemQueries:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.items = ItemRepository(session)
        self.participation = ParticipationRepository(session)

    async def my_submissions(self, resident: Resident, page: int, size: int) -> Page:
        filer = stored_id(resident)
        return await paged(lambda limit: self.items.count_by_resident(filer, limit),
                           lambda offset, limit: self.items.by_resident(filer, offset, limit), page, size)

    async def my_endorsements(self, resident: Resident, page: int, size: int) -> Page:
        endorser = stored_id(resident)
        return await paged(lambda limit: self.items.count_endorsed_by(endorser, limit),
                           lambda offset, limit: self.items.endorsed_by(endorser, offset, limit), page, size)

    async def card(self, item_id: int, resident: Resident) -> Card | None:
        """The card of an item the resident may see: any public item, or their own."""
        item = await self.items.by_id(item_id)
        if item is None or not _may_see(item, resident):
            return None
        endorsed, following, stance = await self.participation.relations(stored_id(item), stored_id(resident))
        counts = await self.participation.stance_counts(stored_id(item)) if item.participant_count else {}
        thread = await thread_of(self.session, stored_id(item)) if _may_have_thread(item) else Thread()
        return Card(item, endorsed, following, stance, counts, thread)

    async def item_id_for_token(self, token: str) -> int | None:
        item = await self.items.by_token(token)
        return item.id if item else None

    async def comments(self, item_id: int, page: int, size: int) -> tuple[list, int, int]:
        total = await self.participation.comment_count(item_id)
        page, pages = clamp_page(page, total, size)
        return await self.participation.comments(item_id, page * size, size), page, pages

    async def own_item(self, resident: Resident, item_id: int) -> ItemDetail | None:
        """The item with its timeline, if this resident filed it."""
        item = await self.items.by_id(item_id)
        if item is None or item.resident_id != resident.id:
            return None
        return ItemDetail(
            item=item,
            attachments=await self.items.attachments(item_id),
            timeline=await self.items.timeline(item_id),
        )


def clamp_page(page: int, total: int, size: int) -> tuple[int, int]:
    """The page to show (within range) and how many pages there are, at least one."""
    pages = max(1, -(-total // size))
    return min(max(page, 0), pages - 1), pages


# Stages before any department has a proposal: the cards drawn on every endorsement skip the reads.
BEFORE_ROUTING = frozenset({Status.COLLECTING, Status.DISCUSSION})


def _may_have_thread(item: Item) -> bool:
    return not (item.kind == Kind.PROPOSAL and item.status in BEFORE_ROUTING)


def _may_see(item: Item, resident: Resident) -> bool:
    return item.resident_id == resident.id or is_public(item)
