"""Process settings, read from the environment (prefix SOTONG_) or a .env file."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from storage.vocabulary import LANGUAGES

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CITY_CONFIG = PROJECT_ROOT / "config" / "gwangju.toml"


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

    @field_validator("default_locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(f"must be one of {', '.join(LANGUAGES)}")
        return value

    @field_validator("redis_url", "telegram_api_url", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value == "" else value


class ConfigurationError(Exception):
    """A problem an operator can fix; its message is shown without a traceback."""


MISSING_TOKEN = (
    "SOTONG_BOT_TOKEN is not set.\n"
    "Get a token from @BotFather in Telegram (send /newbot and follow the steps),\n"
    "then put it in the environment or in a .env file:\n"
    "    SOTONG_BOT_TOKEN=123456789:AA...\n"
    "To try Sotong without a token, run: sotong console"
)


def require_token(settings: Settings) -> str:
    if settings.bot_token is None or not settings.bot_token.get_secret_value().strip():
        raise ConfigurationError(MISSING_TOKEN)
    return settings.bot_token.get_secret_value().strip()
