"""Every text exists in Korean and English, with the same placeholders."""

from __future__ import annotations

import ast as pyast
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


def _code_strings() -> tuple[set[str], set[str]]:
    """Every plain string in the bot's code that looks like a text key, and the fixed
    part of every f-string that builds one (`f"status-{item.status}"` gives "status-")."""
    families = {key.split("-")[0] for key in _messages("en")}
    literal, built = set(), set()
    for folder in ("bot", "handlers", "storage"):
        for path in (LOCALES.parent / folder).rglob("*.py"):
            for node in ast_walk(path):
                if isinstance(node, pyast.Constant) and isinstance(node.value, str) and KEY.fullmatch(node.value):
                    if node.value.split("-")[0] in families:
                        literal.add(node.value)
                elif isinstance(node, pyast.JoinedStr) and node.values:
                    head = node.values[0]
                    if isinstance(head, pyast.Constant) and PREFIX.fullmatch(str(head.value)):
                        built.add(str(head.value))
    return literal, built


def ast_walk(path: Path):  # type: ignore[no-untyped-def]
    return pyast.walk(pyast.parse(path.read_text(encoding="utf-8")))


KEY = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)+")
PREFIX = re.compile(r"[a-z][a-z0-9-]*-")


def _built_families() -> dict[str, tuple[str, ...]]:
    """Every key the code builds from a value: the prefix and all the values it can take."""
    from bot.commands import COMMANDS
    from handlers.browse import FIELDS
    from handlers.filing.steps import EDITABLE
    from handlers.moderation.callbacks import Choice
    from storage.lifecycle import Kind, Status
    from storage.services.browse import Sort
    from storage.services.reports import ReportOutcome
    from storage.vocabulary import LANGUAGES, ModerationDecision, NotifyScope, ReportReason, Stance

    return {
        "command-": COMMANDS,
        "language-name-": LANGUAGES,
        "status-": tuple(Status),
        "kind-": tuple(Kind),
        "browse-choose-": FIELDS,
        "browse-filter-": FIELDS,
        "browse-sort-": tuple(Sort),
        "stance-": tuple(Stance),
        "stance-button-": tuple(Stance),
        "filing-edit-": tuple(EDITABLE),
        "settings-notify-": tuple(NotifyScope),
        "report-reason-": tuple(ReportReason),
        "report-": tuple(ReportOutcome),
        "moderation-btn-": tuple(Choice),
        "moderation-decision-": tuple(ModerationDecision),
        "moderated-": ("review", "restored", "kept"),
    }


def test_every_key_written_in_code_exists():
    literal, _ = _code_strings()
    assert len(literal) > 100, "the scan found too few keys: is it still reading the code?"
    for language in LANGUAGES:
        assert sorted(literal - set(_messages(language))) == [], language


def test_every_key_built_in_code_exists():
    _, built = _code_strings()
    families = _built_families()
    assert sorted(built - set(families)) == [], "a key built from a value: list its values in _built_families"
    for language in LANGUAGES:
        defined = set(_messages(language))
        missing = [prefix + str(value) for prefix in built for value in families[prefix]
                   if prefix + str(value) not in defined]
        assert missing == [], language
