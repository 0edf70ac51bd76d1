"""Authenticating an HTTP request: application server, bearer token or cookies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Request, Response, g

from dashboard import origins, security, sessions
from dashboard.config import Config
from dashboard.errors import ApiError

# The methods that change state, carry a body, and need a CSRF token with cookies.
UNSAFE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})
COOKIES = ("sessionid", "token")


@dataclass(frozen=True)
class Identity:
    """Who a request's credentials prove: the account and session rows, and how."""

    account: dict[str, Any]
    session: dict[str, Any]
    by_cookie: bool


def identify(request: Request, config: Config) -> Identity | None:
    """Who the request's credentials prove, or None; worked out once a request.

    No rule of how the credentials came is applied here (see ``authenticate``). Tokens
    in the query string are never read.
    """
    if "dashboard_identity" not in g:
        g.dashboard_identity = _identify(request, config)
    return g.dashboard_identity


def authenticate(request: Request, config: Config) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The (account, session) rows a request proves, or None.

    Signed in by cookie, the request must come from this site or an allowed origin
    (``invalid-origin``), and with an unsafe method carry the session's CSRF token
    (``invalid-csrf-token``).
    """
    identity = identify(request, config)
    if identity is None:
        return None
    if identity.by_cookie:
        origins.check(request, config)  # another site's page must not use the cookies
        if request.method in UNSAFE_METHODS and not security.same(
            request.headers.get("X-CSRF-Token"), identity.session["csrf_token"]
        ):
            raise ApiError("invalid-csrf-token")
    return identity.account, identity.session


def _identify(request: Request, config: Config) -> Identity | None:
    headers = request.headers
    server_token = headers.get("X-Application-Server-Token")
    if server_token is not None:
        if not security.same(server_token, config.application_server_token):
            return None
        sessionid = headers.get("X-Sessionid", "")
        accountid = headers.get("X-Accountid", "")
        return _proven(sessions.authenticate(config.appid, sessionid, None, accountid), False)

    authorization = headers.get("Authorization")
    if authorization is not None:
        scheme, _, credentials = authorization.partition(" ")
        sessionid, _, token = credentials.strip().partition(".")
        if scheme.lower() != "bearer" or not token:
            return None
        return _proven(sessions.authenticate(config.appid, sessionid, token), False)

    sessionid, token = (request.cookies.get(name) for name in COOKIES)
    if not sessionid or not token:
        return None
    return _proven(sessions.authenticate(config.appid, sessionid, token), True)


def _proven(
    found: tuple[dict[str, Any], dict[str, Any]] | None, by_cookie: bool
) -> Identity | None:
    return Identity(found[0], found[1], by_cookie) if found else None


def cookie_session_valid(request: Request, config: Config) -> bool:
    """Whether the request's session cookies, if any, still name a valid session."""
    sessionid, token = (request.cookies.get(name) for name in COOKIES)
    if not sessionid or not token:
        return True  # nothing to clear
    return sessions.authenticate(config.appid, sessionid, token) is not None


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
