"""Peewee storage: the Account and Session tables, the database binding, public objects."""

from __future__ import annotations

import contextvars
import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import peewee

from dashboard import clock, databases

_bound: contextvars.ContextVar[peewee.Database | None] = contextvars.ContextVar(
    "dashboard_database", default=None
)


class ContextDatabase(peewee.DatabaseProxy):
    """The database of the app whose context is current, in this thread or task.

    Models are defined before any app, so they reach their database through this proxy.
    Each app binds its own database when one of its contexts starts, for that context
    alone: two apps in one process, serving at once on two threads, never cross.
    """

    __slots__ = ()

    @property  # type: ignore[override]
    def obj(self) -> peewee.Database | None:
        return _bound.get()

    @obj.setter
    def obj(self, database: peewee.Database | None) -> None:
        _bound.set(database)

    def __setattr__(self, name: str, value: Any) -> None:
        # peewee's check reads this class's empty __slots__; the base's are the ones.
        if name not in peewee.DatabaseProxy.__slots__:
            raise AttributeError(f"cannot set {name} on the database proxy")
        object.__setattr__(self, name, value)  # obj: the property above

    @staticmethod
    def bind(database: peewee.Database) -> contextvars.Token:
        """Point this context at ``database``; the token undoes it."""
        return _bound.set(database)

    @staticmethod
    def unbind(token: contextvars.Token) -> None:
        _bound.reset(token)


db = ContextDatabase()

# Never returned, logged or cached.
SECRET_FIELDS = frozenset(
    {"username_hash", "password_hash", "session_key", "token_hash", "code_hash"}
)


class BaseModel(peewee.Model):
    # Through a lambda so that a test that replaces clock.now controls these too.
    created_at = peewee.DateTimeField(default=lambda: clock.now())
    updated_at = peewee.DateTimeField(default=lambda: clock.now())

    class Meta:
        database = db
        legacy_table_names = False


class Account(BaseModel):
    accountid = peewee.CharField(max_length=32, primary_key=True)
    appid = peewee.CharField(max_length=64)
    username_hash = peewee.CharField(max_length=128)
    password_hash = peewee.CharField(max_length=128)
    # Hashed from the password as RFC 8265 prepares it (schema version 3); older ones
    # from the password as typed, until the next sign-in.
    password_prepared = peewee.BooleanField(default=False)
    session_key = peewee.CharField(max_length=64)
    session_key_number = peewee.IntegerField(default=1)
    session_key_last_reset_at = peewee.DateTimeField(null=True)
    last_signed_in_at = peewee.DateTimeField(null=True)
    password_last_changed_at = peewee.DateTimeField(null=True)
    username_last_changed_at = peewee.DateTimeField(null=True)
    deleted_at = peewee.DateTimeField(null=True)
    owner_since = peewee.DateTimeField(null=True)
    administrator_since = peewee.DateTimeField(null=True)
    # schema version 4: the default profile, and when reset codes were last made and used
    profileid = peewee.CharField(max_length=32, null=True)
    reset_code_last_created_at = peewee.DateTimeField(null=True)
    reset_code_last_used_at = peewee.DateTimeField(null=True)

    class Meta:
        indexes = (
            (("appid", "username_hash"), True),
            (("appid", "deleted_at"), False),  # schema version 2
        )


# At most one owner per appid, even when the first accounts register at once.
Account.add_index(
    Account.index(Account.appid, unique=True, where=Account.owner_since.is_null(False))
)


class Session(BaseModel):
    sessionid = peewee.CharField(max_length=32, primary_key=True)
    appid = peewee.CharField(max_length=64)
    account = peewee.ForeignKeyField(
        Account, column_name="accountid", field="accountid", on_delete="CASCADE"
    )
    token_hash = peewee.CharField(max_length=128)
    csrf_token = peewee.CharField(max_length=64)
    duration = peewee.IntegerField()
    expires_at = peewee.DateTimeField()
    last_verified_at = peewee.DateTimeField()
    ended_at = peewee.DateTimeField(null=True)
    session_key_number = peewee.IntegerField()
    ip_address = peewee.CharField(max_length=64, null=True)
    user_agent = peewee.CharField(max_length=512, null=True)

    class Meta:
        indexes = ((("account", "appid", "created_at"), False),)


