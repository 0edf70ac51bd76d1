"""GET /healthz: whether the database can be read and written, and whether the cache answers."""

from __future__ import annotations

import logging
import threading

import peewee
from flask import Flask, Response, current_app, jsonify

from dashboard import databases
from dashboard.schema import SchemaError

log = logging.getLogger("dashboard")


def register(app: Flask) -> None:
    """Add /healthz to ``app``; each change of what it finds is logged once."""
    said: list[str | None] = [None]
    lock = threading.Lock()

    def healthz() -> Response:
        """200 while the database can be read and written, else 503 within about a second.

        The cache is reported, never required.
        """
        state = current_app.extensions["dashboard"]
        found = databases.problem(state.database)
        if found is None:
            try:
                state.upgrade.ensure()
            except (peewee.OperationalError, peewee.InterfaceError, SchemaError) as error:
                found = ("unavailable", f"schema not brought up to date: {error}")
        with lock:
            changed, said[0] = said[0] != (found and found[1]), found and found[1]
        if changed:
            if found:
                log.warning("health: the database %s", found[1])
            else:
                log.warning("health: the database is ok again")
        status = found[0] if found else "ok"
        response = jsonify({"object": "health", "database": status, "cache": state.cache.health()})
        response.status_code = 503 if found else 200
        return response

    app.add_url_rule("/healthz", endpoint="dashboard_healthz", view_func=healthz, methods=["GET"])
