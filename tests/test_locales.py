"""Every text exists in Korean and English, with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

from fluent.syntax import FluentParser, ast
from fluent.syntax.visitor import Visitor

LOCALES = Path(__file__).resolve().parent.parent / "locales"
LANGUAGES = ("ko", "en")


def _messages(language: str) -> dict[str, set[str]]:
    """Message id -> the variables it uses, over all .ftl files of a language."""
    found: dict[str, set[str]] = {}
    for path in sorted((LOCALES / language).rglob("*.ftl")):
        resource = FluentParser().parse(path.read_text(encoding="utf-8"))
        junk = [entry for entry in resource.body if isinstance(entry, ast.Junk)]
        assert not junk, f"{path}: syntax error near {junk[0].content[:60]!r}"
        for entry in resource.body:
            if isinstance(entry, ast.Message):
                assert entry.id.name not in found, f"{path}: {entry.id.name} defined twice"
                found[entry.id.name] = _variables(entry)
    return found


def _variables(message: ast.Message) -> set[str]:
    names: set[str] = set()

    class Collect(Visitor):
        def visit_VariableReference(self, node):  # noqa: N802
            names.add(node.id.name)

    Collect().visit(message)
    return names


def test_same_keys_in_every_language():
    ko, en = _messages("ko"), _messages("en")
    assert sorted(set(ko) - set(en)) == [], "only in Korean"
    assert sorted(set(en) - set(ko)) == [], "only in English"


def test_same_placeholders_in_every_language():
    ko, en = _messages("ko"), _messages("en")
    differing = {key: (ko[key], en[key]) for key in ko if ko[key] != en.get(key)}
    assert differing == {}


def test_every_key_used_in_code_exists():
    """Keys written literally in the code (i18n.get("...")) must be defined."""
    root = LOCALES.parent
    defined = set(_messages("en"))
    pattern = re.compile(
        r"""(?:i18n\.get|core\.get|LazyFilter|_button)\((?:builder,\s*)?\s*["']([a-z][a-z0-9-]+)["']"""
    )
    used = set()
    for folder in ("bot", "handlers", "storage"):
        for path in (root / folder).rglob("*.py"):
            used.update(pattern.findall(path.read_text(encoding="utf-8")))
    assert sorted(used - defined) == []
