"""Telling a resident they are past a per-resident limit (storage/services/limits.py)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from storage.city import CityConfig


def local_moment(moment: dt.datetime, city: CityConfig) -> str:
    """A moment as the resident reads it: the city's local date and time."""
    return f"{moment.astimezone(ZoneInfo(city.city.timezone)):%Y-%m-%d %H:%M}"
