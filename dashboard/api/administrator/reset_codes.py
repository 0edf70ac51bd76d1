"""GET /api/administrator/reset-codes: the site's reset codes, newest first, paged."""

from __future__ import annotations

from typing import Any

from dashboard import access, objects, storage
from dashboard.req import Req

QUERY = {"accountid": "optional", **access.PAGING}
ERRORS = {
    "invalid-accountid": "unknown querystring accountid (when one is given)",
    **access.PAGING_ERRORS,
}
RETURNS = "ResetCode[]"


def get(req: Req) -> list[dict[str, Any]]:
    rows = access.listed(req, storage.ResetCode, access.of_site(req, storage.ResetCode))
    return [objects.public_reset_code(storage.data(row)) for row in rows]
