"""`sotong console`: the real bot in a terminal, against the in-process fake Bot API."""

from __future__ import annotations

import asyncio
import os
import re
import sys
from pathlib import Path

import pytest
from redis.asyncio import Redis
from sqlalchemy import text

from bot.settings import Settings
from console import Console, start_runtime
from console.session import OFFICIAL_IDS
from storage.database import create_engine
from storage.drafts import Draft
from storage.lifecycle import Kind
from storage.services.filing import FilingService
from storage.services.residents import ResidentService, TelegramPerson
from tests.backends import postgres_database, redis_server, sqlite_url
from tests.harness import TEST_CITY

ROOT = Path(__file__).resolve().parent.parent
NUMBER = re.compile(r"GJ-\d{4}-\d{6}")
PROMPT = re.compile(r"(?:resident (\d+)|official (\w+))> $")
BUTTON = re.compile(r"\[(\d+)\] ([^\[\n]+)")


class ConsoleProcess:
    """`python -m bot.cli console` on pipes, driven line by line like a person at a terminal."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.output = ""  # what the last line produced, up to the next prompt
        self.transcript = ""

    @classmethod
    async def start(cls, cwd: Path, *args: str, **settings: str) -> ConsoleProcess:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SOTONG_")}
        env.update(PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8",
                   SOTONG_CITY_CONFIG=str(TEST_CITY), **settings)
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "console", *args, cwd=cwd, env=env,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE)
        console = cls(process)
        await console._read_until_prompt()
        return console

    async def _read_until_prompt(self, timeout: float = 15) -> str:
        received = b""
        async with asyncio.timeout(timeout):
            while not PROMPT.search(received.decode("utf-8", "ignore")):
                chunk = await self.process.stdout.read(4096)
                if not chunk:
                    raise AssertionError(f"the console ended early:\n{self.transcript}{received.decode()}")
                received += chunk
        text = received.decode("utf-8")
        self.transcript += text
        self.output = PROMPT.sub("", text)
        return self.output

    @property
    def resident(self) -> int:
        return int(PROMPT.search(self.transcript).group(1))

    async def send(self, line: str) -> str:
        self.process.stdin.write(f"{line}\n".encode())
        await self.process.stdin.drain()
        return await self._read_until_prompt()

    async def press(self, label: str) -> str:
        """Types the number the console printed for the button labelled `label`."""
        buttons = {text.strip(): number for number, text in BUTTON.findall(self.output)}
        number = buttons.get(label) or next(
            (n for text, n in buttons.items() if label in text), None)
        assert number is not None, f"no button {label!r} in:\n{self.output}"
        return await self.send(number)

    async def quit(self) -> tuple[int, str]:
        self.process.stdin.write(b"/quit\n")
        await self.process.stdin.drain()
        try:
            rest, errors = await asyncio.wait_for(self.process.communicate(), 20)
        except TimeoutError:
            self.process.kill()
            raise
        self.transcript += rest.decode("utf-8")
        return self.process.returncode, errors.decode("utf-8", "replace")


async def file_proposal(console: ConsoleProcess, title: str) -> str:
    """Files a proposal in Korean with numbered buttons; returns its public number."""
    await console.press("정책 제안")
    assert "어떤 분야" in console.output
    await console.press("공원·문화")
    assert "어느 구" in console.output
    await console.press("서구")
    assert "제목" in console.output
    await console.send(title)
    assert "내용을 적어" in console.output
    await console.send("상무공원 산책로를 따라 여름 그늘을 만들 나무를 심어 주세요.")
    await console.press("건너뛰기")
    assert "이름을 보여" in console.output
    await console.press("익명으로")
    assert title in console.output
    await console.press("제출")
    assert "접수되었습니다" in console.output
    return NUMBER.search(console.output).group()


async def test_console_command_files_a_proposal_and_switches_resident(tmp_path):
    console = await ConsoleProcess.start(tmp_path)
    try:
        assert "/as N" in console.output and "/console-help" in console.output
        assert console.resident == 1
        await console.send("/start")
        assert "광주광역시" in console.output and "] 💡 정책 제안" in console.output
        number = await file_proposal(console, "상무공원 그늘 나무")

        await console.send("/as 2")
        assert "you are now resident 2 (new)" in console.output and console.resident == 2
        await console.send("/start")
        assert "안녕하세요" in console.output  # a first visit: resident 2 is someone new
        await console.press("둘러보기")
        assert "1건" in console.output
        await console.press("상무공원 그늘 나무")
        assert number in console.output and "공감 0/2" in console.output
        await console.press("공감 (0)")
        assert "공감했습니다! 지금 1개" in console.output and "공감 1/2" in console.output
        await console.send("/as official water")
        assert "you are now official water (new)" in console.output
        assert console.transcript.endswith("official water> ")

        await console.send("/as 1")
        assert "you are now resident 1" in console.output and console.resident == 1
        await console.press("나의 신청")
        assert number in console.output and "(1건)" in console.output
        assert f"{number} · 상무공원 그늘 나무 · 1/2" in console.output
    finally:
        code, errors = await console.quit()
    assert code == 0, errors
    assert "(bye)" in console.transcript and "Traceback" not in errors


async def _tables(database_url: str) -> list[str]:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            found = await connection.execute(text(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"))
            return sorted(row[0] for row in found)
    finally:
        await engine.dispose()


async def _redis_keys(redis_url: str) -> list[bytes]:
    client = Redis.from_url(redis_url)
    try:
        return await client.keys("*")
    finally:
        await client.aclose()


async def _visit(console: ConsoleProcess) -> str:
    await console.send("/start")
    assert "광주광역시" in console.output
    await console.press("정책 제안")  # a draft: state the console keeps somewhere
    assert "어떤 분야" in console.output
    code, errors = await console.quit()
    assert code == 0, errors
    return console.transcript


async def test_console_ignores_the_configured_database_and_redis(tmp_path):
    """On a machine set up for production, the console must not touch the city's data."""
    async with postgres_database() as database_url, redis_server() as redis_url:
        console = await ConsoleProcess.start(
            tmp_path, SOTONG_DATABASE_URL=database_url, SOTONG_REDIS_URL=redis_url)
        transcript = await _visit(console)
        assert await _tables(database_url) == []
        assert await _redis_keys(redis_url) == []
    throwaway = re.search(r"the real bot on sqlite\+aiosqlite:///(\S+console\.db),", transcript)
    assert throwaway is not None, transcript
    assert not Path(throwaway.group(1)).parent.exists()  # deleted on exit


