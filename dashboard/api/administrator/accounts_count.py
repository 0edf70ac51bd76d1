"""GET /api/administrator/accounts-count: how many accounts the site has."""

from __future__ import annotations

from dashboard import access, storage
from dashboard.req import Req

ERRORS: dict[str, str] = {}
RETURNS = "integer"


def get(req: Req) -> int:
    return storage.Account.select().where(storage.Account.appid == access.appid(req)).count()
