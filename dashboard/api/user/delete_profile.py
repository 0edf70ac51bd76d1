"""DELETE /api/user/delete-profile: remove one of the account's profiles, not its default."""

from __future__ import annotations

from dashboard import access, accounts, events, storage
from dashboard.errors import ApiError
from dashboard.req import Req

QUERY = {"profileid": "required"}
ERRORS = {
    "invalid-profileid": "missing or unknown querystring profileid",
    "invalid-account": "ineligible accessing account",
    "invalid-profile": "the account's default profile (choose another first)",
}
RETURNS = "true"


def delete(req: Req) -> bool:
    profile = access.owned(req, storage.Profile, "profileid", "prof", "invalid-profileid")
    with storage.write():
        account = accounts.locked(profile.appid, profile.accountid)
        if account.profileid == profile.profileid:
            raise ApiError("invalid-profile")
        storage.Profile.delete().where(storage.Profile.profileid == profile.profileid).execute()
    events.emit(events.profile_deleted, profile.appid, profile.accountid, access.sessionid(req))
    return True
