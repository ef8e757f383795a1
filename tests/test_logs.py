"""The log's redaction (bot/logs.py), record by record: the bot's token and what a resident
typed never reach the log, also inside an exception's text."""

from __future__ import annotations

import io
import json
import logging

import pytest
from pydantic import BaseModel, ValidationError

from bot.logs import REDACTED, handler

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"  # the shape @BotFather hands out
TYPED = "가로등, input_type=str] 고장 &amp;\u200f"  # a resident's words (short: pydantic quotes them whole)


class Draft(BaseModel):
    district: int


def logged(json_lines: bool, emit) -> str:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    log = logging.getLogger("tests.logs")
    log.propagate, log.level = False, logging.INFO
    log.addHandler(sink := handler(json_lines=json_lines, secrets=[TOKEN], stream=out))
    try:
        emit(log)
    finally:
        log.removeHandler(sink)
    return out.getvalue()


def refused() -> ValidationError:
    try:
        Draft(district=TYPED)  # type: ignore[arg-type]
    except ValidationError as exc:
        return exc
    raise AssertionError("pydantic took it")


@pytest.mark.parametrize("json_lines", [False, True])
def test_a_validation_error_is_logged_without_the_value_it_refused(json_lines):
    def emit(log: logging.Logger) -> None:
        error = refused()
        log.warning("draft refused: %s", error)
        try:
            raise RuntimeError(f"while calling /bot{TOKEN}/sendMessage") from error
        except RuntimeError:
            log.exception("update failed")

    text = logged(json_lines, emit)
    if json_lines:
        entries = [json.loads(line) for line in text.splitlines()]
        assert len(entries) == 2 and "Traceback" in entries[1]["exception"]
    assert "가로등" not in text and "고장" not in text and TOKEN not in text
    assert f"input_value={REDACTED}, input_type=str]" in text  # what it was is still told: its type
    assert "validation error for Draft" in text and "district" in text and "int_parsing" in text


def test_other_text_is_left_as_it_is():
    text = logged(False, lambda log: log.info("item %s filed in %s", 42, "nam"))
    assert text.rstrip().endswith("item 42 filed in nam")
