"""Faults: the database or Redis going away, and writes interrupted midway."""

from __future__ import annotations

import os
import secrets
from dataclasses import replace
from urllib.parse import urlsplit, urlunsplit

import pytest

from dashboard import accounts, create_app, sessions, storage
from tests.conftest import ENCRYPTION_KEY, SESSION_KEY
from tests.proxy import Proxy


def through(proxy: Proxy, url: str) -> str:
    """``url`` with its host and port replaced by the proxy's."""
    parts = urlsplit(url)
    credentials = parts.netloc.rpartition("@")[0]
    netloc = f"{credentials}@127.0.0.1:{proxy.port}" if credentials else f"127.0.0.1:{proxy.port}"
    return urlunsplit(parts._replace(netloc=netloc))


def target(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or {"redis": 6379}.get(parts.scheme, 5432)


@pytest.fixture
def redis_url():
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.skip("Redis: TEST_REDIS_URL is not set")
    return url


def register_and_sign_in(client, username="fault-user", password="fault-password"):
    credentials = {"username": username, "password": password}
    assert client.post("/api/user/create-account", json=credentials).status_code == 200
    session = client.post("/api/user/create-session", json=credentials).json
    bearer = {"Authorization": f"Bearer {session['sessionid']}.{session['token']}"}
    return session, bearer


class TestDatabaseUnreachable:
    def test_503_then_recovers_by_itself(self, postgresql_url, tmp_path, caplog):
        proxy = Proxy(*target(postgresql_url))
        config = replace(
            _config(), database_url=through(proxy, postgresql_url), database_pool_size=2
        )
        app = create_app(config, instance_path=str(tmp_path))
        client = app.test_client()
        try:
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
                response = attempt()
                assert response.status_code == 503
                assert response.json == {"object": "error", "message": "storage-unavailable"}
            health = client.get("/healthz")
            assert (health.status_code, health.json["database"]) == (503, "unavailable")
            assert "Traceback" not in caplog.text

            proxy.restore()
            assert client.get(url, headers=bearer).status_code == 200
            assert client.get("/healthz").status_code == 200
        finally:
            proxy.cut()
            storage.close_all(app.extensions["dashboard"].database)


class TestRedisUnreachable:
    def test_cache_bypassed_and_limits_fall_back_to_memory(
        self, config, tmp_path, redis_url, caplog
    ):
        proxy = Proxy(*target(redis_url))
        via_proxy = through(proxy, redis_url)
        app = create_app(
            replace(
                config,
                cache_url=via_proxy,
                ratelimit_storage_uri=via_proxy,
                ratelimit_enabled=True,
                create_session_rate_limit="4 per minute",
                appid=f"faults-{secrets.token_hex(4)}",  # its own counters on a shared Redis
            ),
            instance_path=str(tmp_path),
        )
        client = app.test_client()
        try:
            session, bearer = register_and_sign_in(client)  # sign-in 1
            url = f"/api/user/account?accountid={session['accountid']}"
            assert client.get(url, headers=bearer).json["sessionKeyNumber"] == 1

            proxy.cut()
            assert client.get("/healthz").json["cache"] == "unavailable"
            credentials = {"username": "fault-user", "password": "fault-password"}
            statuses = [
                client.post("/api/user/create-session", json=credentials).status_code
                for _ in range(5)
            ]
            # limits still hold, counted in this process's memory from here on
            assert statuses[:4] == [200] * 4 and statuses[4] == 429
            assert "falling back to in-memory storage" in caplog.text
            # the cache is bypassed: a write is seen at once, answers stay right
            reset = client.patch(
                f"/api/user/reset-session-key?accountid={session['accountid']}", headers=bearer
            )
            assert reset.status_code == 200
            assert client.get(url, headers=bearer).status_code == 401
        finally:
            proxy.cut()


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
            assert storage.Session.select().count() == 1

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


def _config():
    from dashboard.config import Config

    return Config(
        encryption_key=ENCRYPTION_KEY,
        session_key=SESSION_KEY,
        bcrypt_workload_factor=4,
        ratelimit_enabled=False,
    )
