"""PATCH /api/user/rename-passkey: give one of the account's passkeys a new name."""

from __future__ import annotations

from typing import Any

from dashboard import access, clock, passkeys, storage
from dashboard.errors import ApiError
from dashboard.req import Req

QUERY = {"passkeyid": "required"}
BODY = {"name": "required"}
ERRORS = {
    "invalid-passkeyid": "missing or unknown querystring passkeyid",
    "invalid-account": "ineligible accessing account",
    "invalid-name": f"missing posted name, or over {passkeys.NAME_LENGTH} characters",
}
RETURNS = "Passkey"


def patch(req: Req) -> dict[str, Any]:
    name = passkeys.posted_name(req, None)
    row = access.owned(req, storage.Passkey, "passkeyid", "pkey", "invalid-passkeyid")
    now = clock.now()
    with storage.write():
        storage.Passkey.update(name=name, updated_at=now).where(
            storage.Passkey.passkeyid == row.passkeyid
        ).execute()
        renamed = storage.Passkey.get_or_none(storage.Passkey.passkeyid == row.passkeyid)
    if renamed is None:  # removed meanwhile
        raise ApiError("invalid-passkeyid")
    return passkeys.public(renamed)
