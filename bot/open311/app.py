"""The Open311 GeoReport v2 API as an aiohttp application (docs/open311.md).

`build_app` returns an `aiohttp.web.Application` to mount at /open311/v2 (`add_subapp`):
`standalone_app` does so for `sotong api` (bot/open311/runner.py), and a web server of
Sotong's (the webhook's) may do the same under its own root. Handlers read the request,
call storage/services/open311.py and word its answer in the caller's language and format;
they hold no rules and build no SQL. Every failure is the standard's error document in the
format asked for (XML when none can be told), never a traceback.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from aiogram_i18n.cores import FluentRuntimeCore
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.i18n import create_core
from bot.open311.formats import Format, errors, format_of, response
from bot.open311.media import PhotoGone, PhotoUnavailable, TelegramFiles
from storage import rules
from storage.city import Category, CityConfig
from storage.clock import Clock, system_clock
from storage.database import create_session_factory
from storage.services.open311 import FiledRequest, Open311Service, Params, Refusal, ServiceRequest, first
from storage.vocabulary import LANGUAGES

log = logging.getLogger(__name__)

PREFIX = "/open311/v2"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# A request line may hold a long list of ids; past the API's own cap it is refused in the
# standard's words, which needs the line to reach the handler (aiohttp's default is 8 KiB).
LINE_MAX = 256 * 1024
MEDIA_EXTENSION = "jpg"
CONTENT_TYPES_OFFERED = ("text/xml", "application/json")
# aiohttp's own refusals (no route, wrong method, body too large), worded as the API's.
HTTP_STATUS_KEYS = {404: "open311-error-not-found", 405: "open311-error-method", 413: "open311-error-too-large"}


@dataclass
class Open311Context:
    reads: async_sessionmaker[AsyncSession]
    writes: async_sessionmaker[AsyncSession]
    city: CityConfig
    texts: FluentRuntimeCore
    files: TelegramFiles | None
    public_url: str | None
    changeset: dt.datetime
    clock: Clock
    default_locale: str
    wordings: dict[str, Wording]
    mounted_at: str


CONTEXT = web.AppKey("open311", Open311Context)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def build_app(engine: AsyncEngine, city: CityConfig, *, files: TelegramFiles | None = None,
              public_url: str | None = None, changeset: dt.datetime | None = None,
              clock: Clock = system_clock, default_locale: str = LANGUAGES[0],
              mounted_at: str = PREFIX) -> web.Application:
    """The API, to mount at `mounted_at`. `files` fetches photos for media_url (None: no
    media_url); `public_url` is where clients reach the server (None: the Host each request
    came to). The application it is mounted in sets the limits on bodies and request lines
    (see `standalone_app`); its own 404s and 405s under the mount are the standard's errors."""
    app = web.Application(middlewares=[standard_errors])
    app[CONTEXT] = Open311Context(
        reads=create_session_factory(engine, reads_only=True), writes=create_session_factory(engine), city=city,
        texts=create_core(default_locale), files=files, public_url=public_url.rstrip("/") if public_url else None,
        changeset=changeset or clock(), clock=clock, default_locale=default_locale,
        wordings={lang: Wording.of(city, lang) for lang in LANGUAGES}, mounted_at=mounted_at.rstrip("/"))
    app.on_startup.append(_load_texts)
    routes = [
        ("GET", "/discovery.{format}", discovery),
        ("GET", "/services.{format}", services),
        ("GET", "/services/{service_code}.{format}", service_definition),
        ("GET", "/requests.{format}", service_requests),
        ("POST", "/requests.{format}", file_request),
        ("GET", "/requests/{service_request_id}.{format}", service_request),
        ("GET", "/media/{service_request_id}.{format}", media),
    ]
    for method, path, handler in routes:
        app.router.add_route(method, path, handler)
    return app


def settle_heap() -> None:
    """Called by a server once it has started. What is loaded by now (modules, the city file, the texts) lives as long as the process.
    Frozen out of the collector's reach, it is no longer scanned by every full collection,
    which otherwise stalls a request now and then for a quarter of a second (bench/open311.py:
    the default list's p99 went from 279 to 44 ms, its p50 unchanged)."""
    gc.collect()
    gc.freeze()


def standalone_app(api: web.Application) -> web.Application:
    """A server of its own for the API (`sotong api`): mounted at /open311/v2, with bodies up to
    rules.OPEN311_BODY_MAX (past it, 413) and request lines and headers up to LINE_MAX."""
    root = web.Application(client_max_size=rules.OPEN311_BODY_MAX,
                           handler_args={"max_line_size": LINE_MAX, "max_field_size": LINE_MAX})
    root.add_subapp(api[CONTEXT].mounted_at, api)
    return root


async def _load_texts(app: web.Application) -> None:
    await app[CONTEXT].texts.startup()


