"""/api/verify, and the API's GETs in the service, answered before Flask.

A WSGI middleware in front of the app answers GET and HEAD /api/verify itself, without
Flask's routing, request and response objects or request hooks: the answer is made from
the WSGI environ with the API's own authentication (auth.identify_credentials and
auth.check_browser, one SQL statement) and the route module's function
(dashboard.api.gateway.verify). It is the one request a protected site makes for each
of its own.

In the service (create_app), where the app is Dashboard's alone, the API's GET routes
are answered here too, by the same steps as their Flask views (http.new_req,
auth.authenticate, http.signed_in, the route's function, errors.answer), in an app
context but with no request context. A host app's GETs go through Flask, so that the
host's own request hooks see them. Every other request goes on to Flask untouched.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask
from werkzeug.http import HTTP_STATUS_CODES, parse_cookie
from werkzeug.wsgi import get_host

from dashboard import auth, databases, errors, http, limits, reference
from dashboard.api.gateway import verify

log = logging.getLogger("dashboard")

PATH = "/api/verify"
ENVOY_PATH = PATH + "/"  # /api/verify/<the original path>, with the original method
METHODS = ("GET", "HEAD")
# The headers of the request the proxy is about to forward, as proxies name them.
FORWARDED_METHOD = ("X-Forwarded-Method", "X-Original-Method")
FORWARDED_HOST = ("X-Forwarded-Host",)

Answer = tuple[str, list[tuple[str, str]], bytes]
StartResponse = Callable[..., Any]


class Gateway:
    """WSGI middleware: ``app.wsgi_app = Gateway(app.wsgi_app, state, app)``.

    ``answers_api``: also answer the API's GET routes (the service's app only)."""

    def __init__(
        self,
        wsgi_app: Callable[..., Iterable[bytes]],
        state: Any,
        app: Flask,
        answers_api: bool = False,
    ) -> None:
        self.wsgi_app = wsgi_app
        self.state = state
        self.app = app
        self.security = list(http.security_headers(state.config).items())
        # A route with a rate limit is left to Flask, where flask-limiter counts it.
        self.gets = (
            {
                route.url: route
                for route in reference.routes()
                if route.kind != "gateway"
                and "get" in route.methods
                and route.name not in limits.LIMITED_ROUTES
            }
            if answers_api
            else {}
        )
        # flask-cors answers a request with an Origin in Flask (ALLOWED_ORIGINS).
        self.cors = bool(state.config.allowed_origins)
        self.signed_out = self._json(
            401, errors.auth_object("Sign in required"), [("WWW-Authenticate", "Bearer")]
        )
        self.wrong_method = self._json(
            405, errors.error_object("invalid-method"), [("Allow", "GET, HEAD")]
        )

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "")
        if path == PATH:
            answer = self.answer(environ) if method in METHODS else self.wrong_method
        elif path.startswith(ENVOY_PATH):
            # Envoy's ext_authz sends the original method, and the path after its prefix.
            answer = self.answer(environ, forwarded_method=method)
        elif (
            path in self.gets and method in METHODS and not (self.cors and "HTTP_ORIGIN" in environ)
        ):
            answer = self.answer_get(self.gets[path], environ, method)
        else:
            return self.wsgi_app(environ, start_response)
        status, headers, body = answer
        start_response(status, headers)
        return [] if method == "HEAD" else [body]

    def answer(self, environ: dict[str, Any], forwarded_method: str | None = None) -> Answer:
        """The status, headers and body of /api/verify for this request."""
        database = self.state.database
        try:
            return self._verified(environ, forwarded_method)
        except Exception as error:  # noqa: BLE001 - answered as JSON, as Flask's views are
            return self._json(*errors.answer(error, database))
        finally:
            databases.release(database)

    def answer_get(self, route: reference.Route, environ: dict[str, Any], method: str) -> Answer:
        """The status, headers and body of a GET route of the API, as its Flask view
        (http._view) answers them."""
        state = self.state
        config = state.config
        with self.app.app_context():  # the app's database, cache and request rows
            try:
                state.upgrade.ensure()
                query = environ.get("QUERY_STRING", "").encode("latin-1")
                req = http.new_req(
                    config, query, environ.get("REMOTE_ADDR"), environ.get("HTTP_USER_AGENT")
                )
                if route.auth:
                    found = auth.authenticate(_Request(environ, method), config)
                    req["account"], req["session"] = http.signed_in(route, found, config)
                result = http.call(route, "get", req)
            except Exception as error:  # noqa: BLE001 - answered as JSON, as Flask's views are
                return self._json(*errors.answer(error, state.database))
        return self._json(200, result)

    def _verified(self, environ: dict[str, Any], forwarded_method: str | None) -> Answer:
        state = self.state
        state.upgrade.ensure()
        headers = _Headers(environ)
        cookies = parse_cookie(environ.get("HTTP_COOKIE", ""))
        identity = auth.identify_credentials(headers, cookies, state.config, state.database)
        if identity is None:
            return self.signed_out
        # The rules of cookies (origin, CSRF) are the forwarded request's, not this one's.
        method = _forwarded(headers, forwarded_method)
        host = _first(headers, FORWARDED_HOST) or headers.get("Host", "")
        auth.check_browser(identity, headers, method, host, state.config)
        account, session = auth.public_objects(identity.account, identity.session, brief=True)
        result = verify.get({"account": account, "session": session, "appid": state.config.appid})
        answer = [(name, _text(result[key])) for key, name in verify.HEADERS.items()]
        return "200 OK", [*self.security, ("Content-Length", "0"), *answer], b""

    def _json(self, status: int, content: Any, more: list[tuple[str, str]] | None = None) -> Answer:
        """An answer of ``content`` as JSON, encoded as Flask's views encode it."""
        json = self.app.json
        compact = json.compact is not False and not (json.compact is None and self.app.debug)
        arguments: dict[str, Any] = {"separators": (",", ":")} if compact else {"indent": 2}
        body = f"{json.dumps(content, **arguments)}\n".encode()
        headers = [("Content-Type", json.mimetype), *self.security]
        headers += [("Content-Length", str(len(body))), *(more or [])]
        return f"{status} {HTTP_STATUS_CODES[status].upper()}", headers, body


