"""GET /api/administrator/session: any session of the site."""

from __future__ import annotations

from typing import Any

from dashboard import access, sessions
from dashboard.cache import current_cache
from dashboard.errors import ApiError
from dashboard.req import Req

QUERY = {"sessionid": "required"}
ERRORS = {"invalid-sessionid": "missing or unknown querystring sessionid"}
RETURNS = "Session"


def get(req: Req) -> dict[str, Any]:
    sessionid = access.required_id(req, "sessionid", "sess", "invalid-sessionid")
    cache = current_cache()
    session = cache.session(access.appid(req), sessionid)
    account = cache.account(access.appid(req), session["account"]) if session else None
    if session is None or account is None:
        raise ApiError("invalid-sessionid")
    # ended as its own account sees it; never its CSRF token
    return sessions.public(session, account, sessions.ADMINISTRATOR_FIELDS)
