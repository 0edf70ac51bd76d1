"""Development keys: generated once into the instance folder when none are configured."""

from __future__ import annotations

import dataclasses
import json
import logging
import os

from dashboard import security
from dashboard.config import Config, ConfigError

log = logging.getLogger("dashboard")

FILENAME = "dashboard-keys.json"


def with_keys(config: Config, instance_path: str, generate: bool = True) -> Config:
    """``config`` with both keys set: configured ones, else the instance folder's, made
    there first if need be. ``generate`` False (a maintenance command): never made, and
    ``config`` as it is when there are none."""
    if config.encryption_key and config.session_key:
        return config
    path = os.path.join(instance_path, FILENAME)
    if not generate and not os.path.exists(path):
        return config
    try:
        stored = _load_or_create(path)
    except OSError as error:
        raise ConfigError(
            f"INSTANCE_PATH {instance_path} cannot hold the development keys ({error.strerror}); "
            "set DASHBOARD_ENCRYPTION_KEY and DASHBOARD_SESSION_KEY, or another INSTANCE_PATH"
        ) from None
    return dataclasses.replace(
        config,
        encryption_key=config.encryption_key or stored["DASHBOARD_ENCRYPTION_KEY"],
        session_key=config.session_key or stored["DASHBOARD_SESSION_KEY"],
    )


def _load_or_create(path: str) -> dict[str, str]:
    if not os.path.exists(path):
        _create(path)
    with open(path, encoding="utf-8") as file:
        keys: dict[str, str] = json.load(file)
    return keys


def _create(path: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    keys = {
        "DASHBOARD_ENCRYPTION_KEY": security.new_token(),
        "DASHBOARD_SESSION_KEY": security.new_token(),
    }
    temporary = f"{path}.{os.getpid()}.tmp"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        json.dump(keys, file)
        file.flush()
        os.fsync(file.fileno())
    try:
        # link() fails if the file exists: when workers start at once, the first
        # complete file wins and every worker reads that one.
        os.link(temporary, path)
        log.warning(
            "generated development keys into %s; set DASHBOARD_ENCRYPTION_KEY and "
            "DASHBOARD_SESSION_KEY in production",
            path,
        )
    except FileExistsError:
        pass
    finally:
        os.unlink(temporary)
