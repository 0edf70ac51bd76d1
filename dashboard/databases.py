"""Opening DATABASE_URL: PostgreSQL with every wait bounded, SQLite with its folder checked."""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import sqlite3
from urllib.parse import urlsplit

import peewee
from playhouse import db_url
from playhouse.pool import PooledDatabase

from dashboard import database_url, postgres
from dashboard.config import Config, ConfigError
from dashboard.outage import reason

log = logging.getLogger("dashboard")

HEALTH_SECONDS = 1.0


def open_database(config: Config, instance_path: str) -> peewee.Database:
    """The Database that DATABASE_URL names, or a SQLite file in the instance folder.

    Raises ConfigError, naming the setting, when a SQLite file's folder cannot hold it.
    """
    logging.getLogger("peewee").addFilter(_sql_without_parameters)  # once: filters are a set
    if config.database_url is None:
        return _sqlite(
            "sqlite:///" + database_url.default_path(instance_path), config, "INSTANCE_PATH"
        )
    if urlsplit(config.database_url).scheme in ("postgres", "postgresql"):
        return postgres.open_postgresql(config.database_url, config)
    return _sqlite(config.database_url, config, "DATABASE_URL")  # Config admits no other


def _sql_without_parameters(record: logging.LogRecord) -> bool:
    # peewee logs (sql, params) at DEBUG; params hold hashes and keys: keep the SQL only.
    if isinstance(record.msg, tuple) and record.msg:
        record.msg, record.args = str(record.msg[0]), ()
    return True


def close_all(database: peewee.Database) -> None:
    """Close every connection this process holds: after start-up, before workers fork."""
    if isinstance(database, PooledDatabase):
        database.close_all()
    elif not database.is_closed():
        database.close()


def release(database: peewee.Database | None) -> None:
    """At the end of a request: give a pooled connection back to its pool. Never raises.

    A SQLite connection stays open for the thread's next request: opening one costs a
    connect and three PRAGMAs, several times the price of the query it serves.
    """
    if not isinstance(database, PooledDatabase) or database.is_closed():
        return
    try:
        database.close()
    except Exception as error:  # noqa: BLE001 - the answer is already made; drop the connection
        log.warning(
            "dropped a database connection at the end of a request: %s", type(error).__name__
        )
        with contextlib.suppress(Exception):
            database.manual_close()


def problem(database: peewee.Database) -> tuple[str, str] | None:
    """Why the database cannot serve, as (status, reason), or None when it can.

    Status is ``unavailable`` (it does not answer within HEALTH_SECONDS) or ``read-only``.
    """
    try:
        with postgres.time_limit(HEALTH_SECONDS):
            if isinstance(database, peewee.PostgresqlDatabase):
                read_only = postgres.read_only(database)
            else:
                database.execute_sql("SELECT 1").fetchone()
                read_only = _sqlite_read_only(database.database)
    except (peewee.OperationalError, peewee.InterfaceError) as error:
        return "unavailable", f"does not answer ({type(error).__name__}: {reason(error)})"
    return ("read-only", read_only) if read_only else None


# SQLite -----------------------------------------------------------------------------


def _sqlite(url: str, config: Config, setting: str) -> peewee.SqliteDatabase:
    params = db_url.parse(url)
    memory = params["database"] == ":memory:"
    if memory:
        # Each connection to :memory: is a database of its own, and each thread has its
        # connection: this app's one database is a named one in SQLite's memdb VFS, which
        # every connection of this process reaches, with a file's locking. It lives while
        # a connection to it is open: the one kept here, as long as the app.
        params = {"database": f"file:/dashboard-{secrets.token_hex(8)}?vfs=memdb", "uri": True}
    elif not params["database"].startswith("file:"):
        _check_folder(setting, os.path.abspath(params["database"]))
    # IMMEDIATE: a writer takes the lock at BEGIN and waits its turn (the lock timeout),
    # instead of failing when two readers both upgrade.
    database = peewee.SqliteDatabase(
        **params,
        timeout=config.database_lock_timeout,
        lock_type="IMMEDIATE",
        pragmas={"journal_mode": "wal", "foreign_keys": 1, "synchronous": "normal"},
    )
    if memory:
        kept = sqlite3.connect(database.database, uri=True, check_same_thread=False)
        database.kept = kept  # type: ignore[attr-defined]  # the memdb lives while one is open
    return database


def _check_folder(setting: str, path: str) -> None:
    folder = os.path.dirname(path)
    if setting == "INSTANCE_PATH":
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError as error:
            raise ConfigError(f"INSTANCE_PATH {folder} cannot be made: {error.strerror}") from None
    if not os.path.isdir(folder):
        raise ConfigError(f"{setting} names {path}, but the folder {folder} does not exist")
    # SQLite writes its journal beside the file: the folder must take new files.
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ConfigError(f"{setting} names {path}, but the folder {folder} is not writable")


def _sqlite_read_only(path: str) -> str:
    """Why the SQLite file cannot be written, or "" when it can."""
    if path == ":memory:" or path.startswith("file:"):
        return ""
    for each in (path, os.path.dirname(os.path.abspath(path))):
        if os.path.exists(each) and not os.access(each, os.W_OK):
            return f"cannot be written: {each} is not writable"
    return ""
