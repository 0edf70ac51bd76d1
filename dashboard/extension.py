"""Dashboard(app): the service mounted inside any Flask application.

    app = Flask(__name__)
    app.config["DATABASE_URL"] = "sqlite:///accounts.sqlite3"
    dashboard = Dashboard(app)      # or Dashboard() now, dashboard.init_app(app) later

    @app.get("/notes")
    @require_account
    def notes():
        return {"owner": current_account["accountid"]}

Settings come from ``app.config`` under the environment variables' names; the
environment fills what it leaves out. The API answers under /api, with its limiter,
teardown, CLI group, /healthz and events; the host's own pages keep the host's error
handling and headers. Every piece is the app's own: two apps in one process share none.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import peewee
from flask import Flask, appcontext_pushed, current_app, g, request
from flask_cors import CORS
from flask_limiter import Limiter
from werkzeug.local import LocalProxy

from dashboard import (
    auth,
    cache,
    commands,
    database_url,
    databases,
    errors,
    explorer,
    gateway,
    health,
    http,
    keys,
    limits,
    nearcache,
    pages,
    schema,
    security,
    storage,
)
from dashboard.config import Config
from dashboard.errors import AuthRequired
from dashboard.pages import door, respond
from dashboard.settings import from_settings

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class State:
    """What one app holds: app.extensions["dashboard"]."""

    config: Config
    database: peewee.Database | None  # None only for a command, where there is no database
    cache: cache.StorageCache
    limiter: Limiter
    upgrade: schema.Upgrade
    extension: Dashboard


class Dashboard:
    """User accounts and sessions for a Flask app (see the module's docstring)."""

    def __init__(
        self, app: Flask | None = None, config: Config | None = None, *, pages: bool = False
    ) -> None:
        self.config = config
        self.pages = pages  # the pages for people (/account/...) too
        self._unauthorized: Callable[[str], Any] | None = None
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask, config: Config | None = None, *, service: bool = False) -> None:
        """Mount Dashboard on ``app``.

        ``config`` (else the one given at construction) wins over the app's settings.
        Raises ConfigError naming every wrong setting (a database that refuses
        DATABASE_URL's credentials, or does not exist, among them), or
        schema.SchemaError. A database that does not answer is no error: the API
        answers 503 until it does.
        ``service``: the whole app is Dashboard's (create_app), so every answer is
        its JSON and carries its headers, not just the API's.
        """
        config = config or self.config or from_settings(app.config, os.environ)
        instance_path = config.instance_path or app.instance_path
        # A maintenance command makes no database and no keys: run away from the
        # service's settings, it would act on a new, empty database (commands.py).
        command = commands.running_a_command()
        config = keys.with_keys(config, instance_path, generate=not command)

        def owns() -> bool:
            path = request.path
            return service or path.startswith(("/api/", "/account/")) or path == "/healthz"

        # after_request functions run last-registered first: this one, registered before
        # the limiter's, sees the headers the limiter added.
        app.after_request(http.response_headers(config, owns))
        # Made now, not at the first unknown username, whose answer would then be slower.
        security.dummy_password_hash(config.bcrypt_workload_factor)
        database = None
        if not (command and database_url.absent(config, instance_path)):
            database = databases.open_database(config, instance_path)
        upgrade = schema.Upgrade(database)
        if database is not None:
            upgrade.at_start(database_url.describe(config, instance_path))
            databases.close_all(database)  # nothing stays open from start: workers may fork
        limiter = limits.create_limiter(app, config)
        backend = cache.backend_from_url(config.cache_url, config.redis_timeout)
        near = cache.near_cache(config) if database is not None else None
        if near is not None:
            nearcache.attach(database, near)
        storage_cache = cache.StorageCache(backend, near)
        state = State(config, database, storage_cache, limiter, upgrade, self)
        app.extensions["dashboard"] = state
        # /api/verify, the hot path of a protected site, is answered before Flask; in the
        # service, the API's GETs too (gateway.py).
        app.wsgi_app = gateway.Gateway(app.wsgi_app, state, app, answers_api=service)  # type: ignore[method-assign]

        def bind(_sender: Flask, **_extra: object) -> None:
            # Each of the app's contexts sees the app's own database (storage.db).
            g.dashboard_database = storage.db.bind(database)

        appcontext_pushed.connect(bind, app, weak=False)

        @app.teardown_appcontext
        def release(_error: BaseException | None) -> None:
            databases.release(database)
            if "dashboard_database" in g:
                storage.db.unbind(g.pop("dashboard_database"))

        blueprints = (
            http.create_blueprint(state),
            explorer.create_blueprint(),
        )
        errors.register(app, service, blueprints, self._answer_unauthorized)
        commands.register(app)
        health.register(app)
        for blueprint in blueprints:
            app.register_blueprint(blueprint)
        if config.pages if service else self.pages:
            pages.register(app, state)  # with their own error pages
        if config.allowed_origins:
            CORS(app, resources={r"/api/*": http.cors_options(config)})

    def unauthorized_handler(self, handler: Callable[[str], Any]) -> Callable[[str], Any]:
        """Answer the host's guarded views, when they refuse, with ``handler(reason)``
        instead of the JSON 401/403; ``reason`` is "Sign in required", "Administrator
        required" or "Verification required". The API's own answers stay JSON."""
        self._unauthorized = handler
        return handler

    def _answer_unauthorized(self, error: AuthRequired) -> Any:
        if self._unauthorized is not None:
            return self._unauthorized(str(error))
        if self.pages and request.method in auth.SAFE_METHODS and _wants_a_page():
            # A browser is sent to sign in (or to confirm it is you), and back after; an
            # account that is not an administrator's gets a page that says so.
            refusal = door.Outcome(error.status, error=str(error))
            return respond.problem_page(refusal, current_app.extensions["dashboard"].config)
        return None  # the API's JSON answer


