"""Quoting resident text: escaped, within its room, cut only between whole characters."""

from __future__ import annotations

from html import unescape

from hypothesis import given, settings
from hypothesis import strategies as st

from fakeapi.htmltext import parse_html
from handlers.quote import fit, units

MARKER = "… (shortened)"
texts = st.text(st.one_of(st.sampled_from('&<>"\'😀가a \n'), st.characters(blacklist_categories=("Cs",))),
                max_size=300)


@settings(max_examples=300, derandomize=True)
@given(text=texts, limit=st.integers(len(MARKER) + 6, 400))
def test_a_quote_fits_parses_and_keeps_a_prefix(text: str, limit: int) -> None:
    quoted = fit(text, limit, MARKER)
    assert units(quoted) <= limit
    plain, entities = parse_html(quoted)  # no entity cut in half, no tag let through
    assert entities == [] and plain == unescape(quoted)
    if quoted.endswith(MARKER) and unescape(quoted) != text:
        assert text.startswith(plain[: -len(MARKER)].rstrip())
    else:
        assert plain == text


def test_text_that_fits_is_only_escaped() -> None:
    assert fit("Tom & <Jerry>", 23, MARKER) == "Tom &amp; &lt;Jerry&gt;"
    assert fit("&" * 10, 30, MARKER) == "&amp;" * 3 + MARKER  # 17 units left: three whole entities
