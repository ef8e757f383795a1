"""Charts as PNG bytes (polls, statistics), drawn with matplotlib's object API (no pyplot:
no global figure state, safe beside the event loop).

Hangul needs a font with Korean glyphs, and a fresh machine has none: the NanumGothic file
comes with the Python dependencies (the koreanize-matplotlib wheel). It is located through
the package's installed file list, without importing the package (which would change
matplotlib's global settings).
"""

from __future__ import annotations

import functools
import io
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

import matplotlib
from matplotlib import font_manager
from matplotlib.figure import Figure

FONT_DISTRIBUTION = "koreanize-matplotlib"
FONT_FILE = "koreanize_matplotlib/fonts/NanumGothic.ttf"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# matplotlib's settings are global: one chart at a time, so that charts drawn in threads
# (asyncio.to_thread, to keep the event loop free) never see each other's settings.
_drawing = threading.Lock()


class ChartFontMissing(RuntimeError):
    pass


@functools.cache
def korean_font() -> str:
    """Registers the Korean font with matplotlib once; returns its family name."""
    try:
        path = Path(str(distribution(FONT_DISTRIBUTION).locate_file(FONT_FILE)))
    except PackageNotFoundError as exc:
        raise ChartFontMissing(f"install {FONT_DISTRIBUTION} (a project dependency) for Korean chart labels") from exc
    if not path.is_file():
        raise ChartFontMissing(f"{path} is missing: reinstall {FONT_DISTRIBUTION}")
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


@contextmanager
def chart_style() -> Iterator[None]:
    """matplotlib settings for our charts: the Korean font first, DejaVu Sans for the rest."""
    with matplotlib.rc_context({"font.family": [korean_font(), "DejaVu Sans"], "axes.unicode_minus": False,
                                "figure.dpi": 100, "savefig.dpi": 100}):
        yield


def render_png(draw: Callable[[Figure], None], width: float = 8.0, height: float = 5.0) -> bytes:
    """Draws a figure of `width`×`height` inches with `draw` and returns it as PNG bytes."""
    with _drawing, chart_style():
        figure = Figure(figsize=(width, height), layout="constrained")
        draw(figure)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
    return buffer.getvalue()
