"""The `sotong` command: run, migrate, check-config (and more as the product grows)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from pydantic import ValidationError

from bot.settings import ConfigurationError, Settings
from storage.city import CityConfigError, load_city_config

EXIT_CONFIG = 2


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        lines = [f"  SOTONG_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors()]
        raise ConfigurationError("invalid settings:\n" + "\n".join(lines)) from None


def cmd_run(_args: argparse.Namespace) -> None:
    from bot.app import create_application
    from bot.runner import run_polling

    settings = _settings()
    app = create_application(settings)
    asyncio.run(run_polling(app))


def cmd_migrate(_args: argparse.Namespace) -> None:
    from storage.database import create_engine
    from storage.migrate import upgrade

    settings = _settings()

    async def migrate() -> None:
        engine = create_engine(settings.database_url)
        try:
            await upgrade(engine)
        finally:
            await engine.dispose()

    asyncio.run(migrate())
    print(f"database is up to date: {_safe_url(settings.database_url)}")


def cmd_check_config(_args: argparse.Namespace) -> None:
    settings = _settings()
    city = load_city_config(settings.city_config)
    print(
        f"{settings.city_config}: OK — {city.city.name_en}, {len(city.districts)} districts, "
        f"{len(city.categories)} categories, prefix {city.city.number_prefix}"
    )


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


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
    }
    for name, (func, help_text) in commands.items():
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(func=func)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        args.func(args)
    except (ConfigurationError, CityConfigError) as exc:
        print(f"sotong: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        print(f"sotong: cannot reach a service: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
