"""Configuration: read once from the environment into a frozen Config."""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import urlsplit

from flask import current_app
from limits import parse as parse_limit

from dashboard import config_values as checks

# MySQL and MariaDB lack the partial unique index that keeps one owner per appid.
DATABASE_SCHEMES = ("sqlite", "postgres", "postgresql")
CACHE_SCHEMES = ("null", "simple", "filesystem", "redis")
RATELIMIT_SCHEMES = ("memory", "redis")
RATE_LIMITS = (
    "CREATE_SESSION_RATE_LIMIT",
    "CREATE_SESSION_USERNAME_RATE_LIMIT",
    "CREATE_ACCOUNT_RATE_LIMIT",
)
# Settings with a MINIMUM_ and a MAXIMUM_ length, in characters.
LENGTHS = (
    "USERNAME",
    "PASSWORD",
    "PROFILE_FULL_NAME",
    "PROFILE_DISPLAY_NAME",
    "PROFILE_COMPANY_NAME",
    "RESET_CODE",
)
PROFILE_FIELDS = (
    "full-name",
    "contact-email",
    "display-email",
    "display-name",
    "company-name",
    "dob",
    "phone",
    "occupation",
    "location",
    "website",
)
POSITIVE = (
    "PAGE_SIZE",
    "MAXIMUM_POST_DATA_LENGTH",
    "DATABASE_POOL_SIZE",
    "MAXIMUM_RESET_CODES",
    "DATABASE_KEEPALIVE_IDLE",
)
TIMEOUTS = (
    "DATABASE_CONNECT_TIMEOUT",
    "DATABASE_STATEMENT_TIMEOUT",
    "DATABASE_LOCK_TIMEOUT",
    "REDIS_TIMEOUT",
)


class ConfigError(ValueError):
    """Settings are wrong or missing; the message names every one of them, on one line."""

    def __init__(self, problems: list[str] | str) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))


class Keys(NamedTuple):
    encryption: str  # ENCRYPTION_KEY: keys every hash of a secret
    session: str  # SESSION_KEY: part of every session token's hash


