"""The `sotong` command: run, migrate, check-config (and more as the product grows)."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import errno
import logging
import re
import sys
from collections.abc import Awaitable, Callable
from typing import TypeVar
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.broadcast_cli import broadcast_arguments, broadcasts_arguments, cmd_broadcast, cmd_broadcasts
from bot.cli_support import city_of as _city
from bot.cli_support import with_database as _with_database
from bot.failures import EXIT_INTERRUPTED, ConfigurationError, OperatorError, PortInUse, first_line
from bot.polls_cli import cmd_polls, polls_arguments
from bot.settings import Settings, require_token
from storage.city import CityConfig, hash_key, new_key
from storage.services.bans import FOREVER, BanRefused, BanService
from storage.services.officials_admin import (
    DEFAULT_INVITE_LIFETIME,
    RoleAdministration,
    RoleHolder,
    RoleRefused,
    department_for,
    parse_duration,
)
from storage.vocabulary import LANGUAGES, Role

T = TypeVar("T")

log = logging.getLogger("sotong")


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        lines = [f"SOTONG_{'_'.join(map(str, e['loc'])).upper()}: {e['msg'].removeprefix('Value error, ')}"
                 for e in exc.errors()]
        raise ConfigurationError("\n".join(lines)) from None


def cmd_run(args: argparse.Namespace, settings: Settings) -> None:
    from bot.app import create_application
    from bot.observability import serving
    from bot.runner import run_polling

    if args.webhook or settings.webhook_url is not None:
        from bot.open311.app import settle_heap
        from bot.webhook import run_webhook, webhook_config

        webhook_config(settings)  # a missing setting is named before anything starts
        application = create_application(settings, _city(settings))

        async def serve() -> None:
            async with serving(*_monitoring(args, settings), engine=application.engine,
                               redis_url=settings.redis_url, metrics=application.metrics):
                # Once serving, what is loaded lives as long as the process (see settle_heap).
                await run_webhook(application, started=lambda _: settle_heap())

        asyncio.run(serve())
        return
    app = create_application(settings, _city(settings))

    async def run() -> None:
        polling = False
        try:
            async with serving(*_monitoring(args, settings), engine=app.engine, redis_url=settings.redis_url,
                               metrics=app.metrics):
                polling = True
                await run_polling(app)  # which closes the application
        finally:
            if not polling:  # the monitoring port was taken
                await app.close()

    asyncio.run(run())


def _monitoring_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--metrics-port", type=int, default=None, metavar="N",
                        help="serve /healthz and /metrics on this port (default SOTONG_METRICS_PORT, else not served)")
    parser.add_argument("--metrics-host", default=None, metavar="HOST",
                        help="the address they listen on (default SOTONG_METRICS_HOST, else 127.0.0.1)")


def _monitoring(args: argparse.Namespace, settings: Settings) -> tuple[str, int | None]:
    """Where /healthz and /metrics are served: the options, else the settings."""
    port = args.metrics_port if args.metrics_port is not None else settings.metrics_port
    return args.metrics_host or settings.metrics_host, port


def _run_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--webhook", action="store_true",
                        help="serve Telegram's webhook calls instead of polling (on whenever SOTONG_WEBHOOK_URL "
                             "is set); see README, Deployment")
    _monitoring_arguments(parser)


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
    from bot.observability import Metrics, serving
    from bot.outbox import SendPolicy, create_sender, sending_bot
    from bot.shared_rate import shared_pacing
    from bot.signals import stop_on_signals
    from bot.startup import ensure_schema, one_worker_on_sqlite, open_redis
    from bot.worker import run_once, run_worker
    from storage.database import create_engine, create_session_factory

    token = require_token(settings)  # it sends the outbox's messages
    city = _city(settings)

    async def work() -> None:
        engine = create_engine(settings.database_url)
        redis = None
        try:
            await ensure_schema(engine, auto_migrate=settings.auto_migrate)
            with one_worker_on_sqlite(settings.database_url) as sole:
                factory = create_session_factory(engine)
                bot = sending_bot(token, settings.telegram_api_url)
                policy = SendPolicy.of(settings.send_rate, city, lease=settings.outbox_lease)
                # With Redis, every worker of the bot keeps to one budget; without, each to its own.
                redis = await open_redis(settings.redis_url) if settings.redis_url else None
                pacing = shared_pacing(redis, bot.id, policy.rate, policy.paid_rate) if redis else None
                metrics = Metrics()
                sender = await create_sender(factory, city, bot, settings.default_locale, policy=policy, pacing=pacing,
                                             metrics=metrics)
                if sole:  # a worker killed on SQLite left claims no other worker will ever send
                    await sender.take_over()
                if args.once:
                    done = await run_once(factory, city, sender=sender)
                    print(f"moved {done['lifecycle sweep']} item(s), fanned out {done['notifications']} "
                          f"event(s) or answer(s), sent {done['sent']} message(s)")
                else:
                    # SIGTERM (a deploy, systemd, docker stop) lets the sends in flight finish and frees
                    # this worker's claims at once; a killed worker's rows wait out the lease.
                    async with serving(*_monitoring(args, settings), engine=engine, redis_url=settings.redis_url,
                                       metrics=metrics):
                        with stop_on_signals(asyncio.Event()) as stop:
                            await run_worker(factory, city, interval=args.interval, sender=sender, stop=stop)
        finally:
            if redis is not None:
                await redis.aclose()
            await engine.dispose()

    asyncio.run(work())


def _worker_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--once", action="store_true",
                        help="one pass of every job, send what is due, then exit")
    parser.add_argument("--interval", type=float, default=60.0,
                        help="seconds between lifecycle sweeps (default 60)")
    _monitoring_arguments(parser)


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
    print(*_departments_lines(city), *_routing_lines(city), *_open311_lines(city), _population_line(city),
          sep="\n")


def _departments_lines(city: CityConfig) -> list[str]:
    at_city = sum(d.district is None for d in city.departments)
    lines = [f"departments: {len(city.departments)} ({at_city} city level, "
             f"{len(city.departments) - at_city} district level)"]
    width = max(len(d.code) for d in city.departments)
    lines += [f"  {d.code:<{width}}  {'city' if d.district is None else 'district ' + d.district:<16}  "
              f"answers within {d.sla_days:>3} days  {d.name_en} ({d.name_ko})" for d in city.departments]
    return lines


def _population_line(city: CityConfig) -> str:
    """Population is optional: without it a district's statistics lack the rate per 10,000."""
    missing = [d.code for d in city.districts if d.population is None]
    if not missing:
        return f"population: {sum(d.population or 0 for d in city.districts):,} in {len(city.districts)} districts"
    return (f"population: missing for {', '.join(missing)} (districts[].population): `sotong stats` and /stats "
            f"give no items filed per 10,000 residents for them")


