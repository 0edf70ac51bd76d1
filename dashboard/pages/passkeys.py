"""Passkeys on the pages (§15): sign in with one, give one as a sign-in's second step,
and add, rename or remove them (/account/security/passkeys/...).

WebAuthn has no way in but the browser's JavaScript, so these are the pages with a
script: passkey.js, the only one, allowed by their policy alone. A page gets its options
from the route (a challenge kept by the server) and puts them on the page; the script
asks the browser for the passkey and posts its answer with the page's form, to the
route that checks it. Without JavaScript the page says so; passwords still work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Blueprint, Response, current_app, request, url_for

from dashboard.pages import door, forms
from dashboard.pages.respond import (
    SCRIPT_POLICY,
    form_page,
    not_found,
    presession_form,
    problem_page,
    problems,
    refused,
    render,
    see_other,
    signed_in,
    then,
)

if TYPE_CHECKING:
    from dashboard.config import Config
    from dashboard.extension import State


def add_views(blueprint: Blueprint, state: State) -> None:
    config = state.config

    def post_passkey_sign_in() -> Response:
        back = forms.return_to(request.form.get("return-to"))
        forged = forms.forged(config)
        if forged:
            return _sign_in_again(config, back, refused(forged, config))
        given = door.call("user/passkey-sign-in-options", "POST")
        if not given.ok:
            return _sign_in_again(config, back, problems(given, config))
        hidden = {
            "presession": request.form.get("presession", ""),
            "return-to": back,
            "remember": request.form.get("remember", ""),
        }
        return page(
            "Sign in with a passkey",
            "Your browser will ask for your passkey, and for your PIN, fingerprint or face.",
            given.result,
            url_for("pages.post_passkey_answer"),
            hidden,
            "get",
            back_to=(then("pages.sign_in", back), "Back to signing in"),
        )

    def post_passkey_answer() -> Response:
        back = forms.return_to(request.form.get("return-to"))
        forged = forms.forged(config)
        if forged:
            return _sign_in_again(config, back, refused(forged, config))
        body = {"assertion": request.form.get("credential", ""), "cookie-only": "true"}
        if request.form.get("remember"):
            body["remember"] = request.form["remember"]
        route = "user/create-session-with-passkey"
        signed = door.call(route, "POST", body=body)
        if not signed.ok:
            return _sign_in_again(config, back, problems(signed, config, route))
        return see_other(back, signed.cookies)

    def post_second_step_passkey() -> Response:
        back = forms.return_to(request.form.get("return-to"))
        current = door.call("user/current-session", "GET")
        if not current.ok or not current.result.get("secondFactorRequired"):
            return see_other(then("pages.second_step", back))
        given = door.call("user/passkey-sign-in-options", "POST")
        if not given.ok:
            return problem_page(given, config)
        return page(
            "Confirm your sign-in with a passkey",
            "Your browser will ask for your passkey, and for your PIN, fingerprint or face.",
            given.result,
            url_for("pages.post_second_step"),
            {"csrf-token": current.result["csrfToken"], "return-to": back},
            "get",
            back_to=(then("pages.second_step", back), "Use a code instead"),
        )

    @blueprint.get("/security/passkeys/new")
    @signed_in
    def new_passkey(session: dict[str, Any]) -> Response:
        return _new_page(session)

    @blueprint.post("/security/passkeys/new")
    @signed_in
    def post_new_passkey(session: dict[str, Any]) -> Response:
        form = request.form
        if form.get("action") == "create":  # the passkey the script made: the answer
            body = {"credential": form.get("credential", "")}
            if form.get("name", "").strip():
                body["name"] = form["name"]
            made = door.call("user/create-passkey", "POST", _own(session), body)
            if not made.ok:
                return _new_page(session, problems(made, config, "user/create-passkey"))
            return see_other(url_for("pages.security", notice="passkey-added"))
        body = {name: form.get(name, "") for name in ("username", "password")}
        given = door.call("user/create-passkey-options", "POST", _own(session), body)
        if not given.ok:
            return _new_page(session, problems(given, config, "user/create-passkey-options"))
        hidden = {"csrf-token": session["csrfToken"], "action": "create"}
        return page(
            "Add a passkey",
            "Your browser will make a passkey for this account, on this device or on a "
            "security key, and ask for your PIN, fingerprint or face.",
            given.result,
            url_for("pages.post_new_passkey"),
            {**hidden, "name": form.get("name", "")},
            "create",
            back_to=(url_for("pages.security"), "Back to sign-in security"),
            session=session,
        )

    @blueprint.get("/security/passkeys/<passkeyid>")
    @signed_in
    def passkey(session: dict[str, Any], passkeyid: str) -> Response:
        return _passkey_page(session, passkeyid)

    @blueprint.post("/security/passkeys/<passkeyid>")
    @signed_in
    def post_passkey(session: dict[str, Any], passkeyid: str) -> Response:
        query = {"passkeyid": passkeyid}
        if request.form.get("action") == "delete":
            done = door.call("user/delete-passkey", "DELETE", query)
            notice = "passkey-removed"
        else:
            done = door.call(
                "user/rename-passkey", "PATCH", query, {"name": request.form.get("name", "")}
            )
            notice = "passkey-renamed"
        if done.ok:
            return see_other(url_for("pages.security", notice=notice))
        if done.error == "Verification required" or done.status != 400:
            return problem_page(done, config)  # to confirm it is you, and back
        return _passkey_page(session, passkeyid, problems(done, config, "user/rename-passkey"))

    for path, view, route in (
        ("/sign-in/passkey", post_passkey_sign_in, "user/passkey-sign-in-options"),
        ("/sign-in/passkey/answer", post_passkey_answer, "user/create-session-with-passkey"),
        ("/second-step/passkey", post_second_step_passkey, "user/passkey-sign-in-options"),
    ):
        blueprint.add_url_rule(
            path, view.__name__, door.limited(state, route, view), methods=["POST"]
        )


def page(
    title: str,
    intro: str,
    options: dict[str, Any],
    action: str,
    hidden: dict[str, str],
    mode: str,
    back_to: tuple[str, str],
    session: dict[str, Any] | None = None,
) -> Response:
    """The page with the passkey button: ``options`` for the browser, and the form that
    posts its answer (``credential``) to ``action`` with ``hidden``."""
    making = mode == "create"
    return render(
        "pages/passkey.html",
        policy=SCRIPT_POLICY,
        title=title,
        intro=intro,
        options=options,
        action=action,
        hidden=hidden,
        mode=mode,
        button="Make the passkey" if making else "Use a passkey",
        without_script="use a browser with it on to add one."
        if making
        else "use your password, or a code.",
        back=back_to[0],
        back_text=back_to[1],
        current=session,
    )


def _new_page(session: dict[str, Any], failed: dict[str, Any] | None = None) -> Response:
    return form_page(
        "pages/passkey_new.html",
        failed,
        title="Add a passkey",
        current=session,
    )


def _passkey_page(
    session: dict[str, Any], passkeyid: str, failed: dict[str, Any] | None = None
) -> Response:
    listed = door.call("user/passkeys", "GET", {**_own(session), "all": "true"})
    if not listed.ok:
        return problem_page(listed, current_app.extensions["dashboard"].config)
    found = [item for item in listed.result if item["passkeyid"] == passkeyid]
    if not found:
        return not_found()
    return form_page(
        "pages/passkey_edit.html",
        failed,
        title=f"Passkey: {found[0]['name']}",
        current=session,
        passkey=found[0],
    )


def _own(session: dict[str, Any]) -> dict[str, str]:
    return {"accountid": session["accountid"]}


def _sign_in_again(config: Config, back: str, failed: dict[str, Any]) -> Response:
    return presession_form("pages/sign_in.html", config, "Sign in", back, failed)
