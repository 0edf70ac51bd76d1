"""The StorageCache on every cachelib backend offered."""

from __future__ import annotations

import os
import secrets
from dataclasses import replace

import pytest
from cachelib import SimpleCache

from dashboard import cache, create_app, storage
from tests.conftest import call_route

BACKENDS = ["null://", "simple://", "filesystem"]
if os.environ.get("TEST_REDIS_URL"):
    BACKENDS.append("redis")


@pytest.fixture(params=BACKENDS)
def cache_url(request, tmp_path):
    if request.param == "filesystem":
        return f"filesystem://{tmp_path / 'cache'}"
    if request.param == "redis":
        return os.environ["TEST_REDIS_URL"]
    return request.param


@pytest.fixture
def cached_app(config, tmp_path, cache_url):
    # a fresh appid per test keeps tests apart on a shared Redis
    changed = replace(config, cache_url=cache_url, appid=f"test-{secrets.token_hex(4)}")
    made = create_app(changed, instance_path=str(tmp_path / "instance"))
    yield made
    near = made.extensions["dashboard"].cache.near
    if near is not None:
        near.close()


@pytest.fixture
def cached_user(cached_app):
    body = {"body": {"username": "cached-user", "password": "cached-password"}}
    account = call_route(cached_app, "user/create-account", "post", body)
    session = call_route(cached_app, "user/create-session", "post", body)
    return account, session


def storage_cache(app) -> cache.StorageCache:
    return app.extensions["dashboard"].cache


class TestStorageCache:
    def test_reads_rows_without_secrets(self, cached_app, cached_user):
        account, session = cached_user
        appid = account["appid"]
        with cached_app.app_context():
            row = storage_cache(cached_app).account(appid, account["accountid"])
            again = storage_cache(cached_app).account(appid, account["accountid"])
            session_row = storage_cache(cached_app).session(appid, session["sessionid"])
        assert row == again
        assert row["accountid"] == account["accountid"]
        assert not storage.SECRET_FIELDS & set(row)
        assert not storage.SECRET_FIELDS & set(session_row)

    def test_unknown_id_is_none(self, cached_app):
        with cached_app.app_context():
            assert storage_cache(cached_app).account("dashboard", "acct_0000000000000000") is None

    def test_a_write_is_seen_on_the_next_read(self, cached_app, cached_user):
        account, session = cached_user
        req = {
            "account": account,
            "session": session,
            "appid": account["appid"],
            "query": {"accountid": account["accountid"]},
        }
        assert call_route(cached_app, "user/account", "get", req)["sessionKeyNumber"] == 1
        call_route(cached_app, "user/reset-session-key", "patch", req)
        assert call_route(cached_app, "user/account", "get", req)["sessionKeyNumber"] == 2

    def test_a_reader_cannot_put_back_a_row_older_than_an_invalidation(
        self, cached_app, cached_user
    ):
        account, _ = cached_user
        appid, accountid = account["appid"], account["accountid"]
        with cached_app.app_context():
            cached = storage_cache(cached_app)
            cached.invalidate(appid, accountid)
            storage.Account.update(session_key_number=5).execute()
            assert cached.account(appid, accountid)["session_key_number"] == 5
            # the row read just now was not cached: the marker stays until it expires
            assert cached.backend.get(f"{appid}/{accountid}") in (cache.INVALIDATED, None)
            storage.Account.update(session_key_number=6).execute()
            assert cached.account(appid, accountid)["session_key_number"] == 6

    def test_cache_holds_no_secret(self, cached_app, cached_user):
        account, session = cached_user
        with cached_app.app_context():
            storage_cache(cached_app).account(account["appid"], account["accountid"])
            storage_cache(cached_app).session(account["appid"], session["sessionid"])
            account_row = storage.Account.get_by_id(account["accountid"])
            session_row = storage.Session.get_by_id(session["sessionid"])
            entries = [
                storage_cache(cached_app).backend.get(f"{account['appid']}/{key}")
                for key in (account["accountid"], session["sessionid"])
            ]
        text = repr(entries)
        for secret in (
            session["token"],
            session_row.token_hash,
            account_row.session_key,
            account_row.password_hash,
            account_row.username_hash,
            "cached-password",
        ):
            assert secret not in text


