"""The blueprint: finds the route modules and adapts HTTP to their req dicts and back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, current_app, request
from flask_limiter import Limiter

from dashboard import auth, limits, origins, params, reference, sessions
from dashboard.config import Config
from dashboard.errors import ApiError, AuthRequired

# On every answer: JSON only, never framed, sniffed, cached or told where it came from.
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
}
HSTS = "max-age=31536000"


def create_blueprint(limiter: Limiter, config: Config, ready: Callable[[], None]) -> Blueprint:
    """A new blueprint with one URL rule per route module under dashboard.api; every
    view first calls ``ready()`` (the schema is up to date, else it raises)."""
    blueprint = Blueprint("api", __name__, url_prefix="/api")
    for route in reference.routes():
        if route.kind == "gateway":
            continue  # answered before Flask (gateway.py)
        methods = [method.upper() for method in route.methods]
        view = limits.limit_route(limiter, config, route.name, _view(route, config, ready), methods)
        blueprint.add_url_rule(
            f"/{route.name}",
            endpoint=f"{route.kind}_{route.module_name}",
            view_func=view,
            methods=methods,
        )
    return blueprint


def response_headers(
    config: Config, owns: Callable[[], bool] = lambda: True
) -> Callable[[Response], Response]:
    """The after_request function that puts SECURITY_HEADERS on every answer that
    ``owns()`` (all of them in the service; the API's, inside a host app)."""
    wanted = security_headers(config)
    vary = wanted.pop("Vary", None)
    headers = [(name, value, name.lower()) for name, value in wanted.items()]

    def add(response: Response) -> Response:
        if not owns():
            return response
        # Once through the response's headers: werkzeug's setdefault and pop scan them,
        # and raise inside, for every name, and this runs on every answer.
        present = {name.lower() for name, _ in response.headers}
        # a page may have its own policy: what is set stays
        response.headers.extend([(n, v) for n, v, lower in headers if lower not in present])
        if vary is not None:
            response.vary.add(vary)  # beside any other Vary (flask-cors sets one for several)
        if "retry-after" in present and response.status_code != 429:
            # flask-limiter adds Retry-After to every response; it means something on 429.
            del response.headers["Retry-After"]
        return response

    return add


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


def cors_options(config: Config) -> dict[str, Any]:
    """flask-cors options: the ALLOWED_ORIGINS, with their cookies, and our headers."""
    return {
        "origins": list(config.allowed_origins),
        "supports_credentials": True,
        "allow_headers": ["Authorization", "Content-Type", "X-CSRF-Token"],
        "expose_headers": ["Retry-After", "X-Request-Id"],
        "max_age": 600,
        "vary_header": True,
    }


def new_req(
    config: Config, query_string: bytes, remote_addr: str | None, user_agent: str | None
) -> dict[str, Any]:
    """A route's req from what every request has: its query string, the client's
    address (after PROXY_COUNT trusted proxies) and its User-Agent."""
    return {
        "query": params.parse_urlencoded(query_string),
        "appid": config.appid,
        "ip": params.ip_address(remote_addr),
        "userAgent": params.printable(user_agent, params.MAXIMUM_USER_AGENT),
    }


def signed_in(
    route: reference.Route, found: tuple[dict[str, Any], dict[str, Any]] | None, config: Config
) -> tuple[dict[str, Any], dict[str, Any]]:
    """req's account and session objects, for a route that needs an account, from the
    rows the request proved (``auth.checked``); raises AuthRequired when they are not
    enough: none, not an administrator's, or not verified lately."""
    if found is None:
        raise AuthRequired()
    account, session = found
    if route.kind == "administrator" and account["administrator_since"] is None:
        raise AuthRequired("Administrator required")
    if route.verified and not sessions.verified_lately(session, config.session_verification_delay):
        raise AuthRequired("Verification required")
    return auth.public_objects(account, session)


def call(route: reference.Route, method: str, req: dict[str, Any]) -> Any:
    """The route's function of ``method`` on ``req``; an error it raises names the
    parameter at fault (ApiError.field), as the route declares it."""
    try:
        return getattr(route.module, method)(req)
    except ApiError as error:
        error.field = error.field or route.field_of(error.code)
        raise


def _view(
    route: reference.Route, config: Config, ready: Callable[[], None]
) -> Callable[[], Response]:
    module, kind, needs_account, sets_cookies = (
        route.module,
        route.kind,
        route.auth,
        route.sets_cookies,
    )

    def view() -> Response:
        ready()
        req = new_req(
            config, request.query_string, request.remote_addr, request.headers.get("User-Agent")
        )
        if request.method in auth.UNSAFE_METHODS:
            req["body"] = params.body()
            req["uploads"] = params.uploads()
        if sets_cookies:
            # login CSRF: no other site signs a browser in
            origins.check(request.headers, request.host, config)
        if needs_account:
            found = auth.authenticate(request, config)
            req["account"], req["session"] = signed_in(route, found, config)
        method = "get" if request.method == "HEAD" else request.method.lower()
        result = call(route, method, req)
        if sets_cookies and isinstance(result, dict) and "token" in result:
            # cookie-only=true: the token goes into the HttpOnly cookie and nowhere else,
            # out of the reach of the page's JavaScript
            cookie_only = (req.get("body") or {}).get("cookie-only") == "true"
            response = current_app.json.response(
                {name: value for name, value in result.items() if name != "token"}
                if cookie_only
                else result
            )
            auth.set_cookies(response, result, config)
            return response
        response = current_app.json.response(result)
        if needs_account and request.method in auth.UNSAFE_METHODS:
            # A write that ended the browser's own session signs the browser out too.
            if not auth.cookie_session_valid(request, config):
                auth.clear_cookies(response, config)
        return response

    # flask-limiter keys a route's limits by its view's name: each view needs its own.
    view.__module__ = module.__name__
    view.__name__ = view.__qualname__ = f"{kind}_{module.__name__.rsplit('.', 1)[-1]}"
    # Flask answers OPTIONS (CORS preflights) when ALLOWED_ORIGINS names some; else 405.
    if not config.allowed_origins:
        view.provide_automatic_options = False  # type: ignore[attr-defined]
    return view
