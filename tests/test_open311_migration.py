"""Migration 0007 on a database in use: every row survives (SQLite rebuilds the items table, which
would cascade into its photos, timeline and the rest with foreign keys on), old items are the
bot's, the CHECK holds exactly one filer, and going back removes only the API's items."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from storage.database import create_engine
from storage.migrate import downgrade, upgrade

CHILDREN = ("attachments", "status_events", "follows", "assignments", "answers", "endorsements")
NOW = "'2026-11-01 00:00:00'"


async def counts(engine) -> dict[str, int]:  # type: ignore[no-untyped-def]
    async with engine.connect() as connection:
        return {table: (await connection.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one()
                for table in ("items", *CHILDREN)}


async def test_rows_survive_and_the_filer_is_checked(database_url):
    engine = create_engine(database_url)
    try:
        await upgrade(engine, "0005")
        async with engine.begin() as connection:
            for statement in [
                f"INSERT INTO residents (id, telegram_id, language, full_name, blocked, notify, created_at, updated_at) "
                f"VALUES (1, 11, 'ko', 'A', false, 'all', {NOW}, {NOW}), (2, 12, 'en', 'B', false, 'all', {NOW}, {NOW})",
                "INSERT INTO items (public_number, public_token, kind, category, district, title, body, is_anonymous,"
                " is_private, status, resident_id, endorsement_count, participant_count, submission_key, created_at,"
                f" updated_at) VALUES ('GJ-2026-000001', 't1', 'proposal', 'roads', 'buk', 'Title', 'A body text',"
                f" false, false, 'collecting', 1, 1, 0, 'k1', {NOW}, {NOW})",
                f"INSERT INTO attachments (item_id, kind, file_id, file_unique_id, position, created_at) "
                f"VALUES (1, 'photo', 'f', 'u', 0, {NOW})",
                f"INSERT INTO status_events (item_id, to_status, actor, created_at) VALUES (1, 'collecting', 'resident:1', {NOW})",
                f"INSERT INTO follows (item_id, resident_id, reason, created_at) VALUES (1, 1, 'filed', {NOW})",
                f"INSERT INTO assignments (item_id, department, state, received_at, due_at, updated_at) "
                f"VALUES (1, 'policy', 'new', {NOW}, {NOW}, {NOW})",
                f"INSERT INTO answers (item_id, department, author, body, created_at) VALUES (1, 'policy', 'department', 'ok', {NOW})",
                f"INSERT INTO endorsements (item_id, resident_id, created_at) VALUES (1, 2, {NOW})",
            ]:
                await connection.execute(text(statement))
        before = await counts(engine)
        assert set(before.values()) == {1}
        await upgrade(engine)
        assert await counts(engine) == before
        async with engine.connect() as connection:
            row = (await connection.execute(text("SELECT channel, api_client, address, resident_id FROM items"))).one()
            assert tuple(row) == ("telegram", None, None, 1)
            if engine.dialect.name == "sqlite":  # enforced again on the connection that migrated
                assert (await connection.execute(text("PRAGMA foreign_keys"))).scalar_one() == 1

        insert = ("INSERT INTO items (public_number, public_token, kind, category, district, title, body, is_anonymous,"
                  " is_private, status, resident_id, channel, api_client, endorsement_count, participant_count,"
                  " submission_key, created_at, updated_at) VALUES (:n, :n, 'complaint', 'roads', 'buk', 'Title',"
                  f" 'A body text', true, false, 'received', :resident, :channel, :client, 0, 0, :n, {NOW}, {NOW})")
        async with engine.begin() as connection:
            await connection.execute(text(insert), {"n": "api", "resident": None, "channel": "open311", "client": "web"})
        for n, (resident, channel, client) in enumerate([(None, "telegram", None), (1, "open311", "web"),
                                                         (None, "open311", None), (1, "telegram", "web"),
                                                         (1, "email", None)]):
            with pytest.raises(IntegrityError):
                async with engine.begin() as connection:
                    await connection.execute(text(insert), {"n": f"bad{n}", "resident": resident, "channel": channel,
                                                            "client": client})

        await downgrade(engine, "0005")
        assert await counts(engine) == before  # the API's item went; the bot's stayed with all it had
    finally:
        await engine.dispose()

