"""The blueprint: finds the route modules and adapts HTTP to their req dicts and back."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from types import ModuleType
from typing import Any

from flask import Blueprint, Response, current_app, request
from flask_limiter import Limiter

from dashboard import auth, limits, params, sessions, storage
from dashboard.config import Config
from dashboard.errors import AuthRequired

METHODS = ("get", "post", "patch", "put", "delete")
KINDS = ("user", "administrator")


def create_blueprint(limiter: Limiter, config: Config) -> Blueprint:
    """A new blueprint with one URL rule per route module under dashboard.api."""
    blueprint = Blueprint("api", __name__, url_prefix="/api")
    for kind, name, module in route_modules():
        methods = [method.upper() for method in METHODS if hasattr(module, method)]
        path = f"{kind}/{name.replace('_', '-')}"
        view = limits.limit_route(limiter, config, path, _view(module, kind, config))
        blueprint.add_url_rule(
            f"/{path}", endpoint=f"{kind}_{name}", view_func=view, methods=methods
        )
    return blueprint


def route_modules() -> list[tuple[str, str, ModuleType]]:
    """(kind, module name, module) for every route module, in name order."""
    found = []
    for kind in KINDS:
        package = importlib.import_module(f"dashboard.api.{kind}")
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            if any(hasattr(module, method) for method in METHODS):
                found.append((kind, info.name, module))
    return found


def _view(module: ModuleType, kind: str, config: Config) -> Callable[[], Response]:
    needs_account = getattr(module, "AUTH", True)

    def view() -> Response:
        req: dict[str, Any] = {
            "query": params.query(),
            "appid": config.appid,
            "ip": params.client_address(),
            "userAgent": params.user_agent(),
        }
        if request.method in auth.UNSAFE_METHODS:
            req["body"] = params.body()
            req["uploads"] = params.uploads()
        if needs_account:
            found = auth.authenticate(request, config)
            if found is None:
                raise AuthRequired()
            account, session = found
            if kind == "administrator" and account["administrator_since"] is None:
                raise AuthRequired(administrator=True)
            req["account"] = storage.public_account(account)
            req["session"] = sessions.public(session, account)
        method = "get" if request.method == "HEAD" else request.method.lower()
        result = getattr(module, method)(req)
        response = current_app.json.response(result)
        if isinstance(result, dict) and result.get("object") == "session" and "token" in result:
            auth.set_cookies(response, result, config)
        elif needs_account and request.method in auth.UNSAFE_METHODS:
            # A write that ended the browser's own session signs the browser out too.
            if not auth.cookie_session_valid(request, config):
                auth.clear_cookies(response, config)
        return response

    # flask-limiter keys a route's limits by its view's name: each view needs its own.
    view.__module__ = module.__name__
    view.__name__ = view.__qualname__ = f"{kind}_{module.__name__.rsplit('.', 1)[-1]}"
    view.provide_automatic_options = False  # type: ignore[attr-defined]
    return view
