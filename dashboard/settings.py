"""A Config from a Flask app's own settings: Dashboard(app) reads app.config."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from flask import Flask

from dashboard.config import Config, env_name

# Every setting's name, as in the environment.
SETTINGS = (
    "DASHBOARD_ENV",
    *(env_name(f.name) for f in dataclasses.fields(Config) if f.name != "production"),
)


def from_settings(settings: Mapping[str, Any], environ: Mapping[str, str]) -> Config:
    """A Config from a Flask app's config, under the environment's names; the
    environment fills what it leaves out. Raises ConfigError as from_env does.

    A name that Flask itself uses (SESSION_COOKIE_SECURE) counts only when set to other
    than Flask's default: Flask's False must not turn Secure cookies off unasked.
    """
    merged = dict(environ)
    for name in SETTINGS:
        value = settings.get(name)
        if value is None or (name in Flask.default_config and value == Flask.default_config[name]):
            continue
        merged[name] = _as_text(value)
    return Config.from_env(merged)


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(str(item) for item in value)
    return str(value)
