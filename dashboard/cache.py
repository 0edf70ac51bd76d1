"""The StorageCache: account and session rows by id on a cachelib backend.

Entries hold rows minus their secrets (storage.data). Every write invalidates the
rows it changed after its transaction commits. Invalidation leaves a short-lived
marker instead of deleting, and a reader fills the cache with ``add`` (only when
absent), so a reader that loaded a row just before a write cannot put the old row
back after the write's invalidation.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from cachelib import BaseCache, FileSystemCache, NullCache, RedisCache, SimpleCache
from flask import current_app, g

from dashboard import storage

log = logging.getLogger("dashboard")

ENTRY_SECONDS = 300
INVALIDATED = "invalidated"
INVALIDATED_SECONDS = 30


def backend_from_url(url: str) -> BaseCache:
    """The cachelib backend CACHE_URL names."""
    parts = urlsplit(url)
    if parts.scheme == "null":
        return NullCache()
    if parts.scheme == "simple":
        return SimpleCache(threshold=100_000)
    if parts.scheme == "filesystem":
        return FileSystemCache(parts.path, threshold=100_000, mode=0o600)
    if parts.scheme == "redis":
        import redis  # an extra: only needed when configured

        return RedisCache(host=redis.Redis.from_url(url), key_prefix="dashboard/")
    raise ValueError(f"unknown cache scheme {parts.scheme!r}")


class StorageCache:
    """Rows by appid and id; a backend that fails is bypassed, never trusted."""

    def __init__(self, backend: BaseCache) -> None:
        self.backend = backend

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
        try:
            self.backend.get("health")
        except Exception:  # noqa: BLE001 - any backend failure
            return "unavailable"
        return "ok"

    def remember(self, appid: str, key: str, row: dict[str, Any]) -> None:
        """Keep a row just read from the database for the rest of this request.

        Authentication reads the session and its account; the route then asks for the
        same rows by id and gets them from here, without another query.
        """
        _request_rows()[f"{appid}/{key}"] = row

    def invalidate(self, appid: str, *ids: str) -> None:
        """Forget rows after a write to them has committed."""
        rows = _request_rows()
        for key in ids:
            rows.pop(f"{appid}/{key}", None)
        try:
            self.backend.set_many({f"{appid}/{i}": INVALIDATED for i in ids}, INVALIDATED_SECONDS)
        except Exception as error:  # noqa: BLE001 - any backend failure
            log.warning("cache invalidation failed: %s", type(error).__name__)

    def _get(self, appid: str, key: str, model: Any, field: Any) -> dict[str, Any] | None:
        cache_key = f"{appid}/{key}"
        if cache_key in _request_rows():
            return _request_rows()[cache_key]
        try:
            cached = self.backend.get(cache_key)
        except Exception as error:  # noqa: BLE001
            log.warning("cache read failed: %s", type(error).__name__)
            cached = INVALIDATED
        if isinstance(cached, dict):
            return cached
        row = model.get_or_none((field == key) & (model.appid == appid))
        if row is None:
            return None
        value = storage.data(row)
        if cached is None:
            try:
                self.backend.add(cache_key, value, ENTRY_SECONDS)
            except Exception as error:  # noqa: BLE001
                log.warning("cache write failed: %s", type(error).__name__)
        return value


def _request_rows() -> dict[str, dict[str, Any]]:
    # Lives on flask.g: one app context, that is one request (or one `call` from Python).
    if "dashboard_rows" not in g:
        g.dashboard_rows = {}
    return g.dashboard_rows


def current_cache() -> StorageCache:
    """The StorageCache of the current app."""
    return current_app.extensions["dashboard"].cache
