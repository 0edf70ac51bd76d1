"""Deployment: uWSGI (`wsgi.ini`) and granian, with the README's commands, serve the app
and sign in over HTTP."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import urllib.request

import pytest

from tests.servers import ROOT, free_port, request, running, service_environment

UWSGI = shutil.which("uwsgi", path=sys.prefix + "/bin") or shutil.which("uwsgi")
GRANIAN = shutil.which("granian", path=sys.prefix + "/bin") or shutil.which("granian")


@pytest.mark.skipif(UWSGI is None, reason="uWSGI is not installed (pip install -e '.[serve]')")
def test_uwsgi_ini_serves_and_signs_in(tmp_path):
    port = free_port()
    env = service_environment(tmp_path / "uwsgi.sqlite3", PORT=str(port))
    with running([UWSGI, "--ini", "wsgi.ini"], env, port, tmp_path / "uwsgi.log") as base:
        session = _signs_in(base, "uwsgi")
    log = (tmp_path / "uwsgi.log").read_text()
    assert f"127.0.0.1:{port}" in log
    assert session["token"] not in log


@pytest.mark.skipif(GRANIAN is None, reason="granian is not installed (pip install -e '.[serve]')")
def test_granian_serves_and_signs_in_and_verifies(tmp_path):
    port = free_port()
    env = service_environment(tmp_path / "granian.sqlite3")
    command = [GRANIAN, *granian_arguments(port)]
    with running(command, env, port, tmp_path / "granian.log") as base:
        session = _signs_in(base, "granian")
        status, _, headers = _verify(base, session)
        assert (status, headers["X-Accountid"]) == (200, session["accountid"])
    assert session["token"] not in (tmp_path / "granian.log").read_text()


def granian_arguments(port: int) -> list[str]:
    """The arguments of the README's granian command, on ``port``."""
    readme = (ROOT / "README.md").read_text()
    start = ".venv/bin/python -m dashboard.serve granian "
    line = next(line for line in readme.splitlines() if line.startswith(start))
    return line.removeprefix(start).split() + ["--port", str(port)]


def _verify(base: str, session: dict):
    sent = urllib.request.Request(
        f"{base}/api/verify",
        headers={"Authorization": f"Bearer {session['sessionid']}.{session['token']}"},
    )
    with urllib.request.urlopen(sent, timeout=30) as response:
        return response.status, response.read(), response.headers


def _signs_in(base: str, name: str) -> dict:
    """Register, sign in and read the account over HTTP; the session."""
    credentials = {"username": f"{name}-user", "password": f"{name}-password"}
    status, account = request("POST", f"{base}/api/user/create-account", credentials)
    assert status == 200 and account["object"] == "account"
    status, session = request("POST", f"{base}/api/user/create-session", credentials)
    assert status == 200 and session["object"] == "session"
    headers = {"Authorization": f"Bearer {session['sessionid']}.{session['token']}"}
    status, fetched = request(
        "GET", f"{base}/api/user/account?accountid={account['accountid']}", headers=headers
    )
    assert (status, fetched["accountid"]) == (200, account["accountid"])
    assert request("GET", f"{base}/api/user/nowhere") == (
        404,
        {"object": "error", "message": "invalid-route"},
    )
    return session


def test_the_readmes_walkthrough_the_service_then_the_owner_made_by_the_operator(tmp_path):
    """The service makes its database; `flask --app app dashboard create-account NAME
    --owner` makes the owner, as the README begins; a visitor who registers is no owner."""
    env = service_environment(tmp_path / "owned.sqlite3")
    flask = [sys.prefix + "/bin/flask", "--app", "app", "dashboard", "create-account"]

    def make(*args):
        return subprocess.run(
            [*flask, *args, "--password-stdin"],
            cwd=ROOT,
            env=env,
            input="owners-password\n",
            capture_output=True,
            text=True,
            timeout=60,
        )

    port = free_port()
    gunicorn = [sys.prefix + "/bin/gunicorn", "--bind", f"127.0.0.1:{port}", "app:app"]
    with running(gunicorn, env, port, tmp_path / "gunicorn.log") as base:
        made = make("site-owner", "--owner")
        assert made.returncode == 0, made.stderr
        assert f"database: sqlite:///{tmp_path / 'owned.sqlite3'}" in made.stderr
        owner = json.loads(made.stdout)
        assert (owner["owner"], owner["administrator"]) == (True, True)
        second = make("another-owner", "--owner")
        assert second.returncode == 1
        assert "the site has an owner already" in second.stderr
        credentials = {"username": "site-owner", "password": "owners-password"}
        status, session = request("POST", f"{base}/api/user/create-session", credentials)
        assert (status, session["accountid"]) == (200, owner["accountid"])
        registered = {"username": "first-visitor", "password": "visitors-password"}
        status, visitor = request("POST", f"{base}/api/user/create-account", registered)
        assert status == 200 and "owner" not in visitor and "administrator" not in visitor


def test_the_package_says_its_licence_and_where_it_comes_from():
    from importlib.metadata import metadata

    installed = metadata("dashboard")
    assert installed["License-Expression"] == "MIT"
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    assert any(url.endswith("github.com/userdashboard/dashboard")
               for url in installed.get_all("Project-URL"))  # fmt: skip
    assert "Framework :: Flask" in installed.get_all("Classifier")