def _routing_lines(city: CityConfig) -> list[str]:
    routing = city.routing
    lines = [f"routing: no rule matches -> {routing.fallback}; private categories -> {routing.private}; "
             f"proposals in review -> {routing.proposals}; \"Is it fixed?\" {routing.followup_days} days "
             f"after resolved; {len(routing.rules)} rule(s)"]
    for i, rule in enumerate(routing.rules):
        where = f"in {', '.join(rule.districts)}" if rule.districts else "in every district"
        lines.append(f"  rules[{i}]: {', '.join(rule.categories)} {where} -> {', '.join(rule.departments)}")
    return lines


def _open311_lines(city: CityConfig) -> list[str]:
    clients = city.open311.clients
    lines = [f"open311: {len(city.public_categories())} service(s); {len(clients)} client(s) may file"
             + ("" if clients else " (`sotong api-key --client NAME` makes a key)")]
    lines += [f"  {c.name}: key sha256 {c.key_sha256[:12]}…, up to {c.items_per_day} a day" for c in clients]
    return lines


def cmd_api(args: argparse.Namespace, settings: Settings) -> None:
    from bot.open311.runner import serve_api

    asyncio.run(serve_api(settings, _city(settings), args.host, args.port))


def _api_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = ("example: sotong api --host 0.0.0.0 --port 8311, then "
                     "curl http://127.0.0.1:8311/open311/v2/services.json; see docs/open311.md")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8311, help="port to listen on (default 8311)")


