"""GET /api/user/current-session: the caller's own session, with its CSRF token.

The session cookies are HttpOnly, out of the page's reach: this is how a page learns
its sessionid, accountid and csrfToken after a reload. The token is never returned.
A session whose sign-in waits for its second factor is answered too (with
``secondFactorRequired``): how a page learns it must ask for one.
"""

from __future__ import annotations

from typing import Any

from dashboard import access, sessions
from dashboard.cache import current_cache
from dashboard.errors import ApiError
from dashboard.req import Req

SECOND_STEP = True  # a waiting session may learn that it waits
ERRORS = {
    "invalid-session": "no signed-in session in req (a Python call)",
}
RETURNS = "Session"


def get(req: Req) -> dict[str, Any]:
    sessionid, cache = access.sessionid(req), current_cache()
    session = cache.session(access.appid(req), sessionid) if sessionid else None
    account = cache.account(access.appid(req), session["account"]) if session else None
    if (
        session is None
        or account is None
        or account["accountid"] != (req.get("account") or {}).get("accountid")
    ):
        raise ApiError("invalid-session")  # only from Python, with a req of no valid session
    return sessions.public(session, account)
