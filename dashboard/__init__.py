"""Dashboard: user accounts and sessions as a Flask service."""

from __future__ import annotations

import os
from dataclasses import dataclass

import peewee
from flask import Flask, Response, appcontext_pushed
from flask_limiter import Limiter
from werkzeug.middleware.proxy_fix import ProxyFix

from dashboard import cache, commands, errors, health, http, keys, limits, schema, security, storage
from dashboard.config import Config, ConfigError
from dashboard.errors import ApiError

__all__ = ["ApiError", "Config", "ConfigError", "create_app"]


@dataclass(frozen=True)
class State:
    """What one app holds: app.extensions["dashboard"]."""

    config: Config
    database: peewee.Database
    cache: cache.StorageCache
    limiter: Limiter


def create_app(config: Config | None = None, instance_path: str | None = None) -> Flask:
    """A new, independent Dashboard app; ``config`` defaults to the environment's."""
    app = Flask("dashboard", instance_path=instance_path)
    app.json.sort_keys = False  # type: ignore[attr-defined]  # objects keep their field order
    if config is None:
        config = Config.from_env(os.environ)
    config = keys.with_keys(config, app.instance_path)
    app.config["MAX_CONTENT_LENGTH"] = config.maximum_post_data_length
    if config.proxy_count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=config.proxy_count)  # type: ignore[method-assign]

    # after_request functions run last-registered first: this one, registered before
    # the limiter's, sees the headers the limiter added.
    app.after_request(_response_headers)
    # Made now, not at the first unknown username, whose answer would otherwise be slower.
    security.dummy_password_hash(config.bcrypt_workload_factor)
    database = storage.open_database(config, app.instance_path)
    schema.migrate(database)
    storage.close_all(database)  # nothing stays open from start-up: workers may fork after it
    limiter = limits.create_limiter(app, config)
    app.extensions["dashboard"] = State(
        config, database, cache.StorageCache(cache.backend_from_url(config.cache_url)), limiter
    )

    # Models reach the database through one proxy; point it at this app's database
    # whenever one of its contexts starts, so several apps can live in one process.
    def bind(_sender: Flask, **_extra: object) -> None:
        storage.db.initialize(database)

    appcontext_pushed.connect(bind, app, weak=False)

    @app.teardown_appcontext
    def release(_error: BaseException | None) -> None:
        storage.release(database)

    errors.register(app)
    commands.register(app)
    health.register(app)
    app.register_blueprint(http.create_blueprint(limiter, config))
    return app


def _response_headers(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    if response.status_code != 429:
        # flask-limiter adds Retry-After to every response; it means something on 429 only.
        response.headers.pop("Retry-After", None)
    return response
