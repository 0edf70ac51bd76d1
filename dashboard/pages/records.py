"""What an account holds: its reset codes (made, listed, deleted; a code shown once) and
its profiles (created, edited, one chosen as the default, deleted)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Blueprint, Response, request, url_for

from dashboard.pages import door, forms
from dashboard.pages.respond import form_page, problem_page, problems, see_other, signed_in

if TYPE_CHECKING:
    from dashboard.config import Config
    from dashboard.extension import State

# The profile's fields (config.PROFILE_FIELDS) as a form labels them, in its order.
PROFILE_LABELS = {
    "full-name": "Full name",
    "display-name": "Display name",
    "contact-email": "Contact email",
    "display-email": "Public email",
    "company-name": "Company",
    "occupation": "Occupation",
    "location": "Location",
    "website": "Website",
    "phone": "Phone",
    "dob": "Date of birth (year-month-day)",
}


def add_views(blueprint: Blueprint, state: State) -> None:
    config = state.config

    @blueprint.get("/reset-codes")
    @signed_in
    def reset_codes(session: dict[str, Any]) -> Response:
        return _codes_page(session, config)

    @blueprint.post("/reset-codes")
    @signed_in
    def post_reset_codes(session: dict[str, Any]) -> Response:
        accountid = session["accountid"]
        codeid = request.form.get("codeid")
        if codeid is not None:
            gone = door.call("user/delete-reset-code", "DELETE", {"codeid": codeid})
            if not gone.ok:
                return _codes_page(session, config, problems(gone, config))
            return see_other(url_for("pages.reset_codes"))
        body = {"password": request.form.get("password", "")}
        if request.form.get("secret-code"):
            body["secret-code"] = request.form["secret-code"]
        made = door.call("user/create-reset-code", "POST", {"accountid": accountid}, body)
        if not made.ok:
            return _codes_page(session, config, problems(made, config))
        # Shown once, on this answer: no redirect could carry it without storing it.
        return _codes_page(session, config, made={"secret": made.result.get("secretCode")})

    @blueprint.get("/profiles")
    @signed_in
    def profiles(session: dict[str, Any]) -> Response:
        return _profiles_page(session, config)

    @blueprint.post("/profiles")
    @signed_in
    def post_profiles(session: dict[str, Any]) -> Response:
        accountid = session["accountid"]
        profileid = request.form.get("profileid", "")
        action = request.form.get("action", "create")
        if action == "default":
            done = door.call(
                "user/set-account-profile",
                "PATCH",
                {"accountid": accountid},
                {"profileid": profileid},
            )
        elif action == "delete":
            done = door.call("user/delete-profile", "DELETE", {"profileid": profileid})
        else:
            fields = _posted_profile()
            if request.form.get("default") == "true":
                fields["default"] = "true"
            done = door.call("user/create-profile", "POST", {"accountid": accountid}, fields)
        if not done.ok:
            return _profiles_page(session, config, problems(done, config))
        return see_other(url_for("pages.profiles"))

    @blueprint.get("/profiles/<profileid>")
    @signed_in
    def profile(session: dict[str, Any], profileid: str) -> Response:
        return _profile_page(session, config, profileid)

    @blueprint.post("/profiles/<profileid>")
    @signed_in
    def post_profile(session: dict[str, Any], profileid: str) -> Response:
        done = door.call(
            "user/update-profile", "PATCH", {"profileid": profileid}, _posted_profile()
        )
        if not done.ok:
            return _profile_page(session, config, profileid, problems(done, config))
        return see_other(url_for("pages.profiles"))


def _posted_profile() -> dict[str, str]:
    return {name: request.form.get(name, "") for name in PROFILE_LABELS}


def _codes_page(
    session: dict[str, Any], config: Config, failed: Any = None, made: Any = None
) -> Response:
    query = {"accountid": session["accountid"], "all": "true"}
    listed = door.call("user/reset-codes", "GET", query)
    if not listed.ok:
        return problem_page(listed, config)
    return form_page(
        "pages/reset_codes.html",
        failed,
        title="Your reset codes",
        current=session,
        codes=listed.result,
        made=made,
        values={},
    )


def _profiles_page(session: dict[str, Any], config: Config, failed: Any = None) -> Response:
    accountid = session["accountid"]
    listed = door.call("user/profiles", "GET", {"accountid": accountid, "all": "true"})
    account = door.call("user/account", "GET", {"accountid": accountid})
    if not listed.ok or not account.ok:
        return problem_page(listed if not listed.ok else account, config)
    return form_page(
        "pages/profiles.html",
        failed,
        title="Your profiles",
        current=session,
        profiles=listed.result,
        default=account.result.get("profileid"),
        labels=PROFILE_LABELS,
        shown=[(label, _camel(name)) for name, label in PROFILE_LABELS.items()],
    )


def _profile_page(
    session: dict[str, Any], config: Config, profileid: str, failed: Any = None
) -> Response:
    found = door.call("user/profile", "GET", {"profileid": profileid})
    if not found.ok:
        return problem_page(found, config)
    api_names = {name: _camel(name) for name in PROFILE_LABELS}
    values = (
        forms.kept_values()
        if request.method == "POST"
        else {name: found.result.get(api) for name, api in api_names.items()}
    )
    return form_page(
        "pages/profile.html",
        failed,
        title="Edit a profile",
        current=session,
        profile=found.result,
        labels=PROFILE_LABELS,
        values=values,
    )


def _camel(name: str) -> str:
    """A form's name as the Profile object names it: full-name -> fullName."""
    first, *rest = name.split("-")
    return first + "".join(part.capitalize() for part in rest)
