"""Rate limits: one flask-limiter Limiter per app, and the limits of each route."""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Flask, Response
from flask_limiter import Limiter
from werkzeug.exceptions import HTTPException

from dashboard import cache, credentials, params, security
from dashboard.config import Config, current_config
from dashboard.errors import ApiError

log = logging.getLogger("dashboard")

# Public routes that check a password: one shared budget per address and per username.
PASSWORD_ROUTES = (
    "user/create-session",
    "user/reset-account-deleted",
    "user/reset-account-password",
)
LIMITED_ROUTES = (*PASSWORD_ROUTES, "user/create-account")


def create_limiter(app: Flask, config: Config) -> Limiter:
    """A Limiter bound to ``app`` alone; limits are keyed by client address by default."""
    redis = urlsplit(config.ratelimit_storage_uri).scheme == "redis"
    _relay_storage_warnings()
    limiter = Limiter(
        _address_key,
        app=app,
        storage_uri=config.ratelimit_storage_uri,
        storage_options=cache.redis_options(config.redis_timeout) if redis else {},
        enabled=config.ratelimit_enabled,
        headers_enabled=True,
        # Redis unreachable: count in this process's memory; a storage error never
        # fails a request (it would come after a sign-in has been committed).
        in_memory_fallback_enabled=True,
        swallow_errors=True,
        key_prefix=config.appid,
    )
    # Every limit here is a route's own, checked by its decorator (limit_route); none is
    # app-wide. The check flask-limiter also hooks before every request of the app would
    # find nothing to count, at a fifth of the cost of a bare route: it is taken out.
    hooks = app.before_request_funcs.get(None, [])
    if limiter._check_request_limit in hooks:  # not there when limits are off
        hooks.remove(limiter._check_request_limit)
    return limiter


def _address_key() -> str:
    # Honours PROXY_COUNT through ProxyFix. Text that is not an address shares one key.
    return params.client_address() or "unknown"


class _StorageWarnings(logging.Handler):
    """flask-limiter tells of its storage failing on its own logger, which has only a
    NullHandler: so that operators see it, each such line is said once more in ours,
    without the traceback (one warning per outage: flask-limiter says it once)."""

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.levelno >= logging.WARNING or "recovered" in message:
            log.warning("rate limits: %s", message)


def _relay_storage_warnings() -> None:
    limiter_log = logging.getLogger("flask-limiter")
    if not any(isinstance(handler, _StorageWarnings) for handler in limiter_log.handlers):
        limiter_log.addHandler(_StorageWarnings())


def limit_route(
    limiter: Limiter, config: Config, path: str, view: Callable, methods: list[str]
) -> Callable:
    """``view`` wrapped in the limits its route has, if any, counting only ``methods``
    (not the CORS preflights a browser sends before them)."""
    if path in PASSWORD_ROUTES:
        view = limiter.shared_limit(
            config.create_session_rate_limit, "sign-in-address", methods=methods
        )(view)
        view = limiter.shared_limit(
            config.create_session_username_rate_limit,
            "sign-in-username",
            key_func=_posted_username_key,
            exempt_when=lambda: _posted_username() is None,
            deduct_when=_failed_sign_in,
            methods=methods,
        )(view)
    elif path == "user/create-account":
        view = limiter.limit(
            config.create_account_rate_limit, scope="create-account", methods=methods
        )(view)
    return view


def _posted_username() -> str | None:
    # flask-limiter takes an exception here for its storage failing: never raise one.
    try:
        return params.body().get("username") or None
    except (ApiError, HTTPException):
        return None  # a body that cannot be read: the route answers 400, 413 or 415


def _posted_username_key() -> str:
    # A keyed hash of the prepared form, so that look-alikes share one budget: the
    # limiter's store never holds a username.
    config = current_config()
    typed = _posted_username() or ""
    prepared = credentials.username(typed, config.maximum_username_length)
    return security.username_hash(prepared or typed, config.encryption_key)


def _failed_sign_in(response: Response) -> bool:
    # Only wrong credentials count against a username; 403 means the password matched.
    return response.status_code == 400
