"""GET /api/administrator/sessions-count: how many sessions the site has had."""

from __future__ import annotations

from dashboard import access, storage
from dashboard.req import Req

QUERY = {"accountid": "optional"}
ERRORS = {"invalid-accountid": "unknown querystring accountid (when one is given)"}
RETURNS = "integer"


def get(req: Req) -> int:
    return storage.Session.select().where(access.of_site(req, storage.Session)).count()
