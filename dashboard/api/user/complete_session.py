"""PATCH /api/user/complete-session: give a sign-in its second factor, completing the session."""

from __future__ import annotations

from typing import Any

from dashboard import (
    access,
    accounts,
    clock,
    events,
    factors,
    metrics,
    passkeys,
    resetcodes,
    sessions,
    storage,
    totp,
)
from dashboard.cache import current_cache
from dashboard.errors import ApiError
from dashboard.req import Req

SECOND_STEP = True  # the one route a session waiting for its second factor may call
LIMITS = ("sign-in",)  # wrong codes count as wrong passwords do
QUERY = {"sessionid": "required"}
BODY = {"code": "optional", "secret-code": "optional", "assertion": "optional"}
ERRORS = {
    "invalid-sessionid": "missing or unknown querystring sessionid",
    "invalid-account": "another account's session",
    "invalid-session": "the session waits for no second factor (complete already, or ended)",
    "invalid-code": "neither a code of the account's authenticator app (unused, one step "
    "either side), nor one of its reset codes, nor a passkey's assertion answering "
    "passkey-sign-in-options was posted; the fifth wrong one ends the session",
}
RETURNS = "Session"


def patch(req: Req) -> dict[str, Any]:
    session, account = access.owned_session(req)
    body = req.get("body") or {}
    code, secret_code, assertion = (
        body.get(name) or "" for name in ("code", "secret-code", "assertion")
    )
    appid, accountid, sessionid = account["appid"], account["accountid"], session["sessionid"]
    now = clock.now()
    with storage.write():
        current = accounts.locked(appid, accountid)
        row = storage.Session.get_or_none(
            (storage.Session.sessionid == sessionid) & (storage.Session.appid == appid)
        )
        if row is None or not factors.waiting(storage.data(row)):
            raise ApiError("invalid-session")  # of two completions at once, the second
        if sessions.ended_at(storage.data(row), storage.data(current)) is not None:
            raise ApiError("invalid-session")
        if _proven(current, code, secret_code, assertion, now):
            storage.Session.update(
                second_step_until=None, last_verified_at=now, updated_at=now
            ).where(storage.Session.sessionid == sessionid).execute()
            failed = False
        else:
            tries = (row.second_step_tries or 0) + 1
            ended = now if tries >= factors.SECOND_STEP_TRIES else None
            storage.Session.update(second_step_tries=tries, ended_at=ended, updated_at=now).where(
                storage.Session.sessionid == sessionid
            ).execute()
            metrics.count(appid, "second-factor-failures", now)
            failed = True
    current_cache().invalidate(appid, accountid, sessionid)
    if failed:  # the try is counted, committed: then the refusal
        events.emit(events.second_factor_failed, appid, accountid, sessionid, req.get("ip"))
        raise ApiError("invalid-code")
    events.emit(events.sign_in_succeeded, appid, accountid, sessionid, req.get("ip"))
    completed = storage.Session.get_by_id(sessionid)
    return sessions.public(storage.data(completed), storage.data(current))


def _proven(
    account: storage.Account, code: str, secret_code: str, assertion: str, now: Any
) -> bool:
    """Inside the write: whether ``code`` is an unused code of the account's app,
    ``secret_code`` one of its reset codes (used up), or ``assertion`` one of its
    passkeys' answers."""
    if code:
        factor = totp.of_account(account.appid, account.accountid, confirmed=True)
        return factor is not None and totp.check(factor, code, now)
    if secret_code:
        found = resetcodes.find(account, secret_code)
        return found is not None and resetcodes.use_up(found, account)
    if assertion:
        passkey = passkeys.authenticate(account.appid, assertion, now)
        return passkey is not None and passkey.accountid == account.accountid
    return False
