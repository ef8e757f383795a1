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
