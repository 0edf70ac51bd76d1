"""The user's pages: sign in, register, sign out, the overview and the sessions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Blueprint, Response, request, url_for

from dashboard.pages import door, forms
from dashboard.pages.door import Outcome
from dashboard.pages.respond import (
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

    def limited(route_name: str, view: Any) -> Any:
        return door.limited(state, route_name, view)

    @blueprint.get("/sign-in")
    def sign_in() -> Response:
        back = forms.return_to(request.args.get("return-to"))
        if door.call("user/current-session", "GET").ok:
            return see_other(back)
        return presession_form("pages/sign_in.html", config, "Sign in", back)

    def post_sign_in() -> Response:
        back = forms.return_to(request.form.get("return-to"))
        forged = forms.forged(config)
        if forged:
            return presession_form(
                "pages/sign_in.html", config, "Sign in", back, refused(forged, config)
            )
        signed = _sign_in(request.form.get("username", ""), request.form.get("password", ""))
        if signed.ok:
            if signed.result.get("secondFactorRequired"):
                return see_other(then("pages.second_step", back), signed.cookies)
            return see_other(back, signed.cookies)
        failed = problems(signed, config, "user/create-session")
        return presession_form("pages/sign_in.html", config, "Sign in", back, failed)

    blueprint.add_url_rule(
        "/sign-in", "post_sign_in", limited("user/create-session", post_sign_in), methods=["POST"]
    )

    @blueprint.get("/register")
    def register() -> Response:
        back = forms.return_to(request.args.get("return-to"))
        if door.call("user/current-session", "GET").ok:
            return see_other(back)
        return presession_form("pages/register.html", config, "Register", back)

    def post_register() -> Response:
        back = forms.return_to(request.form.get("return-to"))
        forged = forms.forged(config)
        if forged:
            failed = refused(forged, config)
            return presession_form("pages/register.html", config, "Register", back, failed)
        password = request.form.get("password", "")
        if password != request.form.get("confirm", ""):
            differ = refused("invalid-confirm", config, "confirm", 400)
            return presession_form("pages/register.html", config, "Register", back, differ)
        fields = {"username": request.form.get("username", ""), "password": password}
        for name in config.user_profile_fields if config.require_profile else ():
            fields[name] = request.form.get(name, "")
        made = door.call("user/create-account", "POST", body=fields)
        if not made.ok:
            failed = problems(made, config, "user/create-account")
            return presession_form("pages/register.html", config, "Register", back, failed)
        signed = _sign_in(fields["username"], password)
        return see_other(back if signed.ok else url_for("pages.sign_in"), signed.cookies)

    blueprint.add_url_rule(
        "/register",
        "post_register",
        limited("user/create-account", post_register),
        methods=["POST"],
    )

    @blueprint.get("/sign-out")
    @signed_in
    def sign_out(session: dict[str, Any]) -> Response:
        return render("pages/sign_out.html", title="Sign out", current=session)

    @blueprint.post("/sign-out")
    @signed_in
    def post_sign_out(session: dict[str, Any]) -> Response:
        ended = door.call("user/set-session-ended", "PATCH", {"sessionid": session["sessionid"]})
        if not ended.ok:
            return problem_page(ended, config)
        return see_other(url_for("pages.sign_in"), ended.cookies)

    @blueprint.get("/")
    @signed_in
    def overview(session: dict[str, Any]) -> Response:
        account = door.call("user/account", "GET", {"accountid": session["accountid"]})
        if not account.ok:
            return problem_page(account, config)
        return render(
            "pages/overview.html", title="Your account", account=account.result, current=session
        )

    @blueprint.get("/sessions")
    @signed_in
    def sessions(session: dict[str, Any]) -> Response:
        return _sessions_page(session, config)

    @blueprint.post("/sessions")
    @signed_in
    def post_sessions(session: dict[str, Any]) -> Response:
        if request.form.get("end") == "all":
            # every session of the account, this one too: a new session key
            done = door.call("user/reset-session-key", "PATCH", {"accountid": session["accountid"]})
            if not done.ok:
                return _sessions_page(session, config, problems(done, config))
            return see_other(url_for("pages.sign_in"), done.cookies)
        if request.form.get("end") == "others":
            # each other active session, one by one: this one stays signed in
            query = {"accountid": session["accountid"], "active": "true", "all": "true"}
            active = door.call("user/sessions", "GET", query)
            if not active.ok:
                return _sessions_page(session, config, problems(active, config))
            for other in active.result:
                if other["sessionid"] != session["sessionid"]:
                    ended = door.call(
                        "user/set-session-ended", "PATCH", {"sessionid": other["sessionid"]}
                    )
                    if not ended.ok and ended.error != "invalid-session":  # ended meanwhile
                        return _sessions_page(session, config, problems(ended, config))
            return see_other(url_for("pages.sessions"))
        sessionid = request.form.get("sessionid", "")
        done = door.call("user/set-session-ended", "PATCH", {"sessionid": sessionid})
        if not done.ok:
            return _sessions_page(session, config, problems(done, config))
        if sessionid == session["sessionid"]:
            return see_other(url_for("pages.sign_in"), done.cookies)
        return see_other(url_for("pages.sessions"))


def _sign_in(username: str, password: str) -> Outcome:
    remember = request.form.get("remember", "")
    body = {"username": username, "password": password, "cookie-only": "true"}
    if remember:
        body["remember"] = remember
    return door.call("user/create-session", "POST", body=body)


def _sessions_page(session: dict[str, Any], config: Config, failed: Any = None) -> Response:
    offset = request.args.get("offset", "0")
    query = {"accountid": session["accountid"], "offset": offset}
    listed = door.call("user/sessions", "GET", query)
    count = door.call("user/sessions-count", "GET", {"accountid": session["accountid"]})
    if not listed.ok or not count.ok:
        return problem_page(listed if not listed.ok else count, config)
    return render(
        "pages/sessions.html",
        (failed or {}).get("status", 200),
        title="Your sessions",
        current=session,
        sessions=listed.result,
        total=count.result,
        offset=int(offset) if offset.isdigit() else 0,
        page_size=config.page_size,
        **{name: value for name, value in (failed or {}).items() if name != "status"},
    )
