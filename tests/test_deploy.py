"""Deployment: `uwsgi --ini wsgi.ini` serves the app and signs in over HTTP."""

from __future__ import annotations

import shutil
import sys

import pytest

from tests.servers import free_port, request, running, service_environment

UWSGI = shutil.which("uwsgi", path=sys.prefix + "/bin") or shutil.which("uwsgi")


@pytest.mark.skipif(UWSGI is None, reason="uWSGI is not installed (pip install -e '.[serve]')")
def test_uwsgi_ini_serves_and_signs_in(tmp_path):
    port = free_port()
    env = service_environment(tmp_path / "uwsgi.sqlite3", PORT=str(port))
    with running([UWSGI, "--ini", "wsgi.ini"], env, port, tmp_path / "uwsgi.log") as base:
        credentials = {"username": "uwsgi-user", "password": "uwsgi-password"}
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
    log = (tmp_path / "uwsgi.log").read_text()
    assert f"127.0.0.1:{port}" in log
    assert session["token"] not in log
