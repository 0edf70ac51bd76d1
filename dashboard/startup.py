"""Starting under a server: settings that cannot work stop the start with one line."""

from __future__ import annotations

import sys

from flask import Flask

from dashboard import create_app
from dashboard.config import ConfigError
from dashboard.schema import SchemaError

# The exit status that makes the server stop instead of starting the worker again:
# uWSGI stops on 22 (its "failed loading app" status, with need-app), gunicorn on 4
# ("App failed to load"). Any other status and both would restart the worker forever.
UWSGI_STOP = 22
GUNICORN_STOP = 4


def app_or_exit() -> Flask:
    """create_app() from the environment, or exit printing one line of what is wrong."""
    try:
        return create_app()
    except (ConfigError, SchemaError) as error:
        print(f"dashboard: cannot start: {error}", file=sys.stderr, flush=True)
        raise SystemExit(UWSGI_STOP if "uwsgi" in sys.modules else GUNICORN_STOP) from None
