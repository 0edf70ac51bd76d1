"""Fixtures: a clean database and a new app per test, route calls, users, a controlled clock."""

from __future__ import annotations

import contextlib
import functools
import importlib
import itertools
import os
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from dashboard import (
    administrators,
    clock,
    create_app,
    databases,
    events,
    lookup,
    outage,
    security,
    storage,
)
from dashboard.config import Config
from dashboard.errors import ApiError
from tests import templates
from tests.authenticator import Authenticator

pytest_plugins = ["tests.contracts"]  # every route held to its declared contract

ENCRYPTION_KEY = "e" * 64
SESSION_KEY = "s" * 64
_counter = itertools.count()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> Iterator[str]:
    """A database of the current schema and no rows, the test's alone: a copy of this
    process's migrated SQLite file, or its migrated schema in TEST_DATABASE_URL, emptied
    (tests/templates.py)."""
    if request.param == "sqlite":
        yield request.getfixturevalue("sqlite_template").copy_to(tmp_path / "dashboard.sqlite3")
        return
    template = request.getfixturevalue("postgresql_template")
    yield template.url()
    template.check()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request, tmp_path) -> Iterator[str]:
    """A database with nothing in it, not even a schema: a new SQLite file, or a new
    schema in TEST_DATABASE_URL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'dashboard.sqlite3'}"
    else:
        yield request.getfixturevalue("postgresql_url")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> templates.SqliteTemplate:
    return templates.SqliteTemplate(tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session")
def postgresql_template() -> Iterator[templates.PostgresqlTemplate]:
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.skip("PostgreSQL: TEST_DATABASE_URL is not set")
    template = templates.PostgresqlTemplate(base)
    yield template
    template.close()


@pytest.fixture
def postgresql_url() -> Iterator[str]:
    """A new, empty schema in the PostgreSQL database TEST_DATABASE_URL names."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.skip("PostgreSQL: TEST_DATABASE_URL is not set")
    with postgresql_schema(base) as url:
        yield url


def pytest_sessionstart(session: pytest.Session) -> None:
    """TEST_DATABASE_URL's database, made when the server has none of that name; when it
    cannot be reached or made, the run stops at once with one line saying why."""
    base = os.environ.get("TEST_DATABASE_URL")
    if base:
        problem = _made_if_missing(base)
        if problem:
            pytest.exit(f"TEST_DATABASE_URL {problem}", 3)


def _made_if_missing(base: str) -> str | None:
    import psycopg2
    from psycopg2 import errors, sql

    try:
        psycopg2.connect(base).close()
        return None
    except psycopg2.OperationalError as error:
        if not re.search(r'database ".*" does not exist', str(error)):
            return f"cannot be reached: {outage.reason(error)}"
    name = psycopg2.extensions.parse_dsn(base)["dbname"]
    try:
        server = psycopg2.connect(base, dbname="postgres")
        server.autocommit = True
        with contextlib.closing(server):
            server.cursor().execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except errors.DuplicateDatabase:
        pass  # another test process made it meanwhile
    except psycopg2.Error as error:
        return f"names no database, and {name} cannot be made: {outage.reason(error)}"
    return None


@contextlib.contextmanager
def postgresql_schema(base: str) -> Iterator[str]:
    """A new PostgreSQL schema, and a URL whose connections use it; dropped after."""
    import psycopg2

    name = f"test_{secrets.token_hex(6)}"
    admin = psycopg2.connect(base)
    admin.autocommit = True
    try:
        admin.cursor().execute(f"CREATE SCHEMA {name}")
        yield templates.schema_url(base, name)
        admin.cursor().execute(f"DROP SCHEMA {name} CASCADE")
    finally:
        admin.close()


@pytest.fixture
def config(database_url) -> Config:
    """A fresh database, the lowest bcrypt cost, limits off, fixed keys."""
    return Config(
        encryption_key=ENCRYPTION_KEY,
        session_key=SESSION_KEY,
        database_url=database_url,
        bcrypt_workload_factor=4,
        ratelimit_enabled=False,
    )


@pytest.fixture
def apps() -> Iterator[list]:
    """Every app a test made; their connection pools are closed after the test."""
    made: list = []
    yield made
    for each in made:
        databases.close_all(each.extensions["dashboard"].database)
        near = each.extensions["dashboard"].cache.near
        if near is not None:
            near.close()  # its thread and its Redis connection go


@pytest.fixture
def app(config, tmp_path, apps):
    apps.append(create_app(config, instance_path=str(tmp_path / "instance")))
    return apps[-1]


@pytest.fixture
def client(app):
    return app.test_client()


