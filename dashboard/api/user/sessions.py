"""GET /api/user/sessions: the account's sessions, newest first, paged."""

from __future__ import annotations

from typing import Any

from dashboard import access, sessions, storage
from dashboard.req import Req

QUERY = {"accountid": "required", **access.PAGING, "active": ("true", "false")}
ERRORS = {
    "invalid-accountid": "missing or unknown querystring accountid",
    "invalid-account": "ineligible accessing account",
    **access.PAGING_ERRORS,
    "invalid-active": "querystring active neither true nor false",
}
RETURNS = "Session[]"


def get(req: Req) -> list[dict[str, Any]]:
    account = access.owned_account(req)
    rows = access.listed(req, storage.Session, access.listed_sessions(req, account))
    return [sessions.public(storage.data(row), account) for row in rows]
