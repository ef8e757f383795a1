"""How alike two titles are, for "this may already have been filed" suggestions.

Character bigrams work for Korean, which does not split words the way English does.
"""

from __future__ import annotations

import re

_NOISE = re.compile(r"[\W_]+", re.UNICODE)


def _bigrams(text: str) -> set[str]:
    compact = _NOISE.sub("", text.lower())
    if len(compact) < 2:
        return {compact} if compact else set()
    return {compact[i : i + 2] for i in range(len(compact) - 1)}


def title_similarity(a: str, b: str) -> float:
    """Dice coefficient of character bigrams, 0 (nothing shared) to 1 (the same)."""
    first, second = _bigrams(a), _bigrams(b)
    if not first or not second:
        return 0.0
    return 2 * len(first & second) / (len(first) + len(second))
