"""The Open311 GeoReport v2 API's rules: what it serves and how it files (docs/open311.md).

Services are the public categories of the city file. Requests are public items (never private
or hidden ones, never anything about who filed them), listed by storage/repositories/open311.py.
Filing goes through the bot's own FilingService: the same checks, numbering, routing and
pushes, with an Open311 client of the city file as the filer instead of a resident.

What a caller got wrong is a `Refusal`: the standard's HTTP status, and a text key of
locales/*/open311.ftl with its arguments; the web layer (bot/open311/) words and formats it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from storage import rules
from storage.city import Category, CityConfig, Open311Client
from storage.clock import Clock, system_clock
from storage.drafts import Draft, check_body, check_title, clean_line
from storage.lifecycle import OPEN311_CLOSED, OPEN311_OPEN, OPEN311_STATUS, Kind, open311_statuses
from storage.models import stored_id
from storage.repositories.open311 import SEPARATOR, Open311Repository, RequestQuery, RequestRow
from storage.services.filing import Filer, FilingService, IncompleteDraft
from storage.services.limits import LimitReached

# A request's arguments as the web layer read them: every value each name was given.
Params = Mapping[str, Sequence[str]]

DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
STATUS_BY_VALUE = {status.value: mapped for status, mapped in OPEN311_STATUS.items()}
SHORTENED = "…"


class Refusal(Exception):
    """A request the API refuses: `status` is the HTTP status, `key` the text that says why."""

    def __init__(self, status: int, key: str, retry_after: int | None = None, **args: str | int) -> None:
        super().__init__(f"{status} {key} {args}")
        self.status = status
        self.key = key
        self.arguments = args
        self.retry_after = retry_after


@dataclass(slots=True)
class ServiceRequest:
    """One public item as GeoReport v2 describes a service request, before any language."""

    number: str
    status: str  # "open" or "closed" (storage/lifecycle.py OPEN311_STATUS)
    status_notes: str | None  # the latest answer of a department
    category: str
    description: str
    departments: tuple[str, ...]  # codes of the departments it is with, in the city file's order
    requested: dt.datetime
    updated: dt.datetime
    expected: dt.datetime | None  # the earliest due first answer, while open
    address: str | None  # as a client wrote it; None: only the district is known
    district: str
    lat: float | None
    lon: float | None
    has_photo: bool


@dataclass(frozen=True)
class FiledRequest:
    number: str
    departments: tuple[str, ...]
    due: dt.datetime | None  # the earliest first answer due


def first(params: Params, name: str) -> str:
    """The first value of an argument, stripped; "" when absent (the standard: an empty
    argument is the same as none)."""
    values = params.get(name) or [""]
    return values[0].strip()


def listed(params: Params, name: str) -> list[str]:
    """A comma-separated argument that may also be repeated, without empty entries or repeats."""
    values = [part.strip() for value in params.get(name, []) for part in value.split(",")]
    return list(dict.fromkeys(value for value in values if value))


def description(title: str, body: str) -> str:
    """The item's title and text as the standard's one description (4,000 characters at most),
    the title left out when the text already begins with it (a title made from it)."""
    text = body if body.startswith(title) else f"{title}\n\n{body}"
    limit = rules.OPEN311_DESCRIPTION_MAX
    return text if len(text) <= limit else text[: limit - len(SHORTENED)].rstrip() + SHORTENED


class Open311Service:
    def __init__(self, session: AsyncSession, city: CityConfig, clock: Clock = system_clock) -> None:
        self.session = session
        self.city = city
        self.clock = clock
        self.repository = Open311Repository(session)
        # Looked up once per service, not once per row of a page of 1,000.
        self._department_order = {department.code: n for n, department in enumerate(city.departments)}

    # -- services ----------------------------------------------------------------------------
    def services(self, params: Params) -> list[Category]:
        self.check_jurisdiction(params)
        return self.city.public_categories()

    def service(self, code: str, params: Params) -> Category:
        self.check_jurisdiction(params)
        return self._service(code)

    def _service(self, code: str) -> Category:
        category = self.city.category(code)
        if category is None or category.private:
            raise Refusal(404, "open311-error-service", code=code)
        return category

    def check_jurisdiction(self, params: Params) -> None:
        wanted, ours = first(params, "jurisdiction_id"), self.city.open311.jurisdiction_id
        if wanted and ours and wanted != ours:
            raise Refusal(404, "open311-error-jurisdiction", jurisdiction=wanted)

    # -- requests ----------------------------------------------------------------------------
    async def requests(self, params: Params) -> list[ServiceRequest]:
        self.check_jurisdiction(params)
        query = self.query(params)
        try:
            rows = await self.repository.requests(query)
        finally:
            await self.session.rollback()
        return [self._request(row) for row in rows]

    async def request(self, number: str, params: Params) -> ServiceRequest:
        self.check_jurisdiction(params)
        try:
            rows = await self.repository.requests(RequestQuery(numbers=(number,), limit=1))
        finally:
            await self.session.rollback()
        if not rows:
            raise Refusal(404, "open311-error-request", id=number)
        return self._request(rows[0])

    async def photo(self, number: str) -> str:
        """The Telegram file id of a public request's first photo."""
        try:
            file_id = await self.repository.first_photo(number)
        finally:
            await self.session.rollback()
        if file_id is None:
            raise Refusal(404, "open311-error-photo", id=number)
        return file_id

    def query(self, params: Params) -> RequestQuery:
        """The standard's filters, checked: a list of ids overrides the rest; otherwise service
        codes, statuses and a window of at most 90 days (the last 90 when none is given)."""
        numbers = listed(params, "service_request_id")
        if len(numbers) > rules.OPEN311_MAX_IDS:
            raise Refusal(400, "open311-error-ids", max=rules.OPEN311_MAX_IDS)
        if numbers:
            return RequestQuery(numbers=tuple(numbers), limit=rules.OPEN311_MAX_RESULTS)
        categories = tuple(self._service(code).code for code in listed(params, "service_code"))
        start, end = self._window(params)
        return RequestQuery(categories=categories, statuses=self._statuses(params), start=start, end=end,
                            limit=rules.OPEN311_MAX_RESULTS)

    @staticmethod
    def _statuses(params: Params) -> tuple[str, ...]:
        wanted = listed(params, "status")
        unknown = [value for value in wanted if value not in (OPEN311_OPEN, OPEN311_CLOSED)]
        if unknown:
            raise Refusal(400, "open311-error-status", value=unknown[0])
        if len(set(wanted)) != 1:  # none, or both: every status
            return ()
        return open311_statuses(wanted[0])

    def _window(self, params: Params) -> tuple[dt.datetime | None, dt.datetime | None]:
        start, end = self._moment(params, "start_date"), self._moment(params, "end_date")
        span = dt.timedelta(days=rules.OPEN311_WINDOW_DAYS)
        try:
            if start is None and end is None:
                return self.clock() - span, None  # no upper end: an item filed a moment ago is in
            if start is not None and end is not None:
                if start > end:
                    raise Refusal(400, "open311-error-date-order")
                if end - start > span:
                    raise Refusal(400, "open311-error-span", days=rules.OPEN311_WINDOW_DAYS)
                return start, end
            if start is not None:
                return start, start + span
            assert end is not None
            return end - span, end
        except OverflowError:
            raise Refusal(400, "open311-error-date", field="start_date" if start else "end_date") from None

    def _moment(self, params: Params, name: str) -> dt.datetime | None:
        """A W3C date and time with its zone (Z or ±hh:mm), or a bare date: the city's midnight."""
        text = first(params, name)
        if not text:
            return None
        try:
            if DATE_ONLY.fullmatch(text):
                midnight = dt.datetime.combine(dt.date.fromisoformat(text), dt.time(), ZoneInfo(self.city.city.timezone))
                return midnight.astimezone(dt.UTC)
            moment = dt.datetime.fromisoformat(text)
            if moment.tzinfo is None:
                raise ValueError("no time zone")
            return moment.astimezone(dt.UTC)
        except (ValueError, OverflowError):
            raise Refusal(400, "open311-error-date", field=name) from None

    def _request(self, row: RequestRow) -> ServiceRequest:
        status = STATUS_BY_VALUE[row.status]
        return ServiceRequest(
            row.public_number, status, row.latest_answer, row.category, description(row.title, row.body),
            self._ordered(row.departments), row.created_at, row.updated_at,
            row.earliest_due if status == OPEN311_OPEN else None,
            row.address, row.district, row.latitude, row.longitude, row.a_photo is not None)

    def _ordered(self, codes: str | None) -> tuple[str, ...]:
        """Department codes in the city file's order (those it no longer lists last)."""
        if not codes:
            return ()
        order = self._department_order
        return tuple(sorted(set(codes.split(SEPARATOR)), key=lambda code: (order.get(code, len(order)), code)))

    # -- filing ------------------------------------------------------------------------------
    def client(self, api_key: str) -> Open311Client:
        if not api_key:
            raise Refusal(403, "open311-error-key-missing")
        client = self.city.open311.client_for(api_key)
        if client is None:
            raise Refusal(403, "open311-error-key")
        return client

    async def file(self, api_key: str, form: Params) -> FiledRequest:
        """Files a complaint for an Open311 client, as the bot files a resident's."""
        client = self.client(api_key)
        self.check_jurisdiction(form)
        code = first(form, "service_code")
        if not code:
            raise Refusal(400, "open311-error-missing", field="service_code")
        category = self._service(code)
        title, body = self._texts(form)
        district, lat, lon = self._place(form)
        address = clean_line(first(form, "address_string")) or None
        if address is not None and len(address) > rules.OPEN311_ADDRESS_MAX:
            raise Refusal(400, "open311-error-address", max=rules.OPEN311_ADDRESS_MAX)
        # The filer is a program: no name to show to officials, no resident to follow the item.
        draft = Draft(submission_key=str(uuid.uuid4()), kind=Kind.COMPLAINT, category=category.code,
                      district=district, title=title, body=body, latitude=lat, longitude=lon, anonymous=True)
        try:
            item, _ = await FilingService(self.session, self.city, self.clock).file(
                draft, Filer(client=client), address)
        except LimitReached as exc:
            wait = max(1, math.ceil((exc.until - self.clock()).total_seconds()))
            raise Refusal(429, "open311-error-limit", retry_after=wait, limit=client.items_per_day,
                          until=self.city.local(exc.until).isoformat(timespec="minutes")) from None
        except IncompleteDraft as exc:  # checked above; a city file changed under a running API
            raise Refusal(400, "open311-error-missing", field=", ".join(exc.missing)) from None
        number, item_id = item.public_number, stored_id(item)  # the rollback below expires the row
        try:
            assigned = await self.repository.departments_of(item_id)
        finally:
            await self.session.rollback()
        departments = self._ordered(SEPARATOR.join(row.department for row in assigned))
        due = min((row.due_at for row in assigned), default=None)
        return FiledRequest(number, departments, due)

    @staticmethod
    def _texts(form: Params) -> tuple[str, str]:
        """The description as the item's text (the bot's limits), and the title: attribute[title],
        or the description's first line, shortened to the title's limit."""
        raw = first(form, "description")
        if not raw:
            raise Refusal(400, "open311-error-missing", field="description")
        body = check_body(raw)
        if body is None:
            raise Refusal(400, "open311-error-description", min=rules.BODY_MIN, max=rules.BODY_MAX)
        given = first(form, "attribute[title]")
        if given:
            title = check_title(given)
            if title is None:
                raise Refusal(400, "open311-error-title", min=rules.TITLE_MIN, max=rules.TITLE_MAX)
            return title, body
        line = clean_line(body.splitlines()[0])
        if len(line) < rules.TITLE_MIN:
            line = clean_line(body)
        if len(line) > rules.TITLE_MAX:
            line = line[: rules.TITLE_MAX - len(SHORTENED)].rstrip() + SHORTENED
        return line, body

    def _place(self, form: Params) -> tuple[str, float | None, float | None]:
        """The district, from lat & long (the polygon holding the point), or from attribute[district]
        beside an address_string; the point too when given."""
        lat_text, lon_text, named = first(form, "lat"), first(form, "long"), first(form, "attribute[district]")
        if named and self.city.district(named) is None:
            raise Refusal(400, "open311-error-district", district=named,
                          districts=", ".join(d.code for d in self.city.districts))
        if not lat_text and not lon_text:
            if not named or not first(form, "address_string"):
                raise Refusal(400, "open311-error-location")
            return named, None, None
        lat, lon = _coordinate(lat_text, 90), _coordinate(lon_text, 180)
        found = self.city.locate(lat, lon)
        if found is None:
            raise Refusal(400, "open311-error-outside", lat=lat_text, long=lon_text)
        if named and named != found.code:
            raise Refusal(400, "open311-error-district-mismatch", district=named, found=found.code)
        return found.code, lat, lon


def _coordinate(text: str, bound: float) -> float:
    try:
        value = float(text)
    except ValueError:
        raise Refusal(400, "open311-error-coordinates") from None
    if not math.isfinite(value) or not -bound <= value <= bound:
        raise Refusal(400, "open311-error-coordinates")
    return value
