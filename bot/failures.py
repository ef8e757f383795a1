"""Conditions an operator can cause and fix: one line each, and an exit status of its own.

A supervisor can tell them apart: 2, 3 and 6 need the operator; 4, 5, 7 and 8 may pass by
themselves (a service still starting, a port still held, a network down), so restarting later can help.
"""

from __future__ import annotations

EXIT_BUG = 1  # Python's own status for an uncaught exception: a traceback, a real bug
EXIT_CONFIG = 2
EXIT_SCHEMA = 3
EXIT_DATABASE = 4
EXIT_REDIS = 5
EXIT_TOKEN_REJECTED = 6
EXIT_PORT_IN_USE = 7
EXIT_TELEGRAM_UNREACHABLE = 8
EXIT_INTERRUPTED = 130


class OperatorError(Exception):
    """A problem an operator can fix; its message is shown as one line, without a traceback."""

    exit_status = EXIT_CONFIG


class ConfigurationError(OperatorError):
    """A setting or the city file is wrong."""


class SchemaNotReady(OperatorError):
    exit_status = EXIT_SCHEMA


class DatabaseUnavailable(OperatorError):
    exit_status = EXIT_DATABASE


class RedisUnavailable(OperatorError):
    exit_status = EXIT_REDIS


class TokenRejected(OperatorError):
    exit_status = EXIT_TOKEN_REJECTED


class PortInUse(OperatorError):
    exit_status = EXIT_PORT_IN_USE


class TelegramUnreachable(OperatorError):
    """A one-shot command needed Telegram (e.g. the bot's name for a link) and could not reach it."""

    exit_status = EXIT_TELEGRAM_UNREACHABLE


def first_line(exc: BaseException) -> str:
    """The driver's own words, without SQLAlchemy's wrapping and background links."""
    cause = getattr(exc, "orig", None) or exc
    text = str(cause).strip() or type(cause).__name__
    return text.splitlines()[0]
