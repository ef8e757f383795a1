"""Request parameter parsing and Bot API errors."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web

JSON_FIELDS = {
    "reply_markup", "commands", "scope", "media", "allowed_updates", "link_preview_options",
    "reply_parameters", "entities", "caption_entities", "menu_button", "rights", "message_ids",
}


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


@dataclass
class UploadedFile:
    filename: str
    content: bytes
    content_type: str | None = None

    def __repr__(self) -> str:
        return f"UploadedFile({self.filename!r}, {len(self.content)} bytes)"


class Params(dict):
    """Parsed request parameters with typed accessors."""

    def get_str(self, name: str) -> str | None:
        value = self.get(name)
        return None if value is None or value == "" else str(value)

    def get_int(self, name: str, default: int | None = None) -> int | None:
        value = self.get(name)
        if value is None or value == "":
            return default
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(f'field "{name}" must be of type Integer') from None

    def get_float(self, name: str) -> float | None:
        value = self.get(name)
        if value is None or value == "":
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            raise bad_request(f'field "{name}" must be of type Number') from None

    def get_bool(self, name: str) -> bool:
        return self.get(name) in (True, 1, "true", "True", "1")

    def resolve_file(self, value: Any) -> UploadedFile | str | None:
        """An InputFile value: an UploadedFile for attach://name, else the string."""
        if isinstance(value, str) and value.startswith("attach://"):
            attached = self.get(value[len("attach://"):])
            if not isinstance(attached, UploadedFile):
                raise bad_request(f"can't find attached file \"{value[len('attach://'):]}\"")
            return attached
        return value


def _decode_json_fields(params: Params) -> Params:
    for name in JSON_FIELDS & params.keys():
        value = params[name]
        if isinstance(value, str):
            try:
                params[name] = json.loads(value)
            except ValueError:
                raise bad_request(f"can't parse {name} JSON object") from None
    return params


async def _read_form(request: web.Request) -> dict:
    out: dict[str, Any] = {}
    form = await request.post()
    for key, value in form.items():
        if isinstance(value, web.FileField):
            out[key] = UploadedFile(value.filename, value.file.read(), value.content_type)
        else:
            out[key] = value
    return out


async def parse_request(request: web.Request) -> Params:
    params = Params(request.query)
    ctype = request.content_type
    if ctype == "application/json":
        body = await request.read()
        if body:
            try:
                decoded = json.loads(body)
            except ValueError:
                raise bad_request("can't parse JSON request body") from None
            if isinstance(decoded, dict):
                params.update(decoded)
    elif ctype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        params.update(await _read_form(request))
    return _decode_json_fields(params)
