"""GET /healthz: whether the database and the cache answer; for load balancers."""

from __future__ import annotations

import peewee
from flask import Flask, Response, current_app, jsonify

from dashboard import storage


def register(app: Flask) -> None:
    app.add_url_rule("/healthz", endpoint="healthz", view_func=healthz, methods=["GET"])


def healthz() -> Response:
    """200 while the database answers, else 503; the cache is reported, never required."""
    state = current_app.extensions["dashboard"]
    try:
        storage.db.execute_sql("SELECT 1").fetchone()
        database = "ok"
    except (peewee.OperationalError, peewee.InterfaceError):
        database = "unavailable"
    response = jsonify({"object": "health", "database": database, "cache": state.cache.health()})
    response.status_code = 200 if database == "ok" else 503
    return response
