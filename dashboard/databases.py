"""Opening DATABASE_URL: PostgreSQL with every wait bounded, SQLite with its folder checked."""

from __future__ import annotations

import contextlib
import functools
import logging
import math
import os
import secrets
import select
import sqlite3
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import peewee
from playhouse import db_url
from playhouse.pool import MaxConnectionsExceeded, PooledDatabase, PooledPostgresqlDatabase

from dashboard import database_url
from dashboard.config import Config, ConfigError
from dashboard.outage import Outage, reason

log = logging.getLogger("dashboard")

# After the database stalled or refused: how long requests answer 503 at once, before
# one of them tries again. Short, so that recovery is seen within about a second.
RETRY_SECONDS = 1.0
HEALTH_SECONDS = 1.0
# A pooled connection is asked SELECT 1 before it is lent: it answers in a millisecond
# or the network is stalled. A second is plenty, and bounds how long requests queue
# behind the first one to find a stall.
PING_SECONDS = 1.0
# A pooled connection given back within this many seconds is lent again unasked.
FRESH_SECONDS = 1.0
TRANSACTION_IDLE = 0  # psycopg2.extensions.TRANSACTION_STATUS_IDLE
SLICE_SECONDS = 0.1  # how often a wait looks whether another found an outage meanwhile

_deadlines = threading.local()


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Within the block, this thread's waits for PostgreSQL end ``seconds`` from now at most."""
    outer = getattr(_deadlines, "at", None)
    end = time.monotonic() + seconds
    _deadlines.at = end if outer is None else min(outer, end)
    try:
        yield
    finally:
        _deadlines.at = outer


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
        return _postgresql(config.database_url, config)
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


def release(database: peewee.Database) -> None:
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
        with time_limit(HEALTH_SECONDS):
            if isinstance(database, peewee.PostgresqlDatabase):
                read_only = _postgresql_read_only(database)
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
        database.kept = sqlite3.connect(database.database, uri=True, check_same_thread=False)
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


# PostgreSQL -------------------------------------------------------------------------


