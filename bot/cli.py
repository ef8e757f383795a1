"""The `sotong` command: run, migrate, check-config (and more as the product grows)."""

from __future__ import annotations

import argparse
import asyncio
import errno
import logging
import sys
from collections.abc import Callable

from pydantic import ValidationError

from bot.failures import EXIT_INTERRUPTED, ConfigurationError, OperatorError, PortInUse
from bot.settings import Settings, require_token
from storage.city import CityConfig, CityConfigError, load_city_config
from storage.vocabulary import LANGUAGES

log = logging.getLogger("sotong")


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        lines = [f"SOTONG_{'_'.join(map(str, e['loc'])).upper()}: {e['msg'].removeprefix('Value error, ')}"
                 for e in exc.errors()]
        raise ConfigurationError("\n".join(lines)) from None


def _city(settings: Settings) -> CityConfig:
    try:
        return load_city_config(settings.city_config)
    except CityConfigError as exc:
        raise ConfigurationError(f"SOTONG_CITY_CONFIG: {exc}") from None


def cmd_run(_args: argparse.Namespace, settings: Settings) -> None:
    from bot.app import create_application
    from bot.runner import run_polling

    app = create_application(settings, _city(settings))
    asyncio.run(run_polling(app))


def cmd_migrate(_args: argparse.Namespace, settings: Settings) -> None:
    from bot.startup import migrate, safe_url
    from storage.database import create_engine

    async def run() -> tuple[str | None, str | None]:
        engine = create_engine(settings.database_url)
        try:
            return await migrate(engine)
        finally:
            await engine.dispose()

    before, after = asyncio.run(run())
    where = safe_url(settings.database_url)
    if before == after:
        print(f"database is up to date at revision {after}: {where}")
    else:
        print(f"database migrated from {f'revision {before}' if before else 'no schema'} to revision {after}: {where}")


def cmd_worker(args: argparse.Namespace, settings: Settings) -> None:
    from bot.outbox import SendPolicy, create_sender, sending_bot
    from bot.startup import ensure_schema
    from bot.worker import run_once, run_worker
    from storage.database import create_engine, create_session_factory

    token = require_token(settings)  # it sends the outbox's messages
    city = _city(settings)

    async def work() -> None:
        engine = create_engine(settings.database_url)
        try:
            await ensure_schema(engine, auto_migrate=settings.auto_migrate)
            factory = create_session_factory(engine)
            sender = await create_sender(factory, city, sending_bot(token, settings.telegram_api_url),
                                         settings.default_locale, policy=SendPolicy(rate=settings.send_rate))
            if args.once:
                done = await run_once(factory, city, sender=sender)
                print(f"moved {done['lifecycle sweep']} item(s), fanned out {done['notifications']} "
                      f"event(s) or answer(s), sent {done['sent']} message(s)")
            else:
                await run_worker(factory, city, interval=args.interval, sender=sender)
        finally:
            await engine.dispose()

    asyncio.run(work())


def _worker_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--once", action="store_true",
                        help="one pass of every job, send what is due, then exit")
    parser.add_argument("--interval", type=float, default=60.0,
                        help="seconds between lifecycle sweeps (default 60)")


def cmd_check_config(_args: argparse.Namespace, settings: Settings) -> None:
    city = _city(settings)
    token = "not set (needed by `sotong run` and `sotong worker`)"
    if settings.bot_token is not None:
        require_token(settings)
        token = "well-formed"
    print(
        f"{settings.city_config}: OK — {city.city.name_en}, {len(city.districts)} districts, "
        f"{len(city.categories)} categories, prefix {city.city.number_prefix}, "
        f"boundaries {city.city.boundaries or 'none (nearest centre)'}; SOTONG_BOT_TOKEN {token}"
    )


def cmd_console(args: argparse.Namespace, settings: Settings) -> None:
    logging.getLogger().setLevel(logging.WARNING)  # the chat, not the bot's info logs
    from console import run_console

    asyncio.run(run_console(settings, sys.stdin, sys.stdout, language=args.language,
                            database_url=args.database_url, redis_url=args.redis_url))


def _console_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Chat with the real bot (same handlers and database as `sotong run`) in this terminal, "
        "as residents, through a local fake Telegram: no token and no network needed. Bot "
        "messages are printed with numbered buttons; type a number to press one. /as N switches "
        "resident, /console-help lists the console's commands, /quit leaves. It also reads a "
        "script from stdin, waiting after each line until the bot is quiet. It keeps its data in "
        "a temporary SQLite database, deleted on exit, with drafts in memory: "
        "SOTONG_DATABASE_URL and SOTONG_REDIS_URL are ignored, so it never writes into a "
        "city's real database unless given --database-url.")
    parser.epilog = "example: printf '/start\\n2\\n/quit\\n' | sotong console --language en"
    parser.add_argument("--language", choices=LANGUAGES, default=None,
                        help="the resident's Telegram language (default: SOTONG_DEFAULT_LOCALE)")
    parser.add_argument("--database-url", default=None, metavar="URL",
                        help="play in this database instead of a throwaway one (its worker sweeps "
                             "it too); migrations are applied unless SOTONG_AUTO_MIGRATE=false")
    parser.add_argument("--redis-url", default=None, metavar="URL",
                        help="keep drafts in this Redis instead of in memory")


# The commands that take options of their own.
ARGUMENTS: dict[str, Callable[[argparse.ArgumentParser], None]] = {
    "worker": _worker_arguments,
    "console": _console_arguments,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sotong",
        description="Sotong: the Telegram channel of a city's citizen-participation platform.",
        epilog="Settings come from SOTONG_* environment variables or a .env file; see README.md.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands = {
        "run": (cmd_run, "run the bot with long polling (applies pending migrations first "
                         "unless SOTONG_AUTO_MIGRATE=false)"),
        "migrate": (cmd_migrate, "apply pending database migrations and exit"),
        "check-config": (cmd_check_config, "validate the settings and the city file, then exit"),
        "console": (cmd_console, "chat with the real bot in this terminal through a local fake "
                                 "Telegram (no token, no network)"),
        "worker": (cmd_worker, "move proposals whose endorsement window or discussion has ended, "
                               "queue notifications of status changes and answers, and send the "
                               "outbox within Telegram's limits (needs SOTONG_BOT_TOKEN); run one"),
    }
    for name, (func, help_text) in commands.items():
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(func=func)
        if name in ARGUMENTS:
            ARGUMENTS[name](command)
    return parser


def configure_logging(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", force=True)
    if level != "DEBUG":  # Alembic's start-up lines; `sotong migrate` says from which revision to which
        logging.getLogger("alembic").setLevel(logging.WARNING)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = _settings()
        configure_logging(settings.log_level)
        args.func(args, settings)
    except OperatorError as exc:
        log.debug("details", exc_info=True)
        print(f"sotong: {exc}", file=sys.stderr)
        return exc.exit_status
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        failure = PortInUse(f"a port is already in use ({exc.strerror}): stop the other program or choose another port")
        print(f"sotong: {failure}", file=sys.stderr)
        return failure.exit_status
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    return 0


if __name__ == "__main__":
    sys.exit(main())
