"""The city configuration: districts, categories, numbering and lifecycle thresholds.

One TOML file per city (SOTONG_CITY_CONFIG); the Gwangju sample in config/ is the default.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
import secrets
import tomllib
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from storage.boundaries import Boundaries, BoundariesError, load_boundaries, mismatches
from storage.rules import MAX_DISTRICT_DISTANCE_KM

CODE_PATTERN = r"^[a-z][a-z0-9_]{0,23}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Named(_Strict):
    code: str = Field(pattern=CODE_PATTERN)
    name_ko: str = Field(min_length=1, max_length=40)
    name_en: str = Field(min_length=1, max_length=40)

    def name(self, locale: str) -> str:
        return self.name_ko if locale == "ko" else self.name_en


class District(Named):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    # Residents, for the statistics' items filed per 10,000 residents; without it that rate is
    # not given for the district (`sotong check-config` names the districts that lack it).
    population: int | None = Field(default=None, ge=1, le=100_000_000)


class Category(Named):
    # Private items (e.g. conduct of public officials) are never shown to other residents.
    private: bool = False


class LifecycleRule(_Strict):
    """Thresholds for items filed on or after `effective_from`."""

    effective_from: dt.date
    endorsements_to_discussion: int = Field(default=50, ge=1)
    endorsement_window_days: int = Field(default=30, ge=1)
    participants_to_review: int = Field(default=100, ge=1)
    discussion_days: int = Field(default=30, ge=1)


class Department(Named):
    """A body that answers items: at city level, or the office of one district."""

    # None: the city; a district code: that district's office.
    district: str | None = Field(default=None, pattern=CODE_PATTERN)
    # Days within which it should first answer an item routed to it.
    sla_days: int = Field(default=7, ge=1, le=365)

    def level(self) -> str:
        return "city" if self.district is None else "district"


class RoutingRule(_Strict):
    """Items of these categories (in these districts, when given) go to these departments."""

    categories: list[str] = Field(min_length=1)
    districts: list[str] | None = Field(default=None, min_length=1)
    departments: list[str] = Field(min_length=1)

    def matches(self, category: str, district: str) -> bool:
        return category in self.categories and (self.districts is None or district in self.districts)


class Routing(_Strict):
    """Who answers what. Complaints are routed when filed, proposals when they reach review."""

    fallback: str  # an item no rule matches goes here, never nowhere
    private: str  # the only department that ever sees a private category's items (an audit office)
    proposals: str  # answers every proposal that reaches review
    # Days after a complaint is resolved when its filer is asked "Is it fixed?".
    followup_days: int = Field(default=7, ge=1, le=365)
    # The local hour from which the daily overdue reminder goes out (not at midnight).
    reminder_hour: int = Field(default=9, ge=0, le=23)
    rules: list[RoutingRule] = Field(default_factory=list)


class Moderation(_Strict):
    """Reports, and the per-resident limits that hold under a flood."""

    # Reports from distinct residents that hide an item or comment at once.
    report_threshold: int = Field(default=3, ge=1, le=100)
    items_per_day: int = Field(default=5, ge=1)
    comments_per_hour: int = Field(default=20, ge=1)
    reports_per_day: int = Field(default=20, ge=1)
    # Updates one resident may send within `flood_seconds`; beyond, they are ignored.
    flood_updates: int = Field(default=30, ge=1)
    flood_seconds: int = Field(default=10, ge=1, le=3600)
    # How a banned resident may appeal (an address, a URL, a sentence), shown in their ban
    # notice; without it the notice gives the locales' default text (ban-appeal-default).
    appeal: str | None = Field(default=None, min_length=1, max_length=300)


class Topic(Named):
    """A subject residents may opt in to for broadcasts (Settings › Broadcasts)."""


class Broadcasts(_Strict):
    """Who may broadcast, and whether paid broadcasts may be used."""

    # Departments whose officials may compose broadcasts and polls (admins always may).
    departments: list[str] = Field(default_factory=list)
    # Telegram paid broadcasts (allow_paid_broadcast: beyond 30 a second, charged in Stars).
    # Off unless the city turns it on; only then is the sender's rate raised to `paid_rate`.
    paid: bool = False
    paid_rate: int = Field(default=1000, ge=1, le=1000)
class Open311Client(_Strict):
    """A program that may file through the Open311 API (the city's web platform, a kiosk). Only
    the SHA-256 of its key is kept here: `sotong api-key --client NAME` makes a key and prints both."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_-]{0,39}$")
    key_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    # Requests it may file in 24 hours (a runaway script stops there).
    items_per_day: int = Field(default=1000, ge=1)


