"""Fixed sets of values the bot, the database and the city's platform share.

Each set lives here once; models derive their CHECK constraints from it, handlers their
buttons, services their validation.
"""

from __future__ import annotations

from enum import StrEnum


class Language(StrEnum):
    KOREAN = "ko"
    ENGLISH = "en"


# In the order residents are offered them.
LANGUAGES: tuple[str, ...] = tuple(language.value for language in Language)


class Stance(StrEnum):
    SUPPORT = "support"
    OPPOSE = "oppose"
    NEUTRAL = "neutral"


class FollowReason(StrEnum):
    FILED = "filed"
    ENDORSED = "endorsed"
    DISCUSSED = "discussed"
    ASKED = "asked"


def sql_values(values: type[StrEnum] | tuple[str, ...]) -> str:
    """`'a', 'b'` for a CHECK constraint's IN list."""
    return ", ".join(f"'{value}'" for value in (v.value if isinstance(v, StrEnum) else v for v in values))
