"""An official's push and view of an item an Open311 client filed: the client instead of a name,
and the address it gave, at the maximum lengths, full of what HTML escaping lengthens."""

from __future__ import annotations

import datetime as dt

import pytest
from aiogram.methods import SendMessage

from bot.notices import Outgoing, Texts, render
from handlers.officials.views import view_text
from storage.rules import ANSWER_MAX, OPEN311_ADDRESS_MAX
from storage.services.officials import OfficialView, ThreadEntry, status_targets
from storage.vocabulary import NoticeKind
from tests.test_officials_render import NASTY, _args, _long, _shown, core  # noqa: F401  (core is a fixture)

CLIENT = "w" * 40  # the longest client name the city file takes


@pytest.mark.parametrize("language", ["ko", "en"])
async def test_the_push_names_the_client_and_the_address_at_their_maximum(core, city, language):  # noqa: F811
    args = _args(filer=None, api_client=CLIENT, address=_long(OPEN311_ADDRESS_MAX))
    method = render(NoticeKind.ASSIGNMENT, Outgoing(1, args, Texts(core, language), city))
    assert isinstance(method, SendMessage)
    text = _shown(method.text)
    assert CLIENT in text and NASTY * 10 in text
    assert ("anonymous" not in text) and ("익명" not in text)
    moment = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    thread = [ThreadEntry(author, "water", _long(ANSWER_MAX), moment) for author in ("department", "filer") * 2]
    view = OfficialView(args, "new", "received", "complaint", False, thread, 40, status_targets("complaint", "received"))
    assert CLIENT in _shown(view_text(Texts(core, language), city, view))


async def test_an_item_from_the_bot_shows_no_address_line(core, city):  # noqa: F811
    text = _shown(render(NoticeKind.ASSIGNMENT, Outgoing(1, _args(), Texts(core, "en"), city)).text)
    assert "Address:" not in text and "through Open311" not in text
