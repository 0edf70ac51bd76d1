"""Starting under a server: settings that cannot work stop the start with one line."""

from __future__ import annotations

import logging
import sys
from urllib.parse import urlsplit

from flask import Flask

from dashboard import commands, create_app
from dashboard.config import Config, ConfigError
from dashboard.schema import SchemaError

log = logging.getLogger("dashboard")

# The exit status that makes the server stop instead of starting the worker again:
# uWSGI stops on 22 (its "failed loading app" status, with need-app), gunicorn on 4
# ("App failed to load"). Any other status and both would restart the worker forever.
UWSGI_STOP = 22
GUNICORN_STOP = 4


def app_or_exit() -> Flask:
    """create_app() from the environment, or exit printing one line of what is wrong."""
    try:
        app = create_app()
    except (ConfigError, SchemaError) as error:
        print(f"dashboard: cannot start: {error}", file=sys.stderr, flush=True)
        if commands.running_a_command():
            raise SystemExit(1) from None  # as any command that fails
        raise SystemExit(UWSGI_STOP if "uwsgi" in sys.modules else GUNICORN_STOP) from None
    if "uwsgi" in sys.modules:  # each worker makes its app (lazy-apps): the first one says
        import uwsgi

        if uwsgi.worker_id() == 1:
            say_what_workers_keep_apart(app.extensions["dashboard"].config, uwsgi.numproc)
    return app


def say_what_workers_keep_apart(config: Config, workers: int) -> None:
    """Warn, once at start, of what each of several worker processes keeps to itself
    with these settings, and of the setting that shares it."""
    if workers < 2:
        return
    if urlsplit(config.ratelimit_storage_uri).scheme == "memory":
        log.warning(
            "rate limits are counted apart in each of the %s workers "
            "(RATELIMIT_STORAGE_URI=memory://), so each limit is %s times what it says: "
            "set RATELIMIT_STORAGE_URI=redis://host:6379/1 to count them together",
            workers,
            workers,
        )
    if urlsplit(config.cache_url).scheme == "simple":
        log.warning(
            "CACHE_URL=simple:// caches in each of the %s workers apart: a sign-out or key "
            "reset in one is not seen by the others until their entries expire; use "
            "null:// (the default) or redis://host:6379/0",
            workers,
        )
