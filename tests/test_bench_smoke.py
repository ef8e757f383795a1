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


async def test_notify_benchmark_path_delivers_every_notification_within_the_limits(database_url):
    from bench.notify import notify_run

    run = await notify_run(database_url, followers=60, cap=50)
    assert run.queued == run.sent == 60  # one event, 60 followers, each told once
    assert run.throttles == 0 and run.busiest_second <= 50


async def test_broadcast_benchmark_path_queues_and_delivers_everyone_within_the_limits(database_url):
    from bench.broadcast import broadcast_run

    run = await broadcast_run(database_url, residents=100, cap=50, refusing_share=0.02)
    assert run.queued == 100 and run.refused == run.blocked == 2  # every 50th answers 403, and is marked blocked
    assert run.sent == 98  # everyone else told once
    assert run.throttles == 0 and run.busiest_second <= 50
