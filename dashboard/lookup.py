"""The hot path of every signed-in request: a session and its account in one query."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import peewee

from dashboard import nearcache, postgres
from dashboard.storage import SECRET_FIELDS, Account, Session, db

# the session's row, its account's, and the secrets proving a token needs; or None
Found = tuple[dict[str, Any], dict[str, Any], dict[str, str]] | None


def session_with_account(
    sessionid: str, appid: str, database: peewee.Database | None = None
) -> Found:
    """The session and account rows without their secrets, and the secrets the token
    check needs (token_hash, session_key), in one query; or None.

    The hot path of every signed-in request: the SQL, and how each column becomes a
    value, are worked out once per database kind, since doing it through peewee costs
    far more than running the query; with Redis, from the worker's near cache while it is
    sure (nearcache.py). ``database``: the app's, where no app context binds ``db``
    (gateway.py).
    """
    if database is None:
        database = db.obj
        if database is None:
            raise peewee.InterfaceError("no database is bound here (no app context)")
    near = nearcache.of(database)
    if near is not None:
        found: Found = near.read(appid, sessionid, lambda: _query(sessionid, appid, database))
        return found
    return _query(sessionid, appid, database)


def _query(sessionid: str, appid: str, database: peewee.Database) -> Found:
    layout = _layout(database.param)
    sqlite = database.param == "?"
    if sqlite:  # a local file: nothing to wait for but its lock, which has its bound
        row = database.execute_sql(layout.sql, (sessionid, appid, appid)).fetchone()
    else:  # a lookup by primary key answers in a millisecond, or the server has stalled
        with postgres.time_limit(postgres.PING_SECONDS):
            row = postgres.execute_prepared(
                database, "dashboard_session_with_account", layout.sql, (sessionid, appid, appid)
            ).fetchone()
    if row is None:
        return None
    session, account = (_converted(columns, row) for columns in layout.columns)
    return session, account, {name: row[i] for name, i in layout.secrets}


def _converted(columns: tuple[tuple[str, int, Any], ...], row: tuple[Any, ...]) -> dict[str, Any]:
    values = {}
    for name, index, convert in columns:
        value = row[index]
        values[name] = value if convert is None or value is None else convert(value)
    return values


TOKEN_SECRETS = ("token_hash", "session_key")  # what proving a token needs


@dataclass(frozen=True)
class _Layout:
    sql: str
    # (field name, column index, how the driver's value becomes the field's, or None)
    columns: tuple[tuple[tuple[str, int, Any], ...], ...]
    secrets: tuple[tuple[str, int], ...]


@functools.cache
def _layout(param: str) -> _Layout:
    """The query and its columns for a placeholder style: "?" SQLite, "%s" PostgreSQL."""
    fields = [
        (alias, field)
        for alias, model in (("s", Session), ("a", Account))
        for field in model._meta.sorted_fields
        if field.name not in SECRET_FIELDS or field.name in TOKEN_SECRETS
    ]
    selected = ", ".join(f'{alias}."{field.column_name}"' for alias, field in fields)
    sql = (
        f'SELECT {selected} FROM "session" AS s '
        'JOIN "account" AS a ON a."accountid" = s."accountid" '
        f'WHERE s."sessionid" = {param} AND s."appid" = {param} AND a."appid" = {param}'
    )
    sqlite = param == "?"
    columns: list[list[tuple[str, int, Any]]] = [[], []]
    secrets = []
    for index, (alias, field) in enumerate(fields):
        if field.name in TOKEN_SECRETS:
            secrets.append((field.name, index))
        else:
            columns[alias == "a"].append((field.name, index, _converter(field, sqlite)))
    return _Layout(sql, tuple(map(tuple, columns)), tuple(secrets))


def _converter(field: peewee.Field, sqlite: bool) -> Any:
    """How a driver's value (never None) becomes the field's value; None: it already is."""
    if isinstance(field, peewee.DateTimeField):
        # SQLite returns times as ISO text; fromisoformat reads it in C, where peewee's
        # python_value tries strptime formats one by one. psycopg2 returns datetimes.
        return datetime.fromisoformat if sqlite else None
    if isinstance(field, peewee.BooleanField):
        return bool if sqlite else None
    if isinstance(field, (peewee.CharField, peewee.IntegerField, peewee.ForeignKeyField)):
        return None
    return field.python_value
