"""The near cache (nearcache.py): two apps on one database and one Redis stand for two
hosts. A signed-in read is answered from memory; a write on one host drops the rows on
the other at once, by its message, not by their age; a lost or silent connection to
Redis empties the near cache and sends reads to the database, so no ended session is
accepted afterwards; without Redis there is none."""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import replace

import pytest

from dashboard import answers, create_app, lookup, nearcache
from tests.proxy import Proxy

REDIS = os.environ.get("TEST_REDIS_URL")


@pytest.fixture
def make_host(config, tmp_path, apps):
    """A host: an app of its own on the test's database and Redis (through ``redis``)."""
    appid = f"near-{secrets.token_hex(4)}"

    def make(redis: str | None = None):
        changed = replace(config, cache_url=redis or REDIS, appid=appid)
        apps.append(create_app(changed, instance_path=str(tmp_path / "instance")))
        return apps[-1]

    return make  # the apps fixture closes each one's near cache


def near_of(app) -> nearcache.NearCache:
    return app.extensions["dashboard"].cache.near


def until(condition, seconds: float = 5.0) -> float:
    """Wait for ``condition()``; how long it took. Fails past ``seconds``."""
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < seconds, "never came"
        time.sleep(0.005)
    return time.monotonic() - start


def signed_in(app, username: str = "near-user") -> tuple[str, dict[str, str]]:
    """The account (made if new) signed in on ``app``: its account path and bearer header."""
    client = app.test_client()
    body = {"username": username, "password": "near-password"}
    client.post("/api/user/create-account", json=body)  # made already, on the other host
    session = client.post("/api/user/create-session", json=body).json
    path = f"/api/user/account?accountid={session['accountid']}"
    return path, {"Authorization": f"Bearer {session['sessionid']}.{session['token']}"}


def status(app, path: str, headers: dict[str, str]) -> int:
    return app.test_client().get(path, headers=headers).status_code


def listening(app) -> None:
    near_of(app)._start()
    until(lambda: near_of(app).listening)


@pytest.mark.skipif(not REDIS, reason="the near cache needs TEST_REDIS_URL")
class TestNearCache:
    def test_none_without_redis(self, app):
        assert app.extensions["dashboard"].cache.near is None
        assert nearcache.of(app.extensions["dashboard"].database) is None

    def test_none_when_turned_off(self, config, tmp_path):
        app = create_app(replace(config, cache_url=REDIS, near_cache=False), str(tmp_path))
        assert app.extensions["dashboard"].cache.near is None

    def test_a_signed_in_read_is_answered_from_memory(self, make_host, queries):
        host = make_host()
        listening(host)
        path, bearer = signed_in(host)
        queries.clear()
        assert [status(host, path, bearer) for _ in range(5)] == [200] * 5
        assert len(queries) == 1  # the first read; the four after it from memory

    def test_entries_live_at_most_their_seconds(self, make_host, queries, monkeypatch):
        monkeypatch.setattr(nearcache, "ENTRY_SECONDS", 0.05)
        monkeypatch.setattr(answers, "ENTRY_SECONDS", 0.05)  # the answers kept from them too
        host = make_host()
        listening(host)
        path, bearer = signed_in(host)
        queries.clear()
        status(host, path, bearer)
        time.sleep(0.06)
        status(host, path, bearer)
        assert len(queries) == 2

    def test_a_write_on_one_host_drops_the_rows_on_the_other_by_its_message(
        self, make_host, monkeypatch
    ):
        monkeypatch.setattr(nearcache, "ENTRY_SECONDS", 60.0)  # age cannot be why
        a, b = make_host(), make_host()
        listening(a)
        listening(b)
        path, laptop = signed_in(a)
        _, phone = signed_in(b)
        assert status(a, path, phone) == 200 and status(a, path, laptop) == 200  # kept by a
        accountid = path.rpartition("=")[2]
        reset = b.test_client().patch(
            f"/api/user/reset-session-key?accountid={accountid}", headers=laptop
        )
        assert reset.status_code == 200
        # Each until the message: one may read the database already, while another
        # test's message on the channel kept it out of the near cache.
        for bearer in (phone, laptop):
            took = until(lambda bearer=bearer: status(a, path, bearer) == 401, seconds=1.0)
            assert took < 0.5

    def test_a_read_that_an_invalidation_overtook_is_not_kept(self, make_host, queries):
        host = make_host()
        listening(host)
        path, bearer = signed_in(host)
        near, sessionid = near_of(host), bearer["Authorization"].split()[1].split(".")[0]
        database = host.extensions["dashboard"].database

        def load_while_a_write_commits():
            found = lookup._query(sessionid, host.extensions["dashboard"].config.appid, database)
            near.drop([f"{host.extensions['dashboard'].config.appid}/{sessionid}"])
            return found

        appid = host.extensions["dashboard"].config.appid
        near.read(appid, sessionid, load_while_a_write_commits)
        queries.clear()
        status(host, path, bearer)
        assert queries == [sessionid]  # from the database: the overtaken read was not kept

    @pytest.mark.parametrize("fault", ["cut", "freeze"])
    def test_a_lost_connection_empties_it_and_no_ended_session_is_accepted(
        self, make_host, monkeypatch, fault
    ):
        monkeypatch.setattr(nearcache, "ENTRY_SECONDS", 60.0)
        proxy = Proxy.to(REDIS)
        try:
            a, b = make_host(proxy.url(REDIS)), make_host()
            listening(a)
            path, laptop = signed_in(a)
            _, phone = signed_in(b)
            assert status(a, path, phone) == 200  # kept by a
            getattr(proxy, fault)()  # a hears nothing more from here
            until(lambda: not near_of(a).listening, seconds=nearcache.SILENT_SECONDS + 1)
            sessionid = phone["Authorization"].split()[1].split(".")[0]
            ended = b.test_client().patch(
                f"/api/user/set-session-ended?sessionid={sessionid}", headers=phone
            )
            assert ended.status_code == 200  # published; a did not hear it
            assert status(a, path, phone) == 401  # read from the database
            assert status(a, path, laptop) == 200
            proxy.restore()
            until(lambda: near_of(a).listening)
            assert status(a, path, phone) == 401
        finally:
            proxy.cut()


class TestBounds:
    def test_full_the_expired_go_first_then_all(self, monkeypatch):
        monkeypatch.setattr(nearcache, "MAXIMUM_ENTRIES", 3)
        near = nearcache.NearCache(lambda: None)
        near._listening = True

        def keep(sessionid: str, seconds: float) -> None:
            monkeypatch.setattr(nearcache, "ENTRY_SECONDS", seconds)
            found = ({"sessionid": sessionid}, {"accountid": "acct_1"}, {})
            near._keep(f"app/{sessionid}", "app/acct_1", found, near._version)

        keep("old", -1.0)  # expired already
        keep("a", 60.0)
        keep("b", 60.0)
        keep("c", 60.0)  # full: "old" goes
        assert set(near._entries) == {"app/a", "app/b", "app/c"}
        assert near._sessions == {"app/acct_1": {"app/a", "app/b", "app/c"}}
        keep("d", 60.0)  # full of live ones: all go, then "d"
        assert set(near._entries) == {"app/d"}
        near.drop(["app/acct_1"])  # an account's key: its sessions
        assert near._entries == {}
