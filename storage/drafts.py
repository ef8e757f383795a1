"""A filing in progress, as kept in the conversation state between steps."""

from __future__ import annotations

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
        required = ("kind", "category", "district", "title", "body", "anonymous")
        return [name for name in required if getattr(self, name) is None]


def check_title(text: str) -> str | None:
    """The cleaned title, or None when it is outside the allowed length."""
    cleaned = " ".join(text.split())
    return cleaned if rules.TITLE_MIN <= len(cleaned) <= rules.TITLE_MAX else None


def check_body(text: str) -> str | None:
    cleaned = text.strip()
    return cleaned if rules.BODY_MIN <= len(cleaned) <= rules.BODY_MAX else None
