"""The req dict a route's function takes (DESIGN.md §1): what a request is, to a route."""

from __future__ import annotations

from typing import Any, Protocol, TypedDict


class RequestHeaders(Protocol):
    """A request's headers, read by name in any case: werkzeug's, or the WSGI environ's
    (gateway.py)."""

    def get(self, key: str, /) -> str | None: ...


class Req(TypedDict, total=False):
    """Every key may be absent: a route called from Python gets what its caller gives."""

    query: dict[str, str]  # the query string's values
    body: dict[str, str]  # the posted values: urlencoded, multipart or a JSON object
    uploads: dict[str, Any]  # files posted as multipart, by field name
    account: dict[str, Any]  # the signed-in Account object, for a route that needs one
    session: dict[str, Any]  # the signed-in Session object
    appid: str  # scopes every read and write; the configured APPID by default
    ip: str | None  # the client's address, over HTTP
    userAgent: str | None  # its User-Agent, over HTTP
