"""One router per conversation, assembled fresh for every dispatcher."""

from __future__ import annotations

from aiogram import Router

from handlers import browse, cancel, card, discussion, errors, fallback, filing, my_items, settings, start


def build_root_router() -> Router:
    root = Router(name="sotong")
    modules = (errors, cancel, filing, browse, discussion, card, start, settings, my_items, fallback)
    for module in modules:
        root.include_router(module.build_router())
    return root