def cmd_api_key(args: argparse.Namespace, _settings: Settings) -> None:
    key = new_key()
    print(f"API key for {args.client} (give it to the client; it is shown only now):\n  {key}\n")
    print("Add this to the city file, then restart `sotong api`:\n")
    print(f'[[open311.clients]]\nname = "{args.client}"\nkey_sha256 = "{hash_key(key)}"')


def _client_name(text: str) -> str:
    if not re.fullmatch(r"[a-z][a-z0-9_-]{0,39}", text):
        raise argparse.ArgumentTypeError(f"'{text}' is not a client name: lower-case letters, digits, _ and -, "
                                         "starting with a letter, at most 40")
    return text


def _api_key_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--client", type=_client_name, required=True, metavar="NAME",
                        help="the client's name, as items will record it (e.g. web, kiosk)")


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
        "resident, /as official CODE becomes the official of a department, /console-help lists the console's commands, /quit leaves. It also reads a "
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


async def _administer(settings: Settings, work: Callable[[RoleAdministration], Awaitable[T]]) -> T:
    city = _city(settings)

    async def run(factory: async_sessionmaker[AsyncSession]) -> T:
        async with factory() as session:
            try:
                return await work(RoleAdministration(session, city))
            except RoleRefused as exc:
                raise OperatorError(str(exc)) from None

    return await _with_database(settings, run)


def _refuse_early(settings: Settings, role: Role, department: str | None) -> None:
    """A wrong department is named before the database (or Telegram) is touched."""
    try:
        department_for(_city(settings), role, department)
    except RoleRefused as exc:
        raise OperatorError(str(exc)) from None


def _officials_add(args: argparse.Namespace, settings: Settings) -> None:
    role = Role(args.role)
    _refuse_early(settings, role, args.department)
    granted = asyncio.run(_administer(settings, lambda admin: admin.add(
        args.telegram_id, role, args.department, settings.default_locale)))
    what = f"{role.value} of {args.department}" if args.department else role.value
    print(f"telegram id {args.telegram_id} is {'now' if granted else 'already'} {what}")


def _officials_list(_args: argparse.Namespace, settings: Settings) -> None:
    holders = asyncio.run(_administer(settings, lambda admin: admin.holders()))
    if not holders:
        print("nobody holds a role yet: `sotong officials add` or `sotong officials invite` grants one")
        return
    rows = [("telegram id", "name", "role", "department", "department name"),
            *(_holder_row(holder, settings.default_locale) for holder in holders)]
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def _holder_row(holder: RoleHolder, language: str) -> tuple[str, str, str, str, str]:
    if holder.department is None:
        department_name = "-"
    else:
        department_name = holder.known.name(language) if holder.known else "(no longer in the city file)"
    return (str(holder.telegram_id), holder.name or "-", holder.role.value, holder.department or "-",
            department_name)


def _officials_remove(args: argparse.Namespace, settings: Settings) -> None:
    role = Role(args.role) if args.role else None
    removed = asyncio.run(_administer(settings, lambda admin: admin.remove(args.telegram_id, role, args.department)))
    for row in removed:
        what = f"{row.role} of {row.department}" if row.department else row.role
        print(f"telegram id {args.telegram_id} is no longer {what}")


def _officials_invite(args: argparse.Namespace, settings: Settings) -> None:
    role = Role(args.role)
    _refuse_early(settings, role, args.department)
    username = asyncio.run(_bot_username(settings))
    invite = asyncio.run(_administer(settings, lambda admin: admin.invite(role, args.department, args.expires)))
    what = f"an official of {args.department}" if args.department else f"a {role.value}"
    print(f"https://t.me/{username}?start={invite.token}")
    print(f"(one use: the first person to open it becomes {what}; valid until "
          f"{invite.expires_at:%Y-%m-%d %H:%M} UTC)")


