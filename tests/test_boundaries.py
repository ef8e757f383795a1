"""A shared location is matched to the district whose real boundary holds it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from shapely import Point

from bot.settings import DEFAULT_CITY_CONFIG, PROJECT_ROOT
from storage.city import CityConfigError, load_city_config
from tests.places import BOUNDARIES, DAMYANG, nearer_other_centre, polygons

# Well-known places, each more than a kilometre inside its district.
LANDMARKS = {
    "dong": (35.1409, 126.9300),  # Chosun University
    "seo": (35.1600, 126.8514),  # Gwangju City Hall
    "nam": (35.1330, 126.9026),  # Nam-gu Office
    "buk": (35.1757, 126.9066),  # Chonnam National University
    "gwangsan": (35.1379, 126.7930),  # Gwangju Songjeong station
}


@pytest.fixture(scope="module")
def city():
    return load_city_config(DEFAULT_CITY_CONFIG)


@pytest.mark.parametrize("code", sorted(LANDMARKS))
def test_points_well_inside_each_district(city, code):
    lat, lon = LANDMARKS[code]
    well_inside = polygons()[code].buffer(-0.01)  # about a kilometre in from the border
    assert well_inside.contains(Point(lon, lat))
    assert city.locate(lat, lon).code == code
    inner = well_inside.representative_point()  # found from the polygon itself
    assert city.locate(inner.y, inner.x).code == code


def test_damyang_is_outside_the_city(city):
    assert city.locate(*DAMYANG) is None
    assert city.distance_km(city.nearest_district(*DAMYANG), *DAMYANG) < 30  # the old rule took it


@pytest.mark.parametrize(("own", "other"), [("seo", "gwangsan"), ("buk", "seo"), ("dong", "nam")])
def test_points_nearer_another_centre_stay_in_their_district(city, own, other):
    points = nearer_other_centre(city, own, other)
    assert points, f"no point of {own} nearer {other}'s centre: the test would prove nothing"
    assert {city.locate(lat, lon).code for lat, lon in points} == {own}
    assert {city.nearest_district(lat, lon).code for lat, lon in points} != {own}


def _city_with(tmp_path, features=None, change=None):
    """The Gwangju sample in tmp_path, its boundaries rewritten by `features(list)` or its text by `change`."""
    data = json.loads(BOUNDARIES.read_text(encoding="utf-8"))
    if features:
        features(data["features"])
    (tmp_path / "gwangju-districts.geojson").write_text(json.dumps(data), encoding="utf-8")
    text = DEFAULT_CITY_CONFIG.read_text(encoding="utf-8")
    path = tmp_path / "city.toml"
    path.write_text(text.replace(*change, 1) if change else text, encoding="utf-8")
    return path


def _by_code(features, code):
    return next(f for f in features if f["properties"]["code"] == code)


BOW_TIE = {"type": "Polygon", "coordinates": [[[126.88, 35.14], [126.90, 35.16], [126.90, 35.14],
                                               [126.88, 35.16], [126.88, 35.14]]]}


def _unknown(features):
    extra = json.loads(json.dumps(_by_code(features, "dong")))
    extra["properties"]["code"] = "jung"
    features.append(extra)


BROKEN = {
    "missing feature": (dict(features=lambda fs: fs.remove(_by_code(fs, "nam"))),
                        "districts[2] (nam): no feature with this code"),
    "unknown code": (dict(features=_unknown), "feature 'jung': no district with this code"),
    "self-intersecting": (dict(features=lambda fs: _by_code(fs, "seo").update(geometry=BOW_TIE)),
                          "feature 'seo': invalid polygon (Self-intersection"),
    "not a polygon": (dict(features=lambda fs: _by_code(fs, "buk").update(
        geometry={"type": "Point", "coordinates": [126.9, 35.17]})), "feature 'buk': geometry is Point"),
    "too few points": (dict(features=lambda fs: _by_code(fs, "buk")["geometry"].update(
        coordinates=[[[126.9, 35.17], [126.91, 35.18], [126.9, 35.17]]])), "feature 'buk': invalid polygon (Too few"),
    "not numbers": (dict(features=lambda fs: _by_code(fs, "buk")["geometry"].update(coordinates="north")),
                    "feature 'buk': unreadable coordinates"),
    "empty": (dict(features=lambda fs: _by_code(fs, "buk")["geometry"].update(coordinates=[])),
              "feature 'buk': invalid polygon (empty)"),
    "no code": (dict(features=lambda fs: fs[1]["properties"].pop("code")), "features[1]: no properties.code"),
    "twice": (dict(features=lambda fs: fs.append(fs[0])), "feature 'dong': appears twice"),
    "centre outside": (dict(change=("lat = 35.1460", "lat = 35.2100")),
                       "districts[0] (dong): centre (35.21, 126.9231) lies outside its own polygon"),
    "missing file": (dict(change=('"gwangju-districts.geojson"', '"nowhere.geojson"')),
                     "nowhere.geojson: file not found"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_boundaries_are_named(tmp_path, case):
    kwargs, named = BROKEN[case]
    path = _city_with(tmp_path, **kwargs)
    with pytest.raises(CityConfigError) as info:
        load_city_config(path)
    lines = str(info.value).splitlines()
    assert lines[0] == f"city config {path}:"
    assert any(line.startswith("  city.boundaries: ") and named in line for line in lines[1:]), lines


def test_not_geojson_is_named(tmp_path):
    path = _city_with(tmp_path)
    (tmp_path / "gwangju-districts.geojson").write_text("{broken", encoding="utf-8")
    with pytest.raises(CityConfigError, match="gwangju-districts.geojson: not valid JSON"):
        load_city_config(path)
    (tmp_path / "gwangju-districts.geojson").write_text("[]", encoding="utf-8")
    with pytest.raises(CityConfigError, match="not a GeoJSON FeatureCollection"):
        load_city_config(path)


def test_check_config_names_the_broken_feature(tmp_path):
    path = _city_with(tmp_path, features=lambda fs: _by_code(fs, "seo").update(geometry=BOW_TIE))
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT_ROOT), "SOTONG_CITY_CONFIG": str(path)}
    run = [sys.executable, "-m", "bot.cli", "check-config"]
    result = subprocess.run(run, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "feature 'seo': invalid polygon" in result.stderr and "Traceback" not in result.stderr
    shutil.copy(BOUNDARIES, tmp_path)
    result = subprocess.run(run, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "boundaries" in result.stdout
