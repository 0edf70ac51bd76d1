"""Rate limits: one flask-limiter Limiter per app, and the limits of each route."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Response
from flask_limiter import Limiter

from dashboard import params, security
from dashboard.config import Config, current_config
from dashboard.errors import ApiError

# Public routes that check a password: one shared budget per address and per username.
PASSWORD_ROUTES = ("user/create-session", "user/reset-account-deleted")


def create_limiter(app: Flask, config: Config) -> Limiter:
    """A Limiter bound to ``app`` alone; limits are keyed by client address by default."""
    return Limiter(
        _address_key,
        app=app,
        storage_uri=config.ratelimit_storage_uri,
        enabled=config.ratelimit_enabled,
        headers_enabled=True,
        # Redis unreachable: count in this process's memory, with a logged warning.
        in_memory_fallback_enabled=True,
        key_prefix=config.appid,
    )


def limit_route(limiter: Limiter, config: Config, path: str, view: Callable) -> Callable:
    """``view`` wrapped in the limits its route has, if any."""
    if path in PASSWORD_ROUTES:
        view = limiter.shared_limit(config.create_session_rate_limit, "sign-in-address")(view)
        view = limiter.shared_limit(
            config.create_session_username_rate_limit,
            "sign-in-username",
            key_func=_posted_username_key,
            exempt_when=lambda: _posted_username() is None,
            deduct_when=_failed_sign_in,
        )(view)
    elif path == "user/create-account":
        view = limiter.limit(config.create_account_rate_limit, scope="create-account")(view)
    return view


def _address_key() -> str:
    # Honours PROXY_COUNT through ProxyFix. Text that is not an address shares one key.
    return params.client_address() or "unknown"


def _posted_username() -> str | None:
    # flask-limiter takes an exception here for its storage failing: never raise one.
    try:
        return params.body().get("username") or None
    except ApiError:
        return None  # a body that cannot be read: the route answers 400


def _posted_username_key() -> str:
    # A keyed hash: the limiter's store never holds a username.
    config = current_config()
    return security.username_hash(_posted_username() or "", config.encryption_key)


def _failed_sign_in(response: Response) -> bool:
    # Only wrong credentials count against a username; 403 means the password matched.
    return response.status_code == 400
