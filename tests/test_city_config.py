from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from bot.settings import DEFAULT_CITY_CONFIG
from storage.city import CityConfigError, load_city_config
from storage.rules import MAX_DISTRICT_DISTANCE_KM


def write_city(folder: Path, text: str) -> Path:
    """A copy of the city file, with the boundaries file it names beside it."""
    shutil.copy(DEFAULT_CITY_CONFIG.parent / "gwangju-districts.geojson", folder)
    path = folder / "city.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_gwangju_sample_is_valid_and_complete():
    city = load_city_config(DEFAULT_CITY_CONFIG)
    assert [d.code for d in city.districts] == ["dong", "seo", "nam", "buk", "gwangsan"]
    assert city.has_boundaries
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


def test_without_boundaries_the_nearest_centre_within_the_limit(tmp_path):
    text = DEFAULT_CITY_CONFIG.read_text(encoding="utf-8").replace('boundaries = "gwangju-districts.geojson"\n', "")
    city = load_city_config(write_city(tmp_path, text))
    assert not city.has_boundaries
    assert city.locate(35.14, 126.80).code == "gwangsan"
    buk = city.district("buk")
    # due north of Buk-gu's centre (1 degree of latitude is about 111.2 km): just inside, then just outside
    near = buk.lat + (MAX_DISTRICT_DISTANCE_KM - 0.5) / 111.2
    far = buk.lat + (MAX_DISTRICT_DISTANCE_KM + 0.5) / 111.2
    assert city.locate(near, buk.lon) == buk
    assert city.locate(far, buk.lon) is None


def test_relaxed_rule_applies_to_later_filings(tmp_path):
    text = DEFAULT_CITY_CONFIG.read_text(encoding="utf-8") + (
        "\n[[lifecycle]]\neffective_from = 2026-06-01\nendorsements_to_discussion = 30\n"
    )
    city = load_city_config(write_city(tmp_path, text))
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
        (('boundaries = "gwangju-districts.geojson"', 'boundaries = ""'), "city.boundaries"),
    ],
)
def test_bad_file_names_the_key(tmp_path, change, named):
    text = DEFAULT_CITY_CONFIG.read_text(encoding="utf-8").replace(*change, 1)
    path = write_city(tmp_path, text)
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
