"""GET /api/user/profile: one of the account's profiles."""

from __future__ import annotations

from typing import Any

from dashboard import access, objects, storage
from dashboard.req import Req

QUERY = {"profileid": "required"}
ERRORS = {
    "invalid-profileid": "missing or unknown querystring profileid",
    "invalid-account": "ineligible accessing account",
}
RETURNS = "Profile"
KEPT = True  # made of rows alone: the gateway may answer it again from memory


def get(req: Req) -> dict[str, Any]:
    profile = access.owned(req, storage.Profile, "profileid", "prof", "invalid-profileid")
    return objects.public_profile(storage.data(profile))
