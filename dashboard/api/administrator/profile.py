"""GET /api/administrator/profile: any of the site's profiles."""

from __future__ import annotations

from typing import Any

from dashboard import access, objects, storage
from dashboard.req import Req

QUERY = {"profileid": "required"}
ERRORS = {"invalid-profileid": "missing or unknown querystring profileid"}
RETURNS = "Profile"


def get(req: Req) -> dict[str, Any]:
    row = access.named(req, storage.Profile, "profileid", "prof", "invalid-profileid")
    return objects.public_profile(storage.data(row))
