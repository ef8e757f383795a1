"""The Open311 API under test: the app on aiohttp's test server, a city with one API client,
and a data set whose answers are known (public, private, hidden, old, anonymous items)."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp.test_utils import TestClient, TestServer

from bot.open311.app import build_app, standalone_app
from bot.open311.media import TelegramFiles
from storage.city import CityConfig, Moderation, Open311, Open311Client, hash_key
from storage.clock import ManualClock
from storage.database import create_session_factory
from storage.drafts import Draft, Photo
from storage.lifecycle import Kind, Status
from storage.models import Answer, Item
from storage.services import status
from storage.services.filing import FilingService
from storage.services.residents import ResidentService, TelegramPerson
from storage.vocabulary import AnswerAuthor, AssignmentState

KEY = "a-test-key-of-the-web-platform"
CLIENT = Open311Client(name="web", key_sha256=hash_key(KEY), items_per_day=3)
OTHER_KEY = "the-kiosk-key"
JURISDICTION = "gwangju.go.kr"

# The GeoReport v2 fields of a service request, in the standard's order.
REQUEST_FIELDS = ["service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                  "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                  "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"]
SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]

# The anonymous filer: nothing of this may ever be served.
SECRET_NAME = "Jiwoo Secretname"
SECRET_USERNAME = "jiwoo_hidden_handle"
SECRET_TELEGRAM_ID = 987654321
SECRET_REPLY = "This is Jiwoo, call me at 010-9999-8888"


def api_city(city: CityConfig) -> CityConfig:
    """The test city with one API client (its key is KEY) and a jurisdiction id; residents may
    file as many items as the data set needs."""
    kiosk = Open311Client(name="kiosk", key_sha256=hash_key(OTHER_KEY))
    return city.model_copy(update={"open311": Open311(jurisdiction_id=JURISDICTION, clients=[CLIENT, kiosk]),
                                   "moderation": Moderation(items_per_day=100)})


@asynccontextmanager
async def api_client(engine, city: CityConfig, clock, files: TelegramFiles | None = None,  # type: ignore[no-untyped-def]
                     public_url: str | None = None):
    app = build_app(engine, city, files=files, public_url=public_url, clock=clock,
                    changeset=dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
    async with TestClient(TestServer(standalone_app(app))) as client:
        yield client


@dataclass
class Seeded:
    """The data set: public numbers by role, and what each should show."""

    numbers: dict[str, str] = field(default_factory=dict)
    created: dict[str, dt.datetime] = field(default_factory=dict)


async def seed(engine, city: CityConfig, now: dt.datetime) -> Seeded:  # type: ignore[no-untyped-def]
    """Items filed through the real FilingService over 100 days before `now`:

    - old: a roads complaint in nam 100 days ago (outside the default window);
    - anonymous: Jiwoo's anonymous water complaint in buk (2 photos, a point), 10 days ago; two
      department answers and, last, Jiwoo's reply, which is not an answer;
    - resolved: a named roads complaint in nam, 9 days ago, resolved since;
    - private: Jiwoo's complaint about an official, 8 days ago (never served);
    - hidden: an environment complaint in buk, 7 days ago, hidden by moderation;
    - proposal: a culture proposal in dong, 6 days ago (collecting, no department yet);
    - escaped: a complaint whose text XML and JSON must escape, 5 days ago.
    """
    clock = ManualClock(now - dt.timedelta(days=100))
    seeded = Seeded()
    factory = create_session_factory(engine)
    async with factory() as session:
        residents = ResidentService(session, "ko")
        jiwoo, _ = await residents.identify(TelegramPerson(SECRET_TELEGRAM_ID, SECRET_NAME, SECRET_USERNAME, "ko"))
        lee, _ = await residents.identify(TelegramPerson(5551002, "Lee Named", None, "en"))
        filing = FilingService(session, city, clock)

        async def file(role: str, resident, days_ago: float, **fields) -> Item:  # type: ignore[no-untyped-def]
            clock.now = now - dt.timedelta(days=days_ago)
            draft = Draft(kind=fields.pop("kind", Kind.COMPLAINT), anonymous=fields.pop("anonymous", False), **fields)
            item, _ = await filing.submit(draft, resident)
            seeded.numbers[role] = item.public_number
            seeded.created[role] = item.created_at
            return item

        await file("old", lee, 100, category="roads", district="nam", title="Old pothole on Geumnam-ro",
                   body="A pothole that has been there for months.")
        anonymous = await file(
            "anonymous", jiwoo, 10, category="water", district="buk", title="No water on Jungheung-ro",
            body="Since 7 am there is no tap water in our alley.", anonymous=True, latitude=35.1740,
            longitude=126.9120, photos=[Photo(file_id="PHOTO-A", file_unique_id="ua"),
                                        Photo(file_id="PHOTO-B", file_unique_id="ub")])
        resolved = await file("resolved", lee, 9, category="roads", district="nam", title="Broken streetlight",
                              body="The streetlight at the corner has been dark for a week.")
        await file("private", jiwoo, 8, category="officials", district="buk", title="An official was rude",
                   body="The clerk at the desk shouted at me today.")
        hidden = await file("hidden", lee, 7, category="environment", district="buk", title="Spam spam spam",
                            body="Buy cheap things at my shop, best prices.")
        await file("proposal", lee, 6, kind=Kind.PROPOSAL, category="culture", district="dong",
                   title="Outdoor cinema in summer", body="Show films in the park on summer nights.")
        await file("escaped", lee, 5, category="roads", district="buk", title="Signs <b>&</b> \"quotes\"",
                   body="Text with <tags> & ampersands ]]> and a bell \x07 that XML cannot carry.")

        day = dt.timedelta(days=1)
        answers = [(anonymous, "water", AnswerAuthor.DEPARTMENT, "Crews are on the way.", 9.5),
                   (anonymous, "buk_office", AnswerAuthor.DEPARTMENT, "The main is fixed; water is back.", 9),
                   (anonymous, "water", AnswerAuthor.FILER, SECRET_REPLY, 8.5),
                   (resolved, "transport", AnswerAuthor.DEPARTMENT, "The lamp was replaced.", 8)]
        for item, department, author, body, days_ago in answers:
            session.add(Answer(item_id=item.id, department=department, author=author, body=body,
                               resident_id=jiwoo.id if author == AnswerAuthor.FILER else None,
                               created_at=now - days_ago * day))
        await session.flush()
        await status.move(session, resolved.id, Kind.COMPLAINT, Status.RECEIVED, Status.ANSWERED, "system",
                          now=now - 8 * day)
        await status.move(session, resolved.id, Kind.COMPLAINT, Status.ANSWERED, Status.RESOLVED, "system",
                          now=now - 7.5 * day)
        await status.move(session, hidden.id, Kind.COMPLAINT, Status.RECEIVED, Status.HIDDEN, "system",
                          now=now - 6 * day)
        await session.commit()
    return seeded


async def answer_assignment(engine, number: str, department: str) -> None:  # type: ignore[no-untyped-def]
    """Marks one department's assignment of the item answered (it no longer has a due date)."""
    from sqlalchemy import text

    async with engine.begin() as connection:
        await connection.execute(text(
            "UPDATE assignments SET state = :state WHERE department = :department AND item_id = "
            "(SELECT id FROM items WHERE public_number = :number)"),
            {"state": AssignmentState.ANSWERED.value, "department": department, "number": number})


def xml_requests(body: bytes) -> list[dict[str, str | None]]:
    """<service_requests><request>…</request></service_requests> as a list of field -> text."""
    root = ET.fromstring(body)
    assert root.tag == "service_requests"
    return [{child.tag: child.text for child in request} for request in root]


def xml_fields(body: bytes) -> list[list[str]]:
    root = ET.fromstring(body)
    return [[child.tag for child in request] for request in root]


def xml_errors(body: bytes) -> list[tuple[str | None, str | None]]:
    root = ET.fromstring(body)
    assert root.tag == "errors"
    return [(error.findtext("code"), error.findtext("description")) for error in root]

