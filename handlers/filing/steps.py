"""The order of the filing conversation, and where Back and Edit lead."""

from __future__ import annotations

from enum import StrEnum

from aiogram.fsm.state import State, StatesGroup

from storage.drafts import Draft
from storage.lifecycle import Kind


class Step(StrEnum):
    KIND = "kind"
    CATEGORY = "category"
    DISTRICT = "district"
    TITLE = "title"
    BODY = "body"
    PHOTOS = "photos"
    LOCATION = "location"
    ANONYMITY = "anonymity"
    PREVIEW = "preview"


class Filing(StatesGroup):
    kind = State()
    category = State()
    district = State()
    title = State()
    body = State()
    photos = State()
    location = State()
    anonymity = State()
    preview = State()


ORDER = tuple(Step)
STATE_OF = {step: getattr(Filing, step.value) for step in Step}
STEP_OF = {state.state: step for step, state in STATE_OF.items()}
# Fields a resident can change from the preview, each edited at its own step.
EDITABLE = (Step.KIND, Step.CATEGORY, Step.DISTRICT, Step.TITLE, Step.BODY, Step.PHOTOS,
            Step.LOCATION, Step.ANONYMITY)


def applies(step: Step, draft: Draft) -> bool:
    """The location step is offered for complaints only."""
    return step != Step.LOCATION or draft.kind == Kind.COMPLAINT


def following(step: Step, draft: Draft) -> Step:
    later = ORDER[ORDER.index(step) + 1 :]
    return next(s for s in later if applies(s, draft))


def preceding(step: Step, draft: Draft) -> Step | None:
    earlier = ORDER[: ORDER.index(step)]
    return next((s for s in reversed(earlier) if applies(s, draft)), None)
