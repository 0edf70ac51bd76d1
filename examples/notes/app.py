"""Notes: a small Flask app whose users sign in with Dashboard, mounted inside it.

Its own views (the blueprint below) ask Dashboard who is signed in; Dashboard's pages
(/account/sign-in, /account/register, /account/sessions, ...) and its API serve sign-in,
sessions and "sign out everywhere". A signed-out browser is sent to sign in and back; a
script gets the API's JSON 401. Make its owner (an administrator, for
/admin/notes-count), then run it:

    flask --app examples.notes.app dashboard create-account site-owner --owner
    flask --app examples.notes.app run
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, current_app, request

from dashboard import (
    Dashboard,
    current_account,
    current_session,
    events,
    require_account,
    require_administrator,
    require_verified,
)

notes = Blueprint("notes", __name__)


def create_app(settings: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(settings or {})  # DATABASE_URL, DASHBOARD_ENCRYPTION_KEY, ...
    Dashboard(app, pages=True)  # and its pages: /account/sign-in, /account/sessions, ...
    app.extensions["notes"] = {}  # accountid -> its notes (a real app keeps a table)
    app.register_blueprint(notes)

    @events.account_deleted.connect_via(app)
    def forget_notes(_app: Flask, accountid: str, **_: Any) -> None:
        # Personal data goes with the account: the notes of a deleted account, at once.
        app.extensions["notes"].pop(accountid, None)

    return app


def _mine() -> list[dict[str, str]]:
    return current_app.extensions["notes"].setdefault(current_account["accountid"], [])


@notes.get("/")
def home() -> dict[str, Any]:
    """Anyone: who is signed in, if anyone."""
    if not current_account:
        return {"signedIn": False}
    return {
        "signedIn": True,
        "accountid": current_account["accountid"],
        "csrfToken": current_session["csrfToken"],
    }


@notes.get("/notes")
@require_account
def list_notes() -> dict[str, Any]:
    return {"notes": _mine()}


@notes.post("/notes")
@require_account  # signed in by cookie, a POST needs the session's X-CSRF-Token too
def add_note() -> tuple[dict[str, Any], int]:
    text = (request.get_json(silent=True) or request.form).get("text", "")
    if not text:
        return {"error": "text is required"}, 400
    _mine().append({"text": text})
    return {"notes": _mine()}, 201


@notes.delete("/notes")
@require_verified(seconds=300)  # forgetting everything asks for a password lately typed
def forget_all() -> dict[str, Any]:
    _mine().clear()
    return {"notes": []}


@notes.get("/admin/notes-count")
@require_administrator
def count_notes() -> dict[str, int]:
    return {"notes": sum(len(each) for each in current_app.extensions["notes"].values())}
