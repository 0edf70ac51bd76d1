"""The API reference over HTTP: /api/openapi.json and the explorer's pages.

Server-rendered from the routes' declarations (reference.py), readable without
JavaScript, with nothing loaded from elsewhere. ``write`` makes the same pages as files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, Response, current_app, render_template

from dashboard import openapi, reference
from dashboard.errors import ApiError

# The pages' own stylesheet, and nothing else.
POLICY = "default-src 'none'; style-src 'self'; frame-ancestors 'none'"
STYLESHEET = Path(__file__).parent / "templates" / "explorer" / "style.css"


def create_blueprint() -> Blueprint:
    """GET /api/openapi.json, /api/explorer/ and /api/explorer/<kind>/<route>."""
    blueprint = Blueprint("explorer", __name__, url_prefix="/api", template_folder="templates")

    @blueprint.get("/openapi.json")
    def document() -> Response:
        return current_app.response_class(openapi.text(), mimetype="application/json")

    @blueprint.get("/explorer/")
    def index() -> Response:
        return _page(render_index(link_suffix=""))

    @blueprint.get("/explorer/style.css")
    def stylesheet() -> Response:
        return current_app.response_class(STYLESHEET.read_text("utf-8"), mimetype="text/css")

    @blueprint.get("/explorer/<path:name>")
    def page(name: str) -> Response:
        found = [route for route in reference.routes() if route.name == name]
        if not found:
            raise ApiError("invalid-route")
        return _page(render_route(found[0], static=False))

    return blueprint


def render_index(link_suffix: str) -> str:
    groups: dict[str, list[reference.Route]] = {}
    for route in reference.routes():
        groups.setdefault(route.kind, []).append(route)
    return render_template("explorer/index.html", groups=groups, link_suffix=link_suffix)


def render_route(route: reference.Route, static: bool) -> str:
    """A route's page, served or ``static`` (its links to files, not to folders)."""
    up = "../" * route.name.count("/")  # user/account is a folder down, verify is not
    examples = {
        method: openapi.examples().get(openapi.example_key(route, method))
        for method in route.methods
    }
    return render_template(
        "explorer/route.html",
        route=route,
        examples={m: _json(e) for m, e in examples.items() if e is not None},
        index_link=up + "index.html" if static else up or "./",
        stylesheet=up + "style.css",
    )


def write(app: Flask, folder: Path) -> list[Path]:
    """The explorer as static files in ``folder``; returns the files written."""
    written = []
    with app.test_request_context():
        pages = {"index.html": render_index(link_suffix=".html")}
        for route in reference.routes():
            pages[f"{route.name}.html"] = render_route(route, static=True)
    pages["style.css"] = STYLESHEET.read_text("utf-8")
    pages["openapi.json"] = openapi.text()
    for name, text in pages.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
        written.append(path)
    return written


def _page(html: str) -> Response:
    response = current_app.response_class(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = POLICY
    return response


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)
