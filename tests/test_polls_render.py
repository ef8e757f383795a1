"""Every poll screen at the documented maxima (a question of 300 characters, 10 options of 100,
all full of characters HTML escaping lengthens, counts in the millions, many districts): valid
HTML within 4,096 characters, a caption within 1,024, callback data within 64 bytes; and the
chart at that size, with Hangul and no missing glyph."""

from __future__ import annotations

import datetime as dt
import struct
import warnings

import pytest
from aiogram.methods import SendMessage, SendPhoto

from bot.charts import PNG_SIGNATURE
from bot.i18n import create_core
from bot.notices import Outgoing, Texts, render
from bot.poll_charts import labels, results_png
from fakeapi.htmltext import parse_html
from handlers.polls import views
from storage.repositories.broadcasts import BroadcastContent, Photo, PollContent
from storage.rules import POLL_OPTION_MAX, POLL_OPTIONS_MAX, POLL_QUESTION_MAX
from storage.services.polls import Counts, PollChoiceText, PollHead, PollListing, PollResults, PollView
from storage.vocabulary import NoticeKind

NASTY = "<&>"
MAX_ID = 2_147_483_647
MANY = 1_234_567


def _long(n: int, start: str = "") -> str:
    return (start + NASTY * n)[:n]


@pytest.fixture
async def core():
    core = create_core("ko")
    await core.startup()
    return core


def head(closed: bool = False, options: int = POLL_OPTIONS_MAX) -> PollHead:
    return PollHead(id=MAX_ID, question={"ko": _long(POLL_QUESTION_MAX, "질문"), "en": _long(POLL_QUESTION_MAX, "Q")},
                    options=tuple(PollChoiceText(n, {"ko": _long(POLL_OPTION_MAX, f"선택{n}"),
                                                     "en": _long(POLL_OPTION_MAX, f"Option{n}")})
                                  for n in range(1, options + 1)),
                    multiple=True, show_results=True, closes_at=dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC), closed=closed)


COUNTS = Counts({n: MANY for n in range(1, POLL_OPTIONS_MAX + 1)}, MANY)


def shown(text: str, limit: int = 4096) -> str:
    parsed, _ = parse_html(text)
    assert len(parsed.encode("utf-16-le")) // 2 <= limit
    return parsed


def checked_markup(markup) -> list[str]:  # type: ignore[no-untyped-def]
    buttons = [button for row in (markup.inline_keyboard if markup else []) for button in row]
    assert all(len(button.callback_data.encode()) <= 64 for button in buttons)
    return [button.text for button in buttons]


def content(poll: PollHead, counts: Counts | None = None) -> BroadcastContent:
    return BroadcastContent(1, "poll", "sending", False, photos={"ko": Photo(b"\x89PNG", None)},
                            poll=PollContent(poll.id, poll.question, [(o.position, o.text) for o in poll.options],
                                             poll.multiple, poll.closes_at, poll.closed,
                                             dict(counts.chosen) if counts else {}, counts.answered if counts else 0))


@pytest.mark.parametrize("language", ["ko", "en"])
async def test_the_poll_message_at_its_maximum(core, city, language):
    poll = head()
    method = render(NoticeKind.POLL, Outgoing(1, {}, Texts(core, language), city, 1, content(poll)))
    assert isinstance(method, SendMessage)
    text = shown(method.text)
    assert poll.question[language] in text  # the question whole
    assert checked_markup(method.reply_markup) == [option.text[language] for option in poll.options]
    assert "2026-12-01 18:00" in text  # its closing time in the city's time


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("closed", [False, True])
async def test_an_answered_poll_with_counts_at_its_maximum(core, city, language, closed):
    t = Texts(core, language)
    view = PollView(head(closed), frozenset(range(1, POLL_OPTIONS_MAX + 1)), COUNTS)
    text = shown(views.poll_text(t, city, language, view))
    assert text.count("1,234,567 (100%)") == POLL_OPTIONS_MAX
    assert all(f"✓ {n}. " in text for n in range(1, POLL_OPTIONS_MAX + 1))
    buttons = checked_markup(views.poll_markup(t, language, view, back=True))
    assert len(buttons) == (2 if closed else POLL_OPTIONS_MAX + 1)


@pytest.mark.parametrize("language", ["ko", "en"])
async def test_the_results_caption_fits_1024(core, city, language):
    poll = head(closed=True)
    method = render(NoticeKind.POLL_RESULTS, Outgoing(1, {}, Texts(core, language), city, 1, content(poll, COUNTS)))
    assert isinstance(method, SendPhoto)
    caption = shown(method.caption, 1024)
    for n in range(1, POLL_OPTIONS_MAX + 1):  # every option keeps its line, its count and share
        assert f"\n{n}. " in caption
    assert caption.count("1,234,567 (100%)") == POLL_OPTIONS_MAX


@pytest.mark.parametrize("language", ["ko", "en"])
async def test_the_admins_counts_fit(core, city, language):
    t = Texts(core, language)
    districts = [(f"old_district_{n:02d}", Counts({1: MANY}, MANY)) for n in range(40)] + [(None, Counts({2: 1}, 1))]
    results = PollResults(head(), COUNTS, districts, MANY)
    text = shown(views.stats_text(t, city, language, results))
    assert text.count("— 1,234,567 (100%)") == POLL_OPTIONS_MAX and "old_district_39: 1,234,567" in text
    checked_markup(views.stats_markup(t, results))
    checked_markup(views.close_markup(t, MAX_ID))


async def test_the_list_of_open_polls(core):
    t = Texts(core, "en")
    listings = [PollListing(head(), answered=n % 2 == 0) for n in range(10)]
    shown(views.list_text(t, listings))
    buttons = checked_markup(views.list_markup("en", listings))
    assert all(len(button) <= views.BUTTON + 2 for button in buttons)
    assert views.list_markup("en", []) is None


@pytest.mark.parametrize("language", ["ko", "en"])
async def test_the_chart_at_its_maximum(core, city, language):
    poll = head(closed=True)
    districts = [(district.code, Counts({n: n * 7 for n in range(1, 11)}, 100)) for district in city.districts]
    results = PollResults(poll, Counts({n: n * 35 for n in range(1, 11)}, 500), [*districts, (None, Counts({}, 0))], 900)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s)"
        png = results_png(results, labels(results, city, Texts(core, language)))
    assert png.startswith(PNG_SIGNATURE) and png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    assert width == 1000 and 600 < height < 3000
    assert 10_000 < len(png) < 3_000_000
