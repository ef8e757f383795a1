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
import sqlite3

from sqlalchemy.ext.asyncio import AsyncConnection

CARD_COLUMNS = (
    "id, public_number, public_token, kind, category, district, title, body, status, resident_id, "
    "is_private, is_anonymous, endorsement_count, endorsement_goal, participant_count, "
    "participant_goal, discussion_days, stage_deadline, created_at, updated_at"
)
ALLOWED = (
    "kind = 'proposal' AND NOT is_private AND status = 'collecting' "
    "AND stage_deadline > :now AND resident_id <> :resident_id"
)
CROSSING = "i.status = 'collecting' AND i.endorsement_count + 1 >= i.endorsement_goal"

POSTGRES = f"""
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
"""
# asyncpg takes numbered parameters.
POSTGRES_NUMBERED = POSTGRES.replace(":item_id", "$1").replace(":resident_id", "$2").replace(":now", "$3")

SQLITE_BEFORE = f"""
SELECT {CARD_COLUMNS},
       EXISTS (SELECT 1 FROM endorsements WHERE item_id = :item_id AND resident_id = :resident_id) AS endorsed_before,
       EXISTS (SELECT 1 FROM follows WHERE item_id = :item_id AND resident_id = :resident_id) AS following_before
FROM items WHERE id = :item_id
"""
SQLITE_INSERT = f"""
INSERT INTO endorsements (item_id, resident_id, created_at)
SELECT id, :resident_id, :now FROM items WHERE id = :item_id AND {ALLOWED}
ON CONFLICT (item_id, resident_id) DO NOTHING RETURNING item_id
"""
SQLITE_COUNT = f"""
UPDATE items AS i SET
    endorsement_count = i.endorsement_count + 1,
    status = CASE WHEN {CROSSING} THEN 'discussion' ELSE i.status END,
    stage_deadline = CASE WHEN {CROSSING}
        THEN strftime('%Y-%m-%d %H:%M:%S', :now, '+' || i.discussion_days || ' days') || substr(:now, 20)
        ELSE i.stage_deadline END,
    updated_at = :now
WHERE i.id = :item_id
RETURNING {CARD_COLUMNS}
"""
SQLITE_EVENT = (
    "INSERT INTO status_events (item_id, from_status, to_status, actor, note, created_at) "
    "VALUES (:item_id, 'collecting', 'discussion', 'system', :note, :now)"
)
SQLITE_FOLLOW = (
    "INSERT INTO follows (item_id, resident_id, reason, created_at) VALUES (:item_id, :resident_id, 'endorsed', :now) "
    "ON CONFLICT (item_id, resident_id) DO NOTHING"
)
TIME_COLUMNS = ("stage_deadline", "created_at", "updated_at")


def _sqlite_time(moment: dt.datetime) -> str:
    """SQLite keeps instants as naive UTC text (see storage.types.UTCDateTime)."""
    return moment.astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")


def _parse_time(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC) if value else None


async def endorse_postgres(connection: AsyncConnection, item_id: int, resident_id: int, now: dt.datetime) -> dict | None:
    """One statement, sent straight to asyncpg (its prepared-statement cache included):
    on this path SQLAlchemy's per-statement work cost more than the round trip."""
    raw = await connection.get_raw_connection()
    row = await raw.driver_connection.fetchrow(POSTGRES_NUMBERED, item_id, resident_id, now)
    return dict(row) if row else None


async def endorse_sqlite(connection: AsyncConnection, item_id: int, resident_id: int, now: dt.datetime) -> dict | None:
    """Runs the whole transaction in one call on aiosqlite's worker thread.

    Each statement sent through the async driver costs a hop to that thread and back,
    and SQLite holds its write lock across all of them; one hop keeps the lock short.
    `_execute` is aiosqlite's own way to run a function on its thread (tested in CI).
    """
    raw = await connection.get_raw_connection()
    driver = raw.driver_connection
    row = await driver._execute(_endorse_sqlite_sync, driver._conn, item_id, resident_id, now)
    if row is not None:
        for key in (*TIME_COLUMNS, "new_deadline"):
            row[key] = _parse_time(row[key])
    return row


def _endorse_sqlite_sync(conn: sqlite3.Connection, item_id: int, resident_id: int, now: dt.datetime) -> dict | None:
    params = {"item_id": item_id, "resident_id": resident_id, "now": _sqlite_time(now)}
    conn.execute("BEGIN IMMEDIATE")
    try:
        row = _endorse_statements(conn, params)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return row


def _endorse_statements(conn: sqlite3.Connection, params: dict) -> dict | None:
    """The insert comes first: when it stores a row, the counting update returns the whole
    card and nothing else needs reading; only a refusal reads the item to say why."""
    if conn.execute(SQLITE_INSERT, params).fetchone() is None:
        before = _fetch_dict(conn.execute(SQLITE_BEFORE, params))
        if before is None:
            return None
        return before | {"inserted": False, "crossed": False, "new_count": None, "new_status": None,
                         "new_deadline": None}
    item = _fetch_dict(conn.execute(SQLITE_COUNT, params))
    crossed = item["status"] == "discussion" and item["endorsement_count"] == item["endorsement_goal"]
    if crossed:
        conn.execute(SQLITE_EVENT, params | {"note": f"threshold reached: {item['endorsement_goal']} endorsements"})
    conn.execute(SQLITE_FOLLOW, params)
    return item | {"inserted": True, "crossed": crossed, "new_count": item["endorsement_count"],
                   "new_status": item["status"], "new_deadline": item["stage_deadline"],
                   "endorsed_before": False, "following_before": True}


def _fetch_dict(cursor: sqlite3.Cursor) -> dict | None:
    row = cursor.fetchone()
    return None if row is None else dict(zip([c[0] for c in cursor.description], row, strict=True))
