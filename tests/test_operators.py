"""What a site operator meets: a mistake in DATABASE_URL stops the start in one line,
an outage does not; commands never act on a database the service does not have."""

from __future__ import annotations

import json
import os
import sys
import time

import pytest

from tests import postgresql
from tests.servers import ROOT, free_port, running, service_environment
from tests.test_startup import BIN, GUNICORN, UWSGI, clean_environment, run_until_exit


@pytest.fixture(scope="module")
def guarded_postgresql():
    """A PostgreSQL server that asks for a password: its URL, without one."""
    with postgresql.with_a_password() as url:
        yield url


def with_password(url: str, password: str, database: str = "postgres", user="postgres"):
    host = url.split("@", 1)[1].rsplit("/", 1)[0]
    return f"postgresql://{user}:{password}@{host}/{database}"


MISTAKES = {
    "a wrong password": (
        dict(password="a-wrong-password"),
        'password authentication failed for user "postgres"',
    ),
    "a missing database": (
        dict(password=postgresql.PASSWORD, database="no_such_database"),
        'database "no_such_database" does not exist',
    ),
    "an unknown user": (
        dict(password=postgresql.PASSWORD, user="nobody"),
        'password authentication failed for user "nobody"',
    ),
}


class TestAMistakeStopsTheStart:
    """In one line, naming DATABASE_URL with its password masked, and PostgreSQL's reason."""

    def said(self, result) -> list[str]:
        return [line for line in result.stderr.splitlines() if "cannot start" in line]

    @pytest.mark.parametrize("mistake", MISTAKES)
    def test_the_command_line(self, guarded_postgresql, tmp_path, mistake):
        changes, reason = MISTAKES[mistake]
        url = with_password(guarded_postgresql, **changes)
        env = clean_environment(tmp_path, DATABASE_URL=url)
        result = run_until_exit([str(BIN / "flask"), "--app", "app", "dashboard", "migrate"], env)
        assert result.returncode == 1
        masked = url.replace(changes["password"], "***")
        assert self.said(result) == [f"dashboard: cannot start: DATABASE_URL {masked}: {reason}"]
        assert changes["password"] not in result.stderr + result.stdout
        assert "Traceback" not in result.stderr

    def test_an_unknown_host(self, tmp_path):
        url = "postgresql://postgres:secret@no-such-host.invalid:5432/dashboard"
        env = clean_environment(tmp_path, DATABASE_URL=url)
        result = run_until_exit([str(BIN / "flask"), "--app", "app", "dashboard", "migrate"], env)
        assert result.returncode == 1
        [line] = self.said(result)
        assert line.startswith(
            "dashboard: cannot start: DATABASE_URL "
            "postgresql://postgres:***@no-such-host.invalid:5432/dashboard: "
            'could not translate host name "no-such-host.invalid"'
        )
        assert "secret" not in result.stderr

    @pytest.mark.skipif(GUNICORN is None, reason="gunicorn is not installed")
    @pytest.mark.parametrize("mistake", ["a wrong password", "a missing database"])
    def test_gunicorn_stops_instead_of_answering_503_for_ever(
        self, guarded_postgresql, tmp_path, mistake
    ):
        changes, reason = MISTAKES[mistake]
        url = with_password(guarded_postgresql, **changes)
        env = clean_environment(tmp_path, DATABASE_URL=url)
        command = [GUNICORN, "--workers", "2", "--bind", f"127.0.0.1:{free_port()}", "app:app"]
        result = run_until_exit(command, env)
        assert result.returncode == 4  # gunicorn's "App failed to load": no restart loop
        masked = url.replace(changes["password"], "***")
        assert self.said(result) == [f"dashboard: cannot start: DATABASE_URL {masked}: {reason}"]

    def test_the_right_password_serves(self, guarded_postgresql, tmp_path):
        url = with_password(guarded_postgresql, postgresql.PASSWORD)
        env = clean_environment(tmp_path, DATABASE_URL=url)
        result = run_until_exit([str(BIN / "flask"), "--app", "app", "dashboard", "migrate"], env)
        assert result.returncode == 0, result.stderr
        assert f"database: {url.replace(postgresql.PASSWORD, '***')}" in result.stderr
        assert postgresql.PASSWORD not in result.stderr + result.stdout


