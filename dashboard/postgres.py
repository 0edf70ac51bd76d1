"""PostgreSQL: a pool of connections each of whose waits for the server has an end."""

from __future__ import annotations

import contextlib
import functools
import logging
import math
import select
import threading
import time
from collections.abc import Iterator
from typing import Any

import peewee
from playhouse import db_url
from playhouse.pool import MaxConnectionsExceeded, PooledPostgresqlDatabase

from dashboard.config import Config
from dashboard.outage import Outage

log = logging.getLogger("dashboard")

# After the database stalled or refused: how long requests answer 503 at once, before
# one of them tries again. Short, so that recovery is seen within about a second.
RETRY_SECONDS = 1.0
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


def open_postgresql(url: str, config: Config) -> Postgres:
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


def read_only(database: peewee.Database) -> str:
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


class Postgres(PooledPostgresqlDatabase):  # type: ignore[misc]  # playhouse is untyped
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
                opened = bool(super().connect(reuse_if_open))
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
            return bool(conn.get_transaction_status() != TRANSACTION_IDLE)
        with time_limit(PING_SECONDS):
            return bool(super()._is_closed(conn))

    def _close(self, conn: Any, close_conn: bool = False) -> None:
        conn.returned_at = time.monotonic()
        super()._close(conn, close_conn)

    def stalled(self, error: BaseException) -> None:
        """A wait for the server passed its deadline: the idle connections go the same way."""
        self.outage.failed(error)
        self.close_idle()


def execute_prepared(
    database: peewee.Database, name: str, sql: str, params: tuple[str, ...]
) -> Any:
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

    class Connection(extensions.connection):  # type: ignore[misc]  # psycopg2 is untyped
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