def _wants_a_page() -> bool:
    """Whether the request is a browser's asking for a page rather than a script's."""
    wanted = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return wanted == "text/html"


def _identity() -> auth.Identity | None:
    """Who the request's credentials prove, or None; worked out once a request of the
    host's views. No rule of how the credentials came is applied here (see
    ``_guarded``). The rows found serve the rest of the request from the cache's request
    rows, with no query."""
    if "dashboard_identity" not in g:
        state = current_app.extensions["dashboard"]
        identity = auth.identify_credentials(request, state.config)
        if identity is not None:
            state.cache.remember(state.config.appid, identity.account, identity.session)
        g.dashboard_identity = identity
    found: auth.Identity | None = g.dashboard_identity
    return found


def _current(index: int) -> dict[str, Any] | None:
    # The objects are made once a request, as the identity is found once.
    if "dashboard_objects" not in g:
        identity = _identity()
        g.dashboard_objects = (
            (None, None)
            if identity is None
            else auth.public_objects(identity.account, identity.session)
        )
    found: dict[str, Any] | None = g.dashboard_objects[index]
    return found


current_account: Any = LocalProxy(lambda: _current(0))
"""The signed-in account as the API returns it, or None; worked out once a request.

A proxy: test it with ``if current_account:`` (``is None`` asks about the proxy)."""
current_session: Any = LocalProxy(lambda: _current(1))
"""The signed-in session as the API returns it (with its csrfToken), or None."""


def require_account(view: F) -> F:
    """The view needs a signed-in account: 401 (or the unauthorized handler) without one.
    Signed in by cookie, an unsafe method needs the session's X-CSRF-Token."""
    return _guarded(view)


def require_administrator(view: F) -> F:
    """The view needs a signed-in administrator: 403 "Administrator required" else."""
    return _guarded(view, administrator=True)


def require_verified(seconds: int | None = None) -> Callable[[F], F]:
    """The view needs a session signed in or verified (user/set-session-verified) within
    ``seconds`` (default SESSION_VERIFICATION_DELAY): 403 "Verification required" else."""

    def decorate(view: F) -> F:
        return _guarded(view, verified=seconds if seconds is not None else -1)

    return decorate


def _guarded(view: F, administrator: bool = False, verified: int | None = None) -> F:
    @functools.wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        config = current_app.extensions["dashboard"].config
        identity = _identity()
        if identity is not None:  # the origin and CSRF rules
            auth.check_browser(identity, request.headers, request.method, request.host, config)
        window = (
            config.session_verification_delay if verified is not None and verified < 0 else verified
        )
        auth.required(identity, administrator, window, config)
        return view(*args, **kwargs)

    return guarded  # type: ignore[return-value]
