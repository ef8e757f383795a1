"""District boundaries read from a GeoJSON file: which district's polygon holds a point.

One feature per district, matched by `properties.code`; coordinates in WGS 84 (longitude, latitude).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from shapely import Point, is_valid_reason
from shapely.errors import ShapelyError
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

if TYPE_CHECKING:
    from storage.city import District

AREA_TYPES = ("Polygon", "MultiPolygon")


@dataclass(frozen=True)
class Boundaries:
    areas: dict[str, BaseGeometry]  # district code -> its polygon

    def code_at(self, lat: float, lon: float) -> str | None:
        """The district whose polygon holds the point (a point on a shared border goes to the first)."""
        point = Point(lon, lat)
        return next((code for code, area in self.areas.items() if area.covers(point)), None)


class BoundariesError(ValueError):
    """The boundaries file is missing or broken; each line names the feature or the district."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def load_boundaries(path: Path) -> Boundaries:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BoundariesError([f"{path}: file not found"]) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BoundariesError([f"{path}: not valid JSON: {exc}"]) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise BoundariesError([f"{path}: not a GeoJSON FeatureCollection"])
    features = data.get("features")
    if not isinstance(features, list):
        raise BoundariesError([f"{path}: not a GeoJSON FeatureCollection"])
    areas: dict[str, BaseGeometry] = {}
    problems: list[str] = []
    for index, feature in enumerate(features):
        code, area, problem = _read_feature(index, feature)
        if problem is None and code in areas:
            problem = f"feature '{code}': appears twice"
        if problem:
            problems.append(problem)
        elif area is not None:  # there is one whenever there is no problem
            areas[code] = area
    if problems:
        raise BoundariesError(problems)
    return Boundaries(areas)


def _read_feature(index: int, feature: object) -> tuple[str, BaseGeometry | None, str | None]:
    record = feature if isinstance(feature, dict) else {}
    properties = record.get("properties")
    code = properties.get("code") if isinstance(properties, dict) else None
    if not isinstance(code, str):
        return "", None, f"features[{index}]: no properties.code"
    geometry = record.get("geometry")
    geometry = geometry if isinstance(geometry, dict) else {}
    kind = geometry.get("type")
    if kind not in AREA_TYPES:
        return code, None, f"feature '{code}': geometry is {kind or 'missing'}, not a Polygon"
    try:
        area = shape(geometry)
    except (ShapelyError, ValueError, TypeError, IndexError, KeyError) as exc:
        return code, None, f"feature '{code}': unreadable coordinates ({exc})"
    if area.is_empty or not area.is_valid:
        reason = "empty" if area.is_empty else is_valid_reason(area)
        return code, None, f"feature '{code}': invalid polygon ({reason})"
    return code, area, None


def mismatches(boundaries: Boundaries, districts: Iterable[District]) -> list[str]:
    """What does not fit the city file: missing or unknown codes, a centre outside its own polygon."""
    problems = []
    known = set()
    for index, district in enumerate(districts):
        known.add(district.code)
        area = boundaries.areas.get(district.code)
        label = f"districts[{index}] ({district.code})"
        if area is None:
            problems.append(f"{label}: no feature with this code in the boundaries file")
        elif not area.covers(Point(district.lon, district.lat)):
            problems.append(f"{label}: centre ({district.lat}, {district.lon}) lies outside its own polygon")
    problems += [f"feature '{code}': no district with this code" for code in boundaries.areas if code not in known]
    return problems
