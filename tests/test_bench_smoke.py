"""The benchmark's endorse path still runs: a few updates through the dispatcher with the
mocked Bot API session, on both databases (timings are the benchmark's business, not CI's)."""

from __future__ import annotations

from bench.endorse import ITEMS, endorse_run


async def test_endorse_benchmark_path_stores_every_endorsement(database_url):
    count = ITEMS * 2  # two residents per item: with the real goal of 50 nothing crosses
    rate, latencies, stored = await endorse_run(database_url, count, in_flight=10)
    assert stored == count and len(latencies) == count and rate > 0
