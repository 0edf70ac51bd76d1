"""Errors, and the one place that turns them into JSON responses."""

from __future__ import annotations

import functools
import logging
import secrets
from collections.abc import Callable
from typing import Any

import peewee
from flask import Flask, Response, current_app, jsonify
from werkzeug.exceptions import HTTPException, InternalServerError

from dashboard.schema import SchemaError

log = logging.getLogger("dashboard")

# Codes whose status is not the 400 of an input or state error.
STATUS = {
    "invalid-account": 403,
    "invalid-csrf-token": 403,
    "invalid-origin": 403,
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
    """An error a route raises; ``str()`` is its kebab-case code."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    @property
    def status(self) -> int:
        return STATUS.get(self.code, 400)


class AuthRequired(Exception):
    """The route needs a signed-in account (401), an administrator, or a session verified
    lately (403). ``str()`` is the message."""

    MESSAGES = ("Sign in required", "Administrator required", "Verification required")

    def __init__(self, message: str = "Sign in required") -> None:
        super().__init__(message)
        self.status = 401 if message == "Sign in required" else 403


def error_object(code: str) -> dict[str, str]:
    """What every error answers with, over HTTP: ``{"object": "error", "message": code}``."""
    return {"object": "error", "message": code}


def auth_object(message: str) -> dict[str, str]:
    """What a refused authentication answers with (AuthRequired's message)."""
    return {"object": "auth", "message": message}


def answer(error: BaseException, database: Any = None) -> tuple[int, dict[str, str], Headers]:
    """What the API answers ``error`` from a route with: the status, the JSON object and
    any more headers. Storage and unexpected errors are logged here (``database``: the
    app's, whose outage says whether this one was said already). Flask's handlers and
    the gateway (gateway.py) both answer through this."""
    if isinstance(error, ApiError):
        return error.status, error_object(error.code), []
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
    if isinstance(error, STORAGE_ERRORS) or _refused_as_read_only(error):
        log_storage_error(error, database)
        return 503, error_object("storage-unavailable"), []
    request_id = log_unknown_error(error)
    return 500, error_object("unknown-error"), [("X-Request-Id", request_id)]


def register(
    app: Flask,
    owns: Callable[[], bool] = lambda: True,
    host_unauthorized: Callable[[AuthRequired], Any] = lambda error: None,
) -> None:
    """Render every error the service can meet as JSON with an honest status.

    Mounted in a host app, only requests that ``owns()`` (the API's, /healthz) are
    answered so; the host's own pages keep the host's error handling: their errors are
    handed back to Flask as they came. ``host_unauthorized`` may answer the 401s and
    403s of the host's views that Dashboard's decorators guard (None: the JSON answer).
    """

    def ours(handler: Callable[[Any], Response]) -> Callable[[Any], Any]:
        @functools.wraps(handler)
        def handle(error: Any) -> Any:
            if owns():
                return handler(error)
            if isinstance(error, HTTPException):
                return error  # werkzeug's own answer, or the host's handler for its code
            raise error  # Flask's handling of an unexpected error, as without Dashboard

        return handle

    def respond(error: BaseException) -> Response:
        status, content, more = answer(error, current_app.extensions["dashboard"].database)
        response = jsonify(content)
        response.status_code = status
        response.headers.extend(more)
        return response

    @app.errorhandler(AuthRequired)
    def auth_required(error: AuthRequired) -> Any:
        hosts = None if owns() else host_unauthorized(error)
        return respond(error) if hosts is None else hosts

    app.register_error_handler(ApiError, respond)
    # werkzeug's errors, storage errors (503), PostgreSQL refusing a write as read-only
    # (503), anything else unexpected (500): all in answer().
    for kind in (HTTPException, *STORAGE_ERRORS, peewee.InternalError, Exception):
        app.register_error_handler(kind, ours(respond))

    @app.errorhandler(InternalServerError)
    @ours
    def internal(error: InternalServerError) -> Response:
        # What raised outside a view (an after_request function, say) reaches Flask's
        # handle_exception, which hands it here wrapped.
        return respond(error.original_exception or error)


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
        log.error("storage-unavailable type=%s", type(error).__name__)


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
