"""GET /api/administrator/audit: the administrators' writes (who, what, to whom), newest first."""

from __future__ import annotations

from typing import Any

from dashboard import access, administrators, objects, storage
from dashboard.req import Req

QUERY = {"accountid": "optional", **access.PAGING}
ERRORS = {
    "invalid-accountid": "querystring accountid (when one is given) not an account's id",
    **access.PAGING_ERRORS,
}
RETURNS = "Audit[]"


def get(req: Req) -> list[dict[str, Any]]:
    rows = access.listed(req, storage.Audit, administrators.audit_rows(req))
    return [objects.public_audit(storage.data(row)) for row in rows]
