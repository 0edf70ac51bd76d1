"""create_app: independence, development keys, start-up with several workers."""

from __future__ import annotations

import json
import multiprocessing
import os
import stat
import subprocess
import sys
from dataclasses import replace

import pytest

from dashboard import create_app, keys
from dashboard.config import Config, ConfigError
from tests.conftest import call_route, sign_in


def register(app, username="factory-user", password="factory-password"):
    body = {"body": {"username": username, "password": password}}
    return call_route(app, "user/create-account", "post", body)


class TestFactory:
    def test_two_apps_are_independent(self, config, tmp_path):
        first = create_app(config, instance_path=str(tmp_path / "one"))
        other_database = f"sqlite:///{tmp_path / 'other.sqlite3'}"
        second = create_app(
            replace(config, database_url=other_database), instance_path=str(tmp_path / "two")
        )
        register(first)
        # the second app was created last, yet each app reads its own database
        assert sign_in(lambda *a: call_route(first, *a), "factory-user", "factory-password")
        with pytest.raises(Exception, match="invalid-password"):
            sign_in(lambda *a: call_route(second, *a), "factory-user", "factory-password")
        assert first.extensions["dashboard"].limiter is not second.extensions["dashboard"].limiter

    def test_import_creates_nothing(self, tmp_path):
        code = (
            "import dashboard, dashboard.http, dashboard.api.user.create_session;"
            "from dashboard import storage;"
            "assert storage.db.obj is None, 'database bound at import';"
            "import os; assert os.listdir('.') == [], os.listdir('.')"
        )
        subprocess.run([sys.executable, "-c", code], cwd=tmp_path, check=True)


class TestDevelopmentKeys:
    def test_first_start_generates_keys_with_mode_0600(self, tmp_path, caplog):
        config = Config(
            database_url=f"sqlite:///{tmp_path / 'db.sqlite3'}", bcrypt_workload_factor=4
        )
        app = create_app(config, instance_path=str(tmp_path / "instance"))
        path = tmp_path / "instance" / keys.FILENAME
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        stored = json.loads(path.read_text())
        assert (
            app.extensions["dashboard"].config.encryption_key == stored["DASHBOARD_ENCRYPTION_KEY"]
        )
        assert app.extensions["dashboard"].config.session_key == stored["DASHBOARD_SESSION_KEY"]
        assert stored["DASHBOARD_ENCRYPTION_KEY"] != stored["DASHBOARD_SESSION_KEY"]
        assert "generated development keys" in caplog.text
        assert stored["DASHBOARD_ENCRYPTION_KEY"] not in caplog.text

    def test_next_start_reuses_them(self, tmp_path):
        config = Config(
            database_url=f"sqlite:///{tmp_path / 'db.sqlite3'}", bcrypt_workload_factor=4
        )
        first = create_app(config, instance_path=str(tmp_path / "instance"))
        register(first)
        second = create_app(config, instance_path=str(tmp_path / "instance"))
        assert sign_in(lambda *a: call_route(second, *a), "factory-user", "factory-password")

    def test_configured_keys_win(self, tmp_path):
        config = Config(encryption_key="k" * 64, session_key="q" * 64)
        assert keys.with_keys(config, str(tmp_path)) is config
        assert not (tmp_path / keys.FILENAME).exists()

    def test_workers_starting_at_once_agree(self, tmp_path):
        with multiprocessing.get_context("spawn").Pool(8) as pool:
            found = pool.map(_keys_in, [str(tmp_path)] * 16)
        assert len(set(found)) == 1

    def test_production_without_keys_stops(self):
        with pytest.raises(ConfigError, match="DASHBOARD_ENCRYPTION_KEY"):
            Config(production=True)


class TestStartUp:
    def test_workers_creating_tables_at_once(self, tmp_path):
        database = str(tmp_path / "shared.sqlite3")
        with multiprocessing.get_context("spawn").Pool(6) as pool:
            results = pool.map(
                _start_and_register, [(database, str(tmp_path), n) for n in range(6)]
            )
        assert sorted(results) == [f"worker-user-{n}" for n in range(6)]

    def test_nothing_stays_open_after_start_or_a_request(self, app, client):
        database = app.extensions["dashboard"].database
        assert database.is_closed()
        assert not getattr(database, "_in_use", {}) and not getattr(database, "_connections", [])
        assert client.get("/healthz").status_code == 200
        assert not getattr(database, "_in_use", {})  # returned to the pool at teardown

    @pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
    def test_sqlite_keeps_a_threads_connection_between_requests(self, app, client):
        database = app.extensions["dashboard"].database
        client.get("/healthz")
        first = database._state.conn
        client.get("/healthz")
        assert first is not None and database._state.conn is first

    @pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
    def test_sqlite_uses_wal(self, app):
        with app.app_context():
            from dashboard import storage

            assert storage.db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert storage.db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1


def _keys_in(instance_path: str) -> tuple[str, str]:
    config = keys.with_keys(Config(), instance_path)
    return config.encryption_key, config.session_key


def _start_and_register(args: tuple[str, str, int]) -> str:
    database, instance, number = args
    config = Config(
        encryption_key="e" * 64,
        session_key="s" * 64,
        database_url=f"sqlite:///{database}",
        bcrypt_workload_factor=4,
    )
    app = create_app(config, instance_path=instance)
    account = register(app, f"worker-user-{number}", "worker-password")
    assert account["object"] == "account"
    return f"worker-user-{number}"
