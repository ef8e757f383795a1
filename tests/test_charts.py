"""The chart base: Hangul renders with the font that comes with the Python dependencies."""

from __future__ import annotations

import warnings

from matplotlib.figure import Figure

from bot.charts import PNG_SIGNATURE, korean_font, render_png


def draw_korean(figure: Figure) -> None:
    axes = figure.add_subplot()
    axes.barh(["동구", "서구", "광산구"], [3, 5, 2])
    axes.set_title("구별 참여 현황 — by district")


def test_korean_labels_render_without_missing_glyphs() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s)"
        png = render_png(draw_korean)
    assert png.startswith(PNG_SIGNATURE)
    assert 5_000 < len(png) < 2_000_000


def test_the_font_is_the_packaged_one() -> None:
    assert korean_font() == "NanumGothic"
