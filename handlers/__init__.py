"""One router per conversation, assembled fresh for every dispatcher."""

from __future__ import annotations

from aiogram import Router

from handlers import cancel, errors, fallback, filing, my_items, settings, start


def build_root_router() -> Router:
    root = Router(name="sotong")
    for module in (errors, cancel, filing, start, settings, my_items, fallback):
        root.include_router(module.build_router())
    return root
