"""PATCH /api/user/set-session-ended: sign out one session of the account."""

from __future__ import annotations

from typing import Any

from dashboard import access, clock, events, sessions, storage
from dashboard.cache import current_cache
from dashboard.errors import ApiError
from dashboard.req import Req

QUERY = {"sessionid": "required"}
ERRORS = {
    "invalid-sessionid": "missing or unknown querystring sessionid",
    "invalid-account": "ineligible accessing account",
    "invalid-session": "session already ended",
}
RETURNS = "Session"


def patch(req: Req) -> dict[str, Any]:
    session, account = access.owned_session(req)
    if sessions.ended_at(session, account) is not None:
        raise ApiError("invalid-session")
    appid, sessionid = access.appid(req), session["sessionid"]
    now = clock.now()
    with storage.write():
        storage.Session.update(ended_at=now, updated_at=now).where(
            (storage.Session.sessionid == sessionid) & storage.Session.ended_at.is_null()
        ).execute()
    current_cache().invalidate(appid, sessionid)
    events.emit(events.session_ended, appid, account["accountid"], sessionid, req.get("ip"))
    return sessions.public({**session, "ended_at": now, "updated_at": now}, account)
