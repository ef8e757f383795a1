"""`sotong broadcast` and `sotong broadcasts`, run as an operator runs them (a subprocess): the
audience's size, a dry run that queues nothing, a broadcast queued with its photo, the list,
pause, resume and cancel; every mistake one line on stderr, a non-zero status, nothing stored."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import io
import itertools

from sqlalchemy import insert

from bot.cli import build_parser
from bot.failures import EXIT_CONFIG, OperatorError
from bot.settings import Settings
from storage.database import create_engine
from storage.migrate import upgrade
from storage.models import Resident, ResidentTopic
from tests.backends import sqlite_url
from tests.harness import TEST_CITY
from tests.test_officials_cli import rows, run

NUMBERS = itertools.count()
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
# telegram id: (language, district, broadcasts, topics, blocked)
PEOPLE = {
    7001: ("ko", "nam", "all", (), False),
    7002: ("en", "nam", "all", ("water_cuts",), False),
    7003: ("ko", "buk", "all", (), False),
    7004: ("en", "nam", "none", ("water_cuts",), False),  # opted out
    7005: ("ko", "nam", "all", (), True),                 # blocked the bot
    7006: ("ko", None, "topics", ("water_cuts",), False),
}


async def seed(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await upgrade(engine)
        now = dt.datetime.now(dt.UTC)
        async with engine.begin() as connection:
            for telegram_id, (language, district, scope, topics, blocked) in PEOPLE.items():
                result = await connection.execute(insert(Resident.__table__).values(  # type: ignore[attr-defined]
                    telegram_id=telegram_id, language=language, district=district, broadcasts=scope,
                    blocked=blocked, full_name="R", notify="all", created_at=now, updated_at=now))
                for topic in topics:
                    await connection.execute(insert(ResidentTopic.__table__).values(  # type: ignore[attr-defined]
                        resident_id=result.inserted_primary_key[0], topic=topic, created_at=now))
    finally:
        await engine.dispose()


def texts(folder, ko: str | None = "단수 안내 <&>", en: str | None = "Water cut <&>") -> list[str]:
    """--text-ko and --text-en with files of these texts (new files each time)."""
    args = []
    for language, text in (("ko", ko), ("en", en)):
        if text is not None:
            path = folder / f"{language}-{next(NUMBERS)}.txt"
            path.write_text(text + "\n", encoding="utf-8")
            args += [f"--text-{language}", str(path)]
    return args


async def nothing_queued(database_url: str) -> None:
    assert await rows(database_url, "SELECT id FROM broadcasts") == []
    assert await rows(database_url, "SELECT id FROM outbox") == []


def operator(database_url: str, *args: str) -> str:
    """`sotong ARGS` in this process (each subprocess imports aiogram anew, seconds on a busy
    machine): what it prints, or `sotong: <the one line>` it would end with."""
    settings = Settings(_env_file=None, database_url=database_url, city_config=TEST_CITY, send_rate=25)
    parsed = build_parser().parse_args(list(args))
    with contextlib.redirect_stdout(io.StringIO()) as out:
        try:
            parsed.func(parsed, settings)
        except OperatorError as exc:
            assert "\n" not in str(exc), str(exc)
            return f"sotong: {exc}"
    return out.getvalue()


async def test_as_an_operator_runs_it(tmp_path):
    """The commands as processes: output, exit statuses, one line on stderr (SQLite only: each
    run costs seconds; the same code runs in this process on PostgreSQL below)."""
    database_url = sqlite_url(tmp_path)
    await seed(database_url)
    env = {"SOTONG_DATABASE_URL": database_url, "SOTONG_SEND_RATE": "25"}
    code, out, err = await run("broadcast", *texts(tmp_path), "--district", "nam", "buk", "--topic", "water_cuts",
                               "--dry-run", cwd=tmp_path, **env)
    assert code == 0, err
    assert out.splitlines() == ["audience: 4 resident(s) (districts nam, buk; topics water_cuts)",
                                "dry run: nothing was queued"]
    await nothing_queued(database_url)

    (tmp_path / "photo.png").write_bytes(PNG)
    code, out, err = await run("broadcast", *texts(tmp_path), "--everyone", "--photo", str(tmp_path / "photo.png"),
                               cwd=tmp_path, **env)
    assert code == 0, err
    assert out.splitlines()[0] == "audience: 3 resident(s) (everyone)"
    assert "queued as broadcast 1" in out and "in about 1 s at 25 messages a second" in out
    assert await rows(database_url, "SELECT kind, author_id, text_ko, text_en, audience_size, state FROM broadcasts") \
        == [("announcement", None, "단수 안내 <&>", "Water cut <&>", 3, "sending")]
    assert await rows(database_url, "SELECT language, length(data) FROM broadcast_photos ORDER BY language") \
        == [("en", len(PNG)), ("ko", len(PNG))]
    queued = await rows(database_url, "SELECT chat_id, kind, state FROM outbox ORDER BY chat_id")
    assert queued == [(7001, "broadcast", "pending"), (7002, "broadcast", "pending"), (7003, "broadcast", "pending")]

    code, out, err = await run("broadcasts", "pause", "1", cwd=tmp_path, **env)
    assert (code, out) == (0, "broadcast 1 is now paused: 0 sent, 3 pending, 0 cancelled\n"), err
    for args, said in ((("broadcasts", "pause", "1"), "broadcast 1 is paused; only a sending broadcast can be paused"),
                       (("broadcast", "--text-ko", "missing.txt", "--everyone"), "--text-ko: cannot read")):
        code, out, err = await run(*args, cwd=tmp_path, **env)
        assert (code, out) == (EXIT_CONFIG, "") and said in err, err
        assert len(err.strip().splitlines()) == 1, err
    code, out, err = await run("broadcasts", "list", cwd=tmp_path, **env)
    assert code == 0, err
    header, row = [line.split() for line in out.splitlines()]
    assert header == ["id", "kind", "state", "size", "sent", "failed", "blocked", "pending", "cancelled", "created"]
    assert row[:9] == ["1", "announcement", "paused", "3", "0", "0", "0", "3", "0"]


async def test_list_pause_resume_cancel(tmp_path, engine, database_url):
    await seed(database_url)
    said = await asyncio.to_thread(operator, database_url, "broadcast", *texts(tmp_path), "--district", "nam")
    assert "queued as broadcast 1" in said
    await asyncio.to_thread(operator, database_url, "broadcast", *texts(tmp_path), "--topic", "water_cuts")
    steps = [(("pause", "1"), "broadcast 1 is now paused: 0 sent, 2 pending, 0 cancelled\n"),
             (("pause", "1"), "sotong: broadcast 1 is paused; only a sending broadcast can be paused"),
             (("resume", "1"), "broadcast 1 is now sending: 0 sent, 2 pending, 0 cancelled\n"),
             (("cancel", "1"), "broadcast 1 is now cancelled: 0 sent, 0 pending, 2 cancelled\n"),
             (("resume", "1"), "sotong: broadcast 1 is cancelled; only a paused broadcast can be resumed"),
             (("cancel", "1"), "sotong: broadcast 1 is cancelled; only a sending or paused broadcast can be cancelled"),
             (("cancel", "9"), "sotong: there is no broadcast 9: `sotong broadcasts list` shows them")]
    for args, expected in steps:
        assert await asyncio.to_thread(operator, database_url, "broadcasts", *args) == expected, args
    listed = [line.split()[:9] for line in (await asyncio.to_thread(operator, database_url, "broadcasts", "list"))
              .splitlines()]
    assert listed[1:] == [["2", "announcement", "sending", "2", "0", "0", "0", "2", "0"],
                          ["1", "announcement", "cancelled", "2", "0", "0", "0", "0", "2"]]
    limited = await asyncio.to_thread(operator, database_url, "broadcasts", "list", "--limit", "1")
    assert len(limited.splitlines()) == 2
    assert await rows(database_url, "SELECT broadcast_id, state, COUNT(*) FROM outbox GROUP BY broadcast_id, state "
                                    "ORDER BY broadcast_id") == [(1, "cancelled", 2), (2, "pending", 2)]


def test_every_mistake_is_one_line_and_queues_nothing(tmp_path):
    database_url = sqlite_url(tmp_path)
    asyncio.run(seed(database_url))
    (tmp_path / "photo.png").write_bytes(PNG)
    (tmp_path / "notes.txt").write_text("not a picture", encoding="utf-8")
    with open(tmp_path / "huge.jpg", "wb") as huge:  # one byte over the limit, mostly a hole
        huge.write(b"\xff\xd8\xff")
        huge.truncate(10 * 1024 * 1024 + 1)
    (tmp_path / "latin1.txt").write_bytes("café".encode("latin-1"))
    (tmp_path / "empty.txt").write_text("\n", encoding="utf-8")
    photo = ["--photo", str(tmp_path / "photo.png")]
    cases = [
        ([], "give the text: --text-ko FILE, --text-en FILE or both"),
        (["--text-ko", str(tmp_path / "missing.txt"), "--everyone"], "--text-ko: cannot read"),
        (["--text-en", str(tmp_path), "--everyone"], "--text-en: cannot read"),
        (["--text-ko", str(tmp_path / "latin1.txt"), "--everyone"], "is not UTF-8 text"),
        (["--text-ko", str(tmp_path / "empty.txt"), "--everyone"], "the text files are empty"),
        (texts(tmp_path), "name the audience: --everyone, --district CODE"),
        (texts(tmp_path) + ["--district", "atlantis"],
         "unknown district 'atlantis'; the city file's districts: dong, seo, nam, buk, gwangsan"),
        (texts(tmp_path) + ["--category", "sewers"], "unknown category 'sewers'"),
        (texts(tmp_path) + ["--topic", "nope", "--everyone"], "unknown topic 'nope'; the city file's topics: "
                                                              "water_cuts, culture_events"),
        (texts(tmp_path) + ["--district", "gwangsan"], "nobody is in this audience (districts gwangsan)"),
        (texts(tmp_path) + ["--district", "gwangsan", "--dry-run"], "nobody is in this audience"),
        (texts(tmp_path, en="<&>" * 1167) + ["--everyone"], "--text-en: 3,501 characters (an emoji counts as two); "
                                                             "a broadcast's text may have at most 3,500"),
        (texts(tmp_path, ko="가" * 901) + photo + ["--everyone"], "--text-ko: 901 characters (an emoji counts as "
                                                                  "two); a broadcast's text may have at most 900 "
                                                                  "under a photo"),
        (texts(tmp_path, ko="🚰" * 451) + photo + ["--everyone"], "--text-ko: 902 characters (an emoji counts as "
                                                                   "two); a broadcast's text may have at most 900"),
        (texts(tmp_path) + ["--photo", str(tmp_path / "notes.txt"), "--everyone"], "is not a JPEG, PNG or WEBP"),
        (texts(tmp_path) + ["--photo", str(tmp_path / "huge.jpg"), "--everyone"], "has 10,485,761 bytes"),
        (texts(tmp_path) + ["--photo", str(tmp_path / "none.png"), "--everyone"], "--photo: cannot read"),
    ]
    for args, message in cases:
        said = operator(database_url, "broadcast", *args)
        assert said.startswith("sotong: ") and message in said, (args, said)
    asyncio.run(nothing_queued(database_url))


def test_texts_at_their_maxima_are_taken(tmp_path):
    database_url = sqlite_url(tmp_path)
    asyncio.run(seed(database_url))
    said = operator(database_url, "broadcast", *texts(tmp_path, ko="<&>" * 1166 + "가가", en=None), "--district", "buk")
    assert "queued as broadcast 1" in said
    (tmp_path / "photo.png").write_bytes(PNG)
    said = operator(database_url, "broadcast", *texts(tmp_path, ko=None, en="&" * 900), "--photo",
                    str(tmp_path / "photo.png"), "--district", "buk")
    assert "queued as broadcast 2" in said
    assert asyncio.run(rows(database_url, "SELECT length(text_ko), length(text_en) FROM broadcasts ORDER BY id")) \
        == [(3500, None), (None, 900)]