async def _bot_username(settings: Settings) -> str:
    """The bot's @username, asked of Telegram once: no retrying, the operator is waiting."""
    from aiogram.exceptions import TelegramUnauthorizedError

    from bot.app import create_bot
    from bot.failures import TelegramUnreachable, TokenRejected
    from bot.telegram import TOKEN_REJECTED, UNREACHABLE, telegram_host

    bot = create_bot(require_token(settings), settings.telegram_api_url)
    try:
        me = await bot.get_me(request_timeout=20)
    except TelegramUnauthorizedError:
        raise TokenRejected(TOKEN_REJECTED) from None
    except UNREACHABLE as exc:
        raise TelegramUnreachable(
            f"cannot reach Telegram at {telegram_host(settings.telegram_api_url)} to learn the bot's "
            f"username for the link ({first_line(exc)}); no invite was created: try again later") from None
    finally:
        await bot.session.close()
    if not me.username:
        raise TelegramUnreachable("Telegram gave the bot no username, so there is no t.me link to make")
    return me.username


OFFICIALS_ACTIONS: dict[str, tuple[Callable[[argparse.Namespace, Settings], None], str]] = {
    "add": (_officials_add, "grant a role to a Telegram user (created if never seen)"),
    "list": (_officials_list, "list everyone holding a role"),
    "remove": (_officials_remove, "revoke roles: all of the person's, or those matching "
                                  "--department / --role"),
    "invite": (_officials_invite, "print a one-time t.me link that makes whoever opens it first "
                                  "an official of the department"),
}


def cmd_officials(args: argparse.Namespace, settings: Settings) -> None:
    OFFICIALS_ACTIONS[args.action][0](args, settings)


def _duration(text: str) -> dt.timedelta:
    try:
        return parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _officials_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = ("example: sotong officials invite --department water --expires 7d; "
                     "an official is of one department, a moderator or an admin of none")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    roles = [role.value for role in Role]
    for name, (_func, help_text) in OFFICIALS_ACTIONS.items():
        action = actions.add_parser(name, help=help_text, description=help_text)
        if name in ("add", "remove"):
            action.add_argument("--telegram-id", type=int, required=True, metavar="N",
                                help="the person's numeric Telegram user id")
        if name != "list":
            action.add_argument("--department", metavar="CODE", default=None,
                                help="a department code of the city file (officials only)")
            action.add_argument("--role", choices=roles, default=None if name == "remove" else Role.OFFICIAL.value,
                                help="official (the default), moderator or admin")
        if name == "invite":
            action.add_argument("--expires", type=_duration, default=DEFAULT_INVITE_LIFETIME, metavar="DURATION",
                                help="how long the link is valid: 30m, 48h, 7d (default 48h, at most 30d)")


async def _bans(settings: Settings, work: Callable[[BanService], Awaitable[T]]) -> T:
    async def run(factory: async_sessionmaker[AsyncSession]) -> T:
        async with factory() as session:
            try:
                return await work(BanService(session))
            except BanRefused as exc:
                raise OperatorError(str(exc)) from None

    return await _with_database(settings, run)


def _ban_end(args: argparse.Namespace) -> dt.datetime:
    if args.forever:
        return FOREVER
    length = dt.timedelta(hours=args.hours) if args.hours else dt.timedelta(days=args.days or 1)
    return dt.datetime.now(dt.UTC) + length


def _residents_ban(args: argparse.Namespace, settings: Settings) -> None:
    city = _city(settings)  # the ban's end is said in the city's time
    until = _ban_end(args)
    asyncio.run(_bans(settings, lambda bans: bans.ban_person(args.telegram_id, until)))
    when = "for good" if until == FOREVER else f"until {until.astimezone(ZoneInfo(city.city.timezone)):%Y-%m-%d %H:%M} ({city.city.timezone})"
    print(f"telegram id {args.telegram_id} is banned {when}; the bot notices within "
          f"{settings.resident_cache_seconds:g} seconds")


def _residents_unban(args: argparse.Namespace, settings: Settings) -> None:
    lifted = asyncio.run(_bans(settings, lambda bans: bans.lift_person(args.telegram_id)))
    print(f"telegram id {args.telegram_id} {'is no longer banned' if lifted else 'was not banned'}")


