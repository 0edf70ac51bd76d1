"""Configuration: read once from the environment into a frozen Config."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app
from limits import parse as parse_limit

# MySQL and MariaDB lack the partial unique index that keeps one owner per appid.
DATABASE_SCHEMES = ("sqlite", "postgres", "postgresql")
CACHE_SCHEMES = ("null", "simple", "filesystem", "redis")
RATELIMIT_SCHEMES = ("memory", "redis")


class ConfigError(ValueError):
    """A configuration value is wrong; the message names the variable."""


@dataclass(frozen=True)
class Config:
    """Everything the service reads from its environment, validated."""

    encryption_key: str | None = None
    session_key: str | None = None
    production: bool = False
    database_url: str | None = None  # None: a SQLite file in the instance folder
    database_pool_size: int = 10
    cache_url: str = "null://"
    ratelimit_storage_uri: str = "memory://"
    ratelimit_enabled: bool = True
    create_session_rate_limit: str = "10 per minute"
    create_session_username_rate_limit: str = "100 per hour"
    create_account_rate_limit: str = "10 per hour"
    bcrypt_workload_factor: int = 12
    minimum_username_length: int = 6
    maximum_username_length: int = 50
    minimum_password_length: int = 8
    maximum_password_length: int = 128
    page_size: int = 10
    appid: str = "dashboard"
    delete_delay: int = 7
    session_verification_delay: int = 14400
    session_cookie_secure: bool = True
    application_server_token: str | None = None
    maximum_post_data_length: int = 2_000_000
    proxy_count: int = 0

    def __post_init__(self) -> None:
        _check_range("BCRYPT_WORKLOAD_FACTOR", self.bcrypt_workload_factor, 4, 31)
        for name in ("USERNAME", "PASSWORD"):
            low = getattr(self, f"minimum_{name.lower()}_length")
            high = getattr(self, f"maximum_{name.lower()}_length")
            _check_range(f"MINIMUM_{name}_LENGTH", low, 1, high)
        for name in ("PAGE_SIZE", "MAXIMUM_POST_DATA_LENGTH", "DATABASE_POOL_SIZE"):
            _check_range(name, getattr(self, name.lower()), 1, None)
        for name in ("DELETE_DELAY", "SESSION_VERIFICATION_DELAY", "PROXY_COUNT"):
            _check_range(name, getattr(self, name.lower()), 0, None)
        if not self.appid:
            raise ConfigError("APPID must not be empty")
        if self.database_url is not None:
            _check_scheme("DATABASE_URL", self.database_url, DATABASE_SCHEMES)
        _check_scheme("CACHE_URL", self.cache_url, CACHE_SCHEMES)
        _check_scheme("RATELIMIT_STORAGE_URI", self.ratelimit_storage_uri, RATELIMIT_SCHEMES)
        for name in (
            "CREATE_SESSION_RATE_LIMIT",
            "CREATE_SESSION_USERNAME_RATE_LIMIT",
            "CREATE_ACCOUNT_RATE_LIMIT",
        ):
            try:
                parse_limit(getattr(self, name.lower()))
            except ValueError as error:
                raise ConfigError(f"{name} is not a rate limit: {error}") from None
        for name in ("DASHBOARD_ENCRYPTION_KEY", "DASHBOARD_SESSION_KEY"):
            value = getattr(self, name.removeprefix("DASHBOARD_").lower())
            if value is not None and len(value) < 32:
                raise ConfigError(f"{name} must be at least 32 characters")
            if value is None and self.production:
                raise ConfigError(f"{name} is required when DASHBOARD_ENV=production")

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Config:
        """Build a Config from environment variables; unset ones keep their defaults."""
        values: dict[str, object] = {}
        for field in dataclasses.fields(cls):
            if field.name == "production":
                continue
            name = _env_name(field.name)
            raw = environ.get(name)
            if raw is None or raw == "":
                continue
            values[field.name] = _convert(name, raw, field.type)
        env = environ.get("DASHBOARD_ENV", "development")
        if env not in ("development", "production"):
            raise ConfigError("DASHBOARD_ENV must be 'development' or 'production'")
        values["production"] = env == "production"
        return cls(**values)


def current_config() -> Config:
    """The Config of the app handling the current request or app context."""
    return current_app.extensions["dashboard"].config


def _env_name(field_name: str) -> str:
    if field_name in ("encryption_key", "session_key"):
        return f"DASHBOARD_{field_name.upper()}"
    return field_name.upper()


def _convert(name: str, raw: str, kind: str) -> object:
    if kind == "int":
        try:
            return int(raw)
        except ValueError:
            raise ConfigError(f"{name} must be an integer, not {raw!r}") from None
    if kind == "bool":
        lowered = raw.strip().lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off"):
            return False
        raise ConfigError(f"{name} must be true or false, not {raw!r}")
    return raw


def _check_range(name: str, value: int, low: int, high: int | None) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ConfigError(f"{name} must be an integer")
    if value < low or (high is not None and value > high):
        upper = "" if high is None else f" and at most {high}"
        raise ConfigError(f"{name} must be at least {low}{upper}, not {value}")


def _check_scheme(name: str, url: str, schemes: tuple[str, ...]) -> None:
    scheme = urlsplit(url).scheme.split("+")[0]
    if scheme not in schemes:
        raise ConfigError(f"{name} has an unknown scheme {scheme!r}; use one of {schemes}")
