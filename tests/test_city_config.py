from __future__ import annotations

import datetime as dt

import pytest

from bot.settings import DEFAULT_CITY_CONFIG
from storage.city import CityConfigError, load_city_config


def test_gwangju_sample_is_valid_and_complete():
    city = load_city_config(DEFAULT_CITY_CONFIG)
    assert [d.code for d in city.districts] == ["dong", "seo", "nam", "buk", "gwangsan"]
    assert len(city.categories) >= 10
    assert [c.code for c in city.categories if c.private] == ["officials"]
    assert all(c.name_ko and c.name_en for c in city.categories)
    rule = city.rule_for(dt.date(2026, 11, 24))
    assert (rule.endorsements_to_discussion, rule.endorsement_window_days) == (50, 30)
    assert (rule.participants_to_review, rule.discussion_days) == (100, 30)


def test_nearest_district():
    city = load_city_config(DEFAULT_CITY_CONFIG)
    assert city.nearest_district(35.14, 126.80).code == "gwangsan"
    assert city.nearest_district(35.147, 126.925).code == "dong"


def test_relaxed_rule_applies_to_later_filings(tmp_path):
    text = DEFAULT_CITY_CONFIG.read_text(encoding="utf-8") + (
        "\n[[lifecycle]]\neffective_from = 2026-06-01\nendorsements_to_discussion = 30\n"
    )
    path = tmp_path / "city.toml"
    path.write_text(text, encoding="utf-8")
    city = load_city_config(path)
    assert city.rule_for(dt.date(2026, 5, 31)).endorsements_to_discussion == 50
    assert city.rule_for(dt.date(2026, 6, 1)).endorsements_to_discussion == 30


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (("lat = 35.1460", 'lat = "north"'), "districts[0].lat"),
        (('number_prefix = "GJ"', 'number_prefix = "gj-2"'), "city.number_prefix"),
        (('code = "seo"', 'code = "dong"'), "code 'dong' is used twice"),
        (('name_en = "Housing"\n', ""), "categories[1].name_en: Field required"),
        (("[city]", "[city]\ncolour = 1"), "city.colour"),
    ],
)
def test_bad_file_names_the_key(tmp_path, change, named):
    text = DEFAULT_CITY_CONFIG.read_text(encoding="utf-8").replace(*change, 1)
    path = tmp_path / "city.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CityConfigError) as info:
        load_city_config(path)
    assert named in str(info.value)
    assert str(path) in str(info.value)


def test_missing_and_broken_files(tmp_path):
    with pytest.raises(CityConfigError, match="file not found"):
        load_city_config(tmp_path / "nope.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[city\n", encoding="utf-8")
    with pytest.raises(CityConfigError, match="not valid TOML"):
        load_city_config(broken)
