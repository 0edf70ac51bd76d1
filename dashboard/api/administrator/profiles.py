"""GET /api/administrator/profiles: the site's profiles, newest first, paged."""

from __future__ import annotations

from typing import Any

from dashboard import access, objects, storage
from dashboard.req import Req

QUERY = {"accountid": "optional", **access.PAGING}
ERRORS = {
    "invalid-accountid": "unknown querystring accountid (when one is given)",
    **access.PAGING_ERRORS,
}
RETURNS = "Profile[]"


def get(req: Req) -> list[dict[str, Any]]:
    rows = access.listed(req, storage.Profile, access.of_site(req, storage.Profile))
    return [objects.public_profile(storage.data(row)) for row in rows]
