"""Two hosts (two gunicorn servers) sharing one PostgreSQL and one Redis."""

from __future__ import annotations

import os
import shutil
import sys
import time

import pytest

from dashboard import nearcache
from tests.conftest import postgresql_schema
from tests.servers import free_port, request, running, service_environment

GUNICORN = shutil.which("gunicorn", path=sys.prefix + "/bin") or shutil.which("gunicorn")


@pytest.fixture
def hosts(tmp_path):
    database, redis = os.environ.get("TEST_DATABASE_URL"), os.environ.get("TEST_REDIS_URL")
    if not database or not redis:
        pytest.skip("two hosts need TEST_DATABASE_URL and TEST_REDIS_URL")
    if GUNICORN is None:
        pytest.skip("gunicorn is not installed (pip install -e '.[serve]')")
    with postgresql_schema(database) as url:
        env = service_environment(
            tmp_path / "unused.sqlite3",
            DATABASE_URL=url,
            CACHE_URL=redis,
            RATELIMIT_STORAGE_URI=redis,
            RATELIMIT_ENABLED="true",
            CREATE_SESSION_RATE_LIMIT="1000 per minute",
            CREATE_SESSION_USERNAME_RATE_LIMIT="3 per hour",
            APPID=f"hosts-{os.getpid()}-{free_port()}",  # apart from other runs on this Redis
        )
        ports = free_port(), free_port()
        with (
            running(
                [GUNICORN, "-w", "2", "-b", f"127.0.0.1:{ports[0]}", "app:app"],
                env,
                ports[0],
                tmp_path / "a.log",
            ) as a,
            running(
                [GUNICORN, "-w", "2", "-b", f"127.0.0.1:{ports[1]}", "app:app"],
                env,
                ports[1],
                tmp_path / "b.log",
            ) as b,
        ):
            yield a, b


def sign_in(host, username, password):
    status, session = request(
        "POST", f"{host}/api/user/create-session", {"username": username, "password": password}
    )
    assert status == 200, session
    return session, {"Authorization": f"Bearer {session['sessionid']}.{session['token']}"}


def everywhere(hosts, path, headers) -> set[int]:
    """The statuses of a GET sent 6 times to each host (so to each of its workers)."""
    return {request("GET", f"{host}{path}", headers=headers)[0] for host in hosts for _ in range(6)}


def test_writes_on_one_host_hold_on_the_other_at_once(hosts):
    a, b = hosts
    # the site's owner first: the account below, not the owner, may be deleted
    owner = {"username": "site-owner", "password": "site-owner-password"}
    assert request("POST", f"{a}/api/user/create-account", owner)[0] == 200
    credentials = {"username": "two-hosts", "password": "two-hosts-password"}
    status, account = request("POST", f"{a}/api/user/create-account", credentials)
    assert status == 200
    own = f"/api/user/account?accountid={account['accountid']}"

    laptop, laptop_auth = sign_in(a, **credentials)
    phone, phone_auth = sign_in(b, **credentials)
    assert everywhere(hosts, own, laptop_auth) == {200}  # fills both hosts' cache reads

    # sign-out through b: refused by every worker of a on its next request
    assert (
        request(
            "PATCH",
            f"{b}/api/user/set-session-ended?sessionid={phone['sessionid']}",
            headers=laptop_auth,
        )[0]
        == 200
    )
    assert everywhere(hosts, own, phone_auth) == {401}
    status, listed = request(
        "GET", f"{a}/api/user/session?sessionid={phone['sessionid']}", headers=laptop_auth
    )
    assert status == 200 and listed["ended"] == listed["endedAt"]  # the cached row was invalidated

    # a username change through a is read fresh through b
    change = {"new-username": "two-hosts-renamed", "password": credentials["password"]}
    assert (
        request(
            "PATCH",
            f"{a}/api/user/set-account-username?accountid={account['accountid']}",
            change,
            laptop_auth,
        )[0]
        == 200
    )
    assert "usernameLastChangedAt" in request("GET", f"{b}{own}", headers=laptop_auth)[1]

    # a password change through b: a's other session is out, b's caller stays in
    tablet, tablet_auth = sign_in(a, "two-hosts-renamed", credentials["password"])
    change = {"new-password": "a-new-password", "password": credentials["password"]}
    assert (
        request(
            "PATCH",
            f"{b}/api/user/set-account-password?accountid={account['accountid']}",
            change,
            laptop_auth,
        )[0]
        == 200
    )
    assert everywhere(hosts, own, tablet_auth) == {401}
    assert everywhere(hosts, own, laptop_auth) == {200}

    # a key reset through a: every session out everywhere
    assert (
        request(
            "PATCH",
            f"{a}/api/user/reset-session-key?accountid={account['accountid']}",
            headers=laptop_auth,
        )[0]
        == 200
    )
    assert everywhere(hosts, own, laptop_auth) == {401}

    # deletion through b: nobody signs in anywhere
    session, auth = sign_in(a, "two-hosts-renamed", "a-new-password")
    assert (
        request(
            "PATCH",
            f"{b}/api/user/set-account-deleted?accountid={account['accountid']}",
            {"password": "a-new-password"},
            auth,
        )[0]
        == 200
    )
    assert everywhere(hosts, own, auth) == {401}
    status, _ = request(
        "POST",
        f"{a}/api/user/create-session",
        {"username": "two-hosts-renamed", "password": "a-new-password"},
    )
    assert status == 403


