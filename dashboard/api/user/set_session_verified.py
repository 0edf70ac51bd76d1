"""PATCH /api/user/set-session-verified: confirm the current session with the password."""

from __future__ import annotations

from typing import Any

from dashboard import access, accounts, clock, sessions, storage
from dashboard.cache import current_cache
from dashboard.errors import ApiError
from dashboard.req import Req

QUERY = {"sessionid": "required"}
BODY = {"username": "required", "password": "required"}
ERRORS = {
    "invalid-sessionid": "missing or unknown querystring sessionid",
    "invalid-account": "ineligible accessing account",
    "invalid-session": "not the caller's current session, or ended",
    "invalid-username": "missing posted username, or not this account's",
    "invalid-password": "missing or wrong posted password, or changed since it was checked",
}
RETURNS = "Session"


def patch(req: Req) -> dict[str, Any]:
    access.required(req, "query", "sessionid", "invalid-sessionid")
    username, password = access.posted_credentials(req)
    session, account = access.owned_session(req)
    if session["sessionid"] != access.sessionid(req) or sessions.ended_at(session, account):
        raise ApiError("invalid-session")
    row = accounts.row(access.appid(req), account["accountid"])
    if not accounts.username_matches(row, username):
        raise ApiError("invalid-username")
    accounts.verify_password(row, password)
    now = clock.now()
    with storage.write():
        accounts.proven(row)
        storage.Session.update(last_verified_at=now, updated_at=now).where(
            storage.Session.sessionid == session["sessionid"]
        ).execute()
    current_cache().invalidate(access.appid(req), session["sessionid"])
    return sessions.public({**session, "last_verified_at": now, "updated_at": now}, account)