@dataclass(frozen=True)
class Config:
    """Everything the service reads from its environment, validated."""

    encryption_key: str | None = None
    session_key: str | None = None
    production: bool = False
    instance_path: str | None = None  # None: ./instance of the working directory
    database_url: str | None = None  # None: a SQLite file in the instance folder
    database_pool_size: int = 10
    database_connect_timeout: float = 3.0
    database_statement_timeout: float = 5.0
    database_lock_timeout: float = 3.0
    database_keepalive_idle: int = 10
    cache_url: str = "null://"
    ratelimit_storage_uri: str = "memory://"
    redis_timeout: float = 0.5
    near_cache: bool = True  # with a redis:// CACHE_URL: each worker's own (nearcache.py)
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
    allowed_origins: tuple[str, ...] = ()  # browsers' origins allowed cross-origin (CORS)
    require_profile: bool = False
    user_profile_fields: tuple[str, ...] = ("contact-email", "full-name")
    minimum_profile_full_name_length: int = 1
    maximum_profile_full_name_length: int = 50
    minimum_profile_display_name_length: int = 1
    maximum_profile_display_name_length: int = 50
    minimum_profile_company_name_length: int = 1
    maximum_profile_company_name_length: int = 50
    minimum_reset_code_length: int = 10
    maximum_reset_code_length: int = 100
    maximum_reset_codes: int = 10
    disable_metrics: bool = False
    first_account_owner: bool = False  # the original's rule: development and tests only
    registration: str = "open"  # "closed": accounts are made by the operator
    pages: bool = True  # the pages for people (/account/...), in the service
    # administrator routes refuse an administrator without a second factor (§15)
    require_administrator_second_factor: bool = False
    # the passkeys' relying party: None, in development, the host each request came to
    webauthn_rp_id: str | None = None
    webauthn_origins: tuple[str, ...] = ()  # the origins its pages are served from

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise ConfigError(problems)

    def problems(self) -> list[str]:
        """What is wrong with these values, one phrase naming the variable each."""
        problems: list[str] = []
        check = problems.append
        checks.in_range(check, "BCRYPT_WORKLOAD_FACTOR", self.bcrypt_workload_factor, 4, 31)
        for name in LENGTHS:
            high = getattr(self, f"maximum_{name.lower()}_length")
            low = getattr(self, f"minimum_{name.lower()}_length")
            checks.in_range(check, f"MAXIMUM_{name}_LENGTH", high, 1, None)
            checks.in_range(
                check, f"MINIMUM_{name}_LENGTH", low, 1, high if checks.is_int(high) else None
            )
        for name in POSITIVE:
            checks.in_range(check, name, getattr(self, name.lower()), 1, None)
        for name in ("DELETE_DELAY", "SESSION_VERIFICATION_DELAY", "PROXY_COUNT"):
            checks.in_range(check, name, getattr(self, name.lower()), 0, None)
        for name in TIMEOUTS:
            value = getattr(self, name.lower())
            if not checks.is_number(value) or not 0 < value <= 3600:
                check(f"{name} must be a number of seconds above 0 and at most 3600")
        if not self.appid:
            check("APPID must not be empty")
        if self.registration not in ("open", "closed"):
            check(f"REGISTRATION must be open or closed, not {self.registration!r}")
        unknown = [name for name in self.user_profile_fields if name not in PROFILE_FIELDS]
        if unknown:
            check(
                f"USER_PROFILE_FIELDS has {', '.join(unknown)}; "
                f"the profile fields are {', '.join(PROFILE_FIELDS)}"
            )
        for name in ("ALLOWED_ORIGINS", "WEBAUTHN_ORIGINS"):
            for origin in getattr(self, name.lower()):
                parts = urlsplit(origin)
                extra = parts.path or parts.query or parts.fragment or parts.username
                web = parts.scheme in ("http", "https") and parts.hostname and not extra
                if not web or origin != checks.origin(origin):
                    check(f"{name} has {origin!r}, not an origin like https://app.example")
        checks.relying_party(check, self)
        if self.database_url is not None:
            checks.known_scheme(check, "DATABASE_URL", self.database_url, DATABASE_SCHEMES)
        checks.known_scheme(check, "CACHE_URL", self.cache_url, CACHE_SCHEMES)
        checks.known_scheme(
            check, "RATELIMIT_STORAGE_URI", self.ratelimit_storage_uri, RATELIMIT_SCHEMES
        )
        for name in RATE_LIMITS:
            try:
                parse_limit(getattr(self, name.lower()))
            except ValueError as error:
                check(f"{name} is not a rate limit ({error})")
        for name in ("DASHBOARD_ENCRYPTION_KEY", "DASHBOARD_SESSION_KEY"):
            value = getattr(self, name.removeprefix("DASHBOARD_").lower())
            if value is not None and len(value) < 32:
                check(f"{name} must be at least 32 characters")
            if value is None and self.production:
                check(f"{name} is required when DASHBOARD_ENV=production")
        return problems

    @functools.cached_property
    def keys(self) -> Keys:
        """ENCRYPTION_KEY and SESSION_KEY, which every app's Config has: keys.with_keys
        makes them where none is set. Raises ConfigError on a Config without them."""
        if self.encryption_key is None or self.session_key is None:
            raise ConfigError(["ENCRYPTION_KEY and SESSION_KEY are not set"])
        return Keys(self.encryption_key, self.session_key)

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Config:
        """Build a Config from environment variables; unset ones keep their defaults.

        Raises one ConfigError naming every wrong or missing variable.
        """
        values: dict[str, object] = {}
        problems: list[str] = []
        for field in dataclasses.fields(cls):
            if field.name == "production":
                continue
            name = env_name(field.name)
            raw = environ.get(name)
            if raw is None or raw == "":
                continue
            try:
                values[field.name] = checks.convert(name, raw, str(field.type))
            except ValueError as error:
                problems.append(str(error))
        env = environ.get("DASHBOARD_ENV", "development")
        if env not in ("development", "production"):
            problems.append(f"DASHBOARD_ENV must be 'development' or 'production', not {env!r}")
        values["production"] = env == "production"
        if "instance_path" in values:
            values["instance_path"] = os.path.abspath(str(values["instance_path"]))
        try:
            config = cls(**values)  # type: ignore[arg-type]  # each converted to its field's type
        except ConfigError as error:
            raise ConfigError(problems + error.problems) from None
        if problems:
            raise ConfigError(problems)
        return config


def current_config() -> Config:
    """The Config of the app handling the current request or app context."""
    config: Config = current_app.extensions["dashboard"].config
    return config


def env_name(field_name: str) -> str:
    """The environment variable (and app.config key) of a Config field."""
    if field_name in ("encryption_key", "session_key"):
        return f"DASHBOARD_{field_name.upper()}"
    return field_name.upper()
