"""Authenticating an HTTP request: application server, bearer token or cookies."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Request, Response

from dashboard import origins, security, sessions
from dashboard.config import Config
from dashboard.errors import ApiError

# The methods that change state, carry a body, and need a CSRF token with cookies.
UNSAFE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})
COOKIES = ("sessionid", "token")


def authenticate(request: Request, config: Config) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The (account, session) rows a request proves, or None.

    Raises ``invalid-csrf-token`` for a cookie-authenticated unsafe request without
    the session's CSRF token. Tokens in the query string are never read.
    """
    headers = request.headers
    server_token = headers.get("X-Application-Server-Token")
    if server_token is not None:
        if not security.same(server_token, config.application_server_token):
            return None
        sessionid = headers.get("X-Sessionid", "")
        accountid = headers.get("X-Accountid", "")
        return sessions.authenticate(config.appid, sessionid, None, accountid)

    authorization = headers.get("Authorization")
    if authorization is not None:
        scheme, _, credentials = authorization.partition(" ")
        sessionid, _, token = credentials.strip().partition(".")
        if scheme.lower() != "bearer" or not token:
            return None
        return sessions.authenticate(config.appid, sessionid, token)

    sessionid, token = (request.cookies.get(name) for name in COOKIES)
    if not sessionid or not token:
        return None
    origins.check(request, config)  # another site's page must not use the cookies
    found = sessions.authenticate(config.appid, sessionid, token)
    if found is not None and request.method in UNSAFE_METHODS:
        _, session = found
        if not security.same(headers.get("X-CSRF-Token"), session["csrf_token"]):
            raise ApiError("invalid-csrf-token")
    return found


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
