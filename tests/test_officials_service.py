"""Officials' actions against real databases: the role is read at the action, each action is
one transaction, and what residents and admins must hear of is written with it."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import text

from storage.database import create_session_factory
from storage.lifecycle import Status
from storage.models import Assignment, Item
from storage.repositories.officials import OfficialsRepository
from storage.services import status
from storage.services.assignments import AssignmentService
from storage.services.officials import OfficialActions, Outcome, status_targets
from storage.services.reminders import remind_overdue
from storage.vocabulary import Role
from tests.test_participation_service import _proposal, _residents
from tests.test_routing_service import _complaint, _official

T0 = dt.datetime(2026, 3, 2, 0, 0, tzinfo=dt.UTC)


async def _rows(engine, query, **params):
    async with engine.connect() as connection:
        return [tuple(row) for row in (await connection.execute(text(query), params)).all()]


async def _assignment(engine, item_id, department):
    rows = await _rows(engine, "SELECT id FROM assignments WHERE item_id = :i AND department = :d",
                       i=item_id, d=department)
    return rows[0][0]


async def _act(factory, city, method, *args):
    async with factory() as session:
        return await getattr(OfficialActions(session, city), method)(*args)


async def _snapshot(engine):
    return [await _rows(engine, f"SELECT * FROM {table} ORDER BY 1")
            for table in ("assignments", "answers", "status_events", "items", "outbox")]


async def test_the_role_is_read_at_the_action(engine, city):
    factory = create_session_factory(engine)
    water = await _official(factory, 9001, "water")
    buk = await _official(factory, 9002, "buk_office")
    (filer,) = await _residents(factory, 1)
    item = await _complaint(factory, city, filer)
    water_assignment = await _assignment(engine, item.id, "water")
    before = await _snapshot(engine)
    # Another department's official, the filer, and an official whose role was revoked: all refused.
    for who in (buk.id, filer.id):
        assert await _act(factory, city, "acknowledge", water_assignment, who, T0) is Outcome.FORBIDDEN
        assert await _act(factory, city, "answer", water_assignment, who, "We are on it.", T0) is Outcome.FORBIDDEN
        assert await _act(factory, city, "transfer", water_assignment, who, "civil", "Theirs.", T0) is Outcome.FORBIDDEN
        assert await _act(factory, city, "decline", water_assignment, who, "Not ours.", T0) is Outcome.FORBIDDEN
        assert await _act(factory, city, "set_status", water_assignment, who, "in_progress", None, T0) is Outcome.FORBIDDEN
    # A resident without any role learns nothing about which assignment ids exist.
    assert await _act(factory, city, "acknowledge", 999_999, filer.id, T0) is Outcome.FORBIDDEN
    assert await _act(factory, city, "acknowledge", 999_999, water.id, T0) is Outcome.GONE
    async with factory() as session:
        await OfficialsRepository(session).revoke(water.id, Role.OFFICIAL, "water")
        await session.commit()
    assert await _act(factory, city, "acknowledge", water_assignment, water.id, T0) is Outcome.FORBIDDEN
    assert await _snapshot(engine) == before


async def test_acknowledge_then_answer_moves_a_complaint_to_answered(engine, city):
    factory = create_session_factory(engine)
    water = await _official(factory, 9001, "water")
    (filer,) = await _residents(factory, 1)
    item = await _complaint(factory, city, filer)
    assignment = await _assignment(engine, item.id, "water")
    assert await _act(factory, city, "acknowledge", assignment, water.id, T0) is Outcome.DONE
    assert await _act(factory, city, "acknowledge", assignment, water.id, T0) is Outcome.ALREADY
    assert await _act(factory, city, "answer", assignment, water.id, "   ", T0) is Outcome.INVALID
    later = T0 + dt.timedelta(hours=2)
    assert await _act(factory, city, "answer", assignment, water.id, "Crews are on site.", later) is Outcome.DONE
    assert await _act(factory, city, "answer", assignment, water.id, "Fixed by 6 pm.", later + dt.timedelta(hours=1)) \
        is Outcome.DONE
    async with factory() as session:
        row = await session.get(Assignment, assignment)
    assert (row.state, row.acknowledged_at, row.answered_at) == ("answered", T0, later)  # the first answer's time
    assert await _rows(engine, "SELECT author, department, resident_id, body FROM answers ORDER BY id") == [
        ("department", "water", water.id, "Crews are on site."), ("department", "water", water.id, "Fixed by 6 pm.")]
    assert await _rows(engine, "SELECT status FROM items") == [("answered",)]
    assert await _rows(engine, "SELECT from_status, to_status, actor FROM status_events WHERE from_status IS NOT NULL") \
        == [("received", "answered", "department:water")]


async def test_transfer_gives_the_target_its_assignment_and_push(engine, city):
    factory = create_session_factory(engine)
    water = await _official(factory, 9001, "water")
    civil = await _official(factory, 9003, "civil")
    (filer,) = await _residents(factory, 1)
    item = await _complaint(factory, city, filer)
    assignment = await _assignment(engine, item.id, "water")
    assert await _act(factory, city, "transfer", assignment, water.id, "atlantis", "x", T0) is Outcome.INVALID
    assert await _act(factory, city, "transfer", assignment, water.id, "buk_office", "x", T0) is Outcome.ALREADY
    assert await _act(factory, city, "transfer", assignment, water.id, "civil", "Sewer, not mains.", T0) is Outcome.DONE
    assert await _rows(engine, "SELECT department, state, transferred_from, note, closed_at IS NOT NULL "
                               "FROM assignments ORDER BY id") == [
        ("water", "transferred", None, "Sewer, not mains.", True), ("buk_office", "new", None, None, False),
        ("civil", "new", "water", "Sewer, not mains.", False)]
    pushes = await _rows(engine, "SELECT chat_id FROM outbox WHERE kind = 'assignment' AND resident_id = :r", r=civil.id)
    assert pushes == [(civil.telegram_id,)]
    # The button on the old push is stale now.
    assert await _act(factory, city, "answer", assignment, water.id, "Late answer", T0) is Outcome.CLOSED


async def test_a_private_item_is_never_transferred(engine, city):
    factory = create_session_factory(engine)
    audit = await _official(factory, 9004, "audit")
    (filer,) = await _residents(factory, 1)
    item = await _complaint(factory, city, filer, category="officials")
    assignment = await _assignment(engine, item.id, "audit")
    assert await _act(factory, city, "transfer", assignment, audit.id, "civil", "x", T0) is Outcome.PRIVATE
    assert await _rows(engine, "SELECT department, state FROM assignments") == [("audit", "new")]


async def test_not_ours_on_the_last_department_tells_the_admins(engine, city):
    factory = create_session_factory(engine)
    water = await _official(factory, 9001, "water")
    buk = await _official(factory, 9002, "buk_office")
    admin, _ = await _residents(factory, 2, start=500)
    async with factory() as session:
        await OfficialsRepository(session).grant(admin.id, Role.ADMIN, None, "test")
        await session.commit()
    (filer,) = await _residents(factory, 1)
    item = await _complaint(factory, city, filer)
    assert await _act(factory, city, "decline", await _assignment(engine, item.id, "water"), water.id,
                      "Private pipe.", T0) is Outcome.DONE
    assert await _rows(engine, "SELECT resident_id FROM outbox WHERE kind = 'admin'") == []
    assert await _act(factory, city, "decline", await _assignment(engine, item.id, "buk_office"), buk.id,
                      "Not a district matter.", T0) is Outcome.DONE
    told = await _rows(engine, "SELECT resident_id, args FROM outbox WHERE kind = 'admin'")
    assert [row[0] for row in told] == [admin.id]
    args = told[0][1] if isinstance(told[0][1], dict) else json.loads(told[0][1])
    assert args["key"] == "officials-admin-no-department" and args["number"] == item.public_number
    assert await _rows(engine, "SELECT state, note FROM assignments ORDER BY id") == [
        ("declined", "Private pipe."), ("declined", "Not a district matter.")]


async def test_set_status_only_along_allowed_moves(engine, city):
    factory = create_session_factory(engine)
    water = await _official(factory, 9001, "water")
    (filer,) = await _residents(factory, 1)
    item = await _complaint(factory, city, filer)
    assignment = await _assignment(engine, item.id, "water")
    assert status_targets("complaint", "received") == (Status.IN_PROGRESS, Status.ANSWERED, Status.CLOSED)
    assert status_targets("complaint", "resolved") == ()  # reopening is the filer's, through Sotong
    for forbidden in ("resolved", "reopened", "hidden", "committee", "nonsense"):
        assert await _act(factory, city, "set_status", assignment, water.id, forbidden, None, T0) is Outcome.NOT_ALLOWED
    assert await _act(factory, city, "set_status", assignment, water.id, "in_progress", "Crew sent.", T0) is Outcome.DONE
    assert await _act(factory, city, "set_status", assignment, water.id, "in_progress", None, T0) is Outcome.NOT_ALLOWED
    assert await _act(factory, city, "set_status", assignment, water.id, "answered", None, T0) is Outcome.DONE
    assert await _act(factory, city, "set_status", assignment, water.id, "resolved", None, T0) is Outcome.DONE
    assert await _rows(engine, "SELECT from_status, to_status, note FROM status_events WHERE from_status IS NOT NULL "
                               "ORDER BY id") == [
        ("received", "in_progress", "Crew sent."), ("in_progress", "answered", None), ("answered", "resolved", None)]


async def test_a_proposal_in_review_moves_through_the_official_stages(engine, city):
    factory = create_session_factory(engine)
    policy = await _official(factory, 9005, "policy")
    (filer,) = await _residents(factory, 1)
    item = await _proposal(factory, city, filer)
    async with factory() as session:
        for source, target in (("collecting", "discussion"), ("discussion", "review")):
            await status.move(session, item.id, "proposal", source, target, "test")
        await session.commit()
        loaded = await session.get(Item, item.id)
        await AssignmentService(session, city).route(loaded, T0)
        await session.commit()
    assignment = await _assignment(engine, item.id, "policy")
    assert status_targets("proposal", "review") == (Status.COMMITTEE, Status.REJECTED)
    assert await _act(factory, city, "set_status", assignment, policy.id, "policy", None, T0) is Outcome.NOT_ALLOWED
    assert await _act(factory, city, "set_status", assignment, policy.id, "committee", "To the May committee.", T0) \
        is Outcome.DONE
    assert await _rows(engine, "SELECT status FROM items") == [("committee",)]
    # A proposal's answer does not move it: its stages are the officials' to set.
    assert await _act(factory, city, "answer", assignment, policy.id, "We will report back.", T0) is Outcome.DONE
    assert await _rows(engine, "SELECT status FROM items") == [("committee",)]


async def test_inbox_order_and_daily_reminders(engine, city):
    factory = create_session_factory(engine)
    water = await _official(factory, 9001, "water")
    (filer,) = await _residents(factory, 1)
    first = await _complaint(factory, city, filer)
    second = await _complaint(factory, city, filer)
    third = await _complaint(factory, city, filer)
    ids = [await _assignment(engine, i.id, "water") for i in (first, second, third)]
    async with engine.begin() as connection:  # the first is overdue; the third was acknowledged
        await connection.execute(text("UPDATE assignments SET due_at = :due WHERE id = :a"),
                                 {"due": T0 - dt.timedelta(days=1), "a": ids[0]})
        await connection.execute(text("UPDATE assignments SET due_at = :due WHERE id IN (:b, :c)"),
                                 {"due": T0 + dt.timedelta(days=1), "b": ids[1], "c": ids[2]})
    assert await _act(factory, city, "acknowledge", ids[1], water.id, T0) is Outcome.DONE
    inbox = await _act(factory, city, "inbox", water.id, 0, T0)
    assert [e.assignment_id for e in inbox.entries] == [ids[0], ids[2], ids[1]]
    assert [e.overdue for e in inbox.entries] == [True, False, False]

    assert await remind_overdue(factory, city, lambda: T0 - dt.timedelta(minutes=1)) == 0  # 08:59 in Gwangju

    def clock():
        return T0  # 09:00 in Gwangju: the city file's reminder_hour

    assert await remind_overdue(factory, city, clock) == 1
    assert await remind_overdue(factory, city, clock) == 0  # once per department and local day
    rows = await _rows(engine, "SELECT chat_id, dedupe_key FROM outbox WHERE kind = 'reminder'")
    assert rows == [(water.telegram_id, f"reminder:water:2026-03-02:{water.id}")]
