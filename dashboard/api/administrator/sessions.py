"""GET /api/administrator/sessions: the site's sessions (or the valid ones), newest first."""

from __future__ import annotations

from typing import Any

from dashboard import access, sessions, storage
from dashboard.req import Req

QUERY = {"accountid": "optional", **access.PAGING, "active": ("true", "false")}
ERRORS = {
    "invalid-accountid": "unknown querystring accountid (when one is given)",
    **access.PAGING_ERRORS,
    "invalid-active": "querystring active neither true nor false",
}
RETURNS = "Session[]"


def get(req: Req) -> list[dict[str, Any]]:
    rows = access.listed(req, storage.Session, access.site_sessions(req))
    rows = rows.select(storage.Session, storage.Account).join(storage.Account)
    return [
        sessions.public(storage.data(row), storage.data(row.account), sessions.ADMINISTRATOR_FIELDS)
        for row in rows
    ]