class Profile(BaseModel):
    """An account's name and contact details: personal data, never logged."""

    profileid = peewee.CharField(max_length=32, primary_key=True)
    appid = peewee.CharField(max_length=64)
    account = peewee.ForeignKeyField(
        Account, column_name="accountid", field="accountid", on_delete="CASCADE"
    )
    full_name = peewee.CharField(max_length=200, null=True)
    contact_email = peewee.CharField(max_length=320, null=True)
    display_email = peewee.CharField(max_length=320, null=True)
    display_name = peewee.CharField(max_length=200, null=True)
    company_name = peewee.CharField(max_length=200, null=True)
    dob = peewee.CharField(max_length=10, null=True)
    phone = peewee.CharField(max_length=30, null=True)
    occupation = peewee.CharField(max_length=200, null=True)
    location = peewee.CharField(max_length=200, null=True)
    website = peewee.CharField(max_length=2048, null=True)

    class Meta:
        indexes = ((("account", "appid", "created_at"), False),)


class ResetCode(BaseModel):
    """A code that can set a new password: stored only as a keyed hash, bound to its account."""

    codeid = peewee.CharField(max_length=32, primary_key=True)
    appid = peewee.CharField(max_length=64)
    account = peewee.ForeignKeyField(
        Account, column_name="accountid", field="accountid", on_delete="CASCADE"
    )
    code_hash = peewee.CharField(max_length=128)
    # schema version 6: the administrator who made it for the account, or None: its own
    created_by = peewee.CharField(max_length=32, null=True)

    class Meta:
        table_name = "reset_code"
        indexes = (
            (("account", "appid", "created_at"), False),
            (("account", "code_hash"), False),
        )


class Metric(peewee.Model):
    """A count of one kind of write: per day, month, year and in total (schema version 5)."""

    appid = peewee.CharField(max_length=64)
    name = peewee.CharField(max_length=32)
    date_key = peewee.CharField(max_length=10)  # YYYY, YYYY-MM, YYYY-MM-DD or total
    value = peewee.BigIntegerField(default=0)

    class Meta:
        database = db
        primary_key = peewee.CompositeKey("appid", "name", "date_key")


MODELS = (Account, Session, Profile, ResetCode, Metric)


def session_with_account(
    sessionid: str, appid: str, database: peewee.Database | None = None
) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]] | None:
    """The session and account rows without their secrets, and the secrets the token
    check needs (token_hash, session_key), in one query; or None.

    The hot path of every signed-in request: the SQL, and how each column becomes a
    value, are worked out once per database kind, since doing it through peewee costs
    far more than running the query. ``database``: the app's, where no app context binds
    ``db`` (gateway.py).
    """
    if database is None:
        database = db
    layout = _layout(database.param)
    sqlite = database.param == "?"
    if sqlite:  # a local file: nothing to wait for but its lock, which has its bound
        row = database.execute_sql(layout.sql, (sessionid, appid, appid)).fetchone()
    else:  # a lookup by primary key answers in a millisecond, or the server has stalled
        with databases.time_limit(databases.PING_SECONDS):
            row = databases.execute_prepared(
                database, "dashboard_session_with_account", layout.sql, (sessionid, appid, appid)
            ).fetchone()
    if row is None:
        return None
    session, account = (_converted(columns, row) for columns in layout.columns)
    return session, account, {name: row[i] for name, i in layout.secrets}


def _converted(columns: tuple[tuple[str, int, Any], ...], row: tuple) -> dict[str, Any]:
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


def public_data(row: dict[str, Any]) -> dict[str, Any]:
    """A row dict minus its secrets."""
    return {name: value for name, value in row.items() if name not in SECRET_FIELDS}


def write() -> Any:
    """One transaction for all the writes of a route: all of them or none."""
    return db.atomic()


def locked(query: peewee.Select) -> peewee.Select:
    """``query`` locking the rows it reads until the transaction ends.

    PostgreSQL: SELECT ... FOR UPDATE. SQLite has no row locks and needs none: a write
    transaction there holds the whole database from BEGIN (IMMEDIATE).
    """
    if isinstance(db.obj, peewee.PostgresqlDatabase):
        return query.for_update()
    return query


