"""Points found from the boundaries file itself, for tests of district suggestions."""

from __future__ import annotations

import json
from pathlib import Path

from shapely import Point
from shapely.geometry import shape

from storage.city import CityConfig

BOUNDARIES = Path(__file__).resolve().parent.parent / "config" / "gwangju-districts.geojson"
DAMYANG = (35.3211, 126.9882)  # Damyang-gun: 25 km from Buk-gu's centre, outside Gwangju


def polygons() -> dict[str, object]:
    features = json.loads(BOUNDARIES.read_text(encoding="utf-8"))["features"]
    return {f["properties"]["code"]: shape(f["geometry"]) for f in features}


def nearer_other_centre(city: CityConfig, own: str, other: str, step: float = 0.002) -> list[tuple[float, float]]:
    """Grid points at least ~200 m inside `own`'s polygon that are nearer `other`'s centre than `own`'s."""
    area = polygons()[own].buffer(-0.002)
    mine, theirs = city.district(own), city.district(other)
    west, south, east, north = area.bounds
    found = []
    for i in range(int((north - south) / step) + 1):
        for j in range(int((east - west) / step) + 1):
            lat, lon = south + i * step, west + j * step
            if area.contains(Point(lon, lat)) and city.distance_km(theirs, lat, lon) < city.distance_km(mine, lat, lon):
                found.append((lat, lon))
    return found
