"""A data set whose statistics are known: items, answers, assignments and status events written
with known times by direct inserts, as the city's platform could write them.

Times are relative to NOW, the end of the period; the period is the 30 days before it.
`EXPECTED` holds the figures worked out by hand (see the comments at each item).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.models import Answer, Assignment, Item, Resident, StatusEvent, table_of

NOW = dt.datetime(2026, 3, 1, 0, 0, tzinfo=dt.UTC)
DAY, HOUR = dt.timedelta(days=1), dt.timedelta(hours=1)
_numbers = itertools.count(1)


@dataclass
class Planned:
    district: str
    category: str
    filed: dt.datetime
    status: str
    kind: str = "complaint"
    private: bool = False
    answers: list[tuple[str, dt.timedelta]] = field(default_factory=list)  # (author, after filing)
    due: list[dt.timedelta] = field(default_factory=list)  # each assignment's due date after filing
    events: list[str] = field(default_factory=list)  # statuses moved to after filing


def known_items(now: dt.datetime = NOW) -> list[Planned]:
    """The data set, its times relative to `now` (the end of the period)."""
    return [
        # Dong-gu (100,000 residents): 4 items in the period.
        # A1: the filer's row at 1 h is not an answer; the department's at 10 h, due 5 days: within.
        Planned("dong", "roads", now - 20 * DAY, "answered", answers=[("filer", HOUR), ("department", 10 * HOUR)],
                due=[5 * DAY]),
        # A2: answered at 30 h, due after 24 h: late. Resolved.
        Planned("dong", "roads", now - 10 * DAY, "resolved", answers=[("department", 30 * HOUR)], due=[DAY]),
        # A3: not answered, due in 2 days' time: not yet counted for the SLA. Open.
        Planned("dong", "water", now - 5 * DAY, "received", due=[7 * DAY]),
        # P1: a proposal that reached discussion; no assignment. Open.
        Planned("dong", "roads", now - 25 * DAY, "discussion", kind="proposal", events=["discussion"]),
        # Outside the period: 40 days ago, and filed exactly at its end.
        Planned("dong", "roads", now - 40 * DAY, "received", answers=[("department", HOUR)], due=[DAY]),
        Planned("dong", "roads", now, "received"),
        # Buk-gu (415,000 residents): 5 items in the period.
        # B1: first answered at 26 h; two assignments, due after 7 days and after 1 day: late, as
        # the earliest counts. Closed: resolved.
        Planned("buk", "roads", now - 15 * DAY, "closed", answers=[("department", 50 * HOUR),
                                                                   ("department", 26 * HOUR)], due=[7 * DAY, DAY]),
        # B2: never answered, due 5 days after filing, which has passed: counted, not within. Open.
        Planned("buk", "environment", now - 12 * DAY, "in_progress", due=[5 * DAY]),
        # B3: hidden by moderation: left out of every figure.
        Planned("buk", "environment", now - 12 * DAY, "hidden", answers=[("department", HOUR)], due=[DAY]),
        # B4: private (conduct of officials), answered at 5 h 59 min (5 whole hours), due 7 days: within.
        Planned("buk", "officials", now - 3 * DAY, "answered", private=True,
                answers=[("department", 5 * HOUR + 59 * dt.timedelta(minutes=1))], due=[7 * DAY]),
        # P2: a proposal that expired without reaching discussion: neither open nor resolved.
        Planned("buk", "culture", now - 28 * DAY, "expired", kind="proposal", events=["expired"]),
        # B5: filed exactly at the period's start: in it. No assignment, no answer. Open.
        Planned("buk", "water", now - 30 * DAY, "received"),
    ]


# Figures of the known data set, hours for the percentiles (the service gives days: / 24).
EXPECTED = {
    "dong": dict(filed=4, open=3, resolved=1, answered=2, median_hours=20.0, p90_hours=28.0,
                 sla_counted=2, sla_met=1, proposals=1, discussion=1),
    # Answered at 5 and 26 hours: median 15.5, p90 5 + 0.9 × 21.
    "buk": dict(filed=5, open=3, resolved=1, answered=2, median_hours=15.5, p90_hours=23.9,
                sla_counted=3, sla_met=1, proposals=1, discussion=0),
    # 5, 10, 26, 30 hours: median between 10 and 26, p90 at 0-based position 2.7.
    "city": dict(filed=9, open=6, resolved=2, answered=4, median_hours=18.0, p90_hours=28.8,
                 sla_counted=5, sla_met=2, proposals=2, discussion=1),
    # Roads: Dong's A1, A2, P1 and Buk's B1.
    ("dong", "roads"): dict(filed=3, open=2, resolved=1, answered=2, median_hours=20.0, p90_hours=28.0,
                            sla_counted=2, sla_met=1, proposals=1, discussion=1),
    ("city", "roads"): dict(filed=4, open=2, resolved=2, answered=3, median_hours=26.0, p90_hours=29.2,
                            sla_counted=3, sla_met=1, proposals=1, discussion=1),
    ("buk", "officials"): dict(filed=1, open=1, resolved=0, answered=1, median_hours=5.0, p90_hours=5.0,
                               sla_counted=1, sla_met=1, proposals=0, discussion=0),
}
POPULATION = {"dong": 100_000, "seo": 280_000, "nam": 205_000, "buk": 415_000, "gwangsan": 390_000}


async def write(engine: AsyncEngine, planned: list[Planned]) -> None:
    """Inserts the items with their answers, assignments and status events."""
    async with engine.begin() as connection:
        resident = (await connection.execute(insert(table_of(Resident)).values(
            telegram_id=next(_numbers) + 5_000_000, language="ko", full_name="Filer", blocked=False,
            notify="all", created_at=NOW - 100 * DAY, updated_at=NOW - 100 * DAY).returning(
            table_of(Resident).c.id))).scalar_one()
        for plan in planned:
            n = next(_numbers)
            item_id = (await connection.execute(insert(table_of(Item)).values(
                public_number=f"GJ-2026-{n:06d}", public_token=f"s{n:015d}", kind=plan.kind,
                category=plan.category, district=plan.district, title=f"Item {n}", body="A known item of the data set.",
                is_anonymous=False, is_private=plan.private, status=plan.status, resident_id=resident,
                endorsement_count=0, participant_count=0, submission_key=f"stats-{n}",
                created_at=plan.filed, updated_at=plan.filed).returning(table_of(Item).c.id))).scalar_one()
            await _related(connection, item_id, plan)


async def _related(connection: AsyncConnection, item_id: int, plan: Planned) -> None:
    events = [{"item_id": item_id, "from_status": None, "to_status": "received" if plan.kind == "complaint"
               else "collecting", "actor": "system", "created_at": plan.filed, "notified_at": plan.filed}]
    events += [{"item_id": item_id, "from_status": None, "to_status": status, "actor": "system",
                "created_at": plan.filed + DAY, "notified_at": plan.filed + DAY} for status in plan.events]
    await connection.execute(insert(table_of(StatusEvent)), events)
    for author, after in plan.answers:
        await connection.execute(insert(table_of(Answer)).values(
            item_id=item_id, department="civil", author=author, body="An answer.", created_at=plan.filed + after,
            notified_at=plan.filed + after))
    for i, due in enumerate(plan.due):
        await connection.execute(insert(table_of(Assignment)).values(
            item_id=item_id, department=("civil", "transport", "water")[i], state="new", received_at=plan.filed,
            due_at=plan.filed + due, updated_at=plan.filed))


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """A valid PNG of plausible size: the signature, 10 KB to 3 MB, and its dimensions from the
    IHDR chunk (the first, 13 bytes long), which it returns."""
    assert data.startswith(PNG_SIGNATURE), data[:8]
    assert 10_000 <= len(data) <= 3_000_000, len(data)
    length, kind = int.from_bytes(data[8:12], "big"), data[12:16]
    assert (length, kind) == (13, b"IHDR")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert data.endswith(b"IEND\xaeB`\x82")
    return width, height
