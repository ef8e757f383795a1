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


# Bidirectional embeddings, overrides and isolates: one left open in a title turns around
# everything the bot writes after it on the same line (the card, an official's push, the city's
# platform). Telegram's apps lay out right-to-left text without them; the marks (U+200E, U+200F,
# U+061C), which act on no text but their own position, stay.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# What shows nothing by itself: spaces, format characters (zero-width ones, marks), combining marks.
UNSEEN = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Mn", "Me"})


def visible(text: str, keep: str = "") -> str:
    """`text` without control characters (NUL and the like: PostgreSQL refuses NUL, and no one
    can see the others) and bidirectional controls, except those in `keep`."""
    return "".join(c for c in text if c in keep or unicodedata.category(c) != "Cc" and c not in BIDI_CONTROLS)


def shows_something(text: str) -> bool:
    return any(unicodedata.category(c) not in UNSEEN for c in text)


def clean_line(text: str) -> str:
    """One line: any run of whitespace (line breaks included) becomes one space. A text of only
    zero-width, format or combining characters is empty: it would show as nothing."""
    spaced = "".join(" " if c.isspace() else c for c in text)
    cleaned = " ".join(visible(spaced).split())
    return cleaned if shows_something(cleaned) else ""


def clean_lines(text: str) -> str:
    """Several lines: line breaks and tabs stay, other control characters go, ends are trimmed;
    empty when nothing in it shows."""
    cleaned = visible(text, keep="\n\t").strip()
    return cleaned if shows_something(cleaned) else ""


def check_title(text: str) -> str | None:
    """The cleaned title, or None when it is outside the allowed length."""
    cleaned = clean_line(text)
    return cleaned if rules.TITLE_MIN <= len(cleaned) <= rules.TITLE_MAX else None


def check_body(text: str) -> str | None:
    cleaned = clean_lines(text)
    return cleaned if rules.BODY_MIN <= len(cleaned) <= rules.BODY_MAX else None
