"""Dashboard: user accounts and sessions, as a Flask service or inside a Flask app."""

from __future__ import annotations

import dataclasses
import logging
import os
from typing import Any

from flask import Flask
from flask.logging import default_handler
from werkzeug.middleware.proxy_fix import ProxyFix

from dashboard import commands
from dashboard.config import Config, ConfigError
from dashboard.errors import ApiError
from dashboard.extension import (
    Dashboard,
    State,
    current_account,
    current_session,
    require_account,
    require_administrator,
    require_verified,
)

__all__ = [
    "ApiError",
    "Config",
    "ConfigError",
    "Dashboard",
    "State",
    "create_app",
    "current_account",
    "current_session",
    "require_account",
    "require_administrator",
    "require_verified",
]

log = logging.getLogger("dashboard")


class Service(Flask):
    """The Flask app that create_app makes."""

    def log_exception(self, exc_info: Any) -> None:
        # errors.answer logs each unexpected error as one line with a request id;
        # Flask's traceback would add the exception's text, which can hold request data.
        pass


def create_app(config: Config | None = None, instance_path: str | None = None) -> Flask:
    """A new, independent Dashboard service; ``config`` defaults to the environment's.

    The whole app is Dashboard's: Flask, the environment, and Dashboard.init_app.
    Raises ConfigError (settings that cannot work) or schema.SchemaError (a database
    newer than this code). A database that does not answer is not an error: the app
    answers 503 until it does.
    """
    if config is None:
        config = Config.from_env(os.environ)
    instance_path = instance_path or config.instance_path or os.path.abspath("instance")
    config = dataclasses.replace(config, instance_path=instance_path)
    app = Service("dashboard", instance_path=instance_path)
    _show_logs(app)
    if not commands.running_a_command():  # a command says which database it acts on
        log.info("instance folder %s", app.instance_path)
    app.json.sort_keys = False  # type: ignore[attr-defined]  # objects keep their field order
    Dashboard().init_app(app, config, service=True)
    if config.proxy_count:  # outermost: what answers before Flask sees the client's address
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=config.proxy_count)  # type: ignore[method-assign]
    return app


def _show_logs(app: Flask) -> None:
    # Where nothing configured logging, Flask gives its logger ("dashboard", the app's
    # name) a handler to stderr; then the service's warnings, start-up lines and events
    # are shown at INFO. Logging configured by the operator is left as it is.
    logger = app.logger
    if default_handler in logger.handlers and logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)