class TestCommandsAwayFromTheServicesSettings:
    """The README's cron line, run with an empty environment in an empty folder."""

    def flask(self, folder, env, *args, stdin: str = ""):
        import subprocess

        return subprocess.run(
            [sys.prefix + "/bin/flask", "--app", str(ROOT / "app.py"), "dashboard", *args],
            cwd=folder,
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=60,
        )

    @pytest.mark.parametrize(
        "command",
        [
            ["purge-deleted"],
            ["migrate"],
            ["set-administrator", "grace-hopper"],
            ["create-account", "grace-hopper", "--password-stdin"],
        ],
    )
    def test_no_database_is_made_and_what_to_set_is_said(self, tmp_path, command):
        empty = {"PATH": os.environ["PATH"]}
        result = self.flask(tmp_path, empty, *command, stdin="a-password\n")
        assert result.returncode == 1
        assert result.stderr.strip().splitlines()[-1] == (
            "Error: no database: DATABASE_URL is not set, and "
            f"sqlite:///{tmp_path}/instance/dashboard.sqlite3 does not exist (a command makes "
            "none); set DATABASE_URL and INSTANCE_PATH as the service has them"
        )
        assert list(tmp_path.iterdir()) == []  # no instance folder, file or keys

    def test_a_database_url_naming_no_file(self, tmp_path):
        env = {"PATH": os.environ["PATH"], "DATABASE_URL": f"sqlite:///{tmp_path}/typo.sqlite3"}
        result = self.flask(tmp_path, env, "purge-deleted")
        assert result.returncode == 1
        assert "Error: no database: " in result.stderr
        assert "DATABASE_URL is not set" not in result.stderr
        assert list(tmp_path.iterdir()) == []

    def test_with_the_services_settings_it_says_which_database(self, tmp_path):
        env = service_environment(tmp_path / "service.sqlite3")
        port = free_port()
        gunicorn = [sys.prefix + "/bin/gunicorn", "--bind", f"127.0.0.1:{port}", "app:app"]
        with running(gunicorn, env, port, tmp_path / "gunicorn.log"):
            pass  # the service made its database
        made = self.flask(
            tmp_path, env, "create-account", "grace-hopper", "--password-stdin", stdin="p" * 10
        )
        assert made.returncode == 0, made.stderr
        said = made.stderr.splitlines()
        assert said[0] == f"database: sqlite:///{tmp_path}/service.sqlite3"
        assert "administrator=command-line action=create-account" in said[1]  # the audit
        by_name = self.flask(tmp_path, env, "set-administrator", "Grace-Hopper")
        assert by_name.returncode == 0, by_name.stderr
        promoted = json.loads(by_name.stdout)
        assert promoted["accountid"] == json.loads(made.stdout)["accountid"]
        assert promoted["administrator"] is True

    def test_keys_the_service_has_and_this_shell_lacks(self, tmp_path):
        env = service_environment(tmp_path / "service.sqlite3")
        port = free_port()
        gunicorn = [sys.prefix + "/bin/gunicorn", "--bind", f"127.0.0.1:{port}", "app:app"]
        with running(gunicorn, env, port, tmp_path / "gunicorn.log"):
            pass
        keyless = {
            name: value for name, value in env.items() if not name.startswith("DASHBOARD_")
        } | {"INSTANCE_PATH": str(tmp_path / "instance")}
        result = self.flask(tmp_path, keyless, "create-account", "someone", "--password-stdin")
        assert result.returncode == 1
        assert "DASHBOARD_ENCRYPTION_KEY and DASHBOARD_SESSION_KEY are not set" in result.stderr
        assert not (tmp_path / "instance" / "dashboard-keys.json").exists()


