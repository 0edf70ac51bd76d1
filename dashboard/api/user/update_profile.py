"""PATCH /api/user/update-profile: change the fields of one of the account's profiles."""

from __future__ import annotations

from typing import Any

from dashboard import access, accounts, clock, events, objects, profiles, storage
from dashboard.errors import ApiError
from dashboard.req import Req

QUERY = {"profileid": "required"}
BODY = profiles.BODY
ERRORS = {
    "invalid-profileid": "missing or unknown querystring profileid",
    "invalid-account": "ineligible accessing account",
    **profiles.errors(),
}
RETURNS = "Profile"


def patch(req: Req) -> dict[str, Any]:
    access.required(req, "query", "profileid", "invalid-profileid")
    values = profiles.posted(req, required=())
    profile = access.owned(req, storage.Profile, "profileid", "prof", "invalid-profileid")
    now = clock.now()
    with storage.write():
        accounts.locked(profile.appid, profile.accountid)  # not deleted meanwhile
        storage.Profile.update(**values, updated_at=now).where(
            storage.Profile.profileid == profile.profileid
        ).execute()
        updated = storage.Profile.get_or_none(storage.Profile.profileid == profile.profileid)
        if updated is None:  # deleted since it was read
            raise ApiError("invalid-profileid")
    events.emit(events.profile_updated, profile.appid, profile.accountid, access.sessionid(req))
    return objects.public_profile(storage.data(updated))