async def test_console_uses_a_database_and_redis_given_explicitly(tmp_path):
    async with postgres_database() as database_url, redis_server() as redis_url:
        console = await ConsoleProcess.start(
            tmp_path, "--database-url", database_url, "--redis-url", redis_url)
        await _visit(console)
        assert "residents" in await _tables(database_url)
        assert await _redis_keys(redis_url) != []


@pytest.fixture
async def runtime(tmp_path):
    settings = Settings(_env_file=None, database_url=sqlite_url(tmp_path), city_config=TEST_CITY,
                        polling_timeout=2)
    runtime = await start_runtime(settings)
    yield runtime
    await runtime.stop()


class Screen:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def take(self) -> str:
        text, self.text = self.text, ""
        return text


async def test_console_numbers_buttons_and_keeps_a_chat_per_resident(runtime):
    assert runtime.app.settings.telegram_api_url == runtime.fake.base_url
    screen, lines = Screen(), asyncio.Queue()
    console = Console(runtime, lines.get, screen.write, language="en")

    await console.step("/start")
    welcome = screen.take()
    assert "bot: Hello! This is the official channel of Gwangju Metropolitan City" in welcome
    assert "⌨ [1] 📝 File a complaint  [2] 💡 Propose a policy" in welcome
    assert "⌨ [3] 🔎 Browse  [4] 📂 My submissions" in welcome
    await console.step("2")
    topics = screen.take()
    assert "(you pressed 💡 Propose a policy)" in topics
    assert "Policy proposal: which topic is it about?" in topics
    assert "[3] Parks and culture" in topics and "Conduct of public officials" not in topics
    await console.step("99")
    assert "(no button [99]: the latest buttons are [1] to [6])" in screen.take()

    await console.step("/as 2")
    assert "--- you are now resident 2 (new) ---" in screen.take()
    await console.step("/start")
    assert "Hello!" in screen.take()
    await runtime.app.bot.send_message(1, "A message for resident 1")
    await console.step("")
    assert "(resident 1 has 1 new message(s): /as 1 to read)" in screen.take()
    await console.step("/as official")
    assert "(usage: /as official CODE, with CODE one of civil, audit, policy" in screen.take()

    await console.step("/as 1")
    back = screen.take()
    assert "--- you are now resident 1 ---" in back and "bot: A message for resident 1" in back
    assert "⌨ [1] 📝 File a complaint" in back  # the buttons on screen, numbered afresh
    await console.step("/buttons")
    assert "bot (last message): A message for resident 1" in screen.take()
    await console.step("#Cancel")  # the ✖️ Cancel under the topics, as in Telegram still there
    assert "Drop this draft?" in screen.take()
    assert [m.body for m in runtime.fake.user(2).messages() if m.from_bot][-1].startswith("Hello!")

    for line in ("#Yes", "/album 0"):
        lines.put_nowait(line)
    lines.put_nowait(None)
    await console.run()
    rest = screen.take()
    assert rest.startswith("Sotong console: the real bot on sqlite+aiosqlite:///")
    assert "The draft was dropped" in rest and "(usage: /album N" in rest
    assert rest.endswith("resident 1> \n(end of input)\n")


