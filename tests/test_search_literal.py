"""Search takes what a resident types literally, on SQLite and PostgreSQL: LIKE's wildcards (% and
_), the escape characters (backslash, and the slash the escaping itself uses) and quotes match
only themselves, never any character, and never break the statement."""

from __future__ import annotations

import pytest

from storage.city import CityConfig
from storage.clock import system_clock
from storage.database import create_session_factory
from storage.drafts import Draft
from storage.lifecycle import Kind
from storage.rules import BROWSE_PAGE
from storage.services.browse import BrowseFilter, BrowseService
from storage.services.filing import FilingService
from storage.services.residents import ResidentService, TelegramPerson

# Each searched word: the titles that hold it literally, and look-alikes a wildcard would match.
CASES = {
    "50%": (["Discount 50% on buses"], ["Discount 500 on buses", "Discount 5 on buses"]),
    "a_b": (["Fix the a_b road"], ["Fix the axb road", "Fix the ab road"]),
    "O'Neil": (["O'Neil street lamp"], ["ONeil street lamp", "O Neil street lamp"]),
    "back\\slash": (["A back\\slash drain"], ["A backslash drain", "A back/slash drain"]),
    "1/2": (["Tickets at 1/2 price"], ["Tickets at 12 price"]),
    "%": (["Discount 50% on buses"], []),
    "_": (["Fix the a_b road"], []),
    "\\": (["A back\\slash drain"], []),
    "'": (["O'Neil street lamp", "Fix x');DROP table bench"], []),
    '"quoted"': (['The "quoted" bench'], ["The quoted bench"]),
    "x');DROP": (["Fix x');DROP table bench"], []),
}
TITLES = sorted({title for held, alike in CASES.values() for title in (*held, *alike)})


@pytest.fixture
async def titles_filed(engine, city: CityConfig):  # type: ignore[no-untyped-def]
    factory = create_session_factory(engine)
    for number, title in enumerate(TITLES):
        async with factory() as session:
            filer, _ = await ResidentService(session, "en").identify(TelegramPerson(500 + number, "F", None, "en"))
            draft = Draft(kind=Kind.COMPLAINT, category="roads", district="dong", title=title,
                          body="Nothing to see in the description here.", anonymous=True)
            item, _ = await FilingService(session, city).submit(draft, filer)
            assert item is not None
    return factory


async def _found(factory, query: str) -> set[str]:  # type: ignore[no-untyped-def]
    async with factory() as session:
        page = await BrowseService(session, system_clock).page(BrowseFilter(query=query), 0, BROWSE_PAGE * 4)
    return {item.title for item in page.items}


@pytest.mark.parametrize("query", list(CASES))
async def test_search_matches_literally(titles_filed, query: str) -> None:
    held, alike = CASES[query]
    assert await _found(titles_filed, query) == set(held)
    assert not set(alike) & await _found(titles_filed, query)


async def test_every_title_finds_itself(titles_filed) -> None:  # type: ignore[no-untyped-def]
    for title in TITLES:
        assert title in await _found(titles_filed, title)
