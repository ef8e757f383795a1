"""Telegram's side of a webhook: setWebhook, deleteWebhook, getWebhookInfo, and the delivery of
every pending update by POST to the webhook's URL with the secret header.

As Telegram does, an update is delivered again until the bot answers 2xx (any other status,
a refused connection, or no answer within `timeout`), with a growing pause between attempts;
up to `max_connections` updates are under way at once; and getUpdates is refused with 409
while a webhook is set. `backends` stands for a load balancer in front of several bot
processes: deliveries go to them in turn, the next one after a failure.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
from typing import TYPE_CHECKING, Any

import aiohttp

from .params import ApiError, Params, bad_request
from .registry import api_method
from .state import now

if TYPE_CHECKING:
    from .server import FakeTelegram

SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
FIRST_RETRY = 0.2
LAST_RETRY = 2.0
CONFLICT = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"


class Webhook:
    def __init__(self, tg: FakeTelegram) -> None:
        self.tg = tg
        self.url = ""
        self.secret: str | None = None
        self.max_connections = 40
        self.backends: list[str] | None = None
        self.timeout = 60.0
        self.paused = False  # updates wait in the queue, as when Telegram is slow to deliver
        self.deliveries: list[tuple[int, str, int | str]] = []  # (update_id, target, status or error)
        self.last_error: tuple[int, str] | None = None
        self._turn = itertools.count()
        self._in_flight: set[int] = set()
        self._not_before: dict[int, tuple[float, float]] = {}  # update_id -> (time, next pause)
        self._task: asyncio.Task | None = None
        self._session: aiohttp.ClientSession | None = None

    def set(self, url: str, secret: str | None, max_connections: int) -> None:
        self.url, self.secret, self.max_connections = url, secret, max_connections
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._deliver_all())
        self.tg.updates.notify()

    async def delete(self) -> None:
        self.url, self.secret = "", None
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        if self._session is not None:
            await self._session.close()
            self._session = None

    def targets(self) -> list[str]:
        return self.backends or [self.url]

    async def post(self, update: dict | bytes, target: str | None = None, *, secret: str | bool = True) -> int | str:
        """One delivery as Telegram makes it (the webhook's secret, or `secret`: another one, or
        False for none; a body of bytes is sent as it is): the answer's status, or the error's
        name when none came."""
        if self._session is None:
            self._session = aiohttp.ClientSession()
        target = target or self.targets()[next(self._turn) % len(self.targets())]
        headers = {"Content-Type": "application/json"}
        token = self.secret if secret is True else secret or None
        if token:
            headers[SECRET_HEADER] = token
        body = update if isinstance(update, bytes) else json.dumps(update).encode()
        try:
            async with self._session.post(target, data=body, headers=headers,
                                          timeout=aiohttp.ClientTimeout(total=self.timeout)) as response:
                await response.read()
                outcome: int | str = response.status
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            outcome = type(exc).__name__
        if isinstance(update, dict):
            self.deliveries.append((update["update_id"], target, outcome))
        return outcome

    async def _deliver_all(self) -> None:
        queue = self.tg.updates
        loop = asyncio.get_running_loop()
        while self.url:
            for update in list(queue.updates):
                if len(self._in_flight) >= self.max_connections:
                    break
                update_id = update["update_id"]
                if not queue.allows(update):  # Telegram drops what the bot did not ask for
                    queue.remove(update_id)
                    continue
                if self.paused or update_id in self._in_flight:
                    continue
                if self._not_before.get(update_id, (0.0, 0.0))[0] > loop.time():
                    continue
                self._in_flight.add(update_id)
                task = asyncio.ensure_future(self._deliver(update))
                self.tg.keep(task)
            await queue.wait(0.1)

    async def _deliver(self, update: dict) -> None:
        update_id = update["update_id"]
        try:
            outcome = await self.post(update)
            if isinstance(outcome, int) and 200 <= outcome < 300:
                self.tg.updates.remove(update_id)
                self._not_before.pop(update_id, None)
                return
            self.last_error = (now(), f"Wrong response from the webhook: {outcome}")
            pause = self._not_before.get(update_id, (0.0, FIRST_RETRY))[1]
            self._not_before[update_id] = (asyncio.get_running_loop().time() + pause, min(pause * 2, LAST_RETRY))
        finally:
            self._in_flight.discard(update_id)
            self.tg.updates.notify()

    def info(self) -> dict[str, Any]:
        out: dict[str, Any] = {"url": self.url, "has_custom_certificate": False,
                               "pending_update_count": len(self.tg.updates.updates)}
        if self.url:
            out.update(max_connections=self.max_connections)
            if self.tg.updates.allowed:
                out["allowed_updates"] = list(self.tg.updates.allowed)
        if self.last_error is not None:
            out.update(last_error_date=self.last_error[0], last_error_message=self.last_error[1])
        return out


@api_method("setWebhook")
async def set_webhook(tg: FakeTelegram, p: Params) -> bool:
    url = p.get_str("url")
    if url is None:
        await tg.webhook.delete()
        return True
    if not url.startswith(("https://", "http://")):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret = p.get_str("secret_token")
    if secret is not None and not SECRET_RE.fullmatch(secret):
        raise bad_request("secret token contains unallowed characters")
    max_connections = p.get_int("max_connections", 40)
    if not 1 <= max_connections <= 100:
        raise bad_request("bad webhook: max_connections must be between 1 and 100")
    if isinstance(p.get("allowed_updates"), list):
        tg.updates.allowed = p["allowed_updates"] or None
    if p.get_bool("drop_pending_updates"):
        tg.updates.updates.clear()
    tg.webhook.set(url, secret, max_connections)
    return True


@api_method("deleteWebhook")
async def delete_webhook(tg: FakeTelegram, p: Params) -> bool:
    await tg.webhook.delete()
    if p.get_bool("drop_pending_updates"):
        tg.updates.updates.clear()
    return True


@api_method("getWebhookInfo")
async def get_webhook_info(tg: FakeTelegram, p: Params) -> dict[str, Any]:
    return tg.webhook.info()


def refuse_polling(tg: FakeTelegram) -> None:
    if tg.webhook.url:
        raise ApiError(409, CONFLICT)
