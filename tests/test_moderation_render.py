"""The moderation notices and /moderate's case at the documented maximum lengths, full of
characters HTML escaping lengthens: valid HTML within Telegram's 4,096, callback data within 64."""

from __future__ import annotations

import pytest
from aiogram.methods import SendMessage

from bot.i18n import create_core
from bot.notices import Outgoing, Texts, render
from fakeapi.htmltext import parse_html
from storage.rules import BODY_MAX, COMMENT_MAX, TITLE_MAX
from storage.vocabulary import NoticeKind, ReportReason

NASTY = "<&>"
MAX_ID = 2_147_483_647


def _long(n: int) -> str:
    return (NASTY * n)[:n]


@pytest.fixture
async def core():
    core = create_core("ko")
    await core.startup()
    return core


def _case(target="item", text_max=BODY_MAX):
    return {"target": target, "target_id": MAX_ID, "item_id": MAX_ID, "number": "GJ-2026-000001",
            "title": _long(TITLE_MAX), "text": _long(text_max),
            "reasons": {reason.value: 1_000_000 for reason in ReportReason},
            "past": [{"moderator": _long(256), "decision": d} for d in ("restore", "keep_hidden", "ban") * 3]}


def _shown(method) -> str:
    assert isinstance(method, SendMessage)
    text, _ = parse_html(method.text)
    assert len(text.encode("utf-16-le")) // 2 <= 4096
    buttons = method.reply_markup.inline_keyboard if method.reply_markup else []
    assert all(len(b.callback_data.encode()) <= 64 for row in buttons for b in row)
    return text


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize(("target", "text_max"), [("item", BODY_MAX), ("comment", COMMENT_MAX)])
async def test_the_push_at_maximum_lengths_fits(core, city, language, target, text_max):
    method = render(NoticeKind.MODERATION, Outgoing(1, _case(target, text_max), Texts(core, language), city))
    text = _shown(method)
    assert NASTY in text and "1,000,000" in text
    assert len(method.reply_markup.inline_keyboard[0]) == 2 and len(method.reply_markup.inline_keyboard[1]) == 3


@pytest.mark.parametrize("language", ["ko", "en"])
async def test_the_decision_note_and_the_authors_notices_fit(core, city, language):
    decided = {**_case(), "decided": "ban", "moderator": _long(256), "banned_until": "9999-12-31T00:00:00+00:00"}
    assert NASTY in _shown(render(NoticeKind.MODERATION, Outgoing(1, decided, Texts(core, language), city)))
    for state in ("review", "restored", "kept"):
        args = {"target": "comment", "number": "GJ-2026-000001", "title": _long(TITLE_MAX), "item_id": 1,
                "state": state, "reason": "personal_data" if state == "kept" else None,
                "banned_until": "2026-03-03T09:00:00+00:00" if state == "kept" else None}
        text = _shown(render(NoticeKind.MODERATED, Outgoing(1, args, Texts(core, language), city)))
        assert NASTY in text
    assert "2026-03-03 18:00" in text  # the ban's end in the city's time (Asia/Seoul)
