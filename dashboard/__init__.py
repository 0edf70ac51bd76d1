"""Dashboard: user accounts and sessions as a Flask service."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Any

import peewee
from flask import Flask, appcontext_pushed
from flask.logging import default_handler
from flask_cors import CORS
from flask_limiter import Limiter
from werkzeug.middleware.proxy_fix import ProxyFix

from dashboard import (
    cache,
    commands,
    databases,
    errors,
    explorer,
    health,
    http,
    keys,
    limits,
    schema,
    security,
    storage,
)
from dashboard.config import Config, ConfigError
from dashboard.errors import ApiError

__all__ = ["ApiError", "Config", "ConfigError", "create_app"]

log = logging.getLogger("dashboard")


@dataclass(frozen=True)
class State:
    """What one app holds: app.extensions["dashboard"]."""

    config: Config
    database: peewee.Database
    cache: cache.StorageCache
    limiter: Limiter
    upgrade: schema.Upgrade


class Service(Flask):
    """The Flask app that create_app makes."""

    def log_exception(self, exc_info: Any) -> None:
        # errors.unknown_error logs each unexpected error as one line with a request id;
        # Flask's traceback would add the exception's text, which can hold request data.
        pass


def create_app(config: Config | None = None, instance_path: str | None = None) -> Flask:
    """A new, independent Dashboard app; ``config`` defaults to the environment's.

    Raises ConfigError (settings that cannot work) or schema.SchemaError (a database
    newer than this code). A database that does not answer is not an error: the app
    answers 503 until it does.
    """
    if config is None:
        config = Config.from_env(os.environ)
    instance_path = instance_path or config.instance_path or os.path.abspath("instance")
    app = Service("dashboard", instance_path=instance_path)
    _show_logs(app)
    log.info("instance folder %s", app.instance_path)
    app.json.sort_keys = False  # type: ignore[attr-defined]  # objects keep their field order
    config = keys.with_keys(config, app.instance_path)
    app.config["MAX_CONTENT_LENGTH"] = config.maximum_post_data_length
    if config.proxy_count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=config.proxy_count)  # type: ignore[method-assign]

    # after_request functions run last-registered first: this one, registered before
    # the limiter's, sees the headers the limiter added.
    app.after_request(http.response_headers(config))
    # Made now, not at the first unknown username, whose answer would otherwise be slower.
    security.dummy_password_hash(config.bcrypt_workload_factor)
    database = databases.open_database(config, app.instance_path)
    upgrade = schema.Upgrade(database)
    upgrade.at_start()
    databases.close_all(database)  # nothing stays open from start-up: workers may fork after it
    limiter = limits.create_limiter(app, config)
    backend = cache.backend_from_url(config.cache_url, config.redis_timeout)
    app.extensions["dashboard"] = State(
        config, database, cache.StorageCache(backend), limiter, upgrade
    )

    # Models reach the database through one proxy; point it at this app's database
    # whenever one of its contexts starts, so several apps can live in one process.
    def bind(_sender: Flask, **_extra: object) -> None:
        storage.db.initialize(database)

    appcontext_pushed.connect(bind, app, weak=False)

    @app.teardown_appcontext
    def release(_error: BaseException | None) -> None:
        databases.release(database)

    errors.register(app)
    commands.register(app)
    health.register(app)
    blueprint = http.create_blueprint(limiter, config)
    blueprint.before_request(upgrade.ensure)
    app.register_blueprint(blueprint)
    app.register_blueprint(explorer.create_blueprint())
    if config.allowed_origins:
        CORS(app, resources={r"/api/*": http.cors_options(config)})
    return app


def _show_logs(app: Flask) -> None:
    # Where nothing configured logging, Flask gives its logger ("dashboard", the app's
    # name) a handler to stderr; then the service's warnings, start-up lines and events
    # are shown at INFO. Logging configured by the operator is left as it is.
    logger = app.logger
    if default_handler in logger.handlers and logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)
