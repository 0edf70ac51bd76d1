"""The pages that change an account: its password and username, its deletion (and the
restoring of it), a fresh verification, and a forgotten password reset with a code."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Blueprint, Response, request, url_for

from dashboard.pages import door, forms
from dashboard.pages.respond import (
    form_page,
    presession_form,
    problems,
    refused,
    see_other,
    signed_in,
    to_sign_in,
)

if TYPE_CHECKING:
    from dashboard.config import Config
    from dashboard.extension import State


def add_views(blueprint: Blueprint, state: State) -> None:
    config = state.config

    @blueprint.get("/password")
    @signed_in
    def password(session: dict[str, Any]) -> Response:
        return _form("pages/password.html", "Change your password", config, session)

    @blueprint.post("/password")
    @signed_in
    def post_password(session: dict[str, Any]) -> Response:
        def change(session: dict[str, Any]) -> Any:
            new = request.form.get("new-password", "")
            if new != request.form.get("confirm", ""):
                return refused("invalid-confirm", config, "confirm", 400)
            body = {"new-password": new, "password": request.form.get("password", "")}
            query = {"accountid": session["accountid"]}
            return door.call("user/set-account-password", "PATCH", query, body)

        return _write(
            session, "pages/password.html", "Change your password", config, change, "password"
        )

    @blueprint.get("/username")
    @signed_in
    def username(session: dict[str, Any]) -> Response:
        return _form("pages/username.html", "Change your username", config, session)

    @blueprint.post("/username")
    @signed_in
    def post_username(session: dict[str, Any]) -> Response:
        def change(session: dict[str, Any]) -> Any:
            body = {
                "new-username": request.form.get("new-username", ""),
                "password": request.form.get("password", ""),
            }
            query = {"accountid": session["accountid"]}
            return door.call("user/set-account-username", "PATCH", query, body)

        return _write(
            session, "pages/username.html", "Change your username", config, change, "username"
        )

    @blueprint.get("/verify")
    @signed_in
    def verify(session: dict[str, Any]) -> Response:
        return _form("pages/verify.html", "Confirm it is you", config, session)

    @blueprint.post("/verify")
    @signed_in
    def post_verify(session: dict[str, Any]) -> Response:
        def confirm(session: dict[str, Any]) -> Any:
            body = {
                "username": request.form.get("username", ""),
                "password": request.form.get("password", ""),
            }
            query = {"sessionid": session["sessionid"]}
            return door.call("user/set-session-verified", "PATCH", query, body)

        back = forms.return_to(request.form.get("return-to"))
        return _write(
            session, "pages/verify.html", "Confirm it is you", config, confirm, None, back
        )

    @blueprint.get("/delete")
    def delete() -> Response:
        current = door.call("user/current-session", "GET")
        if current.ok:
            return _form("pages/delete.html", "Delete your account", config, current.result)
        return presession_form("pages/restore.html", config, "Restore your account", forms.HOME)

    def post_delete() -> Response:
        current = door.call("user/current-session", "GET")
        if current.ok:

            def schedule(session: dict[str, Any]) -> Any:
                body = {"password": request.form.get("password", "")}
                query = {"accountid": session["accountid"]}
                return door.call("user/set-account-deleted", "PATCH", query, body)

            title = "Delete your account"
            return _write(current.result, "pages/delete.html", title, config, schedule, "deletion")
        title = "Restore your account"
        forged = forms.forged(config)
        if forged:
            failed = refused(forged, config)
            return presession_form("pages/restore.html", config, title, forms.HOME, failed)
        body = {
            "username": request.form.get("username", ""),
            "password": request.form.get("password", ""),
        }
        restored = door.call("user/reset-account-deleted", "PATCH", body=body)
        if not restored.ok:
            failed = problems(restored, config, "user/reset-account-deleted")
            return presession_form("pages/restore.html", config, title, forms.HOME, failed)
        return see_other(url_for("pages.sign_in", notice="restored"))

    # Restoring checks a password: the sign-in limits count it, as the API's do.
    post_delete = door.limited(state, "user/reset-account-deleted", post_delete)
    blueprint.add_url_rule("/delete", "post_delete", post_delete, methods=["POST"])

    @blueprint.get("/reset-password")
    def reset_password() -> Response:
        return presession_form("pages/reset_password.html", config, "Reset your password", "")

    def post_reset_password() -> Response:
        title = "Reset your password"
        forged = forms.forged(config)
        if forged:
            failed = refused(forged, config)
            return presession_form("pages/reset_password.html", config, title, "", failed)
        new = request.form.get("new-password", "")
        if new != request.form.get("confirm", ""):
            differ = refused("invalid-confirm", config, "confirm", 400)
            return presession_form("pages/reset_password.html", config, title, "", differ)
        body = {
            "username": request.form.get("username", ""),
            "secret-code": request.form.get("secret-code", ""),
            "new-password": new,
        }
        reset = door.call("user/reset-account-password", "PATCH", body=body)
        if not reset.ok:
            failed = problems(reset, config)
            return presession_form("pages/reset_password.html", config, title, "", failed)
        return see_other(url_for("pages.sign_in", notice="reset"))

    post_reset_password = door.limited(state, "user/reset-account-password", post_reset_password)
    blueprint.add_url_rule(
        "/reset-password", "post_reset_password", post_reset_password, methods=["POST"]
    )


def _form(
    template: str, title: str, config: Config, session: dict[str, Any], failed: Any = None
) -> Response:
    return form_page(
        template,
        failed,
        title=title,
        current=session,
        return_to=forms.return_to(request.values.get("return-to")),
    )


def _write(
    session: dict[str, Any],
    template: str,
    title: str,
    config: Config,
    write: Any,
    notice: str | None,
    back: str | None = None,
) -> Response:
    """A signed-in form's POST: ``write(session)`` calls the route (or refuses, with a
    form's errors); done, 303 to the overview with ``notice``, or to ``back``."""
    done = write(session)
    if isinstance(done, dict):  # refused by the form itself
        return _form(template, title, config, session, done)
    if not done.ok:
        if done.signed_out:
            return to_sign_in()
        return _form(template, title, config, session, problems(done, config))
    if back is not None:
        return see_other(back, done.cookies)
    if notice == "deletion":  # its sessions ended, this one too
        return see_other(url_for("pages.delete", notice="scheduled"), done.cookies)
    return see_other(url_for("pages.overview", notice=notice), done.cookies)
