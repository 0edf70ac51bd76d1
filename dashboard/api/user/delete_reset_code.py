"""DELETE /api/user/delete-reset-code: remove one of the account's reset codes."""

from __future__ import annotations

from dashboard import access, events, storage
from dashboard.req import Req

QUERY = {"codeid": "required"}
ERRORS = {
    "invalid-reset-codeid": "missing or unknown querystring codeid",
    "invalid-account": "ineligible accessing account",
}
RETURNS = "true"


def delete(req: Req) -> bool:
    code = access.owned(req, storage.ResetCode, "codeid", "code", "invalid-reset-codeid")
    with storage.write():
        storage.ResetCode.delete().where(storage.ResetCode.codeid == code.codeid).execute()
    events.emit(
        events.reset_code_deleted, code.appid, code.accountid, access.sessionid(req), req.get("ip")
    )
    return True