async def test_console_becomes_a_departments_official(runtime):
    screen, lines = Screen(), asyncio.Queue()
    console = Console(runtime, lines.get, screen.write, language="en")
    await console.step("/as official sewers")
    assert "(no department 'sewers': /as official CODE with one of civil, audit, policy, transport, water" \
        in screen.take()
    assert console.current.id == 1

    await console.step("/as official water")
    assert "--- you are now official water (new) ---" in screen.take()
    official = console.current.id
    assert official == OFFICIAL_IDS + 5 and official not in range(1, 10**9)  # out of reach of /as N
    roles = await _rows(runtime, "SELECT r.telegram_id, r.language, o.role, o.department, o.granted_by "
                                 "FROM roles o JOIN residents r ON r.id = o.resident_id")
    assert roles == [(official, "en", "official", "water", "console")]
    await console.step("/start")
    assert "Welcome back" in screen.take()  # the console made the resident row with the role

    await console.step("/as 1")
    assert "--- you are now resident 1 ---" in screen.take() and console.current.id == 1
    await _file_water_complaint(runtime, filer_telegram_id=1)
    # The console's worker delivers the push: file as a resident, answer as the official, and
    # see the answer arrive as the resident, all in one terminal.
    await _until_bot_said(runtime, official, "First answer due")
    await console.step("")
    assert "(official water has 1 new message(s): /as official water to read)" in screen.take()
    await console.step("/as official water")
    push = screen.take()
    assert "--- you are now official water ---" in push and "No water since morning" in push
    await console.step("#Answer")
    assert "Write your department's answer" in screen.take()
    await console.step("Crews are on site; water is back by 6 pm.")
    assert "Your answer is stored" in screen.take()
    await _until_bot_said(runtime, 1, "Crews are on site")
    await console.step("/as 1")
    answer = screen.take()
    assert "Water Supply Headquarters answered" in answer and "Crews are on site" in answer
    await console.step("/as official water")
    screen.take()
    assert len(await _rows(runtime, "SELECT id FROM roles")) == 1

    lines.put_nowait(None)
    await console.run()
    assert screen.take().endswith("official water> \n(end of input)\n")


async def _until_bot_said(runtime, chat_id: int, words: str) -> None:
    async with asyncio.timeout(20):
        while not any(m.from_bot and words in m.body for m in runtime.fake.user(chat_id).messages()):
            await asyncio.sleep(0.05)


async def _rows(runtime, query: str) -> list[tuple]:
    async with runtime.app.session_factory() as session:
        return [tuple(row) for row in (await session.execute(text(query))).all()]


async def _file_water_complaint(runtime, filer_telegram_id: int) -> None:
    factory = runtime.app.session_factory
    async with factory() as session:
        filer, _ = await ResidentService(session, "en").identify(TelegramPerson(filer_telegram_id, "R", None, "en"))
    draft = Draft(kind=Kind.COMPLAINT, category="water", district="dong", title="No water since morning",
                  body="The tap water has been off on our street since 7 am.", anonymous=False)
    async with factory() as session:
        await FilingService(session, runtime.app.city).submit(draft, filer)