def test_rate_limits_hold_across_hosts(hosts):
    a, b = hosts
    statuses = [
        request(
            "POST",
            f"{host}/api/user/create-session",
            {"username": "nobody-at-all", "password": "password"},
        )[0]
        for host in (a, b, a, b, a, b)
    ]
    # 3 failures an hour for one username, counted in Redis by four workers on two hosts
    assert statuses == [400, 400, 400, 429, 429, 429]


def test_health_of_both_hosts(hosts):
    for host in hosts:
        assert request("GET", f"{host}/healthz") == (
            200,
            {"object": "health", "database": "ok", "cache": "ok"},
        )


def test_no_ended_session_is_accepted_anywhere_after_the_invalidations_are_cut(hosts):
    """Every worker of both hosts keeps the session in its near cache; Redis drops every
    subscription (as a restart or a network fault would), then a write ends it: every
    worker, unsure of what it missed, reads the database."""
    import redis

    a, b = hosts
    owner = {"username": "site-owner", "password": "site-owner-password"}
    assert request("POST", f"{a}/api/user/create-account", owner)[0] == 200
    credentials = {"username": "cut-hosts", "password": "cut-hosts-password"}
    status, account = request("POST", f"{a}/api/user/create-account", credentials)
    own = f"/api/user/account?accountid={account['accountid']}"
    server = redis.Redis.from_url(os.environ["TEST_REDIS_URL"])
    for write_on in (a, b, a):
        laptop, laptop_auth = sign_in(b, **credentials)
        phone, phone_auth = sign_in(a, **credentials)
        everywhere(hosts, own, laptop_auth)  # each worker's near cache starts listening
        time.sleep(nearcache.RECONNECT_SECONDS * 2)  # back, after the last round's cut
        assert everywhere(hosts, own, phone_auth) == {200}  # kept by every worker now
        subscribed = [c["id"] for c in server.client_list() if c.get("sub", "0") != "0"]
        assert subscribed  # the workers' near caches (and those of tests beside this one)
        for client in subscribed:
            server.client_kill_filter(_id=client)
        ended = request(
            "PATCH",
            f"{write_on}/api/user/set-session-ended?sessionid={phone['sessionid']}",
            headers=laptop_auth,
        )
        assert ended[0] == 200
        assert everywhere(hosts, own, phone_auth) == {401}
        assert everywhere(hosts, own, laptop_auth) == {200}
