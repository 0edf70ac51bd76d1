"""One request of the API, from what came in to what goes out: its steps, written once.

    schema ready -> req -> posted body -> origin rule -> credentials -> route -> answer

Flask's view (http.py) and the WSGI fast path (gateway.py) are the two doors: each reads
its request as an ``Inbound``, calls ``answer``, and sends the ``Outbound`` it gets back.
Neither holds a step of its own. Nothing here is Flask's: the doors give a route's
function the app context it runs in.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from dashboard import auth, errors, origins, params, sessions
from dashboard.config import Config
from dashboard.errors import ApiError, Headers
from dashboard.reference import BODY_METHODS, Route
from dashboard.req import Req, RequestHeaders

if TYPE_CHECKING:
    from dashboard.extension import State


# On every answer: JSON only, never framed, sniffed, cached or told where it came from.
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
}
HSTS = "max-age=31536000"


def security_headers(config: Config) -> dict[str, str]:
    """The headers every answer of the API carries."""
    headers = dict(SECURITY_HEADERS)
    if config.session_cookie_secure:  # served over TLS: say so for a year
        headers["Strict-Transport-Security"] = HSTS
    if config.allowed_origins:
        # An answer differs by Origin (CORS headers for an allowed one): a cache must
        # not hand one origin's answer to another. flask-cors says so for several
        # origins only.
        headers["Vary"] = "Origin"
    return headers


class Inbound(Protocol):
    """A request, as the steps read it."""

    @property
    def method(self) -> str:
        """Its method; for /api/verify, the method of the request a proxy forwards."""

    @property
    def query_string(self) -> bytes: ...

    @property
    def headers(self) -> RequestHeaders: ...

    @property
    def cookies(self) -> Mapping[str, str]: ...

    @property
    def host(self) -> str:
        """The host it was made to; for /api/verify, the forwarded request's."""

    @property
    def remote_addr(self) -> str | None:
        """The client's address, after PROXY_COUNT trusted proxies."""

    def posted(self) -> tuple[dict[str, str], dict[str, Any]]:
        """Its posted fields and files (only asked of a method with a body)."""


EMPTY = object()  # the content of an answer with an empty body


class Outbound(NamedTuple):
    """An answer: its status, its content (JSON-ready, or EMPTY) and more headers (the
    door adds the API's security headers, and Content-Type for JSON); and when the
    session that signed it in ends by the clock alone (answers.py), if one did."""

    status: int
    content: Any
    headers: Headers
    until: datetime | None = None


def answer(route: Route, inbound: Inbound, state: State) -> Outbound:
    """What the API answers ``inbound`` with, at ``route``."""
    config = state.config
    verb = route.verb(inbound.method)
    until = None
    try:
        state.upgrade.ensure()
        req = new_req(state, inbound.query_string, inbound.remote_addr, inbound.headers)
        if verb in BODY_METHODS:
            req["body"], req["uploads"] = inbound.posted()
        if route.sets_cookies:
            # login CSRF: no other site signs a browser in
            origins.check(inbound.headers, inbound.host, config)
        if route.auth:
            req["account"], req["session"], until = signed_in(route, inbound, state)
        result = call(route, verb, req)
    except Exception as error:  # noqa: BLE001 - every error is answered as JSON
        return Outbound(*errors.answer(error, state.database))
    if route.headers:  # an empty body: what it returns goes as headers
        return Outbound(
            200,
            EMPTY,
            [(name, _text(result[key])) for key, name in route.headers.items()],
            until,
        )
    if route.sets_cookies and isinstance(result, dict) and "token" in result:
        # cookie-only=true: the token goes into the HttpOnly cookie and nowhere else,
        # out of the reach of the page's JavaScript
        cookies = auth.cookies_of(result, config)
        if req.get("body", {}).get("cookie-only") == "true":
            result = {name: value for name, value in result.items() if name != "token"}
        return Outbound(200, result, cookies)
    if (
        route.auth
        and verb in BODY_METHODS
        and not auth.cookie_session_valid(inbound.cookies, config)
    ):
        # A write that ended the browser's own session signs the browser out too.
        return Outbound(200, result, auth.cleared_cookies(config))
    return Outbound(200, result, [], until)


def new_req(
    state: State, query_string: bytes, remote_addr: str | None, headers: RequestHeaders
) -> Req:
    """A route's req from what every request has: its query string, the client's
    address and its User-Agent."""
    return {
        "query": params.parse_urlencoded(query_string),
        "appid": state.config.appid,
        "ip": params.ip_address(remote_addr),
        "userAgent": params.printable(headers.get("User-Agent"), params.MAXIMUM_USER_AGENT),
    }


def signed_in(
    route: Route, inbound: Inbound, state: State
) -> tuple[dict[str, Any], dict[str, Any], datetime | None]:
    """req's account and session objects, for a route that needs an account: from the
    rows the request's credentials prove, if they are enough for the route (else
    AuthRequired: none, not an administrator's, or not verified lately); and when that
    session ends by the clock alone."""
    config = state.config
    identity = auth.authenticate(inbound, config, state.database)
    window = config.session_verification_delay if route.verified else None
    administrator = route.kind == "administrator"
    account, session = auth.required(identity, administrator, window, config, route.second_step)
    until = sessions.ends(session)
    if route.headers:
        # Answered as headers: only ids, flags and times are read, and no row again.
        return (*auth.public_objects(account, session, brief=True), until)
    # The route reads these rows again by id: from the cache's request rows, no query.
    state.cache.remember(config.appid, account, session)
    return (*auth.public_objects(account, session), until)


def call(route: Route, verb: str, req: Req) -> Any:
    """The route's function ``verb`` on ``req``; an error it raises names the parameter
    at fault (ApiError.field), as the route declares it."""
    try:
        return getattr(route.module, verb)(req)
    except ApiError as error:
        error.field = error.field or route.field_of(error.code)
        raise


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
