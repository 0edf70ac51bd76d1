"""The StorageCache: account and session rows by id on a cachelib backend.

Entries hold rows minus their secrets (storage.data). Every write invalidates the
rows it changed after its transaction commits. Invalidation leaves a short-lived
marker instead of deleting, and a reader fills the cache with ``add`` (only when
absent), so a reader that loaded a row just before a write cannot put the old row
back after the write's invalidation.

With Redis, each worker also keeps the hot path's rows in its near cache (nearcache.py),
which the invalidations here drop everywhere: they are published on Redis too.

A backend that fails is skipped for a few seconds (outage.Outage), so an outage costs
one request the timeout, not every call. Invalidations it missed meanwhile are kept
and written first when it answers again: no row it holds is older than a write.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from cachelib import BaseCache, FileSystemCache, NullCache, RedisCache, SimpleCache
from flask import current_app, g

from dashboard import nearcache, storage
from dashboard.config import Config
from dashboard.nearcache import NearCache
from dashboard.outage import Outage

ENTRY_SECONDS = 300
INVALIDATED = "invalidated"
INVALIDATED_SECONDS = 30
RETRY_SECONDS = 5.0
MAXIMUM_MISSED = 10_000  # invalidations kept during an outage; past it, clear everything
T = TypeVar("T")


def backend_from_url(url: str, timeout: float = 0.5) -> BaseCache:
    """The cachelib backend CACHE_URL names; a Redis answers within ``timeout`` or fails."""
    parts = urlsplit(url)
    if parts.scheme == "null":
        return NullCache()
    if parts.scheme == "simple":
        return SimpleCache(threshold=100_000)
    if parts.scheme == "filesystem":
        return FileSystemCache(parts.path, threshold=100_000, mode=0o600)
    if parts.scheme == "redis":
        return RedisCache(host=redis_client(url, timeout), key_prefix="dashboard/")
    raise ValueError(f"unknown cache scheme {parts.scheme!r}")


def redis_options(timeout: float) -> dict[str, Any]:
    """Options of every Redis client here: short timeouts and no retries.

    redis-py retries a failed call three times with back-off by default: 5 to 15 s on
    every call while Redis is unreachable. One short try; the callers fall back.
    """
    from redis.backoff import NoBackoff  # an extra: only needed when configured
    from redis.retry import Retry

    return {
        "socket_timeout": timeout,
        "socket_connect_timeout": timeout,
        "retry": Retry(NoBackoff(), 0),
    }


def near_cache(config: Config) -> NearCache | None:
    """The near cache of an app whose CACHE_URL is Redis (unless NEAR_CACHE=false)."""
    if not config.near_cache or urlsplit(config.cache_url).scheme != "redis":
        return None
    return NearCache(lambda: redis_client(config.cache_url, config.redis_timeout))


def redis_client(url: str, timeout: float) -> Any:
    import redis

    return redis.Redis.from_url(url, **redis_options(timeout))


class StorageCache:
    """Rows by appid and id; a backend that fails is bypassed, never trusted."""

    def __init__(self, backend: BaseCache, near: NearCache | None = None) -> None:
        self.backend = backend
        self.near = near
        self.outage = Outage("cache", RETRY_SECONDS)
        self._missed: set[str] = set()  # invalidations not yet written to the backend
        self._overflowed = False
        self._lock = threading.Lock()

    def account(self, appid: str, accountid: str) -> dict[str, Any] | None:
        """The account's row (no secrets), or None."""
        return self._get(appid, accountid, storage.Account, storage.Account.accountid)

    def session(self, appid: str, sessionid: str) -> dict[str, Any] | None:
        """The session's row (no secrets), or None."""
        return self._get(appid, sessionid, storage.Session, storage.Session.sessionid)

    def health(self) -> str:
        """ "off" for null://, else "ok" or "unavailable"."""
        if isinstance(self.backend, NullCache):
            return "off"
        answered = self._call(lambda backend: backend.get("health") or True, None)
        return "ok" if answered else "unavailable"

    def remember(self, appid: str, account: dict[str, Any], session: dict[str, Any]) -> None:
        """Keep the rows authentication just read for the rest of this request.

        Authentication reads the session and its account; the route then asks for the
        same rows by id and gets them from here, without another query.
        """
        rows = _request_rows()
        rows[f"{appid}/{session['sessionid']}"] = session
        rows[f"{appid}/{account['accountid']}"] = account

    def invalidate(self, appid: str, *ids: str) -> None:
        """Forget rows after a write to them has committed."""
        rows = _request_rows()
        for key in ids:
            rows.pop(f"{appid}/{key}", None)
        if isinstance(self.backend, NullCache):
            return
        keys = [f"{appid}/{key}" for key in ids]
        if self.near is not None:
            self.near.drop(keys)  # this worker's at once; the others' by the message
        with self._lock:
            self._missed.update(keys)
            if len(self._missed) > MAXIMUM_MISSED:
                self._missed.clear()
                self._overflowed = True
        # writes every missed invalidation, then tells every near cache
        self._call(lambda backend: self._published(backend, keys), None)

    def _published(self, backend: BaseCache, keys: list[str]) -> bool:
        if self.near is not None and isinstance(backend, RedisCache):
            nearcache.publish(backend._write_client, self.near, keys)
        return True

    def _get(self, appid: str, key: str, model: Any, field: Any) -> dict[str, Any] | None:
        cache_key = f"{appid}/{key}"
        kept = _request_rows().get(cache_key)
        if kept is not None:
            return kept
        cached = self._call(lambda backend: backend.get(cache_key), INVALIDATED)
        if isinstance(cached, dict):
            return cached
        row = model.get_or_none((field == key) & (model.appid == appid))
        if row is None:
            return None
        value = storage.data(row)
        if cached is None:
            self._call(lambda backend: backend.add(cache_key, value, ENTRY_SECONDS), None)
        return value

    def _call(self, action: Callable[[BaseCache], T], fallback: T) -> T:
        """``action(backend)``, or ``fallback`` while the backend is out or when it fails.

        Invalidations missed earlier are written first: until they are, the backend may
        hold rows older than a write, and is not read.
        """
        if not self.outage.available():
            return fallback
        try:
            self._write_missed()
            result = action(self.backend)
        except Exception as error:  # noqa: BLE001 - any backend failure
            self.outage.failed(error)
            return fallback
        self.outage.succeeded()
        return result

    def _write_missed(self) -> None:
        if not self._missed and not self._overflowed:
            return
        with self._lock:
            missed, overflowed = self._missed, self._overflowed
            self._missed, self._overflowed = set(), False
        try:
            if overflowed:
                self.backend.clear()
            if missed:
                self.backend.set_many(dict.fromkeys(missed, INVALIDATED), INVALIDATED_SECONDS)
        except Exception:
            with self._lock:
                self._missed |= missed
                self._overflowed |= overflowed
            raise


def _request_rows() -> dict[str, dict[str, Any]]:
    # Lives on flask.g: one app context, that is one request (or one `call` from Python).
    rows: dict[str, dict[str, Any]] = g.setdefault("dashboard_rows", {})
    return rows


def current_cache() -> StorageCache:
    """The StorageCache of the current app."""
    cache: StorageCache = current_app.extensions["dashboard"].cache
    return cache
