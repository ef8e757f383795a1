"""A filing in progress, as kept in the conversation state between steps."""

from __future__ import annotations

import unicodedata
import uuid

from pydantic import BaseModel, Field

from storage import rules
from storage.lifecycle import Kind


class Photo(BaseModel):
    file_id: str
    file_unique_id: str


class Draft(BaseModel):
    # Identifies this filing, so a double tap on Submit files it once.
    submission_key: str = Field(default_factory=lambda: str(uuid.uuid4()))
    kind: Kind | None = None
    category: str | None = None
    district: str | None = None
    title: str | None = None
    body: str | None = None
    photos: list[Photo] = Field(default_factory=list)
    latitude: float | None = None
    longitude: float | None = None
    anonymous: bool | None = None

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def add_photo(self, photo: Photo) -> bool:
        """Adds a photo unless the draft is full or already has it; says whether it did."""
        if len(self.photos) >= rules.MAX_PHOTOS:
            return False
        if any(p.file_unique_id == photo.file_unique_id for p in self.photos):
            return False
        self.photos.append(photo)
        return True

    def missing(self) -> list[str]:
        return [name for name in REQUIRED if getattr(self, name) is None]

    def complete(self) -> CompleteDraft | None:
        """The draft with every answer a filing needs, or None while one is missing."""
        return None if self.missing() else CompleteDraft.model_validate(self.model_dump())


class CompleteDraft(Draft):
    """A draft ready to be filed: the answers a filing needs are there."""

    kind: Kind
    category: str
    district: str
    title: str
    body: str
    anonymous: bool


REQUIRED = [name for name, field in CompleteDraft.model_fields.items() if field.is_required()]


def visible(text: str, keep: str = "") -> str:
    """`text` without control characters (NUL and the like: PostgreSQL refuses NUL, and no one
    can see the others), except those in `keep`."""
    return "".join(c for c in text if c in keep or unicodedata.category(c) != "Cc")


def clean_line(text: str) -> str:
    """One line: any run of whitespace (line breaks included) becomes one space."""
    spaced = "".join(" " if c.isspace() else c for c in text)
    return " ".join(visible(spaced).split())


def clean_lines(text: str) -> str:
    """Several lines: line breaks and tabs stay, other control characters go, ends are trimmed."""
    return visible(text, keep="\n\t").strip()


def check_title(text: str) -> str | None:
    """The cleaned title, or None when it is outside the allowed length."""
    cleaned = clean_line(text)
    return cleaned if rules.TITLE_MIN <= len(cleaned) <= rules.TITLE_MAX else None


def check_body(text: str) -> str | None:
    cleaned = clean_lines(text)
    return cleaned if rules.BODY_MIN <= len(cleaned) <= rules.BODY_MAX else None
