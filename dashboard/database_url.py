"""What DATABASE_URL names, as operators are told it, and when it is simply wrong."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from playhouse import db_url

from dashboard.config import Config
from dashboard.outage import reason

SQLITE_FILENAME = "dashboard.sqlite3"


def describe(config: Config, instance_path: str) -> str:
    """Which database DATABASE_URL (or the instance folder) names, its password masked:
    what commands and start-up errors say."""
    if config.database_url is None:
        return "sqlite:///" + default_path(instance_path)
    parts = urlsplit(config.database_url)
    if parts.password is None:
        return config.database_url
    host = parts.netloc.rpartition("@")[2]
    return parts._replace(netloc=f"{parts.username or ''}:***@{host}").geturl()


def default_path(instance_path: str) -> str:
    """The SQLite file that serves when DATABASE_URL is not set."""
    return os.path.abspath(os.path.join(instance_path, SQLITE_FILENAME))


def absent(config: Config, instance_path: str) -> bool:
    """Whether no database is there to act on: no SQLite file where DATABASE_URL (or,
    unset, the instance folder) says, as for a command run away from the service's
    settings. A PostgreSQL database is the server's to say, when it is asked."""
    if config.database_url is None:
        return not os.path.exists(default_path(instance_path))
    if urlsplit(config.database_url).scheme != "sqlite":
        return False
    path = db_url.parse(config.database_url)["database"]
    return path != ":memory:" and not path.startswith("file:") and not os.path.exists(path)


# What PostgreSQL (libpq) says when the settings are wrong, not when the server is down:
# the server refused the credentials or knows no such database or role, or the host name
# does not resolve. A refused connection or a silence is an outage, and is waited out.
MISCONFIGURED = (
    "password authentication failed",
    "authentication failed for user",
    "no password supplied",
    "no pg_hba.conf entry",
    "does not exist",
    "could not translate host name",
    "invalid connection option",
    "invalid dsn",
    "invalid integer value",
)


def misconfiguration(error: BaseException) -> str | None:
    """The reason, when ``error`` from connecting means DATABASE_URL is wrong; else None."""
    said = reason(error)
    if any(each in said for each in MISCONFIGURED):
        return said.split("FATAL:", 1)[-1].strip()
    return None
