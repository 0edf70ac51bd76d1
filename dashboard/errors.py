"""Errors, and the one place that turns them into JSON responses."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from typing import Any

import peewee
from flask import Blueprint, Flask, Response, current_app, jsonify, request
from werkzeug.exceptions import (
    HTTPException,
    InternalServerError,
    MethodNotAllowed,
    NotFound,
    default_exceptions,
)

from dashboard.outage import reason
from dashboard.schema import SchemaError

log = logging.getLogger("dashboard")

# Codes whose status is not the 400 of an input or state error.
STATUS = {
    "invalid-account": 403,
    "invalid-csrf-token": 403,
    "invalid-origin": 403,
    "registration-closed": 403,
    "invalid-route": 404,
    "invalid-method": 405,
    "duplicate-username": 409,
    "invalid-request-size": 413,
    "invalid-content-type": 415,
    "rate-limited": 429,
    "unknown-error": 500,
    "storage-unavailable": 503,
}

READ_ONLY = "25006"  # PostgreSQL's read_only_sql_transaction
# The database or its schema cannot serve: 503 storage-unavailable.
STORAGE_ERRORS = (peewee.OperationalError, peewee.InterfaceError, SchemaError)
Headers = list[tuple[str, str]]

# What werkzeug raises on its own, as our codes.
HTTP_CODES = {
    400: "invalid-request-body",
    404: "invalid-route",
    405: "invalid-method",
    413: "invalid-request-size",
    415: "invalid-content-type",
    429: "rate-limited",
}


class ApiError(Exception):
    """An error a route raises; ``str()`` is its kebab-case code. ``field``: the
    parameter at fault, where one is (the HTTP layer works it out from the route's
    declaration when the raiser does not say)."""

    def __init__(self, code: str, field: str | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.field = field

    @property
    def status(self) -> int:
        return STATUS.get(self.code, 400)


class AuthRequired(Exception):
    """The route needs a signed-in account (401), an administrator, or a session verified
    lately (403). ``str()`` is the message."""

    MESSAGES = (
        "Sign in required",
        "Administrator required",
        "Verification required",
        "Second factor required",
    )

    def __init__(self, message: str = "Sign in required", status: int | None = None) -> None:
        super().__init__(message)
        self.status = status or (401 if message == "Sign in required" else 403)


def error_object(code: str, field: str | None = None) -> dict[str, str]:
    """What every error answers with, over HTTP: ``{"object": "error", "message": code}``,
    and ``"field"`` naming the parameter at fault, where one is."""
    found = {"object": "error", "message": code}
    if field is not None:
        found["field"] = field
    return found


def auth_object(message: str) -> dict[str, str]:
    """What a refused authentication answers with (AuthRequired's message)."""
    return {"object": "auth", "message": message}


def answer(error: BaseException, database: Any = None) -> tuple[int, dict[str, str], Headers]:
    """What the API answers ``error`` from a route with: the status, the JSON object and
    any more headers. Storage and unexpected errors are logged here (``database``: the
    app's, whose outage says whether this one was said already). Flask's handlers and
    the gateway (gateway.py) both answer through this."""
    if isinstance(error, ApiError):
        return error.status, error_object(error.code, error.field), []
    if isinstance(error, HTTPException):  # werkzeug's own: a bad Host, a wrong method...
        code = HTTP_CODES.get(error.code or 500, "unknown-error")
        allowed = getattr(error, "valid_methods", None)
        status = STATUS.get(code, 400)
        return (
            status,
            error_object(code),
            [("Allow", ", ".join(allowed))] if status == 405 and allowed else [],
        )
    if isinstance(error, AuthRequired):
        more = [("WWW-Authenticate", "Bearer")] if error.status == 401 else []
        return error.status, auth_object(str(error)), more
    if isinstance(error, STORAGE_ERRORS) or (
        isinstance(error, peewee.InternalError) and _refused_as_read_only(error)
    ):
        log_storage_error(error, database)
        return 503, error_object("storage-unavailable"), []
    request_id = log_unknown_error(error)
    return 500, error_object("unknown-error"), [("X-Request-Id", request_id)]


def register(
    app: Flask,
    service: bool,
    blueprints: tuple[Blueprint, ...],
    host_unauthorized: Callable[[AuthRequired], Any] = lambda error: None,
) -> None:
    """Render every error the service can meet as JSON with an honest status.

    ``service``: the whole app is Dashboard's (create_app), and every error of it is
    answered so. Mounted in a host, only the errors of Dashboard's own ``blueprints``
    (and /api/ paths that name no route) are: the host keeps every handler it registers,
    before Dashboard or after, for everything else. Call before the blueprints are
    registered. ``host_unauthorized`` may answer the 401s and 403s of the host's views
    that Dashboard's decorators guard (None: the JSON answer).
    """
    for scope in (app, *blueprints) if service else blueprints:
        for kind in _HANDLED:
            scope.register_error_handler(kind, respond)  # type: ignore[arg-type]  # a class

    def auth_required(error: AuthRequired) -> Any:
        hosts = None if service else host_unauthorized(error)  # the API's are its blueprint's
        return respond(error) if hosts is None else hosts

    # What Dashboard's decorators raise in the host's own views; a host that has its own
    # handler for either keeps it.
    for kind, handler in ((AuthRequired, auth_required), (ApiError, respond)):
        if kind not in app.error_handler_spec[None][None]:
            app.register_error_handler(kind, handler)

    if service:
        return  # the app's own handlers are Dashboard's: routing errors reach them

    @app.before_request
    def unknown_api_route() -> Response | None:
        # No route matched: no blueprint's handler applies, and the app's own are the
        # host's. Flask raises the routing error after the before_request functions.
        error = request.routing_exception
        if isinstance(error, (NotFound, MethodNotAllowed)) and request.path.startswith("/api/"):
            return respond(error)
        return None


# What the service answers itself, wherever it is raised in its scope: its own errors,
# werkzeug's (by code too, so that a host's handler for a code does not win), storage
# errors (503), PostgreSQL refusing a write as read-only (503), anything else (500).
_HANDLED = (
    ApiError,
    AuthRequired,
    HTTPException,
    *default_exceptions,
    *STORAGE_ERRORS,
    peewee.InternalError,
    Exception,
)


def respond(error: BaseException) -> Response:
    """The JSON answer to ``error`` (``answer``'s), as Flask's handlers give it."""
    if isinstance(error, InternalServerError) and error.original_exception is not None:
        # What raised outside a view (an after_request function, say) reaches Flask's
        # handle_exception, which hands it here wrapped.
        error = error.original_exception
    status, content, more = answer(error, current_app.extensions["dashboard"].database)
    response = jsonify(content)
    response.status_code = status
    response.headers.extend(more)
    return response


def _refused_as_read_only(error: BaseException) -> bool:
    # PostgreSQL read-only or a standby: the database is there but cannot serve.
    driver_error = error.__cause__ or error.__context__  # what peewee wrapped
    return isinstance(error, peewee.InternalError) and (
        getattr(driver_error, "pgcode", None) == READ_ONLY
    )


def log_storage_error(error: Exception, database: Any = None) -> None:
    """Log why the database cannot serve: once for an outage, when it begins."""
    if isinstance(error, SchemaError):
        log.error("storage-unavailable: %s", error)
        return
    outage = getattr(database, "outage", None)
    if outage is None or not outage.active:  # an outage was said once when it began
        # the driver's own first line: a locked file, a refused connection, a timeout
        log.error("storage-unavailable type=%s reason=%s", type(error).__name__, reason(error))


def log_unknown_error(error: BaseException) -> str:
    """Log something unexpected as one line with a new request id, its type and place;
    never the exception's text, which can hold request data. Returns the request id."""
    request_id = secrets.token_hex(8)
    log.error(
        "unknown-error request=%s type=%s at=%s", request_id, type(error).__name__, _where(error)
    )
    return request_id


def _where(error: BaseException) -> str:
    tb = error.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return "?"
    return f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}"
