"""The moves Sotong makes by itself are moves the lifecycle allows."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.lifecycle import FILER_WITHDRAWS, GOAL_REACHED, TRANSITIONS, Kind, Status, can_move
from storage.services import sweep
from storage.services.status import IllegalMove


def test_every_sweep_rule_is_an_allowed_move():
    for source, target, _condition, _note in sweep.RULES:
        assert can_move(Kind.PROPOSAL, source, target), f"{source} -> {target}"


async def test_sweep_refuses_a_rule_the_lifecycle_forbids(engine, clock, city, monkeypatch):
    from storage.database import create_session_factory

    monkeypatch.setattr(sweep, "RULES", ((Status.EXPIRED, Status.DISCUSSION, None, "not allowed"),))
    async with create_session_factory(engine)() as session:
        with pytest.raises(IllegalMove):
            await sweep.LifecycleSweep(session, clock, city).run()


def test_every_status_has_its_moves_listed():
    for kind, moves in TRANSITIONS.items():
        for targets in moves.values():
            assert targets <= set(moves), f"{kind}: a move leads to a status with no entry"


SCHEMA_DOC = Path(__file__).resolve().parent.parent / "docs" / "schema.md"


def _doc_section(heading: str) -> str:
    text = SCHEMA_DOC.read_text(encoding="utf-8")
    start = text.index(heading)
    end = text.find("\n## ", start + 1)
    return text[start:end if end > 0 else None]


def _table_rows(text: str) -> list[list[str]]:
    rows = [line.strip().strip("|").split("|") for line in text.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in row] for row in rows[2:]]  # past the header and its rule


def test_the_contract_lists_exactly_the_allowed_moves():
    """docs/schema.md's table of allowed moves is the lifecycle's, move for move."""
    section = _doc_section("## Statuses and the allowed moves")
    documented: dict[str, dict[str, set[str]]] = {}
    for kind, sources, targets in _table_rows(section.split("Moves Sotong makes itself")[0]):
        for source in sources.split(", "):
            documented.setdefault(kind, {})[source] = set(targets.split(", "))
    coded = {kind.value: {source.value: {t.value for t in targets} for source, targets in moves.items() if targets}
             for kind, moves in TRANSITIONS.items()}
    assert documented == coded


def test_the_moves_sotong_makes_itself_are_documented_and_allowed():
    section = _doc_section("## Statuses and the allowed moves").split("Moves Sotong makes itself")[1]
    documented = {tuple(row[0].split(" → ")) for row in _table_rows(section)}
    for source, target in documented:
        assert can_move(Kind.PROPOSAL, source, target), f"{source} → {target} is documented but not allowed"
    made = {(source.value, target.value) for source, target, _condition, _note in sweep.RULES}
    made |= {(source.value, target.value) for source, target in (GOAL_REACHED, FILER_WITHDRAWS)}
    assert made <= documented, f"undocumented: {made - documented}"
