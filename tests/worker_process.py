"""`sotong worker` as a test runs it in a process of its own: the real CLI, with a stand-in
STATUS renderer registered while the product has none (bench/notify.py's plain_status)."""

from __future__ import annotations

import sys

from bench.notify import ensure_status_renderer
from bot.cli import main

if __name__ == "__main__":
    ensure_status_renderer()
    sys.exit(main())
