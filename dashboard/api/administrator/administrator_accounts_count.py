"""GET /api/administrator/administrator-accounts-count: how many administrators there are."""

from __future__ import annotations

from dashboard import access, storage
from dashboard.req import Req

ERRORS: dict[str, str] = {}
RETURNS = "integer"


def get(req: Req) -> int:
    administrators = storage.Account.administrator_since.is_null(False)
    condition = (storage.Account.appid == access.appid(req)) & administrators
    return storage.Account.select().where(condition).count()