def data(row: peewee.Model) -> dict[str, Any]:
    """A row's fields minus its secrets: what may be cached and serialised."""
    # __data__ holds the column values: a foreign key stays an id, with no extra query.
    return public_data({name: row.__data__.get(name) for name in row._meta.sorted_field_names})


ACCOUNT_FIELDS = (
    ("appid", "appid"),
    ("sessionKeyNumber", "session_key_number"),
    ("sessionKeyLastResetAt", "session_key_last_reset_at"),
    ("lastSignedInAt", "last_signed_in_at"),
    ("passwordLastChangedAt", "password_last_changed_at"),
    ("usernameLastChangedAt", "username_last_changed_at"),
    ("deletedAt", "deleted_at"),
    ("ownerSince", "owner_since"),
    ("administratorSince", "administrator_since"),
    ("resetCodeLastCreatedAt", "reset_code_last_created_at"),
    ("resetCodeLastUsedAt", "reset_code_last_used_at"),
    ("createdAt", "created_at"),
    ("updatedAt", "updated_at"),
)
SESSION_FIELDS = (
    ("appid", "appid"),
    ("accountid", "account"),
    ("duration", "duration"),
    ("csrfToken", "csrf_token"),
    ("expiresAt", "expires_at"),
    ("lastVerifiedAt", "last_verified_at"),
    ("endedAt", "ended_at"),
    ("sessionKeyNumber", "session_key_number"),
    ("ipAddress", "ip_address"),
    ("userAgent", "user_agent"),
    ("createdAt", "created_at"),
    ("updatedAt", "updated_at"),
)


def public_account(
    account: dict[str, Any], fields: tuple[tuple[str, str], ...] = ACCOUNT_FIELDS
) -> dict[str, Any]:
    """The Account object the API returns; with ``fields`` (), only its id and flags."""
    result = {"accountid": account["accountid"], "object": "account"}
    result.update(_present(account, fields))
    result["profileid"] = account.get("profileid")  # null until it has a profile
    if account["owner_since"] is not None:
        result["owner"] = True
    if account["administrator_since"] is not None:
        result["administrator"] = True
    return result


def public_session(
    session: dict[str, Any],
    ended: datetime | None,
    fields: tuple[tuple[str, str], ...] = SESSION_FIELDS,
) -> dict[str, Any]:
    """The Session object the API returns; ``ended`` is when it stopped being valid.
    With ``fields``, only those of SESSION_FIELDS (and its id, object and ended)."""
    result = {"sessionid": session["sessionid"], "object": "session"}
    result.update(_present(session, fields))
    result["ended"] = clock.iso(ended) if ended is not None else False
    return result


PROFILE_FIELDS = (
    ("appid", "appid"),
    ("accountid", "account"),
    ("fullName", "full_name"),
    ("contactEmail", "contact_email"),
    ("displayEmail", "display_email"),
    ("displayName", "display_name"),
    ("companyName", "company_name"),
    ("dob", "dob"),
    ("phone", "phone"),
    ("occupation", "occupation"),
    ("location", "location"),
    ("website", "website"),
    ("createdAt", "created_at"),
    ("updatedAt", "updated_at"),
)
RESET_CODE_FIELDS = (
    ("appid", "appid"),
    ("accountid", "account"),
    ("createdAt", "created_at"),
    ("updatedAt", "updated_at"),
)


def public_profile(profile: dict[str, Any]) -> dict[str, Any]:
    """The Profile object the API returns: the fields that are set."""
    return {"profileid": profile["profileid"], "object": "profile"} | _present(
        profile, PROFILE_FIELDS
    )


def public_reset_code(code: dict[str, Any]) -> dict[str, Any]:
    """The ResetCode object the API returns: never the code, nor its hash."""
    return {"codeid": code["codeid"], "object": "resetCode"} | _present(code, RESET_CODE_FIELDS)


def _present(row: dict[str, Any], fields: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    # Unset optional fields are left out, as the original's objects do.
    result: dict[str, Any] = {}
    for api_name, field in fields:
        value = row[field]
        if value is not None:
            result[api_name] = clock.iso(value) if isinstance(value, datetime) else value
    return result