def _postgresql(url: str, config: Config) -> Postgres:
    params = db_url.parse(url)
    database = params.pop("database")
    # The server ends a statement, a lock wait, or a transaction its client left idle
    # (a half-open connection that holds a row lock) after these many milliseconds.
    bounds = (
        f"-c statement_timeout={_ms(config.database_statement_timeout)} "
        f"-c lock_timeout={_ms(config.database_lock_timeout)} "
        f"-c idle_in_transaction_session_timeout={_ms(config.database_statement_timeout)}"
    )
    params["options"] = f"{bounds} {params.get('options') or ''}".strip()  # the URL's win
    # The client waits at most this long for any answer: the only bound when the network,
    # not the server, stalls. A little over the server's, whose error says more.
    deadline = config.database_statement_timeout + 1
    params.update(
        connect_timeout=max(2, math.ceil(config.database_connect_timeout)),
        keepalives=1,
        keepalives_idle=config.database_keepalive_idle,
        keepalives_interval=max(1, config.database_keepalive_idle // 5),
        keepalives_count=3,
        tcp_user_timeout=_ms(deadline),
    )
    return Postgres(database, config=config, deadline=deadline, **params)


def _postgresql_read_only(database: peewee.Database) -> str:
    """Why PostgreSQL will not take writes, or "" when it will."""
    recovering, read_only = database.execute_sql(
        "SELECT pg_is_in_recovery(), current_setting('transaction_read_only')"
    ).fetchone()
    if recovering:
        return "is a standby in recovery"
    if read_only == "on":
        return "is read-only (transaction_read_only is on)"
    return ""


def _ms(seconds: float) -> int:
    return max(1, round(seconds * 1000))


class Postgres(PooledPostgresqlDatabase):
    """A bounded pool of PostgreSQL connections, each of whose waits has an end.

    Every wait for the server (connect, statement, result) ends at its deadline, and a
    deadline missed or a connection refused starts an outage: for RETRY_SECONDS every
    request answers 503 at once instead of waiting in turn, then one request tries again.
    """

    def __init__(self, database: str, *, config: Config, deadline: float, **params: Any) -> None:
        _use_bounded_waits()
        self.outage = Outage("database", RETRY_SECONDS)
        self.connect_timeout = config.database_connect_timeout
        params["connection_factory"] = type(
            "Connection", (_connection_class(),), {"deadline": deadline, "pool": self}
        )
        super().__init__(
            database,
            max_connections=config.database_pool_size,
            stale_timeout=300,
            timeout=config.database_connect_timeout,
            **params,
        )

    def connect(self, reuse_if_open: bool = False) -> bool:
        if not self.outage.available():
            raise peewee.OperationalError("the database did not answer; trying again shortly")
        outer = getattr(_deadlines, "outages", None)
        _deadlines.outages = self.outage.begun  # an outage found meanwhile ends this connect
        try:
            with time_limit(self.connect_timeout):
                opened = super().connect(reuse_if_open)
        except MaxConnectionsExceeded as error:  # busy, not down
            raise peewee.OperationalError("no database connection was free in time") from error
        except (peewee.OperationalError, peewee.InterfaceError) as error:
            self.outage.failed(error)
            raise
        finally:
            _deadlines.outages = outer
        self.outage.succeeded()
        return opened

    def _is_closed(self, conn: Any) -> bool:
        # A connection given back a moment ago is not asked again: the round trip would
        # cost more than the query it is lent for. A stall is then found by that query,
        # whose wait is bounded too (lookup.session_with_account: PING_SECONDS).
        if not conn.closed and time.monotonic() - conn.returned_at < FRESH_SECONDS:
            return conn.get_transaction_status() != TRANSACTION_IDLE
        with time_limit(PING_SECONDS):
            return super()._is_closed(conn)

    def _close(self, conn: Any, close_conn: bool = False) -> None:
        conn.returned_at = time.monotonic()
        super()._close(conn, close_conn)

    def stalled(self, error: BaseException) -> None:
        """A wait for the server passed its deadline: the idle connections go the same way."""
        self.outage.failed(error)
        self.close_idle()


def execute_prepared(database: peewee.Database, name: str, sql: str, params: tuple) -> Any:
    """The cursor of ``sql`` (with %s placeholders) run as a prepared statement on this
    thread's PostgreSQL connection, prepared there at its first use.

    PostgreSQL plans an unprepared statement each time it runs; for the one query of
    every signed-in request the plan cost more than the query. (A pooler that gives
    one client's statements to several server connections, PgBouncer in transaction
    mode, loses prepared statements: point DATABASE_URL at PostgreSQL itself.)
    """
    connection = database.connection()
    if name not in connection.prepared:
        numbered = sql.split("%s")
        text = numbered[0] + "".join(f"${i}{part}" for i, part in enumerate(numbered[1:], 1))
        types = ", ".join(["text"] * len(params))
        database.execute_sql(f"PREPARE {name} ({types}) AS {text}")
        connection.prepared = connection.prepared | {name}
    placeholders = ", ".join(["%s"] * len(params))
    return database.execute_sql(f"EXECUTE {name} ({placeholders})", params)


def _use_bounded_waits() -> None:
    # psycopg2 waits for the server inside libpq, where nothing can bound it; with a wait
    # callback it waits here instead. The callback is process-wide: connections that are
    # not ours have no deadline and wait as before.
    from psycopg2 import extensions

    current = extensions.get_wait_callback()
    if current is None:
        extensions.set_wait_callback(_wait)
    elif current is not _wait:
        log.warning("another psycopg2 wait callback is installed: database waits are unbounded")


@functools.cache
def _connection_class() -> type:
    from psycopg2 import extensions

    class Connection(extensions.connection):
        """A psycopg2 connection that knows how long to wait, and whose pool to tell."""

        deadline: float | None = None
        pool: Postgres | None = None
        returned_at = 0.0  # when last given back to the pool (time.monotonic)
        prepared: frozenset[str] = frozenset()  # the statements PREPAREd on it

    return Connection


def _wait(connection: Any) -> None:
    """psycopg2's wait callback: wait for the server until the connection's deadline, or
    until another wait on the same database finds it stalled."""
    from psycopg2 import OperationalError, extensions

    ends = [getattr(_deadlines, "at", None)]
    if getattr(connection, "deadline", None) is not None:
        ends.append(time.monotonic() + connection.deadline)
    end = min((each for each in ends if each is not None), default=None)
    pool = getattr(connection, "pool", None)
    outages = getattr(_deadlines, "outages", None)  # as when connect() began, if in one
    if outages is None:
        outages = pool.outage.begun if pool is not None else 0
    while (state := connection.poll()) != extensions.POLL_OK:
        poller = select.poll()  # libpq may move to another socket while it connects
        poller.register(
            connection.fileno(),
            select.POLLIN if state == extensions.POLL_READ else select.POLLOUT,
        )
        while not poller.poll(SLICE_SECONDS * 1000):
            if pool is not None and pool.outage.begun != outages:
                raise OperationalError("the database stalled")  # another wait found it
            if end is not None and time.monotonic() >= end:
                error = OperationalError("the database did not answer in time")
                if pool is not None:
                    pool.stalled(error)
                raise error
