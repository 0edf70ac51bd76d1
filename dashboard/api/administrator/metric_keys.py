"""GET /api/administrator/metric-keys: counts of the site's writes, by day, month, year."""

from __future__ import annotations

from typing import Any

from dashboard import access, metrics
from dashboard.req import Req

QUERY = {"keys": "required"}
ERRORS = {
    "invalid-keys": "missing querystring keys",
    "invalid-key": "a key malformed, or of an unknown metric",
}
RETURNS = "Metric[]"


def get(req: Req) -> list[dict[str, Any]]:
    pairs = metrics.parse_keys((req.get("query") or {}).get("keys"))
    return metrics.values(access.appid(req), pairs)
