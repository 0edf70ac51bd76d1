"""The pages' door to the core: a page calls a route as a browser's request would.

A page names the route, and the query and body it sends; the rest is the browser's own
request (its cookies, address, host, Origin and Fetch Metadata), and the CSRF token its
form carried stands where a script would send X-CSRF-Token. dispatch.answer then applies
every rule of the API: no account logic in a page.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from flask import current_app, request

from dashboard import dispatch, limits, reference
from dashboard.dispatch import Outbound

if TYPE_CHECKING:
    from dashboard.extension import State

CSRF_FIELD = "csrf-token"


@dataclass(frozen=True)
class Outcome:
    """What a route answered a page: its result, or its error code and the parameter at
    fault; and the cookies to pass on."""

    status: int
    result: Any = None
    error: str | None = None
    field: str | None = None
    cookies: list[tuple[str, str]] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def signed_out(self) -> bool:
        return self.error == "Sign in required"


class _Headers:
    """The browser's headers, with the form's CSRF token as X-CSRF-Token."""

    __slots__ = ("csrf_token", "headers")

    def __init__(self, headers: Any, csrf_token: str | None) -> None:
        self.headers = headers
        self.csrf_token = csrf_token

    def get(self, key: str, /) -> str | None:
        if key.lower() == "x-csrf-token":
            return self.csrf_token
        value: str | None = self.headers.get(key)
        return value


@dataclass(frozen=True)
class _Inbound:
    method: str
    query_string: bytes
    headers: _Headers
    cookies: Mapping[str, str]
    host: str
    remote_addr: str | None
    body: dict[str, str]

    def posted(self) -> tuple[dict[str, str], dict[str, Any]]:
        return self.body, {}


def call(
    name: str,
    method: str,
    query: dict[str, str] | None = None,
    body: dict[str, str] | None = None,
) -> Outcome:
    """Route ``name`` (``user/create-session``) called with ``method``, ``query`` and
    ``body``, as the browser's request. A POST's CSRF token is its form's."""
    route = next(route for route in reference.routes() if route.name == name)
    csrf_token = request.form.get(CSRF_FIELD) if request.method == "POST" else None
    inbound = _Inbound(
        method=method,
        query_string=urlencode(query or {}).encode(),
        headers=_Headers(request.headers, csrf_token),
        cookies=request.cookies,
        host=request.host,
        remote_addr=request.remote_addr,
        body=body or {},
    )
    return outcome(dispatch.answer(route, inbound, current_app.extensions["dashboard"]))


def outcome(outbound: Outbound) -> Outcome:
    cookies = [(name, value) for name, value in outbound.headers if name == "Set-Cookie"]
    if outbound.status == 200:
        return Outcome(200, outbound.content, cookies=cookies)
    content = outbound.content
    return Outcome(outbound.status, None, content["message"], content.get("field"), cookies)


def limited(state: State, name: str, view: Any) -> Any:
    """``view``, a page's POST, counted against the limits route ``name`` declares: the
    API's own limits and budgets, by the same names."""
    route = next(route for route in reference.routes() if route.name == name)
    return limits.limit_route(state.limiter, state.config, route, view, ["POST"])
