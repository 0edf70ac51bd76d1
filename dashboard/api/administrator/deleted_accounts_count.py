"""GET /api/administrator/deleted-accounts-count: how many are scheduled for deletion."""

from __future__ import annotations

from dashboard import access, storage
from dashboard.req import Req

ERRORS: dict[str, str] = {}
RETURNS = "integer"


def get(req: Req) -> int:
    scheduled = storage.Account.deleted_at.is_null(False)
    condition = (storage.Account.appid == access.appid(req)) & scheduled
    return storage.Account.select().where(condition).count()
