"""The officials' notices and view at the documented maximum lengths, full of characters that
HTML escaping lengthens: still valid HTML, and within Telegram's 4,096 (1,024 for a caption)."""

from __future__ import annotations

import datetime as dt

import pytest
from aiogram.methods import SendMediaGroup, SendMessage, SendPhoto

from bot.i18n import create_core
from bot.notices import Outgoing, Texts, render
from fakeapi.htmltext import parse_html
from handlers.officials.views import view_markup, view_text
from storage.rules import ANSWER_MAX, BODY_MAX, NOTE_MAX, TITLE_MAX
from storage.services.officials import OfficialView, ThreadEntry, status_targets
from storage.vocabulary import NoticeKind

NASTY = "<&>"


def _long(n: int) -> str:
    return (NASTY * n)[:n]


@pytest.fixture
async def core():
    core = create_core("ko")
    await core.startup()
    return core


def _args(**changes):
    args = {"assignment_id": 2_147_483_647, "item_id": 1, "number": "GJ-2026-000001", "kind": "complaint",
            "title": _long(TITLE_MAX), "body": _long(BODY_MAX), "district": "buk", "category": "water",
            "department": "buk_office", "filer": _long(256), "due_at": "2026-03-02T00:00:00+00:00",
            "transferred_from": "environment", "note": _long(NOTE_MAX), "reopened": True}
    return {**args, **changes}


def _shown(html: str) -> str:
    text, _ = parse_html(html)
    assert len(text.encode("utf-16-le")) // 2 <= 4096
    return text


@pytest.mark.parametrize("language", ["ko", "en"])
async def test_the_push_at_maximum_lengths_fits(core, city, language):
    method = render(NoticeKind.ASSIGNMENT, Outgoing(1, _args(), Texts(core, language), city))
    assert isinstance(method, SendMessage)
    text = _shown(method.text)
    assert NASTY in text and "…" in text  # the body was cut, visibly
    assert all(len(b.callback_data.encode()) <= 64 for row in method.reply_markup.inline_keyboard for b in row)
    anonymous = render(NoticeKind.ASSIGNMENT, Outgoing(1, _args(filer=None), Texts(core, "en"), city))
    assert "Filed by: anonymous" in _shown(anonymous.text)


@pytest.mark.parametrize("language", ["ko", "en"])
async def test_the_official_view_with_a_full_thread_fits(core, city, language):
    moment = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    thread = [ThreadEntry(author, "environment", _long(ANSWER_MAX), moment) for author in ("department", "filer") * 2]
    view = OfficialView(_args(), "answered", "answered", "complaint", False, thread, 40,
                        status_targets("complaint", "answered"))
    t = Texts(core, language)
    head = core.get("officials-answered", language)  # what the typed actions put before the view
    _shown(head + "\n\n" + view_text(t, city, view))
    assert view_markup(t, view) is not None


async def test_reply_reminder_admin_and_album_fit(core, city):
    t = Texts(core, "en")
    reply = render(NoticeKind.REPLY, Outgoing(1, {"number": "GJ-2026-000001", "title": _long(TITLE_MAX),
                                                  "department": "water", "body": _long(ANSWER_MAX),
                                                  "assignment_id": 7}, t, city))
    assert "replied" in _shown(reply.text)
    items = [{"number": f"GJ-2026-{n:06d}", "title": _long(TITLE_MAX)} for n in range(5)]
    reminder = render(NoticeKind.REMINDER, Outgoing(1, {"department": "water", "count": 12, "items": items}, t, city))
    assert "12 items are overdue" in _shown(reminder.text)
    admin = render(NoticeKind.ADMIN, Outgoing(1, {"key": "officials-admin-no-department", "number": "GJ-1",
                                                  "title": _long(TITLE_MAX), "department": "water",
                                                  "reason": _long(NOTE_MAX)}, t, city))
    assert "Water Supply Headquarters" in _shown(admin.text)
    one = render(NoticeKind.ASSIGNMENT_ALBUM, Outgoing(1, {"photos": ["A"], "number": "GJ-1"}, t, city))
    assert isinstance(one, SendPhoto) and len(one.caption or "") <= 1024
    many = render(NoticeKind.ASSIGNMENT_ALBUM, Outgoing(1, {"photos": list("ABCDEFGHIJKL"), "number": "GJ-1"}, t, city))
    assert isinstance(many, SendMediaGroup) and len(many.media) == 10