# -- the request's language, format and address ------------------------------------------------
def language(request: web.Request) -> str:
    """`?locale=en|ko`, else the first of those Accept-Language prefers, else the default."""
    asked = request.query.get("locale", "").strip().lower()[:2]
    if asked in LANGUAGES:
        return asked
    ranked = []
    for n, part in enumerate(request.headers.get("Accept-Language", "").split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        ranked.append((-weight, n, tag.strip().lower()[:2]))
    for weight, _, tag in sorted(ranked):
        if tag in LANGUAGES and weight < 0:
            return tag
    return request.app[CONTEXT].default_locale


def requested_format(request: web.Request) -> Format:
    """The format the path asks for; an unknown one is refused (404), in XML."""
    name = request.match_info.get("format", "")
    found = format_of(name)
    if found is None:
        raise Refusal(404, "open311-error-format", format=name)
    return found


def error_format(request: web.Request) -> Format:
    """The format to refuse in: the one asked for when it is known, else XML (the required one)."""
    found = format_of(request.match_info.get("format", "")) or format_of(request.path.rpartition(".")[2])
    return found or Format.XML


def api_url(request: web.Request) -> str:
    """Where clients reach the API: the public URL (or this request's host) and the mount."""
    context = request.app[CONTEXT]
    return (context.public_url or f"{request.scheme}://{request.host}") + context.mounted_at


def query_params(request: web.Request) -> Params:
    return {name: request.query.getall(name) for name in set(request.query.keys())}


def text(request: web.Request, key: str, **args: Any) -> str:
    return request.app[CONTEXT].texts.get(key, language(request), **args)


def w3(city: CityConfig, moment: dt.datetime | None) -> str | None:
    """An instant as the standard writes it: ISO 8601 with the city's offset."""
    return city.local(moment).isoformat(timespec="seconds") if moment is not None else None


# -- errors -----------------------------------------------------------------------------------
@web.middleware
async def standard_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except Refusal as refusal:
        headers = {"Retry-After": str(refusal.retry_after)} if refusal.retry_after else None
        return errors(error_format(request), refusal.status, text(request, refusal.key, **refusal.arguments),
                      headers)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        key = HTTP_STATUS_KEYS.get(exc.status, "open311-error-request-invalid")
        return errors(error_format(request), exc.status, text(request, key, max=rules.OPEN311_BODY_MAX),
                      {"Allow": exc.headers["Allow"]} if "Allow" in exc.headers else None)
    except Exception:
        log.exception("the Open311 API failed on %s %s", request.method, request.path)
        return errors(error_format(request), 500, text(request, "open311-error-server"))


# -- GET ----------------------------------------------------------------------------------------
async def discovery(request: web.Request) -> web.StreamResponse:
    fmt, context = requested_format(request), request.app[CONTEXT]
    city, changeset = context.city, w3(context.city, context.changeset)
    name = city.city.name(language(request))
    document = {
        "changeset": changeset,
        "contact": city.open311.contact or text(request, "open311-contact", city=name),
        "key_service": city.open311.key_service or text(request, "open311-key-service", city=name),
        "endpoints": [{"specification": SPECIFICATION, "url": api_url(request), "changeset": changeset,
                       "type": "production", "formats": list(CONTENT_TYPES_OFFERED)}],
    }
    return response(fmt, "discovery", document)


async def services(request: web.Request) -> web.StreamResponse:
    fmt, context = requested_format(request), request.app[CONTEXT]
    async with context.reads() as session:
        found = Open311Service(session, context.city, context.clock).services(query_params(request))
    return response(fmt, "services", [service_fields(request, category) for category in found])


def service_fields(request: web.Request, category: Category) -> dict[str, Any]:
    lang = language(request)
    other = category.name_en if lang == "ko" else category.name_ko
    return {"service_code": category.code, "service_name": category.name(lang),
            "description": text(request, "open311-service-description", name=category.name(lang)),
            "metadata": True, "type": "realtime", "keywords": f"{other}, {category.code}", "group": None}


async def service_definition(request: web.Request) -> web.StreamResponse:
    fmt, context = requested_format(request), request.app[CONTEXT]
    async with context.reads() as session:
        category = Open311Service(session, context.city, context.clock).service(
            request.match_info["service_code"], query_params(request))
    lang = language(request)
    title = {"variable": True, "code": "title", "datatype": "string", "required": False,
             "datatype_description": text(request, "open311-title-datatype", min=rules.TITLE_MIN, max=rules.TITLE_MAX),
             "order": 1, "description": text(request, "open311-title-description")}
    district = {"variable": True, "code": "district", "datatype": "singlevaluelist", "required": False,
                "datatype_description": None, "order": 2, "description": text(request, "open311-district-description"),
                "values": [{"key": d.code, "name": d.name(lang)} for d in context.city.districts]}
    return response(fmt, "service_definition", {"service_code": category.code, "attributes": [title, district]})


async def service_requests(request: web.Request) -> web.StreamResponse:
    fmt, context = requested_format(request), request.app[CONTEXT]
    async with context.reads() as session:
        found = await Open311Service(session, context.city, context.clock).requests(query_params(request))
    return _requests(request, fmt, found)


async def service_request(request: web.Request) -> web.StreamResponse:
    fmt, context = requested_format(request), request.app[CONTEXT]
    async with context.reads() as session:
        found = await Open311Service(session, context.city, context.clock).request(
            request.match_info["service_request_id"], query_params(request))
    return _requests(request, fmt, [found])


def _requests(request: web.Request, fmt: Format, found: list[ServiceRequest]) -> web.StreamResponse:
    context = request.app[CONTEXT]
    media = f"{api_url(request)}/media" if context.files is not None else None
    wording = context.wordings[language(request)]
    return response(fmt, "service_requests", [request_fields(wording, item, media) for item in found])


@dataclass(frozen=True)
class Wording:
    """A language's names of what requests show, looked up once: a page holds 1,000 requests."""

    services: dict[str, str]
    places: dict[str, str]  # district code -> "district, city", the address of a request without one
    departments: dict[str, str]
    city: str
    zone: ZoneInfo

    @classmethod
    def of(cls, city: CityConfig, lang: str) -> Wording:
        name = city.city.name(lang)
        return cls({c.code: c.name(lang) for c in city.categories},
                   {d.code: f"{d.name(lang)}, {name}" for d in city.districts},
                   {d.code: d.name(lang) for d in city.departments}, name, ZoneInfo(city.city.timezone))

    def w3(self, moment: dt.datetime | None) -> str | None:
        return moment.astimezone(self.zone).isoformat(timespec="seconds") if moment is not None else None


def request_fields(wording: Wording, item: ServiceRequest, media: str | None) -> dict[str, Any]:
    """One request with the standard's fields, in its order; what Sotong does not know is null.
    Codes the city file no longer lists are shown as they are."""
    departments = wording.departments
    return {
        "service_request_id": item.number,
        "status": item.status,
        "status_notes": item.status_notes,
        "service_name": wording.services.get(item.category, item.category),
        "service_code": item.category,
        "description": item.description,
        "agency_responsible": ", ".join([departments.get(code, code) for code in item.departments]) or None,
        "service_notice": None,
        "requested_datetime": wording.w3(item.requested),
        "updated_datetime": wording.w3(item.updated),
        "expected_datetime": wording.w3(item.expected),
        "address": item.address or wording.places.get(item.district, wording.city),
        "address_id": None,
        "zipcode": None,
        "lat": item.lat,
        "long": item.lon,
        "media_url": f"{media}/{item.number}.{MEDIA_EXTENSION}" if media and item.has_photo else None,
    }


async def media(request: web.Request) -> web.StreamResponse:
    """The first photo of a public request, fetched from Telegram and passed on."""
    context = request.app[CONTEXT]
    number = request.match_info["service_request_id"]
    if context.files is None or request.match_info["format"] != MEDIA_EXTENSION:
        raise Refusal(404, "open311-error-photo", id=number)
    async with context.reads() as session:
        file_id = await Open311Service(session, context.city, context.clock).photo(number)
    try:
        content, content_type = await context.files.fetch(file_id)
    except PhotoGone:
        raise Refusal(404, "open311-error-photo", id=number) from None
    except PhotoUnavailable:
        raise Refusal(502, "open311-error-photo-unavailable") from None
    return web.Response(body=content, content_type=content_type, headers={"Cache-Control": "public, max-age=3600"})


# -- POST ---------------------------------------------------------------------------------------
async def file_request(request: web.Request) -> web.StreamResponse:
    """Files a complaint for an API client of the city file (form-encoded, as the standard says)."""
    fmt, context = requested_format(request), request.app[CONTEXT]
    if request.content_type not in FORM_TYPES:
        raise Refusal(400, "open311-error-form")
    posted = await request.post()  # past client_max_size: 413
    form: Params = {name: [v for v in posted.getall(name) if isinstance(v, str)] for name in set(posted.keys())}
    api_key = first(form, "api_key") or request.query.get("api_key", "").strip()
    async with context.writes() as session:
        filed = await Open311Service(session, context.city, context.clock).file(api_key, form)
    return response(fmt, "service_requests", [{"service_request_id": filed.number,
                                               "service_notice": _notice(request, filed), "account_id": None}])


def _notice(request: web.Request, filed: FiledRequest) -> str:
    city, lang = request.app[CONTEXT].city, language(request)
    departments = ", ".join(city.department_name(code, lang) for code in filed.departments)
    due = f"{city.local(filed.due):%Y-%m-%d %H:%M}" if filed.due else "-"
    return text(request, "open311-notice", number=filed.number, departments=departments, due=due)
