"""The API's door in Flask: one URL rule per route, each a view that reads Flask's request
as a dispatch.Inbound and answers what dispatch.answer gives; and the headers of every
answer of the API."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, cast

from flask import Blueprint, Response, current_app, request

from dashboard import dispatch, limits, params, reference
from dashboard.config import Config

if TYPE_CHECKING:
    from dashboard.extension import State


def create_blueprint(state: State) -> Blueprint:
    """A new blueprint with one URL rule per route module under dashboard.api, each with
    the rate limits its route declares; /api/verify is answered before Flask."""
    blueprint = Blueprint("api", __name__, url_prefix="/api")
    for route in reference.routes():
        if route.kind == "gateway":
            continue  # answered before Flask (gateway.py)
        methods = [method.upper() for method in route.methods]
        view = limits.limit_route(state.limiter, state.config, route, _view(route, state), methods)
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
    wanted = dispatch.security_headers(config)
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


class _Inbound:
    """Flask's request, as dispatch reads one."""

    __slots__ = ("headers", "method", "query_string", "remote_addr")

    def __init__(self) -> None:
        self.method = request.method
        self.query_string = request.query_string
        self.headers = request.headers
        self.remote_addr = request.remote_addr

    @property
    def cookies(self) -> Mapping[str, str]:
        return request.cookies

    @property
    def host(self) -> str:
        return request.host

    def posted(self) -> tuple[dict[str, str], dict[str, Any]]:
        return params.body(), params.uploads()


def _view(route: reference.Route, state: State) -> Callable[[], Response]:
    def view() -> Response:
        outbound = dispatch.answer(route, _Inbound(), state)
        if outbound.content is dispatch.EMPTY:
            response = current_app.response_class(status=outbound.status)
        else:  # Flask's JSON provider makes the app's response_class: Flask's Response
            response = cast(Response, current_app.json.response(outbound.content))
            response.status_code = outbound.status
        response.headers.extend(outbound.headers)
        return response

    # flask-limiter keys a route's limits by its view's name: each view needs its own.
    view.__module__ = route.module.__name__
    view.__name__ = view.__qualname__ = f"{route.kind}_{route.module_name}"
    # Flask answers OPTIONS (CORS preflights) when ALLOWED_ORIGINS names some; else 405.
    if not state.config.allowed_origins:
        view.provide_automatic_options = False  # type: ignore[attr-defined]
    return view
