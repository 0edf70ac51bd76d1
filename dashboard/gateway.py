"""The WSGI fast path: /api/verify, and the API's GETs in the service, before Flask.

A WSGI middleware in front of the app answers GET and HEAD /api/verify itself, without
Flask's routing, request and response objects or request hooks: it reads the WSGI
environ as a dispatch.Inbound and answers what dispatch.answer gives, the steps of every
request of the API. /api/verify is the one request a protected site makes for each of
its own, and needs no app context: its answer reads no row but the one query of its
credentials.

In the service (create_app), where the app is Dashboard's alone, the API's GET routes
that may be (reference.Route.before_flask) are answered here too, in an app context but
with no request context. A host app's GETs go through Flask, so that the host's own
request hooks see them. Every other request goes on to Flask untouched.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from flask import Flask
from werkzeug.http import HTTP_STATUS_CODES, parse_cookie
from werkzeug.wsgi import get_host

from dashboard import answers, auth, databases, dispatch, errors, reference
from dashboard.api.gateway import verify

if TYPE_CHECKING:
    from dashboard.extension import State

log = logging.getLogger("dashboard")

PATH = "/api/verify"
ENVOY_PATH = PATH + "/"  # /api/verify/<the original path>, with the original method
METHODS = ("GET", "HEAD")
# The headers of the request the proxy is about to forward, as proxies name them.
FORWARDED_METHOD = ("X-Forwarded-Method", "X-Original-Method")
FORWARDED_HOST = ("X-Forwarded-Host",)
SERVER_TOKEN = "HTTP_X_APPLICATION_SERVER_TOKEN"  # the application server's credential

Answer = tuple[str, list[tuple[str, str]], bytes]
StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class Gateway:
    """WSGI middleware: ``app.wsgi_app = Gateway(app.wsgi_app, state, app)``.

    ``answers_api``: also answer the API's GET routes (the service's app only)."""

    def __init__(self, wsgi_app: WSGIApp, state: State, app: Flask, answers_api: bool = False):
        self.wsgi_app = wsgi_app
        self.state = state
        self.app = app
        self.security = list(dispatch.security_headers(state.config).items())
        self.verify = next(route for route in reference.routes() if route.module is verify)
        self.gets = {
            route.url: route
            for route in reference.routes()
            if answers_api and route.before_flask and route.kind != "gateway"
        }
        # With ALLOWED_ORIGINS, a request with an Origin goes on to Flask, where
        # flask-cors adds the headers that let that origin's page read the answer.
        self.cors = bool(state.config.allowed_origins)
        self.answers = answers.Answers(state.database)
        self.wrong_method = self._encoded(
            dispatch.Outbound(405, errors.error_object("invalid-method"), [("Allow", "GET, HEAD")])
        )

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "")
        if path == PATH:
            if method in METHODS:
                answer = self.kept(self.verify, environ, lambda: self.answer(environ))
            else:
                answer = self.wrong_method
        elif path.startswith(ENVOY_PATH):
            # Envoy's ext_authz sends the original method, and the path after its prefix.
            answer = self._encoded(self.answer(environ, forwarded_method=method))
        elif (
            path in self.gets and method in METHODS and not (self.cors and "HTTP_ORIGIN" in environ)
        ):
            route = self.gets[path]
            answer = self.kept(route, environ, lambda: self.answer_get(route, environ, method))
        else:
            return self.wsgi_app(environ, start_response)
        status, headers, body = answer
        start_response(status, headers)
        return [] if method == "HEAD" else [body]

    def kept(
        self, route: reference.Route, environ: dict[str, Any], make: Callable[[], dispatch.Outbound]
    ) -> Answer:
        """The answer ``make`` gives, encoded; for a route whose answers may be kept and a
        request signed in by a bearer token alone, kept, and answered from memory while
        it holds (answers.py)."""
        authorization = environ.get("HTTP_AUTHORIZATION")
        if not route.kept or authorization is None or SERVER_TOKEN in environ:
            return self._encoded(make())
        key = self.answers.key(environ["PATH_INFO"], environ.get("QUERY_STRING", ""), authorization)
        answer: Answer | None = self.answers.get(key)
        if answer is None:
            version = self.answers.version()  # before the rows are read
            outbound = make()
            answer = self._encoded(outbound)
            if version is not None and outbound.status == 200:
                self.answers.keep(key, answer, version, outbound.until)
        return answer

    def answer(
        self, environ: dict[str, Any], forwarded_method: str | None = None
    ) -> dispatch.Outbound:
        """/api/verify for the request a proxy is about to forward: its method and host
        are the forwarded request's, for the rules of cookies (origin, CSRF)."""
        headers = _Headers(environ)
        method = _forwarded(headers, forwarded_method)
        host = _first(headers, FORWARDED_HOST) or headers.get("Host") or ""
        try:
            return dispatch.answer(self.verify, _Inbound(environ, method, host), self.state)
        finally:
            databases.release(self.state.database)  # no app context to release it

    def answer_get(
        self, route: reference.Route, environ: dict[str, Any], method: str
    ) -> dispatch.Outbound:
        """A GET route of the API, in an app context (the app's database, cache and
        request rows)."""
        with self.app.app_context():
            return dispatch.answer(route, _Inbound(environ, method), self.state)

    def _encoded(self, outbound: dispatch.Outbound) -> Answer:
        """The status, headers and body of an answer, its content as JSON encoded as
        Flask's views encode it."""
        status = f"{outbound.status} {HTTP_STATUS_CODES[outbound.status].upper()}"
        if outbound.content is dispatch.EMPTY:
            headers = [*self.security, ("Content-Length", "0"), *outbound.headers]
            return status, headers, b""
        json = self.app.json
        compact = json.compact is not False and not (json.compact is None and self.app.debug)  # type: ignore[attr-defined]
        arguments: dict[str, Any] = {"separators": (",", ":")} if compact else {"indent": 2}
        body = f"{json.dumps(outbound.content, **arguments)}\n".encode()
        headers = [("Content-Type", json.mimetype), *self.security]  # type: ignore[attr-defined]
        headers += [("Content-Length", str(len(body))), *outbound.headers]
        return status, headers, body


