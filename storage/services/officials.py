"""What an official does with an item routed to their department.

Every action is one transaction, ended before the method returns. It re-reads the
assignment and checks the role in the database at that moment (a button shown earlier
proves nothing), changes the assignment with a conditional UPDATE (so two officials pressing
at once cannot both act on it), and writes what residents must hear of (answers, status
events) for the Notifier to fan out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, case, func, literal, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.city import CityConfig
from storage.drafts import clean_lines
from storage.lifecycle import TRANSITIONS, Kind, Status
from storage.models import Answer, Assignment, Item, Resident, stored_id, table_of
from storage.repositories.officials import OfficialsRepository
from storage.repositories.outbox import Notice, enqueue
from storage.rules import ANSWER_MAX, INBOX_PAGE, NOTE_MAX
from storage.services import status
from storage.services.assignments import AssignmentService, push_args
from storage.vocabulary import (
    ACTIVE_ASSIGNMENT_STATES,
    OPEN_ASSIGNMENT_STATES,
    AnswerAuthor,
    AssignmentState,
    NoticeKind,
    Role,
)

assignments = table_of(Assignment)
answers = table_of(Answer)
items = table_of(Item)

# The stages an official may set; the lifecycle decides which of them the item can reach now.
# Never hidden (moderation's) and never reopened (the filer's "not fixed", through Sotong).
OFFICIAL_TARGETS: dict[str, tuple[Status, ...]] = {
    Kind.COMPLAINT: (Status.IN_PROGRESS, Status.ANSWERED, Status.RESOLVED, Status.CLOSED),
    Kind.PROPOSAL: (Status.COMMITTEE, Status.PLANNED, Status.POLICY, Status.REJECTED),
}
# A department's answer moves a complaint from these to answered.
ANSWERABLE = (Status.RECEIVED, Status.IN_PROGRESS, Status.REOPENED)
THREAD_SHOWN = 4  # the last messages of an item's thread in the official's view
ADMIN_NO_DEPARTMENT = "officials-admin-no-department"


class Outcome(StrEnum):
    DONE = "done"
    FORBIDDEN = "forbidden"      # no official role of the assignment's department, now
    GONE = "gone"                # no such assignment
    CLOSED = "closed"            # transferred or declined already: the button is stale
    ALREADY = "already"          # acknowledged twice; transferred to a department that has it
    NOT_ALLOWED = "not_allowed"  # a stage the lifecycle does not allow from the current one
    PRIVATE = "private"          # a private item never leaves the department the city file names
    INVALID = "invalid"          # empty or too long text, unknown department


@dataclass(frozen=True)
class ThreadEntry:
    author: str
    department: str
    body: str
    created_at: dt.datetime


@dataclass(frozen=True)
class OfficialView:
    """An assignment as its department's official sees it: the push's content and more."""

    args: dict[str, Any]  # as push_args gives them
    state: str
    status: str
    kind: str
    private: bool
    thread: list[ThreadEntry]
    thread_total: int
    targets: tuple[Status, ...]  # the stages the official may set now


@dataclass(frozen=True)
class InboxEntry:
    assignment_id: int
    number: str
    title: str
    department: str
    state: str
    overdue: bool


@dataclass(frozen=True)
class Inbox:
    entries: list[InboxEntry]
    total: int
    page: int
    pages: int


def status_targets(kind: str, current: str) -> tuple[Status, ...]:
    """The stages an official may move an item to from `current`, in lifecycle order."""
    allowed = TRANSITIONS[Kind(kind)].get(Status(current), frozenset())
    return tuple(s for s in OFFICIAL_TARGETS[kind] if s in allowed)


def clean_text(text: str | None, limit: int) -> str | None:
    """The typed text cleaned as residents' are (control characters dropped, trimmed), or None
    when empty or longer than `limit`."""
    cleaned = clean_lines(text or "")
    return cleaned if 0 < len(cleaned) <= limit else None


class OfficialActions:
    def __init__(self, session: AsyncSession, city: CityConfig) -> None:
        self.session = session
        self.city = city
        self.officials = OfficialsRepository(session)

    # -- reading ---------------------------------------------------------------------------
    async def is_official(self, resident_id: int) -> bool:
        found = (await self.officials.grants_of(resident_id)).answers_for_a_department
        await self.session.rollback()
        return found

    async def view(self, assignment_id: int, resident_id: int) -> OfficialView | Outcome:
        checked = await self._checked(assignment_id, resident_id)
        if isinstance(checked, Outcome):
            await self.session.rollback()
            return checked
        assignment, item = checked
        filer = None if item.is_anonymous or item.resident_id is None else await self._name(item.resident_id)
        thread, total = await self._thread(stored_id(item))
        view = OfficialView(push_args(item, assignment, filer, item.status == Status.REOPENED), assignment.state,
                            item.status, item.kind, item.is_private, thread, total, status_targets(item.kind, item.status))
        await self.session.rollback()
        return view

    async def inbox(self, resident_id: int, page: int, now: dt.datetime) -> Inbox:
        """Open assignments of every department the resident serves: overdue first, then not
        yet acknowledged, then the rest; the earliest due first within each."""
        departments = await self.officials.departments_of(resident_id)
        where = and_(assignments.c.department.in_(departments), assignments.c.state.in_(OPEN_ASSIGNMENT_STATES))
        total = (await self._execute(select(func.count()).select_from(assignments).where(where))).scalar_one()
        pages = max(1, -(-total // INBOX_PAGE))
        page = min(page, pages - 1)
        overdue = assignments.c.due_at < now
        statement = (
            select(assignments.c.id, assignments.c.department, assignments.c.state, assignments.c.due_at,
                   items.c.public_number, items.c.title)
            .join(items, items.c.id == assignments.c.item_id).where(where)
            .order_by(case((overdue, 0), else_=1), case((assignments.c.state == AssignmentState.NEW, 0), else_=1),
                      assignments.c.due_at, assignments.c.id)
            .offset(page * INBOX_PAGE).limit(INBOX_PAGE))
        rows = (await self._execute(statement)).all()
        await self.session.rollback()
        entries = [InboxEntry(r.id, r.public_number, r.title, r.department, r.state, r.due_at < now) for r in rows]
        return Inbox(entries, total, page, pages)

    # -- acting ----------------------------------------------------------------------------
    async def acknowledge(self, assignment_id: int, resident_id: int, now: dt.datetime) -> Outcome:
        return await self._finish(await self._acknowledge(assignment_id, resident_id, now))

    async def _acknowledge(self, assignment_id: int, resident_id: int, now: dt.datetime) -> Outcome:
        checked = await self._checked(assignment_id, resident_id)
        if isinstance(checked, Outcome):
            return checked
        moved = await self._set_state(assignment_id, (AssignmentState.NEW,), AssignmentState.ACKNOWLEDGED, now,
                                      acknowledged_at=now)
        return Outcome.DONE if moved else await self._why_not(assignment_id)

    async def answer(self, assignment_id: int, resident_id: int, body: str, now: dt.datetime) -> Outcome:
        """The department's answer on the item's thread; a complaint not yet answered moves to
        answered. The Notifier tells the filer and the followers."""
        return await self._finish(await self._answer(assignment_id, resident_id, body, now))

    async def _answer(self, assignment_id: int, resident_id: int, body: str, now: dt.datetime) -> Outcome:
        checked = await self._checked_with_text(assignment_id, resident_id, body, ANSWER_MAX)
        if isinstance(checked, Outcome):
            return checked
        text, assignment, item = checked
        answered_at = func.coalesce(assignments.c.answered_at, literal(now, assignments.c.answered_at.type))
        if not await self._set_state(assignment_id, ACTIVE_ASSIGNMENT_STATES, AssignmentState.ANSWERED, now,
                                     answered_at=answered_at):
            return await self._why_not(assignment_id)
        await self._execute(answers.insert().values(
            item_id=stored_id(item), department=assignment.department, author=AnswerAuthor.DEPARTMENT.value,
            resident_id=resident_id, body=text, created_at=now))
        if item.kind == Kind.COMPLAINT and item.status in ANSWERABLE:
            await status.move(self.session, stored_id(item), item.kind, item.status, Status.ANSWERED,
                              self._actor(assignment), now=now)
        return Outcome.DONE

    async def transfer(self, assignment_id: int, resident_id: int, target: str, note: str,
                       now: dt.datetime) -> Outcome:
        """Hands the item to another department, which gets its own assignment and push."""
        return await self._finish(await self._transfer(assignment_id, resident_id, target, note, now))

    async def _transfer(self, assignment_id: int, resident_id: int, target: str, note: str,
                        now: dt.datetime) -> Outcome:
        department = self.city.department(target)
        if department is None:
            return Outcome.INVALID
        checked = await self._checked_with_text(assignment_id, resident_id, note, NOTE_MAX)
        if isinstance(checked, Outcome):
            return checked
        text, assignment, item = checked
        if item.is_private:
            return Outcome.PRIVATE
        if target == assignment.department:
            return Outcome.ALREADY
        if not await self._set_state(assignment_id, ACTIVE_ASSIGNMENT_STATES, AssignmentState.TRANSFERRED, now,
                                     closed_at=now, note=text):
            return await self._why_not(assignment_id)
        made = await AssignmentService(self.session, self.city).assign(
            item, department, now, transferred_from=assignment.department, note=text)
        return Outcome.DONE if made is not None else Outcome.ALREADY

    async def decline(self, assignment_id: int, resident_id: int, reason: str, now: dt.datetime) -> Outcome:
        """"Not ours": closes this department's assignment; when no department is left on the
        item, every admin is told."""
        return await self._finish(await self._decline(assignment_id, resident_id, reason, now))

    async def _decline(self, assignment_id: int, resident_id: int, reason: str, now: dt.datetime) -> Outcome:
        checked = await self._checked_with_text(assignment_id, resident_id, reason, NOTE_MAX)
        if isinstance(checked, Outcome):
            return checked
        text, assignment, item = checked
        # The item's row lock orders two departments declining at once: the later one counts
        # after the earlier committed, so the last to leave is the one that tells the admins.
        await self._execute(select(items.c.id).where(items.c.id == stored_id(item)).with_for_update())
        if not await self._set_state(assignment_id, ACTIVE_ASSIGNMENT_STATES, AssignmentState.DECLINED, now,
                                     closed_at=now, note=text):
            return await self._why_not(assignment_id)
        left = (await self._execute(select(func.count()).select_from(assignments).where(
            assignments.c.item_id == stored_id(item),
            assignments.c.state.in_(ACTIVE_ASSIGNMENT_STATES)))).scalar_one()
        if left == 0:
            await self._tell_admins(item, assignment, text, now)
        return Outcome.DONE

    async def set_status(self, assignment_id: int, resident_id: int, target: str, note: str | None,
                         now: dt.datetime) -> Outcome:
        """Moves the item along a move the lifecycle allows from where it is now, with a note
        residents read on the card's timeline."""
        return await self._finish(await self._set_status(assignment_id, resident_id, target, note, now))

    async def _set_status(self, assignment_id: int, resident_id: int, target: str, note: str | None,
                          now: dt.datetime) -> Outcome:
        text = None if note is None else clean_text(note, NOTE_MAX)
        if note is not None and text is None:
            return Outcome.INVALID
        checked = await self._checked(assignment_id, resident_id)
        if isinstance(checked, Outcome):
            return checked
        assignment, item = checked
        if assignment.state not in ACTIVE_ASSIGNMENT_STATES:
            return Outcome.CLOSED
        if target not in status_targets(item.kind, item.status):
            return Outcome.NOT_ALLOWED
        moved = await status.move(self.session, stored_id(item), item.kind, item.status, target,
                                  self._actor(assignment), note=text, now=now)
        return Outcome.DONE if moved else Outcome.NOT_ALLOWED

    # -- the steps every action shares ------------------------------------------------------
    async def _checked_with_text(self, assignment_id: int, resident_id: int, raw: str, limit: int,
                                 ) -> tuple[str, Assignment, Item] | Outcome:
        """The official's typed text, cleaned and within `limit`, with what `_checked` gives."""
        text = clean_text(raw, limit)
        if text is None:
            return Outcome.INVALID
        checked = await self._checked(assignment_id, resident_id)
        return checked if isinstance(checked, Outcome) else (text, *checked)

    async def _checked(self, assignment_id: int, resident_id: int) -> tuple[Assignment, Item] | Outcome:
        """The assignment and its item as they are now, if this resident may act on them now."""
        assignment = await self.session.get(Assignment, assignment_id, populate_existing=True)
        if assignment is None:  # a resident without any role learns nothing about which ids exist
            return Outcome.GONE if await self.officials.departments_of(resident_id) else Outcome.FORBIDDEN
        if not await self.officials.has_role(resident_id, Role.OFFICIAL, assignment.department):
            return Outcome.FORBIDDEN
        item = await self.session.get(Item, assignment.item_id, populate_existing=True)
        if item is None:
            return Outcome.GONE
        return assignment, item

    async def _set_state(self, assignment_id: int, sources: tuple[str, ...], target: AssignmentState,
                         now: dt.datetime, **values: Any) -> bool:
        statement = (update(assignments)
                     .where(assignments.c.id == assignment_id, assignments.c.state.in_(sources))
                     .values(state=target.value, updated_at=now, **values).returning(assignments.c.id))
        return (await self._execute(statement)).first() is not None

    async def _why_not(self, assignment_id: int) -> Outcome:
        state = (await self._execute(select(assignments.c.state).where(assignments.c.id == assignment_id))).scalar()
        return Outcome.ALREADY if state in ACTIVE_ASSIGNMENT_STATES else Outcome.CLOSED

    async def _finish(self, outcome: Outcome) -> Outcome:
        if outcome is Outcome.DONE:
            await self.session.commit()
        else:
            await self.session.rollback()
        return outcome

    async def _tell_admins(self, item: Item, assignment: Assignment, reason: str, now: dt.datetime) -> None:
        args = {"key": ADMIN_NO_DEPARTMENT, "number": item.public_number, "title": item.title,
                "department": assignment.department, "reason": reason}
        admins = [a for a in await self.officials.holders(Role.ADMIN) if not a.blocked]
        await enqueue(self.session, [
            Notice.to(admin, NoticeKind.ADMIN, args, f"no-department:{stored_id(assignment)}:{stored_id(admin)}")
            for admin in admins], now)

    async def _thread(self, item_id: int) -> tuple[list[ThreadEntry], int]:
        where = answers.c.item_id == item_id
        total = (await self._execute(select(func.count()).select_from(answers).where(where))).scalar_one()
        rows = (await self._execute(
            select(answers.c.author, answers.c.department, answers.c.body, answers.c.created_at)
            .where(where).order_by(answers.c.created_at.desc(), answers.c.id.desc()).limit(THREAD_SHOWN))).all()
        return [ThreadEntry(r.author, r.department, r.body, r.created_at) for r in reversed(rows)], total

    async def _name(self, resident_id: int) -> str | None:
        resident = await self.session.get(Resident, resident_id)
        return resident.full_name if resident else None

    @staticmethod
    def _actor(assignment: Assignment) -> str:
        return f"department:{assignment.department}"

    async def _execute(self, statement: Any) -> Any:
        return await (await self.session.connection()).execute(statement)
