"""Rendering outbox messages: each notice kind becomes one Bot API call, in the resident's language.

Renderers are registered per kind by the modules in RENDERER_MODULES (one per conversation
that sends notices); `render` is what the sender calls.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiogram.methods import TelegramMethod
from aiogram_i18n.cores import FluentRuntimeCore
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.city import CityConfig
from storage.repositories.broadcasts import BroadcastContent
from storage.vocabulary import NoticeKind


@dataclass(frozen=True)
class Texts:
    """`texts("key", name=value)`: a text of locales/ in one language, as handlers' i18n gives."""

    core: FluentRuntimeCore
    language: str

    def __call__(self, key: str, /, **kwargs: Any) -> str:
        return self.core.get(key, self.language, **kwargs)


@dataclass(frozen=True)
class Outgoing:
    """What a renderer gets: the outbox row's fields, its texts and the city file."""

    chat_id: int
    args: dict[str, Any]
    texts: Texts
    city: CityConfig
    # The outbox row's resident (None for a chat without a resident row).
    resident_id: int | None = None
    # The broadcast the row is one of: its texts, photo, poll (None for a notice).
    broadcast: BroadcastContent | None = None


Renderer = Callable[[Outgoing], TelegramMethod[Any]]
RENDERERS: dict[NoticeKind, Renderer] = {}
# What to do when the message a kind edits is gone (the chat deleted it): given the row's args,
# in the sender's transaction (`when_gone`); without one, the row just fails.
Forget = Callable[[AsyncSession, dict[str, Any]], Awaitable[None]]
FORGETTERS: dict[NoticeKind, Forget] = {}
# The modules whose import registers renderers (see `renders`).
RENDERER_MODULES: tuple[str, ...] = ("handlers.officials.notices", "handlers.updates",
                                       "handlers.moderation.notices", "handlers.broadcasts.notices",
                                       "handlers.broadcasts.progress", "handlers.polls.notices", "bot.commands")


def renders(kind: NoticeKind) -> Callable[[Renderer], Renderer]:
    def register(func: Renderer) -> Renderer:
        RENDERERS[kind] = func
        return func

    return register


def when_gone(kind: NoticeKind) -> Callable[[Forget], Forget]:
    def register(func: Forget) -> Forget:
        FORGETTERS[kind] = func
        return func

    return register


@functools.cache
def load_renderers() -> None:
    """Imports the renderer modules once (the sender renders every row: not on its hot path)."""
    for module in RENDERER_MODULES:
        importlib.import_module(module)


def render(kind: str, outgoing: Outgoing) -> TelegramMethod[Any]:
    load_renderers()
    return RENDERERS[NoticeKind(kind)](outgoing)


def forgetter(kind: str) -> Forget | None:
    load_renderers()
    return FORGETTERS.get(NoticeKind(kind))