def route(path: str):
    """The module of a route path such as ``user/create-session`` (or ``verify``)."""
    kind, _, name = path.rpartition("/")
    return importlib.import_module(f"dashboard.api.{kind or 'gateway'}.{name.replace('-', '_')}")


def call_route(app, path: str, method: str, req: dict[str, Any] | None = None) -> Any:
    """Call a route function of ``app`` in an app context, as a Python embedder would."""
    with app.app_context():
        return getattr(route(path), method)(req or {})


@pytest.fixture
def call(app):
    """``call("user/account", "get", req)`` on the test's app."""
    return functools.partial(call_route, app)


@pytest.fixture
def error_of(call):
    """The error code a route call raises: ``error_of("user/account", "get", req)``."""

    def run(path: str, method: str, req: dict[str, Any] | None = None) -> str:
        with pytest.raises(ApiError) as raised:
            call(path, method, req)
        return raised.value.code

    return run


@dataclass
class User:
    username: str
    password: str
    account: dict[str, Any]
    session: dict[str, Any]

    @property
    def req(self) -> dict[str, Any]:
        """A req signed in as this user, as the HTTP layer builds it."""
        return {"account": self.account, "session": self.session}

    def ask(self, query: dict[str, str] | None = None, **body: str) -> dict[str, Any]:
        """A signed-in req with a query and posted fields (``new_password`` -> new-password)."""
        posted = {name.replace("_", "-"): value for name, value in body.items()}
        return {**self.req, "query": query or {}, "body": posted}

    @property
    def own(self) -> dict[str, str]:
        """?accountid= of this user."""
        return {"accountid": self.account["accountid"]}

    @property
    def bearer(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.session['sessionid']}.{self.session['token']}"}


def register(call, username: str | None = None, password: str | None = None) -> User:
    """Register an account and sign it in through the routes, like the original's createUser."""
    username = username or f"user{next(_counter)}-{secrets.token_hex(4)}"
    password = password or secrets.token_hex(8)
    account = call(
        "user/create-account", "post", {"body": {"username": username, "password": password}}
    )
    return User(username, password, account, sign_in(call, username, password))


@pytest.fixture
def owner(app, call) -> User:
    """The site's first account, made its owner (and so an administrator) as the
    operator does (``create-account --owner``)."""
    made = register(call)
    with app.app_context():
        with storage.write():
            administrators.make_owner(made.account["appid"], made.account["accountid"], clock.now())
    made.account = {**made.account, "owner": True, "administrator": True}
    return made


@pytest.fixture
def create_user(call, owner):
    """Accounts that are not the owner (the owner fixture made the site's first), signed in."""
    return functools.partial(register, call)


@pytest.fixture
def administrator(app, create_user) -> User:
    """An administrator who is not the owner, signed in (so lately verified)."""
    return promoted(app, create_user())


def promoted(app, made: User) -> User:
    """``made``, an administrator now."""
    with app.app_context():
        storage.Account.update(administrator_since=clock.now()).where(
            storage.Account.accountid == made.account["accountid"]
        ).execute()
    made.account = {**made.account, "administrator": True}
    return made


PROFILE = {"full-name": "Ada Lovelace", "contact-email": "ada@example.com"}


@pytest.fixture
def create_profile(call):
    """A new profile of ``user``: the USER_PROFILE_FIELDS, and any others given."""

    def make(user: User, **fields: str) -> dict[str, Any]:
        posted = {**PROFILE, **{name.replace("_", "-"): value for name, value in fields.items()}}
        return call("user/create-profile", "post", {**user.req, "query": user.own, "body": posted})

    return make


@pytest.fixture
def create_code(call):
    """A new reset code of ``user``; the server's choice unless ``secret_code`` is given.
    The result carries ``secretCode`` either way."""

    def make(user: User, secret_code: str | None = None) -> dict[str, Any]:
        body = {"password": user.password}
        if secret_code is not None:
            body["secret-code"] = secret_code
        code = call("user/create-reset-code", "post", {**user.req, "query": user.own, "body": body})
        return {"secretCode": secret_code, **code}

    return make


@pytest.fixture
def received(app):
    """(event name, data) of every signal the app sends, in order."""
    seen: list[tuple[str, dict]] = []
    receivers = []
    for signal in events.signals.values():

        def receive(sender, _name=signal.name, **data):
            assert sender is app
            seen.append((_name, data))

        signal.connect(receive, app)
        receivers.append((signal, receive))
    yield seen
    for signal, receive in receivers:
        signal.disconnect(receive, app)


def sign_in(call, username: str, password: str, **body: str) -> dict[str, Any]:
    return call(
        "user/create-session",
        "post",
        {"body": {"username": username, "password": password, **body}},
    )


