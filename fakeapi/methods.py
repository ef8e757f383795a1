"""Bot API methods that do not send messages: bot info, updates, commands, files ..."""

from __future__ import annotations

import asyncio
import json
import re
from typing import TYPE_CHECKING

from .params import ApiError, Params, bad_request
from .registry import api_method

if TYPE_CHECKING:
    from .server import FakeTelegram

CHAT_ACTIONS = {
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note",
    "upload_video_note",
}
COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
POLL_CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)


@api_method("getMe")
async def get_me(tg: FakeTelegram, p: Params) -> dict:
    return {
        **tg.bot_user,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


@api_method("getUpdates")
async def get_updates(tg: FakeTelegram, p: Params) -> list[dict]:
    if tg.webhook.get("url"):
        raise ApiError(409, WEBHOOK_CONFLICT)
    queue = tg.updates
    queue.confirm(p.get_int("offset"))
    if isinstance(p.get("allowed_updates"), list):
        queue.allowed = p["allowed_updates"] or None
    limit = min(max(p.get_int("limit", 100), 1), 100)
    deadline = asyncio.get_running_loop().time() + max(p.get_int("timeout", 0), 0)
    queue.poll_generation += 1
    generation = queue.poll_generation
    queue.notify()  # an older pending long poll is terminated with 409
    while True:
        if queue.poll_generation != generation:
            raise ApiError(409, POLL_CONFLICT)
        updates = queue.pending(limit)
        remaining = deadline - asyncio.get_running_loop().time()
        if updates or queue.closing or remaining <= 0:
            return updates
        await queue.wait(remaining)


@api_method("setWebhook")
async def set_webhook(tg: FakeTelegram, p: Params) -> bool:
    url = p.get_str("url") or ""
    tg.webhook = {"url": url, **{k: v for k, v in p.items() if k != "certificate"}}
    if p.get_bool("drop_pending_updates"):
        tg.updates.updates.clear()
    return True


@api_method("deleteWebhook")
async def delete_webhook(tg: FakeTelegram, p: Params) -> bool:
    tg.webhook = {"url": ""}
    if p.get_bool("drop_pending_updates"):
        tg.updates.updates.clear()
    return True


@api_method("getWebhookInfo")
async def get_webhook_info(tg: FakeTelegram, p: Params) -> dict:
    return {
        "url": tg.webhook.get("url", ""),
        "has_custom_certificate": False,
        "pending_update_count": len(tg.updates.updates),
    }


def _command_scope(p: Params) -> tuple[dict, str | None]:
    scope = p.get("scope") or {"type": "default"}
    if not isinstance(scope, dict) or "type" not in scope:
        raise bad_request("can't parse BotCommandScope JSON object")
    return scope, p.get_str("language_code")


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


@api_method("setMyCommands")
async def set_my_commands(tg: FakeTelegram, p: Params) -> bool:
    commands = _validated_commands(p.get("commands"))
    scope, language = _command_scope(p)
    if not commands:
        return await delete_my_commands(tg, p)
    tg.commands[(scope["type"], language)] = commands
    tg.scoped_commands[(json.dumps(scope, sort_keys=True), language)] = commands
    return True


@api_method("getMyCommands")
async def get_my_commands(tg: FakeTelegram, p: Params) -> list[dict]:
    scope, language = _command_scope(p)
    return list(tg.scoped_commands.get((json.dumps(scope, sort_keys=True), language), []))


@api_method("deleteMyCommands")
async def delete_my_commands(tg: FakeTelegram, p: Params) -> bool:
    scope, language = _command_scope(p)
    tg.scoped_commands.pop((json.dumps(scope, sort_keys=True), language), None)
    tg.commands.pop((scope["type"], language), None)
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


@api_method("sendChatAction")
async def send_chat_action(tg: FakeTelegram, p: Params) -> bool:
    chat = tg.chat_for(p, sending=True, count=False)
    action = p.get_str("action")
    if action not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    tg.emit("chat_action", chat, action=action)
    return True


@api_method("getChat")
async def get_chat(tg: FakeTelegram, p: Params) -> dict:
    chat = tg.chat_for(p)
    gifts = ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription",
             "gifts_from_channels")
    return {
        **chat.chat_dict(),
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {name: True for name in gifts},
    }


@api_method("getFile")
async def get_file(tg: FakeTelegram, p: Params) -> dict:
    stored = tg.files.by_id.get(p.get_str("file_id") or "")
    if stored is None:
        raise bad_request("invalid file_id")
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.content),
        "file_path": stored.file_path,
    }


def _store_only(name: str) -> None:
    async def handler(tg: FakeTelegram, p: Params) -> bool:
        tg.settings[name] = dict(p)
        return True

    api_method(name)(handler)


for _name in ("close", "logOut", "setMyDescription", "setMyShortDescription", "setMyName",
              "setChatMenuButton", "setMyDefaultAdministratorRights"):
    _store_only(_name)
