"""Lists count their matches only up to a cap, and their headers say so truthfully."""

from __future__ import annotations

from sqlalchemy import insert

from bot.i18n import create_core
from handlers.keyboards import page_counts
from storage.clock import ManualClock
from storage.database import create_session_factory
from storage.models import Item, Resident
from storage.services.browse import BrowseFilter, BrowseService
from storage.services.items import COUNT_CAP, SEARCH_COUNT_CAP, ItemQueries, Page
from storage.types import utcnow

PUBLIC = COUNT_CAP + 10
SIZE = 8


async def _fill(engine) -> Resident:
    now = utcnow()
    async with engine.begin() as connection:
        await connection.execute(insert(Resident.__table__).values(
            telegram_id=1, language="en", full_name="Filer", blocked=False, created_at=now, updated_at=now))
        rows = [dict(public_number=f"GJ-2026-{n:06d}", public_token=f"t{n}", kind="proposal", category="roads",
                     district="dong", title=f"Proposal {n}", body="Seeded for the count test.",
                     is_anonymous=False, is_private=n >= PUBLIC + 5, status="hidden" if n >= PUBLIC else "collecting",
                     resident_id=1, endorsement_count=0, participant_count=0, submission_key=f"k{n}",
                     created_at=now, updated_at=now)
                for n in range(PUBLIC + 10)]  # 10 more: 5 hidden, 5 private and hidden
        await connection.execute(insert(Item.__table__), rows)
    factory = create_session_factory(engine)
    async with factory() as session:
        return await session.get(Resident, 1)


async def test_counts_stop_at_the_cap_and_grow_with_the_page(engine):
    filer = await _fill(engine)
    factory = create_session_factory(engine)
    async with factory() as session:
        browse = BrowseService(session, ManualClock())
        first = await browse.page(BrowseFilter(), 0, SIZE)
        last = await browse.page(BrowseFilter(), 10_000, SIZE)
        near_cap = await browse.page(BrowseFilter(), COUNT_CAP // SIZE - 1, SIZE)
        mine = await ItemQueries(session).my_submissions(filer, 0, SIZE)
    assert (first.total, first.more, first.pages, len(first.items)) == (COUNT_CAP, True, COUNT_CAP // SIZE, SIZE)
    # Near the cap the count reaches past the next page, so ▶ is still offered.
    assert near_cap.more and near_cap.pages > near_cap.page + 1
    # Far enough, the whole count is known: hidden and private items are not in it.
    assert (last.total, last.more, last.page) == (PUBLIC, False, -(-PUBLIC // SIZE) - 1)
    assert len(last.items) == PUBLIC % SIZE
    # The filer's own list counts their hidden and private items too, and is capped the same way.
    assert (mine.total, mine.more) == (COUNT_CAP, True)


async def test_a_search_counts_to_its_own_smaller_cap(engine):
    await _fill(engine)
    factory = create_session_factory(engine)
    async with factory() as session:
        browse = BrowseService(session, ManualClock())
        found = await browse.page(BrowseFilter(query="Proposal"), 0, SIZE)
        rare = await browse.page(BrowseFilter(query="Proposal 77"), 0, SIZE)
        rare_last = await browse.page(BrowseFilter(query="Proposal 77"), 99, SIZE)
    assert (found.total, found.more, len(found.items)) == (SEARCH_COUNT_CAP, True, SIZE)
    assert (rare.total, rare.more) == (19, False)  # every number with "77" in it, below 1,010
    # Newest first (same time: the later id first), page after page, hidden items left out.
    expected = [f"Proposal {n}" for n in reversed(range(PUBLIC)) if "77" in str(n)]
    assert [item.title for item in found.items] == [f"Proposal {n}" for n in range(PUBLIC - 1, PUBLIC - 1 - SIZE, -1)]
    assert [item.title for item in rare.items] == expected[:SIZE]
    assert (rare_last.page, [item.title for item in rare_last.items]) == (2, expected[2 * SIZE:])


async def test_headers_say_at_least_when_the_count_stopped():
    core = create_core("ko")
    await core.startup()
    capped = Page(items=[], page=0, pages=COUNT_CAP // SIZE, total=COUNT_CAP, more=True)
    exact = Page(items=[], page=0, pages=2, total=10)
    for locale in ("ko", "en"):
        class I18n:
            @staticmethod
            def get(key, **kwargs):  # type: ignore[no-untyped-def]
                return core.get(key, locale, **kwargs)

        header = core.get("mine-header", locale, **page_counts(I18n, capped))
        assert "1,000+" in header and f"{COUNT_CAP // SIZE}+" in header, header
        header = core.get("mine-header", locale, **page_counts(I18n, exact))
        assert "+" not in header and "10" in header, header