class Open311(_Strict):
    """The Open311 GeoReport v2 API (`sotong api`): what its discovery says, and who may file."""

    # The one jurisdiction this API serves; a request naming another gets 404. None: not checked.
    jurisdiction_id: str | None = Field(default=None, min_length=1, max_length=100)
    # Discovery's "how to reach us" and "how to get a key"; the locales have defaults.
    contact: str | None = Field(default=None, min_length=1, max_length=300)
    key_service: str | None = Field(default=None, min_length=1, max_length=300)
    clients: list[Open311Client] = Field(default_factory=list)

    def client_for(self, key: str) -> Open311Client | None:
        """The client whose key this is; every client is compared, in constant time each."""
        digest = hash_key(key)
        found = None
        for client in self.clients:
            if hmac.compare_digest(client.key_sha256, digest):
                found = client
        return found

    def client(self, name: str | None) -> Open311Client | None:
        return next((c for c in self.clients if c.name == name), None)


def new_key() -> str:
    """A fresh API key: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class CityInfo(Named):
    number_prefix: str = Field(pattern=r"^[A-Z]{1,6}$")
    timezone: str = "Asia/Seoul"
    # A GeoJSON file of the districts' polygons, relative to the city file; without it a location
    # is matched to the nearest district centre.
    boundaries: str | None = Field(default=None, min_length=1)


class CityConfig(_Strict):
    city: CityInfo
    districts: list[District] = Field(min_length=1, max_length=40)
    categories: list[Category] = Field(min_length=1, max_length=40)
    lifecycle: list[LifecycleRule] = Field(
        default_factory=lambda: [LifecycleRule(effective_from=dt.date(2000, 1, 1))]
    )
    departments: list[Department] = Field(min_length=1, max_length=200)
    routing: Routing
    moderation: Moderation = Field(default_factory=Moderation)
    topics: list[Topic] = Field(default_factory=list, max_length=20)
    broadcasts: Broadcasts = Field(default_factory=Broadcasts)
    open311: Open311 = Field(default_factory=Open311)
    _boundaries: Boundaries | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _unique_codes(self) -> "CityConfig":
        if not self.lifecycle:
            raise ValueError("lifecycle: at least one rule is needed")
        problems = self._duplicates() + self._routing_problems() + self._client_problems()
        if problems:
            # One problem a line; _describe shows each on its own line with its key.
            raise ValueError("\n".join(problems))
        return self

    def _duplicates(self) -> list[str]:
        named: tuple[tuple[str, list[District] | list[Category] | list[Department] | list[Topic]], ...] = (
            ("districts", self.districts), ("categories", self.categories), ("departments", self.departments),
            ("topics", self.topics))
        problems = []
        for key, items in named:
            codes = [item.code for item in items]
            problems += [f"{key}[{i}].code: code '{code}' is used twice"
                         for i, code in enumerate(codes) if code in codes[:i]]
        return problems

    def _client_problems(self) -> list[str]:
        """Two clients may share neither a name (items record it) nor a key (it names the client)."""
        problems = []
        clients = self.open311.clients
        for i, client in enumerate(clients):
            earlier = clients[:i]
            if any(c.name == client.name for c in earlier):
                problems.append(f"open311.clients[{i}].name: name '{client.name}' is used twice")
            if any(c.key_sha256 == client.key_sha256 for c in earlier):
                problems.append(f"open311.clients[{i}].key_sha256: the same key as another client")
        return problems

    def public_categories(self) -> list[Category]:
        """The categories anyone may see items of: Open311's services."""
        return [c for c in self.categories if not c.private]

    def _routing_problems(self) -> list[str]:
        """Every code a department or a rule names must exist; the message names the key."""
        problems = []
        for i, department in enumerate(self.departments):
            if department.district is not None and self.district(department.district) is None:
                problems.append(f"departments[{i}].district: unknown district '{department.district}'")
        for key in ("fallback", "private", "proposals"):
            code = getattr(self.routing, key)
            if self.department(code) is None:
                problems.append(f"routing.{key}: unknown department '{code}'")
        for i, rule in enumerate(self.routing.rules):
            named = (("categories", "category", rule.categories, self.category),
                     ("districts", "district", rule.districts or [], self.district),
                     ("departments", "department", rule.departments, self.department))
            for key, noun, codes, find in named:
                problems += [f"routing.rules[{i}].{key}: unknown {noun} '{code}'"
                             for code in codes if find(code) is None]
            private = [code for code in rule.categories if (c := self.category(code)) is not None and c.private]
            problems += [f"routing.rules[{i}].categories: '{code}' is private and goes only to routing.private"
                         for code in private]
        problems += [f"broadcasts.departments: unknown department '{code}'"
                     for code in self.broadcasts.departments if self.department(code) is None]
        return problems

    def topic(self, code: str | None) -> Topic | None:
        return next((t for t in self.topics if t.code == code), None)

    def district(self, code: str | None) -> District | None:
        return next((d for d in self.districts if d.code == code), None)

    def category(self, code: str | None) -> Category | None:
        return next((c for c in self.categories if c.code == code), None)

    def department(self, code: str | None) -> Department | None:
        return next((d for d in self.departments if d.code == code), None)

    def department_name(self, code: str, locale: str) -> str:
        """The name in that language; the bare code of a department the file no longer lists
        (the platform may have answered for it, or an old assignment names it)."""
        department = self.department(code)
        return department.name(locale) if department else code

    def local(self, moment: dt.datetime) -> dt.datetime:
        """An instant in the city's time zone, as residents and officials read times."""
        return moment.astimezone(ZoneInfo(self.city.timezone))

    def rule_for(self, filed_on: dt.date) -> LifecycleRule:
        """The rule in force on a filing date; a change applies only to later filings."""
        rules = sorted(self.lifecycle, key=lambda r: r.effective_from)
        applicable = [r for r in rules if r.effective_from <= filed_on]
        return applicable[-1] if applicable else rules[0]

    @property
    def has_boundaries(self) -> bool:
        return self._boundaries is not None

    def locate(self, lat: float, lon: float) -> District | None:
        """The district a point lies in, or None for a point outside the city.

        With boundaries, the district whose polygon holds the point; without, the nearest
        centre unless every centre is farther than MAX_DISTRICT_DISTANCE_KM.
        """
        if self._boundaries is not None:
            return self.district(self._boundaries.code_at(lat, lon))
        nearest = self.nearest_district(lat, lon)
        return nearest if self.distance_km(nearest, lat, lon) <= MAX_DISTRICT_DISTANCE_KM else None

    def nearest_district(self, lat: float, lon: float) -> District:
        return min(self.districts, key=lambda d: _distance_km(lat, lon, d.lat, d.lon))

    def distance_km(self, district: District, lat: float, lon: float) -> float:
        return _distance_km(lat, lon, district.lat, district.lon)


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


