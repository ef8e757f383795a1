"""The endorse path, the hottest write: one statement on PostgreSQL, one short
transaction on SQLite. Both follow the same rules:

- an endorsement is stored only while the proposal is public, collecting, inside its
  window, and not the endorser's own; a second one by the same resident is a no-op
  (the unique key on endorsements decides, so double taps count once);
- every stored endorsement adds one to items.endorsement_count in the same transaction,
  so the count always equals the rows;
- the one update that brings the count to the goal while collecting moves the proposal to
  discussion and writes that status event; the row lock on the item makes it exactly one.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.types import UTCDateTime

CARD_COLUMNS = (
    "id, public_number, public_token, kind, category, district, title, body, status, resident_id, "
    "is_private, is_anonymous, endorsement_count, endorsement_goal, participant_count, "
    "participant_goal, discussion_days, stage_deadline, created_at, updated_at"
)
TIMES = {"stage_deadline": UTCDateTime(), "created_at": UTCDateTime(), "updated_at": UTCDateTime()}
ALLOWED = (
    "kind = 'proposal' AND NOT is_private AND status = 'collecting' "
    "AND stage_deadline > :now AND resident_id <> :resident_id"
)
CROSSING = "i.status = 'collecting' AND i.endorsement_count + 1 >= i.endorsement_goal"

POSTGRES = text(f"""
WITH item AS (SELECT {CARD_COLUMNS} FROM items WHERE id = :item_id),
before AS (
    SELECT EXISTS (SELECT 1 FROM endorsements WHERE item_id = :item_id AND resident_id = :resident_id) AS endorsed,
           EXISTS (SELECT 1 FROM follows WHERE item_id = :item_id AND resident_id = :resident_id) AS following
),
ins AS (
    INSERT INTO endorsements (item_id, resident_id, created_at)
    SELECT id, :resident_id, :now FROM item WHERE {ALLOWED}
    ON CONFLICT (item_id, resident_id) DO NOTHING
    RETURNING item_id
),
upd AS (
    UPDATE items AS i SET
        endorsement_count = i.endorsement_count + 1,
        status = CASE WHEN {CROSSING} THEN 'discussion' ELSE i.status END,
        stage_deadline = CASE WHEN {CROSSING}
            THEN CAST(:now AS timestamptz) + make_interval(days => i.discussion_days)
            ELSE i.stage_deadline END,
        updated_at = :now
    FROM ins WHERE i.id = ins.item_id
    RETURNING i.id, i.endorsement_count, i.endorsement_goal, i.status, i.stage_deadline, i.updated_at
),
crossed AS (
    SELECT * FROM upd WHERE status = 'discussion' AND endorsement_count = endorsement_goal
),
event AS (
    INSERT INTO status_events (item_id, from_status, to_status, actor, note, created_at)
    SELECT id, 'collecting', 'discussion', 'system',
           'threshold reached: ' || endorsement_goal || ' endorsements', :now FROM crossed
),
follow AS (
    INSERT INTO follows (item_id, resident_id, reason, created_at)
    SELECT item_id, :resident_id, 'endorsed', :now FROM ins
    ON CONFLICT (item_id, resident_id) DO NOTHING
)
SELECT item.*, before.endorsed AS endorsed_before, before.following AS following_before,
       EXISTS (SELECT 1 FROM ins) AS inserted, EXISTS (SELECT 1 FROM crossed) AS crossed,
       (SELECT endorsement_count FROM upd) AS new_count, (SELECT status FROM upd) AS new_status,
       (SELECT stage_deadline FROM upd) AS new_deadline
FROM item, before
""").columns(**TIMES, new_deadline=UTCDateTime())

SQLITE_BEFORE = text(f"""
SELECT {CARD_COLUMNS},
       EXISTS (SELECT 1 FROM endorsements WHERE item_id = :item_id AND resident_id = :resident_id) AS endorsed_before,
       EXISTS (SELECT 1 FROM follows WHERE item_id = :item_id AND resident_id = :resident_id) AS following_before
FROM items WHERE id = :item_id
""").columns(**TIMES)
SQLITE_INSERT = text(f"""
INSERT INTO endorsements (item_id, resident_id, created_at)
SELECT id, :resident_id, :now FROM items WHERE id = :item_id AND {ALLOWED}
ON CONFLICT (item_id, resident_id) DO NOTHING RETURNING item_id
""")
SQLITE_COUNT = text(f"""
UPDATE items AS i SET
    endorsement_count = i.endorsement_count + 1,
    status = CASE WHEN {CROSSING} THEN 'discussion' ELSE i.status END,
    stage_deadline = CASE WHEN {CROSSING} THEN :discussion_deadline ELSE i.stage_deadline END,
    updated_at = :now
WHERE i.id = :item_id
RETURNING endorsement_count, endorsement_goal, status, stage_deadline
""").columns(stage_deadline=UTCDateTime())
SQLITE_EVENT = text(
    "INSERT INTO status_events (item_id, from_status, to_status, actor, note, created_at) "
    "VALUES (:item_id, 'collecting', 'discussion', 'system', :note, :now)"
)
SQLITE_FOLLOW = text(
    "INSERT INTO follows (item_id, resident_id, reason, created_at) VALUES (:item_id, :resident_id, 'endorsed', :now) "
    "ON CONFLICT (item_id, resident_id) DO NOTHING"
)


def _sqlite_time(moment: dt.datetime) -> str:
    """SQLite keeps instants as naive UTC text (see storage.types.UTCDateTime)."""
    return moment.astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")


async def endorse_postgres(connection: AsyncConnection, item_id: int, resident_id: int, now: dt.datetime) -> dict | None:
    row = (await connection.execute(POSTGRES, {"item_id": item_id, "resident_id": resident_id, "now": now})).first()
    return dict(row._mapping) if row else None


async def endorse_sqlite(connection: AsyncConnection, item_id: int, resident_id: int, now: dt.datetime) -> dict | None:
    """The same rules in statements; the caller runs them in one BEGIN IMMEDIATE transaction."""
    params = {"item_id": item_id, "resident_id": resident_id, "now": _sqlite_time(now)}
    before: Row | None = (await connection.execute(SQLITE_BEFORE, params)).first()
    if before is None:
        return None
    result = dict(before._mapping) | {"inserted": False, "crossed": False, "new_count": None,
                                      "new_status": None, "new_deadline": None}
    if (await connection.execute(SQLITE_INSERT, params)).first() is None:
        return result
    deadline = now + dt.timedelta(days=before.discussion_days or 0)
    counted = (await connection.execute(
        SQLITE_COUNT, params | {"discussion_deadline": _sqlite_time(deadline)})).one()
    crossed = counted.status == "discussion" and counted.endorsement_count == counted.endorsement_goal
    if crossed:
        note = f"threshold reached: {counted.endorsement_goal} endorsements"
        await connection.execute(SQLITE_EVENT, params | {"note": note})
    await connection.execute(SQLITE_FOLLOW, params)
    return result | {"inserted": True, "crossed": crossed, "new_count": counted.endorsement_count,
                     "new_status": counted.status, "new_deadline": counted.stage_deadline}
