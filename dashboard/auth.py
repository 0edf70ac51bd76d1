"""Authenticating a request: application server, bearer token or cookies; and the
cookies that sign a browser in and out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

import peewee
from werkzeug.http import dump_cookie

from dashboard import factors, objects, origins, security, sessions
from dashboard.config import Config
from dashboard.errors import ApiError, AuthRequired, Headers
from dashboard.req import RequestHeaders

if TYPE_CHECKING:
    from dashboard.dispatch import Inbound

# The methods that change state and carry a body.
UNSAFE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})
# The methods that need no CSRF token with cookies: any other needs one.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
COOKIES = ("sessionid", "token")


class Credentials(Protocol):
    """Where a request's credentials are: its headers, and its cookies (read only when
    there is no other credential)."""

    @property
    def headers(self) -> RequestHeaders: ...

    @property
    def cookies(self) -> Mapping[str, str]: ...


@dataclass(frozen=True)
class Identity:
    """Who a request's credentials prove: the account and session rows, and how."""

    account: dict[str, Any]
    session: dict[str, Any]
    by_cookie: bool


def authenticate(
    inbound: Inbound, config: Config, database: peewee.Database | None = None
) -> Identity | None:
    """Who a request's credentials prove, or None; the rules of cookies
    (``check_browser``) applied. ``database``: the app's, where no app context binds
    storage.db."""
    identity = identify_credentials(inbound, config, database)
    if identity is not None:
        check_browser(identity, inbound.headers, inbound.method, inbound.host, config)
    return identity


def required(
    identity: Identity | None,
    administrator: bool,
    verified_within: int | None,
    config: Config,
    second_step: bool = False,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The account and session rows of ``identity``, if they are enough: raises
    AuthRequired for none; for a session whose sign-in waits for its second factor,
    unless ``second_step`` (the route completes it); for one not an administrator's when
    ``administrator``, or an administrator's without a second factor when the config
    requires one; or for a session not signed in or verified within ``verified_within``
    seconds."""
    if identity is None:
        raise AuthRequired()
    account, session = identity.account, identity.session
    if factors.waiting(session) and not second_step:
        raise AuthRequired("Second factor required", 401)
    if administrator and account["administrator_since"] is None:
        raise AuthRequired("Administrator required")
    if administrator and config.require_administrator_second_factor and not factors.kinds(account):
        raise AuthRequired("Second factor required")
    if verified_within is not None and not sessions.verified_lately(session, verified_within):
        raise AuthRequired("Verification required")
    return account, session


def identify_credentials(
    request: Credentials, config: Config, database: peewee.Database | None = None
) -> Identity | None:
    """Who these credentials prove: the application server's headers, else a bearer
    token, else the session cookies. Tokens in the query string are never read.
    ``database``: the app's, where no app context binds storage.db (gateway.py)."""
    headers = request.headers
    server_token = headers.get("X-Application-Server-Token")
    if server_token is not None:
        if not security.same(server_token, config.application_server_token):
            return None
        sessionid = headers.get("X-Sessionid") or ""
        accountid = headers.get("X-Accountid") or ""
        found = sessions.authenticate(config, sessionid, None, accountid, database)
        return _proven(found, False)

    authorization = headers.get("Authorization")
    if authorization is not None:
        scheme, _, credentials = authorization.partition(" ")
        sessionid, _, token = credentials.strip().partition(".")
        if scheme.lower() != "bearer" or not token:
            return None
        return _proven(sessions.authenticate(config, sessionid, token, None, database), False)

    cookie_sessionid, cookie_token = (request.cookies.get(name) for name in COOKIES)
    if not cookie_sessionid or not cookie_token:
        return None
    found = sessions.authenticate(config, cookie_sessionid, cookie_token, None, database)
    return _proven(found, True)


def check_browser(
    identity: Identity, headers: RequestHeaders, method: str, host: str, config: Config
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
            objects.public_account(account, ()),
            objects.public_session(session, None, BRIEF_SESSION_FIELDS),
        )
    return objects.public_account(account), sessions.public(session, account)


def _proven(
    found: tuple[dict[str, Any], dict[str, Any]] | None, by_cookie: bool
) -> Identity | None:
    return Identity(found[0], found[1], by_cookie) if found else None


def cookie_session_valid(cookies: Mapping[str, str], config: Config) -> bool:
    """Whether a request's session cookies, if any, still name a valid session."""
    sessionid, token = (cookies.get(name) for name in COOKIES)
    if not sessionid or not token:
        return True  # nothing to clear
    return sessions.authenticate(config, sessionid, token) is not None


def cookies_of(session: dict[str, Any], config: Config) -> Headers:
    """The headers that sign a browser in: the sessionid and token cookies of a Session
    object with its token, until the session expires."""
    expires = datetime.fromisoformat(session["expiresAt"].replace("Z", "+00:00"))
    return [
        ("Set-Cookie", dump_cookie(name, session[name], expires=expires, **_attributes(config)))
        for name in COOKIES
    ]


def cleared_cookies(config: Config) -> Headers:
    """The headers that sign a browser out, with the attributes the cookies were set with."""
    return [
        ("Set-Cookie", dump_cookie(name, "", expires=0, max_age=0, **_attributes(config)))
        for name in COOKIES
    ]


def _attributes(config: Config) -> dict[str, Any]:
    return {
        "path": "/",
        "httponly": True,
        "samesite": "Strict",
        "secure": config.session_cookie_secure,
    }
