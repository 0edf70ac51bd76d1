"""POST /api/user/create-totp: begin adding an authenticator app; its secret, shown once."""

from __future__ import annotations

from typing import Any

from dashboard import access, accounts, clock, security, storage, totp
from dashboard.errors import ApiError
from dashboard.req import Req

QUERY = {"accountid": "required"}
BODY = {"password": "required"}
ERRORS = {
    "invalid-accountid": "missing or unknown querystring accountid",
    "invalid-account": "ineligible accessing account",
    "invalid-password": "missing posted password, or not the account's",
    "duplicate-totp": "the account has an authenticator app already (delete-totp first)",
}
RETURNS = "Totp"


def post(req: Req) -> dict[str, Any]:
    password = access.required(req, "body", "password", "invalid-password")
    account = access.confirmed_account(req, password)
    appid, accountid, now = account.appid, account.accountid, clock.now()
    secret = totp.new_secret()
    with storage.write():
        accounts.locked(appid, accountid)  # one write to the account at a time
        if totp.of_account(appid, accountid, confirmed=True) is not None:
            raise ApiError("duplicate-totp")
        # One pending at a time: a new one replaces any not confirmed.
        pending = storage.Totp.confirmed_at.is_null() & (storage.Totp.account == accountid)
        storage.Totp.delete().where(pending & (storage.Totp.appid == appid)).execute()
        row = storage.Totp.create(
            totpid=security.new_id("totp"),
            appid=appid,
            account=accountid,
            secret=totp.seal(secret, accountid),
            created_at=now,
            updated_at=now,
        )
    link = totp.uri(secret, accountid)
    # Shown once: the app needs it, and no later answer holds it.
    return {
        "totpid": row.totpid,
        "object": "totp",
        "secret": secret,
        "otpauthUri": link,
        "qrSvg": totp.qr_svg(link),
    }
