"""One account as an administrator sees it, and the administrator's writes to it (§9),
each a button that calls its route.

Each write has its own address, /administrator/accounts/<accountid>/<write>: a GET is a
page that asks to confirm it, a POST does it. When §9 needs a fresher verification, the
route refuses, and the administrator is sent to /account/verify and back to that
confirming page. The rank rule and every other refusal are the route's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Blueprint, Response, request, url_for

from dashboard.pages import door
from dashboard.pages.respond import (
    form_page,
    not_found,
    problem_page,
    problems,
    refused,
    render,
    see_other,
    signed_in,
)

if TYPE_CHECKING:
    from dashboard.config import Config
    from dashboard.extension import State

# The writes, by the route each calls: its method, its button, what it does (for the
# page that confirms it), and what the account's page says once it is done.
WRITES = {
    "reset-session-key": (
        "PATCH",
        "End every session",
        "Every session of this account ends at once: whoever is signed in as it, anywhere, "
        "is signed out.",
    ),
    "create-reset-code": (
        "POST",
        "Give a reset code",
        "A new reset code for this account, shown to you once. Hand it to the account's "
        "holder by a channel you trust: with it and their username they set a new "
        "password, and every session of the account ends.",
    ),
    "set-account-administrator": (
        "PATCH",
        "Make an administrator",
        "This account becomes an administrator: it sees and manages every account of the site.",
    ),
    "reset-account-administrator": (
        "PATCH",
        "Remove as administrator",
        "This account stops being an administrator.",
    ),
    "set-owner-account": (
        "PATCH",
        "Hand ownership on",
        "This account becomes the site's owner. You stay an administrator, but only the "
        "new owner can hand ownership on again.",
    ),
    "set-account-deleted": (
        "PATCH",
        "Schedule deletion",
        "The account will be deleted in {delete_delay} days, and every session of it ends "
        "now. Until then its holder can restore it.",
    ),
    "reset-second-factors": (
        "PATCH",
        "Remove second factors",
        "The account's authenticator app is removed: its password alone signs it in "
        "again. For a holder who lost their app and their reset codes, once you are sure "
        "it is them.",
    ),
    "delete-account": (
        "DELETE",
        "Delete now",
        "The account, its sessions, profiles and reset codes are deleted now, for good. "
        "Type its username to confirm.",
    ),
}
# What is said of a write once done: on the account's page, and in the audit.
DONE = {
    "reset-session-key": "ended every session",
    "create-reset-code": "gave a reset code",
    "set-account-administrator": "made an administrator",
    "reset-account-administrator": "removed as administrator",
    "set-owner-account": "handed ownership to",
    "set-account-deleted": "scheduled the deletion of",
    "delete-account": "deleted",
    "reset-second-factors": "removed the second factors of",
    # an operator's commands
    "create-account": "made the account",
    "set-administrator": "made an administrator",
    "reset-administrator": "removed as administrator",
    "set-owner": "made the owner",
}
SHOWN = 10  # the newest sessions and audit entries an account's page shows


def add_views(blueprint: Blueprint, state: State) -> None:
    config = state.config

    @blueprint.get("/accounts/<accountid>")
    @signed_in
    def account(session: dict[str, Any], accountid: str) -> Response:
        return _account_page(session, config, accountid)

    @blueprint.get("/accounts/<accountid>/<write>")
    @signed_in
    def confirm(session: dict[str, Any], accountid: str, write: str) -> Response:
        if write not in WRITES:
            return not_found()
        return _confirm_page(session, config, accountid, write)

    @blueprint.post("/accounts/<accountid>/<write>")
    @signed_in
    def post_write(session: dict[str, Any], accountid: str, write: str) -> Response:
        if write not in WRITES:
            return not_found()
        method, query = WRITES[write][0], {"accountid": accountid}
        if write == "delete-account" and not _named(request.form.get("username", ""), accountid):
            failed = refused("invalid-confirm-username", config, "username", 400)
            return _confirm_page(session, config, accountid, write, failed)
        done = door.call(f"administrator/{write}", method, query)
        if not done.ok:
            if done.error in ("Sign in required", "Verification required"):
                return problem_page(done, config)  # to sign in, or to verify, and back
            failed = problems(done, config, f"administrator/{write}")
            return _confirm_page(session, config, accountid, write, failed)
        if write == "create-reset-code":
            # Shown once, on this answer: no redirect could carry it without storing it.
            return _account_page(session, config, accountid, made=done.result.get("secretCode"))
        if write == "delete-account":
            return see_other(url_for("administration.accounts", notice="deleted"))
        return see_other(url_for("administration.account", accountid=accountid, notice=write))


def _named(username: str, accountid: str) -> bool:
    """Whether ``username`` is the username of account ``accountid``: the administrator's
    proof, before a deletion for good, of knowing which account it is."""
    if not username:
        return False
    found = door.call("administrator/accounts", "GET", {"username": username})
    return found.ok and [account["accountid"] for account in found.result] == [accountid]


def _account_page(
    session: dict[str, Any], config: Config, accountid: str, made: str | None = None
) -> Response:
    query = {"accountid": accountid}
    recent = {**query, "limit": str(SHOWN)}
    calls = {
        "account": ("administrator/account", query),
        "sessions": ("administrator/sessions", recent),
        "session_count": ("administrator/sessions-count", query),
        "profiles": ("administrator/profiles", {**query, "all": "true"}),
        "codes": ("administrator/reset-codes", {**query, "all": "true"}),
        "audit": ("administrator/audit", recent),
        "me": ("user/account", {"accountid": session["accountid"]}),
    }
    answers = {name: door.call(route, "GET", asked) for name, (route, asked) in calls.items()}
    failed = next((outcome for outcome in answers.values() if not outcome.ok), None)
    if failed is not None:
        return problem_page(failed, config)
    found = {name: outcome.result for name, outcome in answers.items()}
    return render(
        "pages/administrator/account.html",
        title=f"Account {accountid}",
        current=session,
        writes=WRITES,
        done=DONE,
        made=made,
        shown=SHOWN,
        **found,
    )


def _confirm_page(
    session: dict[str, Any], config: Config, accountid: str, write: str, failed: Any = None
) -> Response:
    account = door.call("administrator/account", "GET", {"accountid": accountid})
    if not account.ok:
        return problem_page(account, config)
    _, button, text = WRITES[write]
    return form_page(
        "pages/administrator/confirm.html",
        failed,
        title=f"{button}: are you sure?",
        current=session,
        account=account.result,
        write=write,
        button=button,
        text=text.format_map(vars(config)),
    )