class TestFailingBackend:
    def test_failing_backend_is_bypassed(self, cached_app, cached_user):
        class Broken:
            def __getattr__(self, name):
                def fail(*args, **kwargs):
                    raise ConnectionError("cache down")

                return fail

        account, _ = cached_user
        with cached_app.app_context():
            cached = cache.StorageCache(Broken())  # type: ignore[arg-type]
            assert (
                cached.account(account["appid"], account["accountid"])["accountid"]
                == account["accountid"]
            )
            cached.invalidate(account["appid"], account["accountid"])  # logged, not raised


class Flaky(SimpleCache):
    """A SimpleCache that fails while ``down`` is set, and counts the calls it gets."""

    def __init__(self) -> None:
        super().__init__()
        self.down = False
        self.calls = 0

    def _touch(self) -> None:
        self.calls += 1
        if self.down:
            raise ConnectionError("cache down")

    def get(self, key):
        self._touch()
        return super().get(key)

    def add(self, key, value, timeout=None):
        self._touch()
        return super().add(key, value, timeout)

    def set_many(self, mapping, timeout=None):
        self._touch()
        return super().set_many(mapping, timeout)


class TestOutage:
    @pytest.fixture
    def flaky(self, app, user):
        backend = Flaky()
        cached = cache.StorageCache(backend)
        with app.app_context():
            cached.account(user.account["appid"], user.account["accountid"])  # now cached
        return backend, cached

    def test_after_a_failure_the_backend_is_not_asked_until_the_back_off_ends(
        self, app, user, flaky, caplog
    ):
        backend, cached = flaky
        appid, accountid = user.account["appid"], user.account["accountid"]
        backend.down, backend.calls = True, 0
        with app.app_context():
            for _ in range(50):
                assert cached.account(appid, accountid)["accountid"] == accountid
                cached.invalidate(appid, accountid)
        assert backend.calls == 1  # one failure, then skipped: no timeout paid again
        assert cached.health() == "unavailable"
        assert len([r for r in caplog.records if "cache unavailable" in r.getMessage()]) == 1

    def test_invalidations_missed_in_an_outage_are_written_before_it_is_read_again(
        self, app, user, flaky
    ):
        backend, cached = flaky
        appid, accountid = user.account["appid"], user.account["accountid"]
        assert isinstance(backend.get(f"{appid}/{accountid}"), dict)  # the row, cached
        cached.outage.retry_seconds = 0  # each call may try the backend again
        backend.down = True
        with app.app_context():
            storage.Account.update(session_key_number=9).execute()
            cached.invalidate(appid, accountid)  # missed: the backend is down
            # until the marker is written, the old row is not read
            assert cached.account(appid, accountid)["session_key_number"] == 9
        backend.down = False
        with app.app_context():
            assert cached.account(appid, accountid)["session_key_number"] == 9
        assert backend.get(f"{appid}/{accountid}") == cache.INVALIDATED
        assert not cached.outage.active


class TestBackendFromUrl:
    @pytest.mark.parametrize(
        ("url", "kind"),
        [
            ("null://", "NullCache"),
            ("simple://", "SimpleCache"),
            ("filesystem:///tmp/x", "FileSystemCache"),
        ],
    )
    def test_scheme_names_the_backend(self, url, kind):
        assert type(cache.backend_from_url(url)).__name__ == kind


@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"), reason="TEST_REDIS_URL is not set")
def test_redis_named_by_test_redis_url_answers():
    # The cache bypasses a dead backend, so the suite above would pass without Redis;
    # this makes a missing server a failure wherever TEST_REDIS_URL is set (as in CI).
    import redis

    assert redis.Redis.from_url(os.environ["TEST_REDIS_URL"]).ping() is True