class _Request:
    """What auth.authenticate reads of a request, straight from its WSGI environ."""

    __slots__ = ("environ", "headers", "method")

    def __init__(self, environ: dict[str, Any], method: str) -> None:
        self.environ = environ
        self.headers = _Headers(environ)
        self.method = method

    @property
    def cookies(self) -> Any:
        return parse_cookie(self.environ.get("HTTP_COOKIE", ""))

    @property
    def host(self) -> str:
        return get_host(self.environ)  # werkzeug's, as Flask's request.host


class _Headers:
    """A request's headers read straight from its WSGI environ, as auth reads them."""

    __slots__ = ("environ",)

    def __init__(self, environ: dict[str, Any]) -> None:
        self.environ = environ

    def get(self, name: str, default: str | None = None) -> str | None:
        key = _ENVIRON_KEYS.get(name)
        if key is None:
            key = _ENVIRON_KEYS[name] = "HTTP_" + name.upper().replace("-", "_")
        return self.environ.get(key, default)


_ENVIRON_KEYS: dict[str, str] = {}  # header name -> its WSGI environ key


def _first(headers: _Headers, names: tuple[str, ...]) -> str | None:
    for name in names:
        value = headers.get(name)
        if value:
            return value
    return None


def _forwarded(headers: _Headers, method: str | None) -> str:
    """The method of the request the proxy is about to forward, for the CSRF rule.

    A proxy sets one of FORWARDED_METHOD; a client may send the other, or a list. Where
    they disagree, an unsafe method wins: a client's ``GET`` never makes a POST safe.
    """
    named = [method or ""] + [headers.get(name) or "" for name in FORWARDED_METHOD]
    methods = [each.strip().upper() for text in named for each in text.split(",")]
    unsafe = [each for each in methods if each and each not in auth.SAFE_METHODS]
    return unsafe[0] if unsafe else "GET"


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