RESIDENTS_ACTIONS: dict[str, tuple[Callable[[argparse.Namespace, Settings], None], str]] = {
    "ban": (_residents_ban, "ban a resident: nothing they send is stored or shown until the ban ends"),
    "unban": (_residents_unban, "lift a resident's ban"),
}


def cmd_residents(args: argparse.Namespace, settings: Settings) -> None:
    RESIDENTS_ACTIONS[args.action][0](args, settings)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of at least 1")
    return int(text)


def _residents_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = ("example: sotong residents ban --telegram-id 123456789 --days 7; the resident must have "
                     "written to the bot before; a moderator's bans from the bot are recorded with the "
                     "decision, these are not")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    for name, (_func, help_text) in RESIDENTS_ACTIONS.items():
        action = actions.add_parser(name, help=help_text, description=help_text)
        action.add_argument("--telegram-id", type=int, required=True, metavar="N",
                            help="the resident's numeric Telegram user id")
        if name == "ban":
            length = action.add_mutually_exclusive_group()
            length.add_argument("--days", type=_positive, metavar="N", help="ban for N days (default 1)")
            length.add_argument("--hours", type=_positive, metavar="N", help="ban for N hours")
            length.add_argument("--forever", action="store_true", help="ban for good")


def cmd_stats(args: argparse.Namespace, settings: Settings) -> None:
    from bot.stats_cli import check_outputs, write_report

    city = _city(settings)
    check_outputs(args)
    language = args.language or settings.default_locale
    print(asyncio.run(_with_database(settings, lambda factory: write_report(args, factory, city, language))))


def _stats_arguments(parser: argparse.ArgumentParser) -> None:
    from bot.stats_cli import arguments

    arguments(parser)


# The commands that take options of their own.
ARGUMENTS: dict[str, Callable[[argparse.ArgumentParser], None]] = {
    "run": _run_arguments,
    "worker": _worker_arguments,
    "console": _console_arguments,
    "officials": _officials_arguments,
    "residents": _residents_arguments,
    "polls": polls_arguments,
    "broadcast": broadcast_arguments,
    "broadcasts": broadcasts_arguments,
    "api": _api_arguments,
    "api-key": _api_key_arguments,
    "stats": _stats_arguments,
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
        "officials": (cmd_officials, "add, list and remove the city's officials, moderators and admins, "
                                     "or print a one-time invite link"),
        "residents": (cmd_residents, "ban a resident for a time or for good, or lift the ban"),
        "polls": (cmd_polls, "create an \"Asking Citizens\" poll from a TOML file, list the polls, or export a "
                             "poll's results as CSV"),
        "broadcast": (cmd_broadcast, "queue a city broadcast (texts from files, optional photo) to an audience, "
                                     "or with --dry-run only print its size; `sotong worker` sends it"),
        "broadcasts": (cmd_broadcasts, "list the city's broadcasts with their progress, or pause, resume or "
                                       "cancel one"),
        "api": (cmd_api, "serve the Open311 GeoReport v2 API over HTTP: services, public requests, and "
                         "filing for the city file's API clients (see docs/open311.md)"),
        "api-key": (cmd_api_key, "make a key for an Open311 client: prints the key once, and the lines "
                                 "for the city file (which keeps only its SHA-256)"),
        "stats": (cmd_stats, "write the district statistics (charts as PNG, figures as CSV) of the last days"),
    }
    for name, (func, help_text) in commands.items():
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(func=func)
        if name in ARGUMENTS:
            ARGUMENTS[name](command)
    return parser


def configure_logging(settings: Settings) -> None:
    """Plain lines or JSON lines (SOTONG_LOG_JSON), the bot's token redacted (bot/logs.py)."""
    from bot import logs

    token = settings.bot_token.get_secret_value().strip() if settings.bot_token else ""
    logs.configure(settings.log_level, json_lines=settings.log_json, secrets=[token])


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = _settings()
        configure_logging(settings)
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
