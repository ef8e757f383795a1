"""The benchmark measures the real endorse path: a few updates through the dispatcher with
the mocked Bot API session, on both databases, each storing its endorsement and counting it
(timings are the benchmark's business, not CI's)."""

from __future__ import annotations

from bench.endorse import ITEMS, endorse_run


async def test_endorse_benchmark_path_stores_and_counts_every_endorsement(database_url):
    count = ITEMS * 2  # two residents per item: with the real goal of 50 nothing crosses
    run = await endorse_run(database_url, count, in_flight=10)
    assert len(run.latencies) == count
    assert run.stored == count  # each update stored its endorsement (none refused, none lost)
    assert run.counted == run.stored  # and counted it on the item
