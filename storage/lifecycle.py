"""Item kinds and statuses, and which moves between them are allowed.

This is the one place that knows the lifecycle; services and handlers ask it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the models build on this module
    from storage.models import Item


class Kind(StrEnum):
    COMPLAINT = "complaint"
    PROPOSAL = "proposal"


class Status(StrEnum):
    # complaints
    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    ANSWERED = "answered"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REOPENED = "reopened"
    # proposals
    COLLECTING = "collecting"
    DISCUSSION = "discussion"
    REVIEW = "review"
    COMMITTEE = "committee"
    PLANNED = "planned"
    POLICY = "policy"
    EXPIRED = "expired"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    HIDDEN = "hidden"


INITIAL_STATUS = {Kind.COMPLAINT: Status.RECEIVED, Kind.PROPOSAL: Status.COLLECTING}

TRANSITIONS: dict[Kind, dict[Status, frozenset[Status]]] = {
    Kind.COMPLAINT: {
        Status.RECEIVED: frozenset({Status.IN_PROGRESS, Status.ANSWERED, Status.CLOSED, Status.HIDDEN}),
        Status.IN_PROGRESS: frozenset({Status.ANSWERED, Status.CLOSED, Status.HIDDEN}),
        Status.ANSWERED: frozenset({Status.RESOLVED, Status.CLOSED, Status.REOPENED, Status.HIDDEN}),
        Status.REOPENED: frozenset({Status.IN_PROGRESS, Status.ANSWERED, Status.CLOSED, Status.HIDDEN}),
        Status.RESOLVED: frozenset({Status.REOPENED, Status.HIDDEN}),
        Status.CLOSED: frozenset({Status.REOPENED, Status.HIDDEN}),
        Status.HIDDEN: frozenset(),
    },
    Kind.PROPOSAL: {
        Status.COLLECTING: frozenset(
            {Status.DISCUSSION, Status.EXPIRED, Status.WITHDRAWN, Status.REJECTED, Status.HIDDEN}
        ),
        Status.DISCUSSION: frozenset({Status.REVIEW, Status.EXPIRED, Status.REJECTED, Status.HIDDEN}),
        Status.REVIEW: frozenset({Status.COMMITTEE, Status.REJECTED, Status.HIDDEN}),
        Status.COMMITTEE: frozenset({Status.PLANNED, Status.REJECTED, Status.HIDDEN}),
        Status.PLANNED: frozenset({Status.POLICY, Status.REJECTED, Status.HIDDEN}),
        Status.POLICY: frozenset({Status.HIDDEN}),
        Status.EXPIRED: frozenset({Status.HIDDEN}),
        Status.REJECTED: frozenset({Status.HIDDEN}),
        Status.WITHDRAWN: frozenset({Status.HIDDEN}),
        Status.HIDDEN: frozenset(),
    },
}

# Moves Sotong makes by itself outside the worker's sweep (storage/services/sweep.py has those).
GOAL_REACHED = (Status.COLLECTING, Status.DISCUSSION)  # the endorsement that reaches the goal
FILER_WITHDRAWS = (Status.COLLECTING, Status.WITHDRAWN)  # the filer withdraws their proposal
# Moderation: enough reports hide an item from any status; a moderator's Restore returns it
# to the status it had before (the hiding event's from_status), see `can_restore`.
HIDE = Status.HIDDEN

# Items that a new filing may duplicate: still being worked on or still gathering support.
OPEN_STATUSES = frozenset(
    {
        Status.RECEIVED,
        Status.IN_PROGRESS,
        Status.REOPENED,
        Status.COLLECTING,
        Status.DISCUSSION,
        Status.REVIEW,
        Status.COMMITTEE,
        Status.PLANNED,
    }
)

# Items the city still has to act on or decide: being worked on or gathering support, and an
# answered complaint until it is resolved or closed (its filer may still say it is not fixed).
# The statistics count these as open, and the Open311 API serves them as "open".
WITH_THE_CITY = OPEN_STATUSES | {Status.ANSWERED}

# Open311 GeoReport v2 knows two statuses: "open" (WITH_THE_CITY) and "closed" (resolved, or
# at an end of its way: closed, policy, expired, rejected, withdrawn). Every status but hidden
# (never served) has exactly one; docs/open311.md shows this table.
OPEN311_OPEN = "open"
OPEN311_CLOSED = "closed"
OPEN311_STATUS: dict[Status, str] = {
    status: OPEN311_OPEN if status in WITH_THE_CITY else OPEN311_CLOSED for status in Status if status != HIDE
}


def open311_statuses(open311_status: str) -> tuple[str, ...]:
    """Our statuses that Open311 calls `open311_status` ("open" or "closed")."""
    return tuple(status.value for status, mapped in OPEN311_STATUS.items() if mapped == open311_status)


# How the statistics (storage/services/statistics.py) count an item by its status now: open
# while the city still has to act or decide (an answered complaint too, until it is resolved
# or closed), resolved once the city has finished with it (fixed, closed, adopted as policy or
# turned down). Expired and withdrawn proposals ended without the city and count as neither;
# hidden items are left out of the statistics altogether.
STATISTICS_OPEN = WITH_THE_CITY
STATISTICS_RESOLVED = frozenset({Status.RESOLVED, Status.CLOSED, Status.POLICY, Status.REJECTED})
STATISTICS_LEFT_OUT = Status.HIDDEN

# Stages a proposal reaches only through its discussion.
AFTER_DISCUSSION = frozenset({Status.DISCUSSION, Status.REVIEW, Status.COMMITTEE, Status.PLANNED, Status.POLICY})

ALL_STATUSES = tuple(s.value for s in Status)
ALL_KINDS = tuple(k.value for k in Kind)


def has_discussion(item: Item) -> bool:
    """A proposal has a discussion to show once it reached one, and keeps it (with its
    comments) even if it later expired or was rejected."""
    return item.kind == Kind.PROPOSAL and (item.status in AFTER_DISCUSSION or item.participant_count > 0)


def can_move(kind: Kind | str, current: Status | str, target: Status | str) -> bool:
    return Status(target) in TRANSITIONS[Kind(kind)].get(Status(current), frozenset())


def can_restore(kind: Kind | str, target: Status | str) -> bool:
    """Restore leaves `hidden` for the status the item had when it was hidden, which is any
    status of its kind (the hiding event says which)."""
    return Status(target) != HIDE and Status(target) in TRANSITIONS[Kind(kind)]
