"""`sotong stats` as an operator runs it: a subprocess writing the charts and the CSV of a
database, and one line on stderr for each mistake."""

from __future__ import annotations

import csv
import datetime as dt
import io

from bot.failures import EXIT_CONFIG, EXIT_SCHEMA
from tests.harness import TEST_CITY
from tests.stats_data import HOUR, known_items, png_size, write
from tests.test_cli import sotong
from tests.test_operator import assert_one_line


async def test_stats_writes_the_charts_and_the_csv(engine, database_url, tmp_path):
    # The period ends when the command runs: the data set ends an hour before, and 365 days
    # take all of it (the 40-day-old item and the one filed at its end too).
    await write(engine, known_items(dt.datetime.now(dt.UTC) - HOUR))
    png, table = tmp_path / "report.png", tmp_path / "report.csv"
    result = sotong("stats", "--period", "365d", "--out", str(png), "--csv", str(table), "--language", "ko",
                    cwd=tmp_path, SOTONG_DATABASE_URL=database_url, SOTONG_CITY_CONFIG=str(TEST_CITY))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("11 item(s) filed from ") and "(Asia/Seoul); wrote " in result.stdout
    assert png_size(png.read_bytes()) == (1000, 1400)
    rows = list(csv.DictReader(io.StringIO(table.read_text(encoding="utf-8-sig"))))
    totals = {row["district"]: row for row in rows if row["category"] == ""}
    assert totals[""]["district_name"] == "광주광역시" and totals[""]["filed"] == "11"
    assert (totals["dong"]["district_name"], totals["dong"]["filed"], totals["buk"]["filed"]) == ("동구", "6", "5")
    assert totals["dong"]["population"] == "100000" and totals["dong"]["filed_per_10k"] == "0.6000"


def test_stats_names_each_mistake(tmp_path):
    result = sotong("stats", "--period", "3w", "--out", "r.png", cwd=tmp_path)
    assert result.returncode == EXIT_CONFIG and "argument --period: '3w' is not a period" in result.stderr
    result = sotong("stats", "--out", str(tmp_path / "missing" / "r.png"), cwd=tmp_path)
    assert_one_line(result, EXIT_CONFIG, "cannot write", "does not exist")
    result = sotong("stats", "--out", str(tmp_path), cwd=tmp_path)
    assert_one_line(result, EXIT_CONFIG, "it is a folder")
    result = sotong("stats", "--out", "r.png", cwd=tmp_path, SOTONG_AUTO_MIGRATE="false")
    assert_one_line(result, EXIT_SCHEMA, "sotong migrate")
    assert not (tmp_path / "r.png").exists() and not (tmp_path / "sotong.db").exists()


def test_check_config_says_which_districts_lack_a_population(tmp_path):
    result = sotong("check-config", cwd=tmp_path, SOTONG_CITY_CONFIG=str(TEST_CITY))
    assert result.returncode == 0 and "\npopulation: 1,390,000 in 5 districts\n" in result.stdout
    city = TEST_CITY.read_text(encoding="utf-8").replace("../../config/", str(TEST_CITY.parent.parent.parent / "config") + "/")
    without = tmp_path / "without.toml"
    without.write_text(city.replace("population = 100_000\n", "").replace("population = 205_000\n", ""), encoding="utf-8")
    result = sotong("check-config", cwd=tmp_path, SOTONG_CITY_CONFIG=str(without))
    assert result.returncode == 0, result.stderr
    assert "population: missing for dong, nam (districts[].population)" in result.stdout
    wrong = tmp_path / "wrong.toml"
    wrong.write_text(city.replace("population = 280_000", "population = 0"), encoding="utf-8")
    result = sotong("check-config", cwd=tmp_path, SOTONG_CITY_CONFIG=str(wrong))
    assert result.returncode == EXIT_CONFIG and "districts[1].population" in result.stderr
