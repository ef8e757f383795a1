"""One router per conversation, assembled fresh for every dispatcher."""

from __future__ import annotations

from aiogram import Router

from handlers import browse, cancel, card, discussion, errors, fallback, filing, my_items, settings, start


def build_root_router() -> Router:
    root = Router(name="sotong")
    # Card and discussion first: their buttons are the most pressed, and no other router's
    # callback data can match theirs.
    modules = (errors, card, discussion, cancel, filing, browse, start, settings, my_items, fallback)
    for module in modules:
        root.include_router(module.build_router())
    return root
