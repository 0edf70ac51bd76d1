"""/api/verify before Flask: the one request a protected site makes for each of its own.

A WSGI middleware in front of the app answers GET and HEAD /api/verify itself, without
Flask's routing, request and response objects or request hooks: the answer is made from
the WSGI environ with the API's own authentication (auth.identify_credentials and
auth.check_browser, one SQL statement) and the route module's function
(dashboard.api.gateway.verify). Every other request goes on to Flask untouched.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

import peewee
from werkzeug.http import HTTP_STATUS_CODES, parse_cookie

from dashboard import auth, databases, errors, http
from dashboard.api.gateway import verify
from dashboard.errors import ApiError
from dashboard.schema import SchemaError

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
    """WSGI middleware: ``app.wsgi_app = Gateway(app.wsgi_app, state)``."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]], state: Any) -> None:
        self.wsgi_app = wsgi_app
        self.state = state
        self.security = list(http.security_headers(state.config).items())
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
        except ApiError as error:
            return self._json(error.status, errors.error_object(error.code))
        except (peewee.OperationalError, peewee.InterfaceError, SchemaError) as error:
            errors.log_storage_error(error, database)
            return self._json(503, errors.error_object("storage-unavailable"))
        except Exception as error:  # noqa: BLE001 - answered as JSON, logged without its text
            request_id = errors.log_unknown_error(error)
            return self._json(
                500, errors.error_object("unknown-error"), [("X-Request-Id", request_id)]
            )
        finally:
            databases.release(database)

    def _verified(self, environ: dict[str, Any], forwarded_method: str | None) -> Answer:
        state = self.state
        state.upgrade.ensure()
        headers = _Headers(environ)
        cookies = parse_cookie(environ.get("HTTP_COOKIE", ""))
        identity = auth.identify_credentials(headers, cookies, state.config, state.database)
        if identity is None:
            return self.signed_out
        # The rules of cookies (origin, CSRF) are the forwarded request's, not this one's.
        method = forwarded_method or _first(headers, FORWARDED_METHOD) or "GET"
        host = _first(headers, FORWARDED_HOST) or headers.get("Host", "")
        auth.check_browser(identity, headers, method.upper(), host, state.config)
        account, session = auth.public_objects(identity.account, identity.session, brief=True)
        result = verify.get({"account": account, "session": session, "appid": state.config.appid})
        answer = [(name, _text(result[key])) for key, name in verify.HEADERS.items()]
        return "200 OK", [*self.security, ("Content-Length", "0"), *answer], b""

    def _json(
        self, status: int, content: dict[str, Any], more: list[tuple[str, str]] | None = None
    ) -> Answer:
        body = json.dumps(content).encode()
        headers = [("Content-Type", "application/json"), *self.security]
        headers += [("Content-Length", str(len(body))), *(more or [])]
        return f"{status} {HTTP_STATUS_CODES[status].upper()}", headers, body


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


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
