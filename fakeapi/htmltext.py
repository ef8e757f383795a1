"""Telegram-style HTML parse mode: HTML -> (plain text, MessageEntity list).

Offsets and lengths are counted in UTF-16 code units, like the Bot API.
Unsupported tags, unmatched and unclosed tags raise ``EntityParseError`` with
a message shaped like Telegram's ("Can't find end tag corresponding to ...").
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "code": "code",
    "pre": "pre",
    "tg-spoiler": "spoiler",
}
SPECIAL_TAGS = {"a", "span", "blockquote", "tg-emoji"}
# a "<" that does not open a tag (e.g. "a < b", "<3", "<!--") is an error in Telegram
_STRAY_LT = re.compile(r"<(?!/?[A-Za-z][A-Za-z0-9-]*[\s/>])([^\s>]*)")  # group 1: the would-be tag


class EntityParseError(ValueError):
    pass


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class _Parser(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        self.parts: list[str] = []
        self._utf16_pos = 0
        self.stack: list[tuple[str, int, dict]] = []
        self.entities: list[dict] = []

    # -- helpers -----------------------------------------------------------
    def _byte_offset(self) -> int:
        line, col = self.getpos()
        lines = self.source.split("\n")
        prefix = "\n".join(lines[: line - 1])
        if line > 1:
            prefix += "\n"
        prefix += lines[line - 1][:col] if line - 1 < len(lines) else ""
        return len(prefix.encode("utf-8"))

    def _entity_for(self, tag: str, attrs: dict) -> dict | None:
        if tag in SIMPLE_TAGS:
            if tag == "code" and self.stack and self.stack[-1][0] == "pre":
                return None  # <pre><code class="language-x"> is one pre entity
            return {"type": SIMPLE_TAGS[tag]}
        if tag == "a":
            return {"type": "text_link", "url": attrs.get("href") or ""}
        if tag == "span" and attrs.get("class") == "tg-spoiler":
            return {"type": "spoiler"}
        if tag == "blockquote":
            kind = "expandable_blockquote" if "expandable" in attrs else "blockquote"
            return {"type": kind}
        if tag == "tg-emoji":
            return {"type": "custom_emoji", "custom_emoji_id": attrs.get("emoji-id", "")}
        raise EntityParseError(
            f'Unsupported start tag "{tag}" at byte offset {self._byte_offset()}'
        )

    # -- HTMLParser callbacks ----------------------------------------------
    def handle_starttag(self, tag: str, attrs_list: list) -> None:
        if tag not in SIMPLE_TAGS and tag not in SPECIAL_TAGS:
            raise EntityParseError(
                f'Unsupported start tag "{tag}" at byte offset {self._byte_offset()}'
            )
        attrs = {k: (v if v is not None else "") for k, v in attrs_list}
        entity = self._entity_for(tag, attrs)
        if tag == "code" and entity is None and attrs.get("class", "").startswith("language-"):
            self.stack[-1][2]["language"] = attrs["class"][len("language-"):]
        self.stack.append((tag, self._utf16_pos, entity or {}))

    def handle_startendtag(self, tag: str, attrs_list: list) -> None:
        raise EntityParseError(
            f'Unsupported start tag "{tag}" at byte offset {self._byte_offset()}'
        )

    def handle_endtag(self, tag: str) -> None:
        if not self.stack:
            raise EntityParseError(f"Unexpected end tag at byte offset {self._byte_offset()}")
        open_tag, start, entity = self.stack.pop()
        if open_tag != tag:
            raise EntityParseError(
                f"Unmatched end tag at byte offset {self._byte_offset()}, "
                f'expected "</{open_tag}>", found "</{tag}>"'
            )
        length = self._utf16_pos - start
        if entity and length > 0:
            self.entities.append({**entity, "offset": start, "length": length})

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
        self._utf16_pos += utf16_len(data)


def parse_html(source: str) -> tuple[str, list[dict]]:
    """Return (plain text, entities sorted by offset)."""
    stray = _STRAY_LT.search(source)
    if stray:
        tag = stray.group(1)
        offset = len(source[: stray.start()].encode("utf-8"))
        raise EntityParseError(f'Unsupported start tag "{tag}" at byte offset {offset}')
    parser = _Parser(source)
    parser.feed(source)
    parser.close()
    if parser.stack:
        raise EntityParseError(
            f'Can\'t find end tag corresponding to start tag "{parser.stack[-1][0]}"'
        )
    entities = sorted(parser.entities, key=lambda e: (e["offset"], -e["length"]))
    return "".join(parser.parts), entities
