"""Second factors on the pages (§15): the second step of a sign-in, and the account's
authenticator app, added (its secret shown once, as text and as a QR code) or removed;
its passkeys are listed here, and added and changed on their own pages (passkeys.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Blueprint, Response, request, url_for
from markupsafe import Markup

from dashboard.pages import door, forms
from dashboard.pages.respond import form_page, problem_page, problems, see_other, signed_in

if TYPE_CHECKING:
    from dashboard.config import Config
    from dashboard.extension import State

TITLE = "Sign-in security"
SECOND_STEP = "Confirm your sign-in"


def add_views(blueprint: Blueprint, state: State) -> None:
    config = state.config

    @blueprint.get("/second-step")
    def second_step() -> Response:
        return _second_step_page(config)

    def post_second_step() -> Response:
        current = door.call("user/current-session", "GET")
        if not current.ok or not current.result.get("secondFactorRequired"):
            return _second_step_page(config)  # to sign in, or on: it waits for nothing
        body = {name: request.form.get(name, "") for name in ("code", "secret-code")}
        body["assertion"] = request.form.get("credential", "")  # passkeys.py's page
        query = {"sessionid": current.result["sessionid"]}
        done = door.call("user/complete-session", "PATCH", query, body)
        if not done.ok:
            return _second_step_page(config, problems(done, config, "user/complete-session"))
        return see_other(forms.return_to(request.form.get("return-to")))

    blueprint.add_url_rule(
        "/second-step",
        "post_second_step",
        door.limited(state, "user/complete-session", post_second_step),
        methods=["POST"],
    )

    @blueprint.get("/security")
    @signed_in
    def security(session: dict[str, Any]) -> Response:
        return _security_page(session, config)

    @blueprint.post("/security")
    @signed_in
    def post_security(session: dict[str, Any]) -> Response:
        query = {"accountid": session["accountid"]}
        action = request.form.get("action")
        if action == "confirm":
            done = door.call(
                "user/confirm-totp", "PATCH", query, {"code": request.form.get("code", "")}
            )
            notice = "totp-added"
        elif action == "delete":
            body = {"password": request.form.get("password", "")}
            done = door.call("user/delete-totp", "DELETE", query, body)
            notice = "totp-removed"
        else:
            body = {"password": request.form.get("password", "")}
            made = door.call("user/create-totp", "POST", query, body)
            if not made.ok:
                return _security_page(session, config, problems(made, config))
            # Shown once, on this answer: the secret is never shown again.
            return _security_page(session, config, made=made.result)
        if not done.ok:
            if done.error == "Verification required":
                return problem_page(done, config)  # to confirm it is you, and back
            return _security_page(session, config, problems(done, config))
        return see_other(url_for("pages.security", notice=notice))


def _second_step_page(config: Config, failed: Any = None) -> Response:
    back = forms.return_to(request.values.get("return-to"))
    current = door.call("user/current-session", "GET")
    if not current.ok:
        return problem_page(current, config)  # signed out: to sign in
    if not current.result.get("secondFactorRequired"):
        return see_other(back)
    return form_page(
        "pages/second_step.html",
        failed,
        title=SECOND_STEP,
        waiting=current.result,
        return_to=back,
        values={},
    )


def _security_page(
    session: dict[str, Any], config: Config, failed: Any = None, made: Any = None
) -> Response:
    own = {"accountid": session["accountid"]}
    account = door.call("user/account", "GET", own)
    listed = door.call("user/passkeys", "GET", {**own, "all": "true"})
    if not account.ok or not listed.ok:
        return problem_page(account if not account.ok else listed, config)
    return form_page(
        "pages/security.html",
        failed,
        title=TITLE,
        current=session,
        account=account.result,
        passkeys=listed.result,
        made=made,
        # segno's own SVG of the URI: no text from the request is in it
        qr=Markup(made["qrSvg"]) if made else None,
        values={},
    )
