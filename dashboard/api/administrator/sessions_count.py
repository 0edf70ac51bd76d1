"""GET /api/administrator/sessions-count: how many sessions the site has had (or has valid)."""

from __future__ import annotations

from dashboard import access, storage
from dashboard.req import Req

QUERY = {"accountid": "optional", "active": ("true", "false")}
ERRORS = {
    "invalid-accountid": "unknown querystring accountid (when one is given)",
    "invalid-active": "querystring active neither true nor false",
}
RETURNS = "integer"


def get(req: Req) -> int:
    return storage.Session.select().join(storage.Account).where(access.site_sessions(req)).count()
