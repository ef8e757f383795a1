"""A local fake Telegram Bot API server with a scriptable resident side.

    fake = FakeTelegram()
    base_url = await fake.start()
    bot = Bot(fake.token, session=AiohttpSession(api=TelegramAPIServer.from_base(base_url)))
    alice = fake.user(1001, "Alice")
    await alice.send_text("/start")
    reply = await alice.expect("Welcome")
    await alice.press("Report")
"""

from .server import FakeTelegram
from .state import BotEvent, FakeMessage
from .user import FakeUser

__all__ = ["BotEvent", "FakeMessage", "FakeTelegram", "FakeUser"]
