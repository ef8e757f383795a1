"""The progress message's counts and time left, and the worker's job that queues its edits: one
edit per change of state or counts, none while nothing changes, none an hour after the end."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from storage.audience import Audience
from storage.database import create_session_factory
from storage.models import OutboxMessage, Resident
from storage.repositories import broadcast_progress, delivery
from storage.repositories.broadcasts import Progress
from storage.services.broadcast_progress import TOLD_FOR, ProgressReport, ProgressService, estimate, report_progress
from storage.services.broadcasts import BroadcastService
from storage.vocabulary import BroadcastState


def test_the_time_left_is_what_is_pending_at_the_recent_pace():
    thirty = dt.timedelta(seconds=30)
    assert estimate("sending", pending=100, sent_lately=30, age=dt.timedelta(minutes=5)) == 100  # 1 a second
    assert estimate("sending", pending=100, sent_lately=50, age=dt.timedelta(seconds=10)) == 20  # a young one
    assert estimate("sending", pending=100, sent_lately=0, age=thirty) is None  # no pace yet
    assert estimate("sending", pending=0, sent_lately=0, age=thirty) == 0
    assert estimate("paused", pending=100, sent_lately=30, age=thirty) is None


def test_a_report_travels_as_a_notices_args():
    report = ProgressReport(7, "paused", Progress(total=10, sent=3, failed=1, blocked=1, pending=5, cancelled=0), None)
    args = report.args(message_id=42)
    assert args["message"] == 42 and ProgressReport.of_args(args) == report
    assert report.dedupe_key() == "progress:7:paused:3:1:1:5:0"


async def test_edits_are_queued_once_per_change(engine, city, clock):
    factory = create_session_factory(engine)
    async with factory() as session:
        author = Resident(telegram_id=1, language="en")
        session.add_all([author, *(Resident(telegram_id=100 + n, language="ko", district="nam") for n in range(3))])
        await session.commit()
        broadcast = await BroadcastService(session, city, clock).announce(
            None, {"ko": "단수 안내"}, Audience(districts=("nam",)), progress_chat_id=1)
        broadcast_id = broadcast.id
        assert broadcast_id is not None
    assert await report_progress(factory, city, clock) == 0  # no progress message yet: nothing to edit

    async with factory() as session:
        await ProgressService(session, clock).remember_message(broadcast_id, 1, 77)
    assert await report_progress(factory, city, clock) == 1
    assert await report_progress(factory, city, clock) == 0  # nothing changed

    async with factory() as session:
        rows = (await session.execute(select(OutboxMessage.id).where(  # type: ignore[call-overload]
            OutboxMessage.broadcast_id == broadcast_id).order_by(OutboxMessage.id))).scalars().all()
        await delivery.mark_sent(session, [rows[0]], clock())
    clock.advance(seconds=2)
    assert await report_progress(factory, city, clock) == 1
    async with factory() as session:
        report = await ProgressService(session, clock).report(broadcast_id)
        assert report is not None and (report.progress.sent, report.progress.pending) == (1, 2)
        assert report.seconds_left == 4  # one sent in the broadcast's 2 seconds: 2 left take 4 s

        await BroadcastService(session, city, clock).control_as_operator(broadcast_id, BroadcastState.CANCELLED)
    assert await report_progress(factory, city, clock) == 1  # the end, with its counts
    clock.advance(hours=2)
    assert await report_progress(factory, city, clock) == 0
    async with factory() as session:  # long over: not even looked at any more
        assert await broadcast_progress.watched(session, clock() - TOLD_FOR) == []
    async with factory() as session:
        notices = (await session.execute(select(OutboxMessage.args, OutboxMessage.chat_id).where(  # type: ignore[call-overload]
            OutboxMessage.kind == "broadcast_progress").order_by(OutboxMessage.id))).all()
    assert [(args["state"], args["sent"], args["pending"], args["cancelled"], args["message"], chat)
            for args, chat in notices] == [("sending", 0, 3, 0, 77, 1), ("sending", 1, 2, 0, 77, 1),
                                           ("cancelled", 1, 0, 2, 77, 1)]
