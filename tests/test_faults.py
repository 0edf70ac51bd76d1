"""Faults: the database or Redis going away or stalling, and writes interrupted midway.

The faults are real: PostgreSQL and Redis are reached through a TCP proxy that a test
cuts (connections refused) or freezes (connections open, nothing answers). Every
outage must answer 503 (or, for Redis, answer correctly without it) within its bound.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import replace

import pytest

from dashboard import accounts, cache, create_app, databases, sessions, storage
from dashboard.config import Config
from tests.conftest import ENCRYPTION_KEY, SESSION_KEY
from tests.proxy import Proxy

# Short bounds so that the tests run quickly; the defaults are a few seconds.
BOUNDED = {
    "database_connect_timeout": 1.0,
    "database_statement_timeout": 1.0,
    "database_lock_timeout": 0.5,
    "redis_timeout": 0.3,
}


def bounded_config(**changes) -> Config:
    return Config(
        encryption_key=ENCRYPTION_KEY,
        session_key=SESSION_KEY,
        bcrypt_workload_factor=4,
        ratelimit_enabled=False,
        **{**BOUNDED, **changes},
    )


@pytest.fixture
def redis_url():
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.skip("Redis: TEST_REDIS_URL is not set")
    return url


@contextmanager
def app_through_proxy(database_url: str, tmp_path, **changes):
    """An app whose PostgreSQL is reached through a proxy; (app, proxy)."""
    proxy = Proxy.to(database_url)
    config = bounded_config(database_url=proxy.url(database_url), **changes)
    app = create_app(config, instance_path=str(tmp_path))
    try:
        yield app, proxy
    finally:
        proxy.cut()
        databases.close_all(app.extensions["dashboard"].database)


def eventually(probe, seconds: float = 5.0):
    """What ``probe()`` returns (a status or a response) once it is not a 503, trying for
    up to ``seconds``."""
    deadline = time.monotonic() + seconds
    while getattr(result := probe(), "status_code", result) == 503:
        if time.monotonic() > deadline:
            break
        time.sleep(0.05)
    return result


def timed(action):
    """(what ``action()`` returned, the seconds it took)."""
    started = time.monotonic()
    result = action()
    return result, time.monotonic() - started


def register_and_sign_in(client, username="fault-user", password="fault-password"):
    credentials = {"username": username, "password": password}
    assert client.post("/api/user/create-account", json=credentials).status_code == 200
    session = client.post("/api/user/create-session", json=credentials).json
    bearer = {"Authorization": f"Bearer {session['sessionid']}.{session['token']}"}
    return session, bearer


def unavailable(response) -> bool:
    return (response.status_code, response.json) == (
        503,
        {"object": "error", "message": "storage-unavailable"},
    )


class TestDatabaseUnreachable:
    def test_503_then_recovers_by_itself(self, postgresql_url, tmp_path, caplog):
        with app_through_proxy(postgresql_url, tmp_path) as (app, proxy):
            client = app.test_client()
            session, bearer = register_and_sign_in(client)
            url = f"/api/user/account?accountid={session['accountid']}"
            assert client.get(url, headers=bearer).status_code == 200

            proxy.cut()
            for attempt in (
                lambda: client.get(url, headers=bearer),
                lambda: client.post(
                    "/api/user/create-session",
                    json={"username": "fault-user", "password": "fault-password"},
                ),
                lambda: client.get(url, headers=bearer),
            ):
                assert unavailable(attempt())
            health = client.get("/healthz")
            assert (health.status_code, health.json["database"]) == (503, "unavailable")
            assert "Traceback" not in caplog.text

            proxy.restore()
            assert eventually(lambda: client.get(url, headers=bearer).status_code) == 200
            assert client.get("/healthz").status_code == 200

    def test_starts_anyway_and_makes_the_schema_once_it_answers(self, postgresql_url, tmp_path):
        proxy = Proxy.to(postgresql_url)
        proxy.cut()
        config = bounded_config(database_url=proxy.url(postgresql_url))
        app = create_app(config, instance_path=str(tmp_path))  # no exception: no crash loop
        client = app.test_client()
        credentials = {"username": "early-user", "password": "early-password"}
        try:
            assert unavailable(client.post("/api/user/create-account", json=credentials))
            assert client.get("/healthz").status_code == 503
            proxy.restore()
            created = eventually(
                lambda: client.post("/api/user/create-account", json=credentials).status_code
            )
            assert created == 200  # the empty schema got its tables at the first connection
            assert client.get("/healthz").json["database"] == "ok"
        finally:
            proxy.cut()
            databases.close_all(app.extensions["dashboard"].database)

    @pytest.mark.parametrize("command", ["migrate", "purge-deleted"])
    def test_commands_say_so_in_one_line(self, postgresql_url, tmp_path, command):
        with app_through_proxy(postgresql_url, tmp_path) as (app, proxy):
            proxy.cut()
            result = app.test_cli_runner().invoke(args=["dashboard", command])
        assert result.exit_code == 1
        said, refusal = result.stderr.strip().splitlines()  # which database; why not
        assert said.startswith("database: postgresql://")
        assert refusal.startswith("Error: the database does not answer (OperationalError")


class TestDatabaseStalled:
    """PostgreSQL behind a proxy that stops forwarding: nothing refuses, nothing answers."""

    def test_the_bounds_reach_the_server_and_the_urls_own_options_win(
        self, postgresql_url, tmp_path
    ):
        url = postgresql_url + "%20-clock_timeout%3D250"  # the operator's own, in the URL
        app = create_app(bounded_config(database_url=url), instance_path=str(tmp_path))
        try:
            with app.app_context():
                shown = {
                    name: storage.db.execute_sql(f"SHOW {name}").fetchone()[0]
                    for name in (
                        "statement_timeout",
                        "lock_timeout",
                        "idle_in_transaction_session_timeout",
                    )
                }
        finally:
            databases.close_all(app.extensions["dashboard"].database)
        assert shown["statement_timeout"] == "1s"
        assert shown["lock_timeout"] == "250ms"
        assert shown["idle_in_transaction_session_timeout"] == "1s"

    def test_first_request_waits_its_bound_the_next_ones_nothing(
        self, postgresql_url, tmp_path, caplog
    ):
        with app_through_proxy(postgresql_url, tmp_path) as (app, proxy):
            client = app.test_client()
            session, bearer = register_and_sign_in(client)
            url = f"/api/user/account?accountid={session['accountid']}"

            proxy.freeze()
            first, seconds = timed(lambda: client.get(url, headers=bearer))
            assert unavailable(first)
            assert seconds < 3  # the connect or statement bound (1 s here), not the stall
            answers, seconds = timed(lambda: [client.get(url, headers=bearer) for _ in range(20)])
            assert all(unavailable(answer) for answer in answers)
            assert seconds < 1  # the outage is known: no one waits for it again
            warnings = [r for r in caplog.records if "database unavailable" in r.getMessage()]
            assert len(warnings) == 1

            proxy.restore()
            assert eventually(lambda: client.get(url, headers=bearer).status_code) == 200
            assert "database available again" in caplog.text

    def test_verify_answers_503_within_about_a_second_then_200_again(
        self, postgresql_url, tmp_path
    ):
        # A connection lent again at once is not pinged: the lookup's own bound finds the
        # stall, not the requests' ten seconds.
        with app_through_proxy(
            postgresql_url, tmp_path, database_connect_timeout=10, database_statement_timeout=10
        ) as (app, proxy):
            client = app.test_client()
            _, bearer = register_and_sign_in(client)
            assert client.get("/api/verify", headers=bearer).status_code == 200
            proxy.freeze()
            first, seconds = timed(lambda: client.get("/api/verify", headers=bearer))
            assert unavailable(first)
            assert seconds < 2.5
            proxy.restore()
            assert eventually(lambda: client.get("/api/verify", headers=bearer).status_code) == 200

    def test_healthz_answers_503_within_about_a_second(self, postgresql_url, tmp_path):
        with app_through_proxy(
            postgresql_url, tmp_path, database_connect_timeout=10, database_statement_timeout=10
        ) as (app, proxy):
            client = app.test_client()
            assert client.get("/healthz").status_code == 200
            proxy.freeze()
            health, seconds = timed(lambda: client.get("/healthz"))
            assert (health.status_code, health.json["database"]) == (503, "unavailable")
            assert seconds < 2  # its own one-second bound, not the requests' ten seconds

    def test_a_write_cut_off_midway_is_rolled_back(self, postgresql_url, tmp_path, monkeypatch):
        with app_through_proxy(postgresql_url, tmp_path) as (app, proxy):
            client = app.test_client()
            session, bearer = register_and_sign_in(client)
            real = accounts.renumber_sessions

            def renumber_then_stall(*args, **kwargs):
                real(*args, **kwargs)
                proxy.freeze()  # the next statement of this transaction never arrives

            monkeypatch.setattr(accounts, "renumber_sessions", renumber_then_stall)
            reset_url = f"/api/user/reset-session-key?accountid={session['accountid']}"
            cut_off, seconds = timed(lambda: client.patch(reset_url, headers=bearer))
            assert unavailable(cut_off)
            assert seconds < 4
            monkeypatch.setattr(accounts, "renumber_sessions", real)
            proxy.restore()
            url = f"/api/user/account?accountid={session['accountid']}"
            fetched = eventually(lambda: client.get(url, headers=bearer))
            assert fetched.json["sessionKeyNumber"] == 1  # the cut-off reset wrote nothing

    def test_a_half_open_connection_holding_a_row_lock_stalls_others_only_to_the_lock_timeout(
        self, postgresql_url, tmp_path
    ):
        import psycopg2

        app = create_app(bounded_config(database_url=postgresql_url), instance_path=str(tmp_path))
        proxy = Proxy.to(postgresql_url)
        try:
            client = app.test_client()
            session, bearer = register_and_sign_in(client)
            # Another host's connection, with the settings this service gives its own,
            # locks the account's row, and then its network goes silent mid-transaction.
            database = app.extensions["dashboard"].database
            params = {**database.connect_params, "host": "127.0.0.1", "port": proxy.port}
            params.pop("connection_factory")
            holder = psycopg2.connect(dbname=database.database, **params)
            holder.cursor().execute(
                "SELECT 1 FROM account WHERE accountid = %s FOR UPDATE", (session["accountid"],)
            )
            proxy.freeze()

            reset_url = f"/api/user/reset-session-key?accountid={session['accountid']}"
            blocked, seconds = timed(lambda: client.patch(reset_url, headers=bearer))
            assert unavailable(blocked)
            assert seconds < 1.5  # the lock timeout (0.5 s here), not the stall
            # The server ends the silent transaction once it has idled for the statement
            # timeout (1 s here), and the row is free again.
            assert eventually(lambda: client.patch(reset_url, headers=bearer).status_code) == 200
        finally:
            proxy.cut()
            databases.close_all(app.extensions["dashboard"].database)

    def test_start_waits_no_longer_than_the_connect_timeout(self, postgresql_url, tmp_path):
        proxy = Proxy.to(postgresql_url)
        proxy.freeze()
        try:
            config = bounded_config(database_url=proxy.url(postgresql_url))
            app, seconds = timed(lambda: create_app(config, instance_path=str(tmp_path)))
            assert seconds < 3
            assert app.test_client().get("/healthz").status_code == 503
        finally:
            proxy.cut()


class TestSqliteLocked:
    def test_a_held_write_lock_delays_writes_only_to_the_lock_timeout(self, tmp_path):
        path = tmp_path / "locked.sqlite3"
        app = create_app(
            bounded_config(database_url=f"sqlite:///{path}"), instance_path=str(tmp_path)
        )
        client = app.test_client()
        session, bearer = register_and_sign_in(client)
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        try:
            reset_url = f"/api/user/reset-session-key?accountid={session['accountid']}"
            blocked, seconds = timed(lambda: client.patch(reset_url, headers=bearer))
            assert unavailable(blocked)
            assert seconds < 1.5  # the lock timeout (0.5 s here)
            url = f"/api/user/account?accountid={session['accountid']}"
            assert client.get(url, headers=bearer).status_code == 200  # reads go on
        finally:
            holder.execute("ROLLBACK")
        assert client.patch(reset_url, headers=bearer).status_code == 200


class TestRedisUnreachable:
    @pytest.fixture
    def redis_app(self, config, tmp_path, redis_url, monkeypatch):
        monkeypatch.setattr(cache, "RETRY_SECONDS", 0.5)
        proxy = Proxy.to(redis_url)
        via_proxy = proxy.url(redis_url)
        app = create_app(
            replace(
                config,
                cache_url=via_proxy,
                ratelimit_storage_uri=via_proxy,
                ratelimit_enabled=True,
                create_session_rate_limit="4 per minute",
                redis_timeout=BOUNDED["redis_timeout"],
                appid=f"faults-{secrets.token_hex(4)}",  # its own counters on a shared Redis
            ),
            instance_path=str(tmp_path),
        )
        yield app, proxy
        proxy.cut()

    @pytest.mark.parametrize("fault", ["cut", "freeze"])
    def test_answers_stay_right_and_fast_and_it_is_said_once(self, redis_app, caplog, fault):
        app, proxy = redis_app
        client = app.test_client()
        session, bearer = register_and_sign_in(client)  # sign-in 1, counted in Redis
        url = f"/api/user/account?accountid={session['accountid']}"
        assert client.get(url, headers=bearer).json["sessionKeyNumber"] == 1

        getattr(proxy, fault)()
        credentials = {"username": "fault-user", "password": "fault-password"}
        answers, seconds = timed(
            lambda: [client.post("/api/user/create-session", json=credentials) for _ in range(5)]
        )
        # never a 500 after a committed sign-in; limits still hold, counted in this
        # process's memory from here on
        assert [answer.status_code for answer in answers] == [200] * 4 + [429]
        assert seconds < 2  # each Redis client waits its timeout (0.3 s here) once
        ours = [r.getMessage() for r in caplog.records if r.name == "dashboard"]
        assert len([line for line in ours if line.startswith("cache unavailable")]) == 1
        assert len([line for line in ours if "falling back to in-memory" in line]) == 1
        assert client.get("/healthz").json["cache"] == "unavailable"
        # the cache is bypassed: a write is seen at once, answers stay right
        reset = client.patch(
            f"/api/user/reset-session-key?accountid={session['accountid']}", headers=bearer
        )
        assert reset.status_code == 200
        assert client.get(url, headers=bearer).status_code == 401

        proxy.restore()
        deadline = time.monotonic() + 5
        while client.get("/healthz").json["cache"] != "ok" and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "cache available again" in caplog.text
        # the invalidation missed during the outage was written first
        backend = app.extensions["dashboard"].cache.backend
        assert backend.get(f"{session['appid']}/{session['accountid']}") == cache.INVALIDATED


class TestInterruptedWrites:
    def test_sign_in_failing_midway_writes_nothing(self, app, client, user, monkeypatch):
        def fail(*args, **kwargs):
            raise RuntimeError("injected between the account update and the session insert")

        with app.app_context():
            before = storage.Account.get_by_id(user.account["accountid"]).last_signed_in_at
        monkeypatch.setattr(sessions, "start", fail)
        credentials = {"username": user.username, "password": user.password}
        assert client.post("/api/user/create-session", json=credentials).status_code == 500
        with app.app_context():
            assert storage.Account.get_by_id(user.account["accountid"]).last_signed_in_at == before
            mine = storage.Session.account == user.account["accountid"]
            assert storage.Session.select().where(mine).count() == 1

    def test_password_change_failing_midway_writes_nothing(self, app, client, user, monkeypatch):
        def fail(*args, **kwargs):
            raise RuntimeError("injected between the password update and the renumbering")

        monkeypatch.setattr(accounts, "renumber_sessions", fail)
        response = client.patch(
            f"/api/user/set-account-password?accountid={user.account['accountid']}",
            json={"new-password": "a-new-password", "password": user.password},
            headers=user.bearer,
        )
        assert response.status_code == 500
        signed_in = client.post(
            "/api/user/create-session", json={"username": user.username, "password": user.password}
        )
        assert signed_in.status_code == 200
        with app.app_context():
            assert (
                storage.Account.get_by_id(user.account["accountid"]).password_last_changed_at
                is None
            )

    def test_deletion_failing_midway_writes_nothing(self, app, client, user, monkeypatch):
        def fail(*args, **kwargs):
            raise RuntimeError("injected between the account update and ending the sessions")

        monkeypatch.setattr(accounts, "renumber_sessions", fail)
        response = client.patch(
            f"/api/user/set-account-deleted?accountid={user.account['accountid']}",
            json={"password": user.password},
            headers=user.bearer,
        )
        assert response.status_code == 500
        with app.app_context():
            assert storage.Account.get_by_id(user.account["accountid"]).deleted_at is None
        assert (
            client.get(
                f"/api/user/account?accountid={user.account['accountid']}", headers=user.bearer
            ).status_code
            == 200
        )
