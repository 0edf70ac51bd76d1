"""Pages for people (DESIGN.md §14): sign in, register and manage an account in a
browser (/account/), and run the site as its administrator (/administrator/).

Server-rendered, with no JavaScript but for passkeys (passkeys.py). Each page calls the
API's route functions through the same core as the API (door.py) and renders what they
answer: a rule holds on both or on neither. Forms POST and answer 303
(Post/Redirect/Get); errors are words next to their field and in a summary at the top
(messages.py).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Flask, Response, current_app, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from dashboard import errors
from dashboard.pages import (
    account,
    administration,
    changes,
    messages,
    passkeys,
    records,
    security,
)
from dashboard.pages.messages import message
from dashboard.pages.respond import not_found, render

if TYPE_CHECKING:
    from dashboard.extension import State

# The pages' files, by endpoint: the stylesheet, and the one script (passkeys.py's pages).
FILES = {
    "stylesheet": ("style.css", "text/css"),
    "passkey_script": ("passkey.js", "text/javascript"),
}
FOLDER = Path(__file__).parent.parent / "templates" / "pages"


def register(app: Flask, state: State) -> None:
    """Mount the pages on ``app``: the user's, the administrator's, and the answer to a
    path under them that names no page."""
    for blueprint in create_blueprints(state):
        app.register_blueprint(blueprint)
    answer_unknown_paths(app)


def answer_unknown_paths(app: Flask) -> None:
    """A path under /account/ or /administrator/ that names no page, or a method it does
    not take, is answered with a page too (Flask raises the routing error after these
    functions)."""

    @app.before_request
    def unknown_page() -> Response | None:
        error = request.routing_exception
        under = request.path.startswith(("/account/", "/administrator/"))
        if not under or not isinstance(error, HTTPException):
            return None
        if isinstance(error, MethodNotAllowed):
            response = render("pages/problem.html", 405, title="Not here", text=NOT_TAKEN)
            response.headers["Allow"] = ", ".join(error.valid_methods or ())
            return response
        return not_found()


NOT_TAKEN = "This page cannot do that. Start again from your account."


def create_blueprints(state: State) -> tuple[Blueprint, Blueprint]:
    """/account/...: the user's pages; /administrator/...: the administrator's."""
    blueprint = Blueprint("pages", __name__, url_prefix="/account", template_folder="../templates")
    account.add_views(blueprint, state)
    changes.add_views(blueprint, state)
    records.add_views(blueprint, state)
    security.add_views(blueprint, state)
    passkeys.add_views(blueprint, state)

    def served(endpoint: str) -> Response:
        name, mimetype = FILES[endpoint]
        return current_app.response_class((FOLDER / name).read_text("utf-8"), mimetype=mimetype)

    for endpoint, (name, _) in FILES.items():
        blueprint.add_url_rule(f"/{name}", endpoint, served, defaults={"endpoint": endpoint})

    @blueprint.app_template_filter("dashboard_when")
    def when(value: str) -> str:
        """An API time (ISO 8601, UTC) as people read it: 5 December 2026, 06:30 UTC."""
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return f"{moment.day} {moment:%B %Y, %H:%M} UTC"

    administrator = administration.create_blueprint(state)
    _answered_as_pages(blueprint, state)
    _answered_as_pages(administrator, state, administration=True)
    return blueprint, administrator


def _answered_as_pages(blueprint: Blueprint, state: State, **context: Any) -> None:
    """What each page of ``blueprint`` is given (the settings, a notice, ``context``),
    and its errors as pages."""

    @blueprint.context_processor
    def settings() -> dict[str, Any]:
        return {
            "config": state.config,
            "notice": messages.notice(request.args.get("notice"), state.config),
            **context,
        }

    # By code, as the app's JSON handlers are: a handler for the code wins over one for a
    # class, whichever blueprint it is on.
    @blueprint.errorhandler(429)
    def too_many(error: Exception) -> Response:
        limit = getattr(error, "limit", None)
        wait = limit.limit.get_expiry() if limit is not None else 60
        return render(
            "pages/too_many.html", 429, title="Too many tries", minutes=max(1, round(wait / 60))
        )

    @blueprint.errorhandler(Exception)
    def failed(error: Exception) -> Response:
        status, content, _ = errors.answer(error, state.database)
        code = content["message"] if content.get("object") == "error" else "unknown-error"
        return render(
            "pages/problem.html",
            status,
            title="Something went wrong",
            text=message(code, state.config),
        )
