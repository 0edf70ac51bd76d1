"""Rate limits: one flask-limiter Limiter per app, and the limits a route declares.

A route module names the limits it counts against (``LIMITS = ("sign-in",)``); LIMITS
here says what each one is. flask-limiter counts them inside Flask, so a route with one
is never answered before Flask (reference.Route.before_flask).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response
from flask_limiter import Limiter
from werkzeug.exceptions import HTTPException

from dashboard import cache, credentials, params, security
from dashboard.config import Config, current_config
from dashboard.errors import ApiError
from dashboard.reference import Route

log = logging.getLogger("dashboard")

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


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
    # app-wide. flask-limiter (4.1) also checks before every request that reaches Flask,
    # and has no option to stop it; it finds nothing to count there. The requests a
    # protected site makes most (verify, the API's GETs) are answered before Flask.
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
    limiter: Limiter, config: Config, route: Route, view: Callable[..., Any], methods: list[str]
) -> Callable[..., Any]:
    """``view`` wrapped in the limits its route declares, counting only ``methods`` (not
    the CORS preflights a browser sends before them)."""
    for name in route.limits:
        for decorator in LIMITS[name](limiter, config, methods):
            view = decorator(view)
    return view


def _sign_in(limiter: Limiter, config: Config, methods: list[str]) -> list[Decorator]:
    # One budget per address and one per username, shared by every route that checks a
    # password; a username's counts only wrong credentials.
    return [
        limiter.shared_limit(config.create_session_rate_limit, "sign-in-address", methods=methods),
        limiter.shared_limit(
            config.create_session_username_rate_limit,
            "sign-in-username",
            key_func=_posted_username_key,
            exempt_when=lambda: _posted_username() is None,
            deduct_when=_failed_sign_in,
            methods=methods,
        ),
    ]


def _create_account(limiter: Limiter, config: Config, methods: list[str]) -> list[Decorator]:
    return [
        limiter.limit(config.create_account_rate_limit, scope="create-account", methods=methods)
    ]


# What each limit a route may declare (its LIMITS) is: the decorators that count it.
LIMITS: dict[str, Callable[[Limiter, Config, list[str]], list[Decorator]]] = {
    "sign-in": _sign_in,
    "create-account": _create_account,
}


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
    return security.username_hash(prepared or typed, config.keys.encryption)


def _failed_sign_in(response: Response) -> bool:
    # Only wrong credentials count against a username; 403 means the password matched.
    return response.status_code == 400