@pytest.fixture
def user(create_user) -> User:
    return create_user()


# What each schema version added, undone: to make the database a previous version wrote.
SCHEMA_UNDO = {
    9: ["DROP TABLE passkey", "DROP TABLE challenge"],
    8: [
        "DROP TABLE totp",
        "ALTER TABLE account DROP COLUMN second_factors",
        "ALTER TABLE session DROP COLUMN second_step_until",
        "ALTER TABLE session DROP COLUMN second_step_tries",
    ],
    7: ["DROP TABLE audit"],
    6: ["ALTER TABLE reset_code DROP COLUMN created_by"],
    5: ["DROP TABLE metric"],
    4: [
        "DROP TABLE reset_code",
        "DROP TABLE profile",
        "ALTER TABLE account DROP COLUMN profileid",
        "ALTER TABLE account DROP COLUMN reset_code_last_created_at",
        "ALTER TABLE account DROP COLUMN reset_code_last_used_at",
    ],
    3: ["ALTER TABLE account DROP COLUMN password_prepared"],
    2: ["DROP INDEX account_appid_deleted_at"],
}


def schema_back_to(app, version: int) -> None:
    """Turn ``app``'s database back into schema ``version``, as that version left it."""
    from dashboard import schema

    with app.app_context():
        database = app.extensions["dashboard"].database
        for undone in range(schema.VERSION, version, -1):
            for statement in SCHEMA_UNDO[undone]:
                database.execute_sql(statement)
        if version == 1:
            database.execute_sql("DROP TABLE schema_version")
        else:
            database.execute_sql(f"UPDATE schema_version SET version = {version}")


class Clock:
    """A clock that moves only when told."""

    def __init__(self, start: datetime) -> None:
        self.moment = start

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


@pytest.fixture
def queries(monkeypatch) -> list[str]:
    """The sessionids the hot path looked up in the database."""
    looked: list[str] = []
    query = lookup._query

    def counted(sessionid, appid, database):
        looked.append(sessionid)
        return query(sessionid, appid, database)

    monkeypatch.setattr(lookup, "_query", counted)
    return looked


@pytest.fixture
def frozen_clock(monkeypatch) -> Clock:
    controlled = Clock(clock.now())
    monkeypatch.setattr(clock, "now", controlled)
    return controlled


@pytest.fixture
def bcrypt_calls(monkeypatch) -> list[str]:
    """Records every bcrypt.checkpw the service makes."""
    calls: list[str] = []
    real = security.bcrypt.checkpw

    def counting(password: bytes, hashed: bytes) -> bool:
        calls.append("checkpw")
        return real(password, hashed)

    monkeypatch.setattr(security.bcrypt, "checkpw", counting)
    return calls


@pytest.fixture
def make_app(config, tmp_path, apps):
    """Another app on the same database, with some Config fields changed."""

    def make(**changes: Any):
        apps.append(
            create_app(replace(config, **changes), instance_path=str(tmp_path / "instance"))
        )
        return apps[-1]

    return make


@pytest.fixture
def add_totp(call, frozen_clock):
    """Give ``user`` a confirmed authenticator app; returns its secret. The clock is
    frozen: ``code_of(secret, frozen_clock)`` is the app's code of now."""

    def add(user: User) -> str:
        made = call("user/create-totp", "post", user.ask(user.own, password=user.password))
        call(
            "user/confirm-totp",
            "patch",
            user.ask(user.own, code=code_of(made["secret"], frozen_clock)),
        )
        frozen_clock.advance(seconds=30)  # the next code is a new one
        return made["secret"]

    return add


@pytest.fixture
def add_passkey(call):
    """Give ``user`` a passkey, made by an Authenticator in software; returns the
    authenticator that holds it (``add_passkey(user, held_by)`` adds one more to it)."""

    def add(user: User, held_by: Authenticator | None = None, name: str | None = None):
        authenticator = held_by or Authenticator()
        options = call(
            "user/create-passkey-options",
            "post",
            user.ask(user.own, username=user.username, password=user.password),
        )
        posted = {"credential": authenticator.create(options)}
        if name is not None:
            posted["name"] = name
        authenticator.passkey = call("user/create-passkey", "post", user.ask(user.own, **posted))
        return authenticator

    return add


def code_of(secret: str, at: Any, steps: int = 0) -> str:
    """The code an authenticator app with ``secret`` shows at ``at()`` (a clock), moved
    ``steps`` 30-second steps."""
    import pyotp

    moment = at() + timedelta(seconds=30 * steps)  # naive UTC, as clock.now()
    return pyotp.TOTP(secret).at(moment.replace(tzinfo=timezone.utc))
