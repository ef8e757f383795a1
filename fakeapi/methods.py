"""Bot API methods that do not send messages: bot info, updates, commands, callback answers."""

from __future__ import annotations

import asyncio
import re
from typing import TYPE_CHECKING

from .params import Params, bad_request
from .registry import api_method
from .webhook import refuse_polling

if TYPE_CHECKING:
    from .server import FakeTelegram

COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")


@api_method("getMe")
async def get_me(tg: FakeTelegram, p: Params) -> dict:
    return {**tg.bot_user, "can_join_groups": True, "can_read_all_group_messages": False,
            "supports_inline_queries": False}


@api_method("getUpdates")
async def get_updates(tg: FakeTelegram, p: Params) -> list[dict]:
    refuse_polling(tg)
    queue = tg.updates
    queue.confirm(p.get_int("offset"))
    if isinstance(p.get("allowed_updates"), list):
        queue.allowed = p["allowed_updates"] or None
    limit = min(max(p.get_int("limit", 100), 1), 100)
    deadline = asyncio.get_running_loop().time() + max(p.get_int("timeout", 0), 0)
    while True:
        updates = queue.pending(limit)
        remaining = deadline - asyncio.get_running_loop().time()
        if updates or queue.closing or remaining <= 0:
            return updates
        await queue.wait(remaining)


def _validated_commands(commands: object) -> list[dict]:
    if not isinstance(commands, list):
        raise bad_request('parameter "commands" is required')
    out = []
    for item in commands:
        if not isinstance(item, dict) or not COMMAND_RE.match(str(item.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        description = str(item.get("description") or "")
        if not description.strip():
            raise bad_request("command description must be non-empty")
        if len(description) > 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        out.append({"command": item["command"], "description": description})
    return out


def _scope_key(tg: FakeTelegram, p: Params) -> tuple[str, str | None]:
    """(scope, language_code): e.g. ("default", "ko"), or ("chat:7001", None) for one chat's."""
    scope = p.get("scope") or {"type": "default"}
    if not isinstance(scope, dict) or "type" not in scope:
        raise bad_request("can't parse BotCommandScope JSON object")
    if scope["type"] in ("chat", "chat_administrators", "chat_member"):
        if scope.get("chat_id") not in tg.chats:
            raise bad_request("chat not found")
        return f"{scope['type']}:{scope['chat_id']}", p.get_str("language_code")
    return scope["type"], p.get_str("language_code")


@api_method("setMyCommands")
async def set_my_commands(tg: FakeTelegram, p: Params) -> bool:
    """Kept by scope and language_code (`_scope_key`), e.g. fake.commands[("default", "ko")]."""
    tg.commands[_scope_key(tg, p)] = _validated_commands(p.get("commands"))
    return True


@api_method("deleteMyCommands")
async def delete_my_commands(tg: FakeTelegram, p: Params) -> bool:
    """The scope's commands gone: a chat falls back to the wider scopes' menu, as in Telegram."""
    tg.commands.pop(_scope_key(tg, p), None)
    return True


@api_method("answerCallbackQuery")
async def answer_callback_query(tg: FakeTelegram, p: Params) -> bool:
    query_id = p.get_str("callback_query_id")
    chat = tg.callbacks.pop(query_id, None) if query_id else None
    if chat is None:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    answer = {
        "callback_query_id": query_id,
        "text": p.get_str("text"),
        "show_alert": p.get_bool("show_alert"),
        "url": p.get_str("url"),
    }
    tg.emit("callback_answer", chat, callback_answer=answer)
    return True
