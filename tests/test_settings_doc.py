"""README.md's tables name every setting the processes read (SOTONG_<field>), and no other."""

from __future__ import annotations

import re
from pathlib import Path

from bot.settings import Settings

README = Path(__file__).resolve().parent.parent / "README.md"


def documented() -> set[str]:
    rows = [line for line in README.read_text(encoding="utf-8").splitlines() if line.startswith("| `SOTONG_")]
    return {name for row in rows for name in re.findall(r"`(SOTONG_[A-Z_]+)`", row.split(" | ")[0])}


def test_every_setting_is_in_the_readme_and_nothing_else():
    prefix = Settings.model_config.get("env_prefix", "")
    assert prefix == "SOTONG_"
    settings = {prefix + name.upper() for name in Settings.model_fields}
    assert documented() == settings
