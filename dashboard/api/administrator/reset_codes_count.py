"""GET /api/administrator/reset-codes-count: how many reset codes the site holds."""

from __future__ import annotations

from dashboard import access, storage
from dashboard.req import Req

QUERY = {"accountid": "optional"}
ERRORS = {"invalid-accountid": "unknown querystring accountid (when one is given)"}
RETURNS = "integer"


def get(req: Req) -> int:
    return storage.ResetCode.select().where(access.of_site(req, storage.ResetCode)).count()
