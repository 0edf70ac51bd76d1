"""Authenticating an HTTP request: application server, bearer token or cookies."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import peewee
from flask import Request, Response, g

from dashboard import origins, security, sessions, storage
from dashboard.cache import current_cache
from dashboard.config import Config
from dashboard.errors import ApiError

# The methods that change state and carry a body.
UNSAFE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})
# The methods that need no CSRF token with cookies: any other needs one.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
COOKIES = ("sessionid", "token")
_UNKNOWN = object()


@dataclass(frozen=True)
class Identity:
    """Who a request's credentials prove: the account and session rows, and how."""

    account: dict[str, Any]
    session: dict[str, Any]
    by_cookie: bool


def identify(request: Request, config: Config) -> Identity | None:
    """Who the request's credentials prove, or None; worked out once a request.

    No rule of how the credentials came is applied here (see ``authenticate``). The rows
    found serve the rest of the request from the cache's request rows, with no query.
    """
    known = g.get("dashboard_identity", _UNKNOWN)
    if known is not _UNKNOWN:
        return known
    identity = identify_credentials(request.headers, request.cookies, config)
    if identity is not None:
        cache = current_cache()
        cache.remember(config.appid, identity.session["sessionid"], identity.session)
        cache.remember(config.appid, identity.account["accountid"], identity.account)
    g.dashboard_identity = identity
    return identity


def authenticate(request: Request, config: Config) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The (account, session) rows a request proves, or None; the rules of cookies
    (``check_browser``) applied. ``request``: Flask's, or what the gateway reads from the
    WSGI environ (``headers``, ``cookies``, ``method`` and ``host``)."""
    identity = identify(request, config)
    if identity is None:
        return None
    check_browser(identity, request.headers, request.method, request.host, config)
    return identity.account, identity.session


def identify_credentials(
    headers: Mapping[str, str],
    cookies: Mapping[str, str],
    config: Config,
    database: peewee.Database | None = None,
) -> Identity | None:
    """Who these credentials prove: the application server's headers, else a bearer
    token, else the session cookies. Tokens in the query string are never read.
    ``database``: the app's, where no app context binds storage.db (gateway.py)."""
    server_token = headers.get("X-Application-Server-Token")
    if server_token is not None:
        if not security.same(server_token, config.application_server_token):
            return None
        sessionid = headers.get("X-Sessionid", "")
        accountid = headers.get("X-Accountid", "")
        found = sessions.authenticate(config, sessionid, None, accountid, database)
        return _proven(found, False)

    authorization = headers.get("Authorization")
    if authorization is not None:
        scheme, _, credentials = authorization.partition(" ")
        sessionid, _, token = credentials.strip().partition(".")
        if scheme.lower() != "bearer" or not token:
            return None
        return _proven(sessions.authenticate(config, sessionid, token, None, database), False)

    sessionid, token = (cookies.get(name) for name in COOKIES)
    if not sessionid or not token:
        return None
    return _proven(sessions.authenticate(config, sessionid, token, None, database), True)


def check_browser(
    identity: Identity, headers: Mapping[str, str], method: str, host: str, config: Config
) -> None:
    """The rules of cookies, for a request of ``method`` to ``host``: signed in by
    cookie, it must come from this site or an allowed origin (``invalid-origin``), and
    with any method but a safe one carry the session's CSRF token (``invalid-csrf-token``)."""
    if not identity.by_cookie:
        return
    origins.check(headers, host, config)  # another site's page must not use the cookies
    if method not in SAFE_METHODS and not security.same(
        headers.get("X-CSRF-Token"), identity.session["csrf_token"]
    ):
        raise ApiError("invalid-csrf-token")


# What the gateway's verify reads of the objects: building all of them would cost as much
# as its query.
BRIEF_SESSION_FIELDS = (("accountid", "account"), ("lastVerifiedAt", "last_verified_at"))


def public_objects(
    account: dict[str, Any], session: dict[str, Any], brief: bool = False
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The Account and Session objects of a signed-in request (req["account"], ...).

    ``brief``: only their ids, the account's flags and when the session was verified,
    for a valid session (``ended`` is not worked out again).
    """
    if brief:
        return (
            storage.public_account(account, ()),
            storage.public_session(session, None, BRIEF_SESSION_FIELDS),
        )
    return storage.public_account(account), sessions.public(session, account)


def _proven(
    found: tuple[dict[str, Any], dict[str, Any]] | None, by_cookie: bool
) -> Identity | None:
    return Identity(found[0], found[1], by_cookie) if found else None


def cookie_session_valid(request: Request, config: Config) -> bool:
    """Whether the request's session cookies, if any, still name a valid session."""
    sessionid, token = (request.cookies.get(name) for name in COOKIES)
    if not sessionid or not token:
        return True  # nothing to clear
    return sessions.authenticate(config, sessionid, token) is not None


def set_cookies(response: Response, session: dict[str, Any], config: Config) -> None:
    """Sign the browser in: the sessionid and token cookies, until the session expires."""
    expires = datetime.fromisoformat(session["expiresAt"].replace("Z", "+00:00"))
    for name in COOKIES:
        response.set_cookie(name, session[name], expires=expires, **_attributes(config))


def clear_cookies(response: Response, config: Config) -> None:
    """Sign the browser out, with the attributes the cookies were set with."""
    for name in COOKIES:
        response.delete_cookie(name, **_attributes(config))


def _attributes(config: Config) -> dict[str, Any]:
    return {
        "path": "/",
        "httponly": True,
        "samesite": "Strict",
        "secure": config.session_cookie_secure,
    }