class TestAnInMemoryDatabase:
    """sqlite:///:memory:, as Flask users write in their own tests: one database for the
    app, on every thread of its process."""

    @pytest.fixture
    def memory_app(self, apps, tmp_path):
        from dashboard import create_app
        from dashboard.config import Config
        from tests.conftest import ENCRYPTION_KEY, SESSION_KEY

        def make():
            config = Config(
                encryption_key=ENCRYPTION_KEY,
                session_key=SESSION_KEY,
                database_url="sqlite:///:memory:",
                bcrypt_workload_factor=4,
                ratelimit_enabled=False,
            )
            apps.append(create_app(config, instance_path=str(tmp_path / "instance")))
            return apps[-1]

        return make

    def test_serves_every_thread_and_keeps_what_it_wrote(self, memory_app):
        from concurrent.futures import ThreadPoolExecutor

        app = memory_app()
        credentials = {"username": "memory-user", "password": "memory-password"}
        assert app.test_client().post("/api/user/create-account", json=credentials).status_code
        session = app.test_client().post("/api/user/create-session", json=credentials).json
        bearer = {"Authorization": f"Bearer {session['sessionid']}.{session['token']}"}
        url = f"/api/user/account?accountid={session['accountid']}"

        def read(_):
            return app.test_client().get(url, headers=bearer).status_code

        def register(number):
            body = {"username": f"memory-user-{number}", "password": "memory-password"}
            return app.test_client().post("/api/user/create-account", json=body).status_code

        with ThreadPoolExecutor(8) as pool:
            assert set(pool.map(read, range(32))) == {200}
            assert set(pool.map(register, range(16))) == {200}
        assert app.test_client().get("/healthz").json["database"] == "ok"

    def test_two_apps_share_nothing(self, memory_app):
        first, second = memory_app(), memory_app()
        credentials = {"username": "memory-user", "password": "memory-password"}
        assert first.test_client().post("/api/user/create-account", json=credentials).status_code
        refused = second.test_client().post("/api/user/create-session", json=credentials)
        assert (refused.status_code, refused.json["message"]) == (400, "invalid-password")


class TestWhatWorkersKeepApartIsSaidOnce:
    """Rate limits in memory, and CACHE_URL=simple://, are each worker's own."""

    LIMITS = "rate limits are counted apart in each of the 2 workers"
    CACHE = "CACHE_URL=simple:// caches in each of the 2 workers apart"

    def log_of(self, server, tmp_path, **settings) -> str:
        """What ``server`` ("gunicorn 1", "gunicorn 2" workers, or "uwsgi": wsgi.ini's
        two processes) logs from its start until it answers."""
        port = free_port()
        env = service_environment(
            tmp_path / "apart.sqlite3", RATELIMIT_ENABLED="true", PORT=str(port), **settings
        )
        name, _, workers = server.partition(" ")
        command = [UWSGI, "--ini", "wsgi.ini"]
        if name == "gunicorn":
            command = [GUNICORN, "--workers", workers, "--bind", f"127.0.0.1:{port}", "app:app"]
        log = tmp_path / "server.log"
        with running(command, env, port, log):
            # uWSGI's first worker, which says it, may answer after the second
            deadline = time.monotonic() + 10
            while name == "uwsgi" and self.LIMITS not in log.read_text():
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.1)
        return log.read_text()

    @pytest.mark.skipif(GUNICORN is None, reason="gunicorn is not installed")
    def test_gunicorn_with_two_workers(self, tmp_path):
        text = self.log_of("gunicorn 2", tmp_path, CACHE_URL="simple://")
        assert text.count(self.LIMITS) == 1
        assert "set RATELIMIT_STORAGE_URI=redis://" in text
        assert text.count(self.CACHE) == 1

    @pytest.mark.skipif(GUNICORN is None, reason="gunicorn is not installed")
    def test_nothing_to_say_for_one_worker(self, tmp_path):
        assert "apart" not in self.log_of("gunicorn 1", tmp_path, CACHE_URL="simple://")

    @pytest.mark.skipif(UWSGI is None, reason="uWSGI is not installed")
    def test_uwsgi_with_its_two_processes(self, tmp_path):
        text = self.log_of("uwsgi", tmp_path)
        assert text.count(self.LIMITS) == 1


class TestTheSuitesOwnDatabase:
    """TEST_DATABASE_URL naming a database the server lacks: made, once, for the run."""

    def pytest(self, url: str, tmp_path):
        import subprocess

        env = {**os.environ, "TEST_DATABASE_URL": url}
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        command += ["-p", "no:xdist", "tests/api/user/test_current_session.py", "-k", "Http"]
        return subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )

    def test_a_missing_database_is_made(self, tmp_path):
        import psycopg2

        base = os.environ.get("TEST_DATABASE_URL")
        if not base:
            pytest.skip("PostgreSQL: TEST_DATABASE_URL is not set")
        name = f"dashboard_made_{os.getpid()}"
        url = base.rsplit("/", 1)[0] + f"/{name}"
        try:
            result = self.pytest(url, tmp_path)
            assert result.returncode == 0, result.stdout[-2000:]
            assert "skipped" not in result.stdout.splitlines()[-1]  # PostgreSQL's ran too
        finally:
            server = psycopg2.connect(base)
            server.autocommit = True
            server.cursor().execute(f"DROP DATABASE IF EXISTS {name}")
            server.close()

    def test_an_unreachable_server_stops_the_run_in_one_line(self, tmp_path):
        result = self.pytest(f"postgresql://postgres@127.0.0.1:{free_port()}/x", tmp_path)
        assert result.returncode == 3
        said = [line for line in result.stdout.splitlines() if "TEST_DATABASE_URL" in line]
        assert len(said) == 1  # once, not once a test
        assert "TEST_DATABASE_URL cannot be reached: connection to server at" in said[0]
        assert "passed" not in result.stdout and "error" not in result.stdout


