"""The Open311 benchmark's path, small: it fills PostgreSQL with generate_series, serves the real
app over HTTP and every timed read answers 200 with requests in it (timings are the
benchmark's business, not CI's)."""

from __future__ import annotations

from bench.open311 import open311_run
from tests.backends import POSTGRES_URL, postgres_database


async def test_open311_benchmark_reads_pages_of_public_requests():
    async with postgres_database():  # skips, or fails under SOTONG_TEST_REQUIRE_SERVICES, without PostgreSQL
        pass
    run = await open311_run(POSTGRES_URL, items=3000, runs=2, stats=False)
    results = {read.name: read.results for read in run.reads}
    assert all(len(read.timings) == 2 for read in run.reads)
    assert 0 < results["GET /requests.json (last 90 days)"] == results["GET /requests.xml (last 90 days)"] <= 1000
    assert results["GET /requests.json?service_request_id=(200)"] == 200
    assert results["GET /requests/{id}.json"] == 1
    assert results["  of which the service (SQL and mapping)"] == results["GET /requests.json (last 90 days)"]
