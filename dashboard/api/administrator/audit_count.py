"""GET /api/administrator/audit-count: how many administrators' writes the audit holds."""

from __future__ import annotations

from dashboard import administrators, storage
from dashboard.req import Req

QUERY = {"accountid": "optional"}
ERRORS = {"invalid-accountid": "querystring accountid (when one is given) not an account's id"}
RETURNS = "integer"


def get(req: Req) -> int:
    return storage.Audit.select().where(administrators.audit_rows(req)).count()