SERVE = [sys.executable, "-m", "dashboard.serve"]


def serve_command(server: str, port: int) -> list[str]:
    """The README's start command of ``server`` on ``port`` (uWSGI's from PORT)."""
    arguments = {
        "gunicorn": ["--workers", "2", "--bind", f"127.0.0.1:{port}", "app:app"],
        "uwsgi": ["--ini", "wsgi.ini"],
        "granian": ["--interface", "wsgi", "--port", str(port), "--workers", "2", "app:app"],
    }
    return [*SERVE, server, *arguments[server]]


class TestTheStartCommandsSayWhatStopsThemInOneLine:
    """python -m dashboard.serve SERVER ...: a port in use, a wrong setting."""

    @pytest.fixture
    def taken_port(self):
        import socket

        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            yield taken.getsockname()[1]

    @pytest.mark.parametrize("server", ["gunicorn", "uwsgi", "granian"])
    def test_a_port_in_use(self, tmp_path, taken_port, server):
        env = service_environment(tmp_path / "serve.sqlite3", PORT=str(taken_port))
        result = run_until_exit(serve_command(server, taken_port), env)
        assert result.returncode == 1
        assert result.stdout + result.stderr == (
            f"dashboard: cannot start: 127.0.0.1:{taken_port} is in use by another process\n"
        )

    @pytest.mark.parametrize("server", ["gunicorn", "uwsgi", "granian"])
    def test_a_wrong_setting(self, tmp_path, server):
        port = free_port()
        env = clean_environment(tmp_path, PAGE_SIZE="ten", PORT=str(port))
        result = run_until_exit(serve_command(server, port), env)
        assert result.returncode == 1
        assert result.stdout + result.stderr == (
            "dashboard: cannot start: PAGE_SIZE must be an integer, not 'ten'\n"
        )

    @pytest.mark.parametrize("server", ["gunicorn", "uwsgi", "granian"])
    def test_then_the_server_serves(self, tmp_path, server):
        from tests.servers import request

        port = free_port()
        env = service_environment(tmp_path / "serve.sqlite3", PORT=str(port))
        with running(serve_command(server, port), env, port, tmp_path / "serve.log") as base:
            status, body = request("GET", f"{base}/healthz")
            assert (status, body["database"]) == (200, "ok")

    def test_an_unknown_server(self):
        result = run_until_exit([*SERVE, "waitress"], dict(os.environ))
        assert result.returncode == 1
        assert result.stderr.startswith("usage: python -m dashboard.serve {gunicorn,uwsgi,granian}")


@pytest.mark.parametrize(
    ("server", "args", "environ", "expected"),
    [
        ("gunicorn", ["--bind", "127.0.0.1:9001", "app:app"], {}, ("127.0.0.1", 9001)),
        ("gunicorn", ["-b=[::1]:9002"], {}, ("::1", 9002)),
        ("gunicorn", ["--bind", "unix:/run/dashboard.sock"], {}, None),
        ("gunicorn", ["app:app"], {}, ("127.0.0.1", 8000)),
        ("uwsgi", ["--ini", "wsgi.ini"], {"HOST": "0.0.0.0", "PORT": "9003"}, ("0.0.0.0", 9003)),
        ("uwsgi", ["--http-socket", ":9004"], {}, ("0.0.0.0", 9004)),
        ("granian", ["--port", "9005", "app:app"], {}, ("127.0.0.1", 9005)),
        ("granian", ["app:app"], {"GRANIAN_PORT": "9006"}, ("127.0.0.1", 9006)),
    ],
)
def test_the_address_each_server_will_listen_on(server, args, environ, expected):
    from dashboard import serve

    assert serve.address(server, args, environ) == expected