class _Inbound:
    """A request straight from its WSGI environ, as dispatch reads one."""

    __slots__ = ("_host", "environ", "headers", "method")

    def __init__(self, environ: dict[str, Any], method: str, host: str | None = None) -> None:
        self.environ = environ
        self.headers = _Headers(environ)
        self.method = method
        self._host = host

    @property
    def query_string(self) -> bytes:
        return str(self.environ.get("QUERY_STRING", "")).encode("latin-1")

    @property
    def cookies(self) -> Mapping[str, str]:
        return parse_cookie(self.environ.get("HTTP_COOKIE", ""))

    @property
    def host(self) -> str:
        return self._host if self._host is not None else get_host(self.environ)  # as Flask's

    @property
    def remote_addr(self) -> str | None:
        return self.environ.get("REMOTE_ADDR")

    def posted(self) -> tuple[dict[str, str], dict[str, Any]]:
        return {}, {}  # only GET and HEAD come this way


class _Headers:
    """A request's headers read straight from its WSGI environ, as auth reads them."""

    __slots__ = ("environ",)

    def __init__(self, environ: dict[str, Any]) -> None:
        self.environ = environ

    def get(self, key: str, /) -> str | None:
        name = _ENVIRON_KEYS.get(key)
        if name is None:
            name = _ENVIRON_KEYS[key] = "HTTP_" + key.upper().replace("-", "_")
        value: str | None = self.environ.get(name)
        return value


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
    if not any(named):
        return "GET"  # what nginx's auth_request sends when nobody says otherwise
    methods = [each.strip().upper() for text in named for each in text.split(",")]
    unsafe = [each for each in methods if each and each not in auth.SAFE_METHODS]
    return unsafe[0] if unsafe else "GET"
