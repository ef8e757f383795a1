"""The moves Sotong makes by itself are moves the lifecycle allows."""

from __future__ import annotations

import pytest

from storage.lifecycle import TRANSITIONS, Kind, Status, can_move
from storage.services import sweep
from storage.services.status import IllegalMove


def test_every_sweep_rule_is_an_allowed_move():
    for source, target, _condition, _note in sweep.RULES:
        assert can_move(Kind.PROPOSAL, source, target), f"{source} -> {target}"


async def test_sweep_refuses_a_rule_the_lifecycle_forbids(engine, clock, monkeypatch):
    from storage.database import create_session_factory

    monkeypatch.setattr(sweep, "RULES", ((Status.EXPIRED, Status.DISCUSSION, None, "not allowed"),))
    async with create_session_factory(engine)() as session:
        with pytest.raises(IllegalMove):
            await sweep.LifecycleSweep(session, clock).run()


def test_every_status_has_its_moves_listed():
    for kind, moves in TRANSITIONS.items():
        for targets in moves.values():
            assert targets <= set(moves), f"{kind}: a move leads to a status with no entry"
