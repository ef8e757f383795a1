"""Status events the city's platform inserts with plain SQL reach the residents, also when
their transactions commit out of id order (a sequence hands out ids at INSERT, visibility
comes at COMMIT): the worker looks for rows not yet notified, not for ids above the last one."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from storage.database import create_engine
from tests.outbox import deliver
from tests.test_city_loop_e2e import file_water_complaint

EVENT = ("INSERT INTO status_events (item_id, from_status, to_status, actor, note, created_at) "
         "VALUES (:item, :source, :target, 'platform:kim', :note, now()) RETURNING id")


@pytest.mark.parametrize("harness", ["postgres"], indirect=True)
async def test_an_event_committed_after_a_later_id_is_still_delivered(harness):
    filer = harness.fake.user(701, first_name="Ara", language_code="ko")
    await file_water_complaint(filer)
    (item,) = await harness.sql("SELECT id FROM items")
    engine = create_engine(harness.settings.database_url)
    try:
        async with engine.connect() as early, engine.connect() as late:
            early_tx = await early.begin()
            first = (await early.execute(text(EVENT), dict(item=item["id"], source="received", target="in_progress",
                                                           note="crew assigned"))).scalar()
            async with late.begin():
                second = (await late.execute(text(EVENT), dict(item=item["id"], source="in_progress",
                                                               target="answered", note="valve replaced"))).scalar()
            assert first < second  # the earlier id is still uncommitted while the later one is visible
            await deliver(harness)
            await filer.expect("valve replaced", timeout=10)
            await early_tx.commit()
        await deliver(harness)
        await filer.expect("crew assigned", timeout=10)
    finally:
        await engine.dispose()
    rows = await harness.sql("SELECT dedupe_key FROM outbox WHERE kind = 'status' ORDER BY id")
    assert [r["dedupe_key"] for r in rows] == [f"status:{second}:1", f"status:{first}:1"]
    await deliver(harness)  # nothing twice
    assert len(await harness.sql("SELECT id FROM outbox WHERE kind = 'status'")) == 2
