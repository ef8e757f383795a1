"""`sotong worker` as a test runs it in a process of its own: the real CLI, with a stand-in
STATUS renderer registered while the product has none (bench/notify.py's plain_status).
SOTONG_TEST_LEASE (seconds) shortens the outbox claims' lease, so that a test killing a worker
need not wait the product's 30 s for its rows."""

from __future__ import annotations

import dataclasses
import os
import sys

from bench.notify import ensure_status_renderer
from bot import outbox
from bot.cli import main

if __name__ == "__main__":
    ensure_status_renderer()
    if lease := os.environ.get("SOTONG_TEST_LEASE"):
        default = outbox.SendPolicy.of

        def shorter(rate: float, city: outbox.CityConfig, **overrides: object) -> outbox.SendPolicy:
            return dataclasses.replace(default(rate, city, **overrides), lease=float(lease))

        outbox.SendPolicy.of = shorter
    sys.exit(main())