class CityConfigError(Exception):
    """The city file is missing or invalid; the message names the file and the key."""


def load_city_config(path: Path | str) -> CityConfig:
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CityConfigError(f"city config {path}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise CityConfigError(f"city config {path}: not valid TOML: {exc}") from None
    try:
        city = CityConfig.model_validate(raw)
    except ValidationError as exc:
        raise CityConfigError(f"city config {path}:\n{_describe(exc)}") from None
    if city.city.boundaries is not None:
        city._boundaries = _load_boundaries(path, path.parent / city.city.boundaries, city)
    return city


def _load_boundaries(path: Path, boundaries_path: Path, city: CityConfig) -> Boundaries:
    try:
        boundaries = load_boundaries(boundaries_path)
        problems = mismatches(boundaries, city.districts)
    except BoundariesError as exc:
        problems = exc.problems
    if problems:
        lines = "\n".join(f"  city.boundaries: {problem}" for problem in problems)
        raise CityConfigError(f"city config {path}:\n{lines}")
    return boundaries


def _describe(exc: ValidationError) -> str:
    lines = []
    for error in exc.errors():
        key = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error["loc"])
        if key:
            lines.append(f"  {key.lstrip('.')}: {error['msg']}")
        else:  # the whole file's checks (codes, routing): each line already names its key
            lines += [f"  {problem}" for problem in error["msg"].removeprefix("Value error, ").splitlines()]
    return "\n".join(lines)
