"""Process settings, read from the environment (prefix SOTONG_) or a .env file."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.failures import ConfigurationError
from storage.vocabulary import LANGUAGES

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CITY_CONFIG = PROJECT_ROOT / "config" / "gwangju.toml"
DATABASE_SCHEMES = ("sqlite+aiosqlite", "postgresql+asyncpg")
REDIS_SCHEMES = ("redis", "rediss", "unix")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# What Telegram accepts as a webhook's secret_token.
WEBHOOK_SECRET_FORMAT = re.compile(r"[A-Za-z0-9_-]{1,256}")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SOTONG_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    bot_token: SecretStr | None = None
    database_url: str = "sqlite+aiosqlite:///sotong.db"
    redis_url: str | None = None
    telegram_api_url: str | None = Field(
        default=None, description="Base URL of a self-hosted Bot API server"
    )
    city_config: Path = DEFAULT_CITY_CONFIG
    default_locale: str = "ko"
    auto_migrate: bool = True
    polling_timeout: int = 10
    # How long a draft kept in Redis lives after its last change, in seconds.
    draft_ttl: int = 14 * 24 * 3600
    # How long a process may reuse a resident's row before reading it again (0: always read).
    resident_cache_seconds: float = 60.0
    # Updates handled at once. Each holds at most one pooled database connection (the pool has
    # 10 kept + 20 overflow), so staying below 30 means no update waits for a connection.
    max_concurrent_updates: int = Field(default=20, ge=1)
    # Messages `sotong worker` sends a second in all (Telegram allows about 30; 1,000 with paid
    # broadcasts); never more than one a second to one chat.
    send_rate: float = Field(default=25.0, gt=0)
    # Seconds a worker's claim on the outbox rows it holds lasts (renewed while it holds them):
    # how long the rows of a killed worker wait for another. A worker sends only while a third
    # of it is left, so it must be well above a send's time, and the workers' clocks must agree
    # to well within a third of it.
    outbox_lease: float = Field(default=30.0, ge=3.0, le=3600.0)
    log_level: str = "INFO"
    # One JSON object a line (time, level, logger, message, exception), for a log collector.
    log_json: bool = False
    # Where `sotong run` and `sotong worker` serve /healthz and /metrics (bot/observability.py);
    # None: not served. Their --metrics-port and --metrics-host override these.
    metrics_port: int | None = Field(default=None, ge=0, le=65535)
    metrics_host: str = "127.0.0.1"
    # Where clients reach `sotong api` (e.g. https://open311.example.go.kr), for the links it
    # gives (discovery's url, media_url); None: the Host each request came to.
    api_public_url: str | None = None
    # Webhooks (`sotong run --webhook`, or on whenever webhook_url is set): the public URL
    # Telegram calls, the secret it sends with every call, and where this process listens.
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_host: str = "127.0.0.1"
    webhook_port: int = Field(default=8080, ge=0, le=65535)
    webhook_path: str = "/telegram"

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        try:
            scheme = make_url(value).drivername
        except ArgumentError:
            scheme = value.partition(":")[0]
        if scheme not in DATABASE_SCHEMES:
            raise ValueError(
                f"the scheme {scheme!r} is not supported: use sqlite+aiosqlite:///path/to/file.db "
                "or postgresql+asyncpg://user:password@host:5432/name")
        return value

    @field_validator("redis_url")
    @classmethod
    def _supported_redis(cls, value: str | None) -> str | None:
        if value is not None and value.partition("://")[0] not in REDIS_SCHEMES:
            raise ValueError("must start with redis://, rediss:// or unix://, e.g. redis://127.0.0.1:6379/0")
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        if value.upper() not in LOG_LEVELS:
            raise ValueError(f"must be one of {', '.join(LOG_LEVELS)}")
        return value.upper()

    @field_validator("default_locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(f"must be one of {', '.join(LANGUAGES)}")
        return value

    @field_validator("api_public_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://, e.g. https://open311.example.go.kr")
        return value

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError("must be the public https:// address Telegram calls, e.g. https://bot.example.go.kr/telegram")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not WEBHOOK_SECRET_FORMAT.fullmatch(value.get_secret_value()):
            raise ValueError("must be 1 to 256 characters of A-Z, a-z, 0-9, _ and - (Telegram's secret_token)")
        return value

    @field_validator("webhook_path")
    @classmethod
    def _webhook_path(cls, value: str) -> str:
        if not value.startswith("/"):
            raise ValueError("must start with /, e.g. /telegram")
        return value

    @field_validator("redis_url", "telegram_api_url", "api_public_url", "webhook_url", "webhook_secret",
                     "metrics_port", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value == "" else value


MISSING_TOKEN = (
    "SOTONG_BOT_TOKEN is not set.\n"
    "Get a token from @BotFather in Telegram (send /newbot and follow the steps),\n"
    "then put it in the environment or in a .env file:\n"
    "    SOTONG_BOT_TOKEN=123456789:AA...\n"
    "To try Sotong without a token, run: sotong console"
)


# What @BotFather hands out: the bot's id, a colon, then letters, digits, "_" and "-".
TOKEN_FORMAT = re.compile(r"[0-9]+:[A-Za-z0-9_-]+")
MALFORMED_TOKEN = (
    "SOTONG_BOT_TOKEN does not look like a bot token: expected <digits>:<letters> as @BotFather "
    "gives it (e.g. 123456789:AAH...), with no quotes or spaces"
)


def require_token(settings: Settings) -> str:
    if settings.bot_token is None or not settings.bot_token.get_secret_value().strip():
        raise ConfigurationError(MISSING_TOKEN)
    token = settings.bot_token.get_secret_value().strip()
    if not TOKEN_FORMAT.fullmatch(token):
        raise ConfigurationError(MALFORMED_TOKEN)
    return token
