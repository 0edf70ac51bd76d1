"""GET /api/user/session: one of the signed-in account's sessions."""

from __future__ import annotations

from typing import Any

from dashboard import access, sessions
from dashboard.req import Req

QUERY = {"sessionid": "required"}
ERRORS = {
    "invalid-sessionid": "missing or unknown querystring sessionid",
    "invalid-account": "ineligible accessing account",
}
RETURNS = "Session"


def get(req: Req) -> dict[str, Any]:
    session, account = access.owned_session(req)
    return sessions.public(session, account)
