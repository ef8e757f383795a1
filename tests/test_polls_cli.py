"""`sotong polls` as an operator runs it: a poll file's every mistake is one line naming the key
(exit 2, nothing created, the database not even opened); create, list and export --out."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from bot.failures import EXIT_CONFIG
from bot.polls_cli import PollFileError, read_poll_file
from storage.audience import Audience
from tests.test_officials_cli import ROOT, rows, run

NOW = dt.datetime(2026, 11, 1, 0, 0, tzinfo=dt.UTC)
GOOD = """
question_ko = "질문"
question_en = "Question"
closes_in_days = 3
audience = "everyone"
[[options]]
ko = "가"
en = "A"
[[options]]
ko = "나"
en = "B"
"""


def read(tmp_path: Path, city, body: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "poll.toml"
    path.write_text(body, encoding="utf-8")
    return read_poll_file(path, city, NOW)


def test_a_good_file(tmp_path, city):
    draft = read(tmp_path, city, GOOD)
    assert draft.question == {"ko": "질문", "en": "Question"} and draft.options[1] == {"ko": "나", "en": "B"}
    assert draft.closes_at == NOW + dt.timedelta(days=3) and draft.audience == Audience(everyone=True)
    assert (draft.multiple, draft.show_results) == (False, True)
    local = read(tmp_path, city, GOOD.replace("closes_in_days = 3", "closes_at = 2026-11-02T18:00:00"))
    assert local.closes_at == dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)  # the city's time (Asia/Seoul)
    aimed = read(tmp_path, city, GOOD.replace('audience = "everyone"', "")
                 + '[audience]\ndistricts = ["nam"]\ntopics = ["water_cuts"]\n')
    assert aimed.audience == Audience(districts=("nam",), topics=("water_cuts",))


def test_the_example_file_is_good(city):
    assert len(read_poll_file(ROOT / "config" / "poll-example.toml", city, NOW).options) == 3


LONG = "가" * 101
MISTAKES = [
    ("colour = 1\n" + GOOD, "unknown key 'colour'"),
    (GOOD.replace('question_en = "Question"', ""), "question_en: missing"),
    (GOOD.replace('question_en = "Question"', "question_en = 3"), "question_en: must be a text"),
    (GOOD.replace('question_ko = "질문"', 'question_ko = "  "'), "question_ko: 0 characters; 1 to 300"),
    (GOOD.replace('question_ko = "질문"', f'question_ko = "{"가" * 301}"'), "question_ko: 301 characters"),
    (GOOD.replace('en = "B"', f'en = "{LONG}"'), "options[2].en: 101 characters; 1 to 100"),
    (GOOD.replace('en = "B"', 'fr = "B"'), "options[2].fr: unknown key"),
    (GOOD.replace('en = "B"', ""), "options[2].en: missing"),
    (GOOD.split("[[options]]")[0] + '[[options]]\nko = "가"\nen = "A"\n', "options: 1 given; 2 to 10"),
    (GOOD.split("[[options]]")[0], "options: give each option"),
    (GOOD + '[[options]]\nko = "다"\nen = "C"\n' * 9, "options: 11 given; 2 to 10"),
    (GOOD.replace("closes_in_days = 3", ""), "give either closes_at or closes_in_days"),
    (GOOD.replace("closes_in_days = 3", "closes_in_days = 3\ncloses_at = 2026-11-02T18:00:00"), "give either"),
    (GOOD.replace("closes_in_days = 3", "closes_in_days = 91"), "closes_in_days: must be a number of days"),
    (GOOD.replace("closes_in_days = 3", "closes_in_days = 1e308"), "closes_in_days: must be a number of days"),
    (GOOD.replace("closes_in_days = 3", "closes_in_days = 0"), "closes_in_days: must be a number of days"),
    (GOOD.replace("closes_in_days = 3", 'closes_in_days = "3"'), "closes_in_days: must be a number of days"),
    (GOOD.replace("closes_in_days = 3", "closes_at = 2026-10-01T00:00:00"), "must close after now and within 90"),
    (GOOD.replace("closes_in_days = 3", "closes_at = 2026-11-02"), "closes_at: must be a date and time"),
    (GOOD.replace("closes_in_days = 3", "closes_at = 0001-01-01T00:00:00"), "closes_at: 0001-01-01"),
    (GOOD.replace('audience = "everyone"', ""), 'audience: "everyone", or an [audience] table'),
    (GOOD.replace('audience = "everyone"', 'audience = "all"'), 'audience: "everyone", or'),
    (GOOD.replace('audience = "everyone"', "audience = {districts = ['atlantis']}"), "audience: unknown district 'atlantis'"),
    (GOOD.replace('audience = "everyone"', "audience = {streets = ['x']}"), "audience.streets: unknown key"),
    (GOOD.replace('audience = "everyone"', "audience = {districts = 'nam'}"), "audience.districts: must be a list"),
    (GOOD.replace('audience = "everyone"', "audience = {}"), "audience: the audience names nobody"),
    (GOOD.replace('audience = "everyone"', 'audience = "everyone"\nmultiple = "yes"'), "multiple: must be true or false"),
    ("question_ko = [", "not valid TOML"),
]


@pytest.mark.parametrize(("body", "words"), MISTAKES)
def test_every_mistake_is_one_line_naming_the_key(tmp_path, city, body, words):
    with pytest.raises(PollFileError) as refused:
        read(tmp_path, city, body)
    message = str(refused.value)
    assert words in message and "\n" not in message and message.startswith(str(tmp_path / "poll.toml"))


async def test_create_list_export_as_an_operator(tmp_path):
    """On SQLite only: each run imports aiogram (seconds); the e2e test runs them on PostgreSQL too."""
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'sotong.db'}"
    (tmp_path / "bad.toml").write_text(GOOD.replace('en = "B"', f'en = "{LONG}"'), encoding="utf-8")
    code, out, err = await run("polls", "create", str(tmp_path / "bad.toml"), cwd=tmp_path)
    assert (code, out) == (EXIT_CONFIG, "")
    assert err == f"sotong: {tmp_path / 'bad.toml'}: options[2].en: 101 characters; 1 to 100 are allowed\n"
    assert not (tmp_path / "sotong.db").exists()  # refused before the database is opened

    (tmp_path / "poll.toml").write_text(GOOD, encoding="utf-8")
    code, out, err = await run("polls", "create", str(tmp_path / "poll.toml"), cwd=tmp_path)
    assert code == 0 and out.startswith("poll 1 created; audience size 0 "), err
    assert await rows(database_url, "SELECT kind, audience_size FROM broadcasts") == [("poll", 0)]

    code, out, _ = await run("polls", "list", cwd=tmp_path)
    assert code == 0 and [line.split()[:2] for line in out.splitlines()] == [["id", "state"], ["1", "open"]]
    assert out.splitlines()[1].endswith("0         0      질문")

    code, out, err = await run("polls", "export", "1", "--out", str(tmp_path / "results.csv"), cwd=tmp_path)
    assert (code, out) == (0, "") and "still open" in err
    table = list(csv.reader(io.StringIO((tmp_path / "results.csv").read_text(encoding="utf-8"))))
    assert table[0] == ["poll_id", "option", "option_ko", "option_en", "district", "answers"]
    assert table[1] == ["1", "1", "가", "A", "dong", "0"] and table[-1] == ["1", "0", "", "", "ALL", "0"]
    assert len(table) == 1 + 2 * (5 + 1) + (5 + 1)  # 2 options × (5 districts + ALL), respondents

    code, _, err = await run("polls", "export", "7", cwd=tmp_path)
    assert code == EXIT_CONFIG and err == "sotong: no poll 7: `sotong polls list` shows the polls\n"
