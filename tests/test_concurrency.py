"""Several worker processes on one database (SQLite file or PostgreSQL), under gunicorn."""

from __future__ import annotations

import shutil
import sys
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.servers import free_port, request, running, service_environment

pytestmark = pytest.mark.skipif(
    shutil.which("gunicorn", path=sys.prefix + "/bin") is None and shutil.which("gunicorn") is None,
    reason="gunicorn is not installed (pip install -e '.[serve]')",
)


@pytest.fixture
def server(database_url, tmp_path):
    """gunicorn, 4 workers, on a fresh SQLite file or PostgreSQL schema."""
    port = free_port()
    gunicorn = shutil.which("gunicorn", path=sys.prefix + "/bin") or shutil.which("gunicorn")
    command = [gunicorn, "--workers", "4", "--bind", f"127.0.0.1:{port}", "app:app"]
    env = service_environment(tmp_path / "unused.sqlite3", DATABASE_URL=database_url)
    with running(command, env, port, tmp_path / "gunicorn.log") as base:
        yield base


def all_at_once(count: int, action) -> list:
    barrier = threading.Barrier(count)

    def run(number: int):
        barrier.wait()
        return action(number)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def test_16_simultaneous_sign_ins_of_one_account_all_succeed(server):
    credentials = {"username": "busy-account", "password": "busy-password"}
    assert request("POST", f"{server}/api/user/create-account", credentials)[0] == 200
    results = all_at_once(
        16, lambda _: request("POST", f"{server}/api/user/create-session", credentials)
    )
    assert [status for status, _ in results] == [200] * 16
    assert len({session["sessionid"] for _, session in results}) == 16
    for _, session in results:
        headers = {"Authorization": f"Bearer {session['sessionid']}.{session['token']}"}
        status, account = request(
            "GET", f"{server}/api/user/account?accountid={session['accountid']}", headers=headers
        )
        assert status == 200


def test_12_simultaneous_registrations_of_one_username_give_one_account(server):
    credentials = {"username": "contested-name", "password": "contested-password"}
    results = all_at_once(
        12, lambda _: request("POST", f"{server}/api/user/create-account", credentials)
    )
    statuses = Counter(status for status, _ in results)
    assert statuses == {200: 1, 409: 11}
    assert Counter(body["message"] for status, body in results if status == 409) == {
        "duplicate-username": 11
    }


def test_simultaneous_first_accounts_make_one_owner(server):
    results = all_at_once(
        8,
        lambda n: request(
            "POST",
            f"{server}/api/user/create-account",
            {"username": f"first-{n}", "password": "password"},
        ),
    )
    assert [status for status, _ in results] == [200] * 8
    assert sum(1 for _, account in results if account.get("owner")) == 1


def test_a_key_reset_in_one_worker_holds_in_every_worker(server):
    credentials = {"username": "reset-account", "password": "reset-password"}
    request("POST", f"{server}/api/user/create-account", credentials)
    _, session = request("POST", f"{server}/api/user/create-session", credentials)
    headers = {"Authorization": f"Bearer {session['sessionid']}.{session['token']}"}
    account_url = f"{server}/api/user/account?accountid={session['accountid']}"
    assert all(
        status == 200
        for status, _ in all_at_once(8, lambda _: request("GET", account_url, headers=headers))
    )
    reset_url = f"{server}/api/user/reset-session-key?accountid={session['accountid']}"
    assert request("PATCH", reset_url, headers=headers) == (200, True)
    # 16 requests at once reach all four workers; none of them accepts the old session
    results = all_at_once(16, lambda _: request("GET", account_url, headers=headers))
    assert [status for status, _ in results] == [401] * 16
