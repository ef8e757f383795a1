"""Table of implemented Bot API methods (lower-case name -> canonical name, handler)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

Handler = Callable[[Any, Any], Awaitable[Any]]
METHODS: dict[str, tuple[str, Handler]] = {}


def api_method(name: str) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        METHODS[name.lower()] = (name, func)
        return func

    return register


def lookup(method: str) -> tuple[str, Handler | None]:
    canonical, handler = METHODS.get(method.lower(), (method, None))
    return canonical, handler
