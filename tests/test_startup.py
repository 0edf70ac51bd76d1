"""Starting and failing clearly: one line for every wrong setting, no traceback, no
restart loop; a database that cannot be written or reached said, not crashed on."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dashboard import create_app, database_url, databases, startup
from dashboard.config import Config, ConfigError
from tests.conftest import ENCRYPTION_KEY, SESSION_KEY
from tests.servers import ROOT, free_port, request, running, service_environment

BIN = Path(sys.prefix) / "bin"
GUNICORN = shutil.which("gunicorn", path=str(BIN)) or shutil.which("gunicorn")
UWSGI = shutil.which("uwsgi", path=str(BIN)) or shutil.which("uwsgi")
GRANIAN = shutil.which("granian", path=str(BIN)) or shutil.which("granian")
WRONG = {
    "PAGE_SIZE": "ten",
    "BCRYPT_WORKLOAD_FACTOR": "40",
    "CACHE_URL": "memcached://127.0.0.1",
    "DASHBOARD_ENV": "production",  # and no keys
}
NAMED = [
    "PAGE_SIZE",
    "BCRYPT_WORKLOAD_FACTOR",
    "CACHE_URL",
    "DASHBOARD_ENCRYPTION_KEY",
    "DASHBOARD_SESSION_KEY",
]


def clean_environment(tmp_path, **variables: str) -> dict[str, str]:
    """The environment of a process that starts the service: only ``variables`` set."""
    kept = {name: value for name, value in os.environ.items() if name in ("PATH", "HOME", "LANG")}
    return {**kept, "INSTANCE_PATH": str(tmp_path / "instance"), **variables}


def run_until_exit(command: list[str], env: dict[str, str], seconds: float = 60):
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=seconds
    )


class TestConfigurationErrors:
    def test_every_wrong_or_missing_setting_is_named_at_once(self):
        with pytest.raises(ConfigError) as raised:
            Config.from_env(WRONG)
        message = str(raised.value)
        assert "\n" not in message
        for name in NAMED:
            assert name in message

    def test_wrong_settings_found_by_the_dataclass_are_named_with_the_others(self):
        with pytest.raises(ConfigError) as raised:
            Config.from_env({"MINIMUM_USERNAME_LENGTH": "60", "PROXY_COUNT": "-1", "APPID": " "})
        assert set(raised.value.problems) >= {
            "MINIMUM_USERNAME_LENGTH must be at least 1 and at most 50, not 60",
            "PROXY_COUNT must be at least 0, not -1",
        }

    @pytest.mark.parametrize("name", ["DATABASE_STATEMENT_TIMEOUT", "REDIS_TIMEOUT"])
    @pytest.mark.parametrize("value", ["0", "-1", "soon", "nan", "inf"])
    def test_timeouts_are_positive_seconds(self, name, value):
        with pytest.raises(ConfigError, match=name):
            Config.from_env({name: value})

    def test_timeouts_take_fractions(self):
        config = Config.from_env({"REDIS_TIMEOUT": "0.25", "DATABASE_LOCK_TIMEOUT": "2"})
        assert (config.redis_timeout, config.database_lock_timeout) == (0.25, 2.0)

    def test_flask_command_prints_one_line_and_exits_non_zero(self, tmp_path):
        env = clean_environment(tmp_path, **WRONG)
        result = run_until_exit([str(BIN / "flask"), "--app", "app", "dashboard", "migrate"], env)
        assert result.returncode != 0
        assert "Traceback" not in result.stderr
        lines = [line for line in result.stderr.splitlines() if "cannot start" in line]
        assert len(lines) == 1 and all(name in lines[0] for name in NAMED)

    @pytest.mark.skipif(GUNICORN is None, reason="gunicorn is not installed")
    def test_gunicorn_stops_with_one_line(self, tmp_path):
        env = clean_environment(tmp_path, **WRONG)
        command = [GUNICORN, "--workers", "2", "--bind", f"127.0.0.1:{free_port()}", "app:app"]
        result = run_until_exit(command, env)
        assert result.returncode == startup.GUNICORN_STOP
        assert "Traceback" not in result.stderr
        assert [line for line in result.stderr.splitlines() if "cannot start" in line] == [
            f"dashboard: cannot start: {'; '.join(_problems(WRONG))}"
        ]

    @pytest.mark.skipif(UWSGI is None, reason="uWSGI is not installed")
    def test_uwsgi_stops_with_one_line_per_worker(self, tmp_path):
        env = clean_environment(tmp_path, **WRONG, PORT=str(free_port()))
        result = run_until_exit([UWSGI, "--ini", "wsgi.ini"], env)
        output = result.stdout + result.stderr
        assert result.returncode == startup.UWSGI_STOP
        assert "Traceback" not in output
        lines = [line for line in output.splitlines() if "cannot start" in line]
        assert lines and set(lines) == {f"dashboard: cannot start: {'; '.join(_problems(WRONG))}"}

    @pytest.mark.skipif(GRANIAN is None, reason="granian is not installed")
    def test_granian_stops_with_one_line(self, tmp_path):
        from tests.test_deploy import granian_arguments

        env = clean_environment(tmp_path, **WRONG)
        result = run_until_exit([GRANIAN, *granian_arguments(free_port())], env)
        output = result.stdout + result.stderr
        assert result.returncode == 1
        assert "Traceback" not in output
        lines = [line for line in output.splitlines() if "cannot start" in line]
        assert lines and set(lines) == {f"dashboard: cannot start: {'; '.join(_problems(WRONG))}"}


def _problems(environ: dict[str, str]) -> list[str]:
    with pytest.raises(ConfigError) as raised:
        Config.from_env(environ)
    return raised.value.problems


class TestSqliteFolder:
    def config(self, url: str) -> Config:
        return Config(encryption_key=ENCRYPTION_KEY, session_key=SESSION_KEY, database_url=url)

    def test_missing_folder_is_named(self, tmp_path):
        path = tmp_path / "missing" / "dashboard.sqlite3"
        with pytest.raises(ConfigError) as raised:
            create_app(self.config(f"sqlite:///{path}"), instance_path=str(tmp_path))
        assert str(raised.value) == (
            f"DATABASE_URL names {path}, but the folder {path.parent} does not exist"
        )

    def test_instance_folder_that_cannot_be_made_is_named(self, tmp_path):
        (tmp_path / "taken").write_text("a file where the folder should be")
        config = Config(encryption_key=ENCRYPTION_KEY, session_key=SESSION_KEY)
        with pytest.raises(ConfigError, match="^INSTANCE_PATH .*taken/instance cannot be made"):
            create_app(config, instance_path=str(tmp_path / "taken" / "instance"))

    def test_folder_that_is_not_writable_is_named(self, tmp_path):
        folder = tmp_path / "read-only"
        folder.mkdir()
        path = folder / "dashboard.sqlite3"
        with immutable(folder):
            with pytest.raises(ConfigError) as raised:
                create_app(self.config(f"sqlite:///{path}"), instance_path=str(tmp_path))
        assert str(raised.value) == (
            f"DATABASE_URL names {path}, but the folder {folder} is not writable"
        )


@contextlib.contextmanager
def immutable(path: Path):
    """``path`` made unwritable even for root (chattr +i), or the test skipped."""
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed")
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not permitted here")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


class TestInstancePath:
    def test_defaults_to_instance_in_the_working_directory(self, tmp_path, monkeypatch, caplog):
        monkeypatch.chdir(tmp_path)
        caplog.set_level("INFO", logger="dashboard")
        app = create_app(Config(bcrypt_workload_factor=4))
        assert app.instance_path == str(tmp_path / "instance")
        assert (tmp_path / "instance" / "dashboard-keys.json").exists()
        assert (tmp_path / "instance" / database_url.SQLITE_FILENAME).exists()
        assert f"instance folder {tmp_path / 'instance'}" in caplog.text

    def test_set_by_the_environment(self, tmp_path, monkeypatch):
        monkeypatch.chdir(tmp_path)
        config = Config.from_env({"INSTANCE_PATH": "elsewhere", "BCRYPT_WORKLOAD_FACTOR": "4"})
        assert config.instance_path == str(tmp_path / "elsewhere")
        assert create_app(config).instance_path == str(tmp_path / "elsewhere")

    def test_does_not_move_with_the_install(self, tmp_path):
        # The keys of a service started from a folder stay in that folder, however the
        # package was installed: recreating the virtual environment loses no key.
        env = clean_environment(tmp_path, BCRYPT_WORKLOAD_FACTOR="4")
        env.pop("INSTANCE_PATH")
        code = "from dashboard import create_app; print(create_app().instance_path)"
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
        )
        assert result.stdout.strip() == str(tmp_path / "instance")


class TestHealthOfAReadOnlyDatabase:
    def test_sqlite_file_that_cannot_be_written(self, tmp_path, caplog):
        path = tmp_path / "dashboard.sqlite3"
        config = Config(
            encryption_key=ENCRYPTION_KEY, session_key=SESSION_KEY, database_url=f"sqlite:///{path}"
        )
        client = create_app(config, instance_path=str(tmp_path)).test_client()
        assert client.get("/healthz").status_code == 200
        with immutable(path):
            health = client.get("/healthz")
            restarted = create_app(config, instance_path=str(tmp_path)).test_client()
            again = restarted.get("/healthz")
        assert (health.status_code, health.json["database"]) == (503, "read-only")
        assert again.status_code == 503  # a read-only file still lets the service start
        assert f"health: the database cannot be written: {path} is not writable" in caplog.text
        assert client.get("/healthz").status_code == 200
        assert "health: the database is ok again" in caplog.text

    def test_postgresql_that_is_read_only(self, postgresql_url, tmp_path, caplog):
        config = Config(
            encryption_key=ENCRYPTION_KEY, session_key=SESSION_KEY, database_url=postgresql_url
        )
        writable = create_app(config, instance_path=str(tmp_path))  # makes the schema
        read_only_url = postgresql_url + "%20-cdefault_transaction_read_only%3Don"
        read_only = create_app(
            Config(
                encryption_key=ENCRYPTION_KEY,
                session_key=SESSION_KEY,
                database_url=read_only_url,
                bcrypt_workload_factor=4,
            ),
            instance_path=str(tmp_path),
        )
        try:
            health = read_only.test_client().get("/healthz")
            assert (health.status_code, health.json["database"]) == (503, "read-only")
            assert "transaction_read_only is on" in caplog.text
            registered = read_only.test_client().post(
                "/api/user/create-account", json={"username": "someone", "password": "password"}
            )
            assert registered.status_code == 503
            assert writable.test_client().get("/healthz").status_code == 200
        finally:
            for app in (writable, read_only):
                databases.close_all(app.extensions["dashboard"].database)


@pytest.mark.skipif(GUNICORN is None, reason="gunicorn is not installed")
def test_gunicorn_starts_while_postgresql_is_unreachable(tmp_path):
    port = free_port()
    unreachable = f"postgresql://postgres@127.0.0.1:{free_port()}/nothing"
    env = service_environment(tmp_path / "unused.sqlite3", DATABASE_URL=unreachable)
    command = [GUNICORN, "--workers", "2", "--bind", f"127.0.0.1:{port}", "app:app"]
    log = tmp_path / "gunicorn.log"
    with running(command, env, port, log) as base:
        for _ in range(3):
            status, body = request("GET", f"{base}/healthz")
            assert (status, body["database"]) == (503, "unavailable")
        time.sleep(1)
        status, body = request("POST", f"{base}/api/user/create-account", {"username": "x"})
        assert (status, body["message"]) == (503, "storage-unavailable")
    text = log.read_text()
    assert text.count("Booting worker") == 2  # no worker was started again
    assert "Traceback" not in text
    # an outage, not a mistake: said with the driver's own reason
    assert "Connection refused" in text
    assert "cannot start" not in text
