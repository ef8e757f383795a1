"""FakeTelegram: an aiohttp server speaking the Telegram Bot API, plus its resident side."""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
from collections.abc import Callable
from typing import Any

from aiohttp import web

from . import media as _media  # noqa: F401  (registers handlers)
from . import methods as _methods  # noqa: F401  (registers handlers)
from . import sending as _sending  # noqa: F401  (registers handlers)
from .limits import SendLimits
from .params import ApiError, Params, bad_request, parse_request
from .registry import lookup
from .state import BotEvent, Chat, FakeMessage, FileStore, UpdateQueue, now
from .user import FakeUser
from .webhook import Webhook

log = logging.getLogger(__name__)
BLOCKED = "Forbidden: bot was blocked by the user"


class FakeTelegram:
    def __init__(self, token: str = "123456:TEST-TOKEN", bot_username: str = "sotong_test_bot",
                 bot_name: str = "Sotong") -> None:
        self.token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_username = bot_username
        self.bot_user = {"id": self.bot_id, "is_bot": True, "first_name": bot_name,
                         "username": bot_username}
        self.base_url = ""
        self.calls: list[tuple[str, dict]] = []
        self.unauthorized: list[str] = []  # the methods called with a token that is not the bot's
        self.call_log: list[tuple[str, float]] = []  # (method, loop time) of every call, refused ones too
        self.commands: dict[tuple[str, str | None], list[dict]] = {}
        self.limits = SendLimits()
        self.reply_delays: dict[int, float] = {}  # chat id -> seconds, see delay_replies
        self.server_errors: list[str] = []
        self.failures: list[tuple[str, int, str, dict | None]] = []  # (method, status, description, parameters)
        self.updates = UpdateQueue()
        self.files = FileStore()
        self.chats: dict[int, Chat] = {}
        self.users: dict[int, FakeUser] = {}
        self.callbacks: dict[str, Chat] = {}
        self._subscribers: list[Callable[[BotEvent], Any]] = []
        self._tasks: set[asyncio.Task] = set()
        self.webhook = Webhook(self)
        self._runner: web.AppRunner | None = None

    # -- lifecycle ----------------------------------------------------------
    def make_app(self) -> web.Application:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_route("GET", "/file/bot{token}/{path:.+}", self._handle_file)
        app.router.add_route("*", "/{tail:.*}", self._handle_not_found)
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        self.updates.closing = False
        self._runner = web.AppRunner(self.make_app(), access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        bound_port = self._runner.addresses[0][1]
        self.base_url = f"http://{host}:{bound_port}"
        return self.base_url

    async def stop(self) -> None:
        self.updates.closing = True
        self.updates.notify()
        await self.webhook.delete()
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    # -- HTTP handlers ------------------------------------------------------
    @staticmethod
    def _json(payload: dict, status: int = 200) -> web.Response:
        body = json.dumps(payload, ensure_ascii=False)
        return web.Response(text=body, status=status, content_type="application/json")

    async def _handle_api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            self.unauthorized.append(request.match_info["method"])
            return self._json(ApiError(401, "Unauthorized").payload(), 401)
        name, handler = lookup(request.match_info["method"])
        self.call_log.append((name, asyncio.get_running_loop().time()))
        failure = self._injected_failure(name)
        if failure is not None:
            return failure
        try:
            params = await parse_request(request)
            self.calls.append((name, dict(params)))
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            await self._hold_reply(params)
            result = await handler(self, params)
        except ApiError as exc:
            return self._json(exc.payload(), exc.code)
        except Exception as exc:  # a bug in the fake: report it loudly, keep serving
            log.exception("fake Bot API failed on %s", name)
            self.server_errors.append(f"{name}: {exc!r}")
            return self._json(ApiError(500, f"Internal Server Error: {exc!r}").payload(), 500)
        return self._json({"ok": True, "result": result})

    async def _handle_file(self, request: web.Request) -> web.Response:
        """A file download, as Telegram serves it after getFile gave its path."""
        file_id = self.files.paths.get(request.match_info["path"])
        self.calls.append(("file", {"path": request.match_info["path"]}))
        if request.match_info["token"] != self.token or file_id is None:
            return self._json(ApiError(404, "Not Found").payload(), 404)
        return web.Response(body=self.files.content(file_id), content_type="image/jpeg")

    async def _handle_not_found(self, request: web.Request) -> web.Response:
        return self._json(ApiError(404, "Not Found").payload(), 404)

    # -- a slow Telegram -----------------------------------------------------
    def delay_replies(self, chat_id: int, seconds: float) -> None:
        """Answers every later call about this chat (a message, an edit, a callback answer)
        only after `seconds`, as a slow Bot API would; other chats are answered at once."""
        self.reply_delays[chat_id] = seconds

    async def _hold_reply(self, params: Params) -> None:
        if not self.reply_delays:
            return
        chat = self.callbacks.get(str(params.get("callback_query_id") or ""))
        try:
            chat_id = chat.id if chat is not None else int(params["chat_id"])
        except (KeyError, TypeError, ValueError):
            return
        if self.reply_delays.get(chat_id):
            await asyncio.sleep(self.reply_delays[chat_id])

    def fail(self, method: str, status: int, description: str, times: int = 1,
             retry_after: int | None = None) -> None:
        """The next `times` calls of `method` get an error (e.g. 502 Bad Gateway): a flaky Telegram.
        With `retry_after`, a 429 as Telegram gives it (recorded in `limits.throttles`)."""
        parameters = {"retry_after": retry_after} if retry_after is not None else None
        self.failures += [(method.lower(), status, description, parameters)] * times

    def _injected_failure(self, name: str) -> web.Response | None:
        for index, (method, status, description, parameters) in enumerate(self.failures):
            if method == name.lower():
                del self.failures[index]
                self.calls.append((name, {"failed": status}))
                if parameters and "retry_after" in parameters:
                    self.limits.injected(parameters["retry_after"])
                return self._json(ApiError(status, description, parameters).payload(), status)
        return None

    # -- calls --------------------------------------------------------------
    def calls_of(self, method: str) -> list[dict]:
        return [params for name, params in self.calls if name.lower() == method.lower()]

    # -- residents ----------------------------------------------------------
    def user(self, user_id: int, first_name: str = "Resident", language_code: str | None = "ko",
             username: str | None = None, last_name: str | None = None) -> FakeUser:
        if user_id in self.users:
            return self.users[user_id]
        info = {"id": user_id, "is_bot": False, "first_name": first_name}
        extra = {"last_name": last_name, "username": username, "language_code": language_code}
        info.update({k: v for k, v in extra.items() if v})
        chat = self.chats[user_id] = Chat(info, self.bot_user)
        self.users[user_id] = FakeUser(self, chat)
        return self.users[user_id]

    def group(self, group_id: int, member: int, kind: str = "group", title: str = "Neighbours") -> FakeUser:
        """Resident `member` writing in a group (or supergroup) that has the bot in it.
        One member talks per fake group: enough to see what the bot answers there."""
        if group_id not in self.chats:
            self.user(member)
            group = {"id": group_id, "type": kind, "title": title}
            self.chats[group_id] = Chat(self.chats[member].user, self.bot_user, group)
        chat = self.chats[group_id]
        if chat.group is None or chat.user["id"] != member:
            raise ValueError(f"chat {group_id} is not a fake group of resident {member}")
        return FakeUser(self, chat)

    def block(self, user_id: int, notify: bool = True) -> None:
        """notify=False: the my_chat_member update never reaches the bot (it was down too long),
        so only a refused reply (403) can tell it."""
        self._set_blocked(user_id, True, notify)

    def unblock(self, user_id: int, notify: bool = True) -> None:
        self._set_blocked(user_id, False, notify)

    def _set_blocked(self, user_id: int, blocked: bool, notify: bool) -> None:
        chat = self.chats[user_id]
        if chat.blocked == blocked:
            return
        chat.blocked = blocked
        if not notify:
            return
        member = {"status": "member", "user": dict(self.bot_user)}
        banned = {"status": "kicked", "user": dict(self.bot_user), "until_date": 0}
        old, new = (member, banned) if blocked else (banned, member)
        self.updates.push("my_chat_member", {
            "chat": chat.chat_dict(), "from": dict(chat.user), "date": now(),
            "old_chat_member": old, "new_chat_member": new,
        })

    # -- used by method handlers -------------------------------------------
    def find_chat(self, raw: Any) -> Chat | None:
        try:
            return self.chats.get(int(raw))
        except (TypeError, ValueError):
            return None

    def chat_for(self, p: Params, *, sending: bool = False, count: bool = True) -> Chat:
        raw = p.get("chat_id")
        if raw is None or raw == "":
            raise bad_request("chat_id is empty")
        chat = self.find_chat(raw)
        if chat is None:
            raise bad_request("chat not found")
        if sending and chat.blocked:
            raise ApiError(403, BLOCKED)
        if sending and count:
            self._check_flood(chat)
        return chat

    @property
    def flood_limit(self) -> float | None:
        """Messages a second to one chat before a 429 (see `limits` for the global one)."""
        return self.limits.per_chat

    @flood_limit.setter
    def flood_limit(self, value: float | None) -> None:
        self.limits.per_chat = value

    def _check_flood(self, chat: Chat) -> None:
        self.limits.check(chat.id)

    def apply_reply_keyboard(self, chat: Chat, markup: dict | None) -> None:
        if not markup:
            return
        if "keyboard" in markup:
            chat.reply_keyboard = markup
        elif "remove_keyboard" in markup:
            chat.reply_keyboard = None

    # -- events -------------------------------------------------------------
    def subscribe(self, callback: Callable[[BotEvent], Any]) -> None:
        self._subscribers.append(callback)

    def emit(self, kind: str, chat: Chat, message: FakeMessage | None = None, *,
             callback_answer: dict | None = None) -> BotEvent:
        event = BotEvent(kind=kind, chat_id=chat.id,
                         message=message.snapshot() if message is not None else None,
                         callback_answer=callback_answer)
        chat.events.put_nowait(event)
        for callback in list(self._subscribers):
            self._notify_subscriber(callback, event)
        return event

    def _notify_subscriber(self, callback: Callable[[BotEvent], Any], event: BotEvent) -> None:
        try:
            result = callback(event)
            if inspect.isawaitable(result):
                task = asyncio.ensure_future(result)
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
        except Exception:
            log.exception("fake Telegram subscriber failed")

    def keep(self, task: asyncio.Task) -> None:
        """Holds a background task of the fake until it ends."""
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def push_update(self, kind: str, payload: dict) -> dict:
        return self.updates.push(kind, payload)
