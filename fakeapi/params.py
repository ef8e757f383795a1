"""Request parameter parsing and Bot API errors."""

from __future__ import annotations

import json
from typing import Any, overload

from aiohttp import web

JSON_FIELDS = {"reply_markup", "commands", "scope", "allowed_updates", "entities", "media"}


class ApiError(Exception):
    def __init__(self, code: int, description: str, parameters: dict | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def payload(self) -> dict:
        out: dict[str, Any] = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            out["parameters"] = self.parameters
        return out


def bad_request(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}")


class Params(dict):
    """Parsed request parameters with typed accessors."""

    def get_str(self, name: str) -> str | None:
        value = self.get(name)
        return None if value is None or value == "" else str(value)

    @overload
    def get_int(self, name: str) -> int | None: ...

    @overload
    def get_int(self, name: str, default: int) -> int: ...

    def get_int(self, name: str, default: int | None = None) -> int | None:
        value = self.get(name)
        if value is None or value == "":
            return default
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(f'field "{name}" must be of type Integer') from None

    def get_bool(self, name: str) -> bool:
        return self.get(name) in (True, 1, "true", "True", "1")


def _decode_json_fields(params: Params) -> Params:
    for name in JSON_FIELDS & params.keys():
        value = params[name]
        if isinstance(value, str):
            try:
                params[name] = json.loads(value)
            except ValueError:
                raise bad_request(f"can't parse {name} JSON object") from None
    return params


async def parse_request(request: web.Request) -> Params:
    """aiogram sends every call as a form (multipart when it uploads, urlencoded otherwise)."""
    params = Params(request.query)
    if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        params.update(await request.post())
    return _decode_json_fields(params)
